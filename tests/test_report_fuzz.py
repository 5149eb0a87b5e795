"""Random input never gives `ccm report` a traceback: statements of any JSON shape, statement files of any
layout (arrays, JSON Lines, LRS answers, garbage bytes), Moodle exports with random headers and cells.

The one allowed failure is the report's own ReportError with an exit code; anything else is a bug.
"""

from __future__ import annotations

import csv
import io
import json
import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from support.course_source import write_course
from support.moodle_fixture_course import write_moodle_fixture_course

from ccm_scorm.report import ReportOptions, build_report
from ccm_scorm.report.catalogue import Catalogue
from ccm_scorm.report.errors import ReportError
from ccm_scorm.report.learners import LearnerResolver
from ccm_scorm.report.matrix import Matrix
from ccm_scorm.report.moodle import ModuleMap, MoodleReader
from ccm_scorm.report.outputs import write_outputs
from ccm_scorm.report.xapi import StatementReader, iter_statement_file
from ccm_scorm.source import load_course

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
ADL = "http://adlnet.gov/expapi/verbs/"
BASE = "https://ccm-scorm.example.org/test/"
MODULE = BASE + "module/demo"

# --------------------------------------------------------------- statements
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**320),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "mailto:",
            "=1+1",
            "$\\foo{x}$",
            "<b>x</b>",
            "passed",
            "failed",
            "2026-03-02T10:00:00Z",
            "0001-01-01T00:00:00+14:00",
            "9999-12-31T23:59:59-14:00",
        ]
    ),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=20,
)


def maybe(strategy):
    """Mostly the plausible value, sometimes any JSON at all."""
    return st.one_of(strategy, strategy, strategy, json_values)


verbs = st.fixed_dictionaries(
    {
        "id": maybe(
            st.sampled_from(
                [ADL + v for v in ("passed", "failed", "completed", "answered", "initialized", "terminated", "voided")]
            )
        )
    }
)
objects = st.fixed_dictionaries(
    {
        "id": maybe(
            st.sampled_from(
                [
                    MODULE,
                    MODULE,
                    MODULE + "/question/q1-active-listening",
                    BASE + "pathway/starter",
                    "https://elsewhere/1",
                ]
            )
        )
    },
    optional={"objectType": maybe(st.sampled_from(["Activity", "StatementRef", "Agent"]))},
)
actors = st.fixed_dictionaries(
    {"mbox": maybe(st.sampled_from(["mailto:a@example.org", "mailto:=b@x"]))},
    optional={
        "name": maybe(st.text(max_size=20)),
        "account": maybe(st.fixed_dictionaries({"homePage": maybe(st.just("https://lms")), "name": maybe(st.text())})),
        "objectType": maybe(st.sampled_from(["Agent", "Group"])),
        "mbox_sha1sum": json_values,
        "openid": json_values,
    },
)
competency_results = st.lists(
    maybe(
        st.fixed_dictionaries(
            {},
            optional={
                "competency": maybe(st.sampled_from(["ccm.communication", "ccm.advocacy", "nope"])),
                "id": maybe(st.just(BASE + "competency/ccm.advocacy")),
                "score": maybe(st.floats()),
                "status": maybe(st.sampled_from(["passed", "failed", "completed"])),
            },
        )
    ),
    max_size=4,
)
results = st.fixed_dictionaries(
    {},
    optional={
        "score": maybe(st.fixed_dictionaries({}, optional={k: json_values for k in ("scaled", "raw", "min", "max")})),
        "extensions": maybe(
            st.dictionaries(
                st.sampled_from([MODULE + "/xapi/competency-results", "x"]), maybe(competency_results), max_size=2
            )
        ),
        "success": json_values,
    },
)
activity_lists = maybe(
    st.lists(
        maybe(st.fixed_dictionaries({"id": maybe(st.sampled_from([MODULE, BASE + "competency/ccm.communication"]))})),
        max_size=3,
    )
)
contexts = st.fixed_dictionaries(
    {},
    optional={
        "contextActivities": maybe(
            st.fixed_dictionaries({}, optional={kind: activity_lists for kind in ("parent", "grouping", "other")})
        )
    },
)
plausible = st.fixed_dictionaries(
    {"actor": maybe(actors), "verb": maybe(verbs), "object": maybe(objects)},
    optional={
        "id": json_values,
        "result": maybe(results),
        "context": maybe(contexts),
        "timestamp": maybe(scalars),
        "stored": json_values,
    },
)
statements = maybe(plausible)


@pytest.fixture(scope="module")
def catalogue():
    with tempfile.TemporaryDirectory() as folder:
        yield Catalogue(load_course(write_course(Path(folder))))


@pytest.fixture(scope="module")
def folder():
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def read_statements(catalogue, path: Path) -> None:
    matrix = Matrix(catalogue)
    reader = StatementReader(catalogue, matrix, LearnerResolver())
    try:
        reader.read(iter_statement_file(path), "fuzz")
    except ReportError as error:
        assert isinstance(error.exit_code, int) and str(error)
        event("refused")
        return
    event("read, some used" if matrix.learners else "read, none used")
    for key in matrix.learners:
        for view in matrix.row(key):
            for score in (view.best, view.latest):
                assert score is None or math.isfinite(score)


@settings(FUZZ, max_examples=100)
@given(items=st.lists(statements, max_size=8), layout=st.sampled_from(["array", "lines", "lrs", "one"]))
def test_any_statement_shape_is_read_or_refused_cleanly(catalogue, folder, items, layout):
    path = folder / "statements.json"
    if layout == "array":
        text = json.dumps(items, indent=1)
    elif layout == "lrs":
        text = json.dumps({"statements": items, "more": ""})
    elif layout == "one":
        text = json.dumps(items[0] if items else {})
    else:
        text = "\n".join(json.dumps(item) for item in items)
    path.write_text(text, encoding="utf-8")
    read_statements(catalogue, path)


@FUZZ
@given(
    data=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8", "surrogatepass")),
    prefix=st.sampled_from([b"", b"[", b'{"statements": [', b"\xef\xbb\xbf[", b'[{"a": ', b'{"a":1}\n']),
)
@example(data=b"[" * 50_000, prefix=b"")
@example(data=b'{"a": ' * 50_000, prefix=b"")
@example(data=b"1" * 5_000 + b"]", prefix=b"[")
def test_garbage_statement_files_never_give_a_traceback(catalogue, folder, data, prefix):
    path = folder / "garbage.json"
    path.write_bytes(prefix + data)
    read_statements(catalogue, path)


# --------------------------------------------------------------- Moodle exports
@pytest.fixture(scope="module")
def moodle_catalogue():
    with tempfile.TemporaryDirectory() as folder:
        yield Catalogue(load_course(write_moodle_fixture_course(Path(folder))))


def fixture_header(shared: Path, name: str) -> list[str]:
    with open(shared / "fixtures" / "moodle" / name, encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    return next(csv.reader([first], delimiter="\t" if "\t" in first else ","))


@pytest.fixture(scope="module")
def headers(shared_dir):
    return [
        fixture_header(shared_dir, name)
        for name in (
            "scorm12_basic_CSV.txt",
            "scorm12_interactions_CSV.txt",
            "scorm12_objectives_CSV.txt",
            "gradebook.csv",
        )
    ]


cells = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "Stu Dent",
            "student1@example.invalid",
            "1",
            "2",
            "52",
            "95/100",
            "-",
            "passed",
            "failed",
            "correct",
            "wrong",
            "q1-active-listening",
            "Tuesday, 24 November 2026, 9:30 PM",
            "31 February 2026",
            "1e999",
            "nan",
            "=1+1",
            "",
        ]
    ),
)


@FUZZ
@given(
    choice=st.integers(min_value=0, max_value=3),
    rows=st.lists(st.lists(cells, min_size=4, max_size=16), max_size=6),
    drop=st.just([]) | st.lists(st.integers(min_value=0, max_value=15), max_size=2),
    extra=st.just([]) | st.lists(st.text(max_size=12), max_size=2),
    delimiter=st.sampled_from(["\t", ",", ";"]),
)
def test_any_moodle_table_is_read_or_refused_cleanly(
    moodle_catalogue, headers, folder, choice, rows, drop, extra, delimiter
):
    header = [h for i, h in enumerate(headers[choice]) if i not in drop] + extra
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([header] + rows)
    path = folder / "moodle.txt"
    path.write_text(buffer.getvalue(), encoding="utf-8")
    matrix = Matrix(moodle_catalogue)
    reader = MoodleReader(moodle_catalogue, matrix, LearnerResolver(), ModuleMap(moodle_catalogue, ()))
    try:
        event(f"read as {reader.read(path)}")
        reader.finish()
    except ReportError as error:
        assert isinstance(error.exit_code, int) and str(error)
        event("refused")


# --------------------------------------------------------------- all the way to the outputs
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(items=st.lists(statements, min_size=1, max_size=6))
def test_random_statements_always_write_every_output(folder, items):
    course_dir = folder / "course"
    if not course_dir.exists():
        write_course(folder)
    path = folder / "to-output.jsonl"
    path.write_text("\n".join(json.dumps(item) for item in items), encoding="utf-8")
    report = build_report(load_course(course_dir), ReportOptions(statements=(path,)))
    written = write_outputs(report, folder / "out", ("csv", "json", "xlsx", "html"))
    assert len(written) == 6
    json.loads((folder / "out" / "report.json").read_text(encoding="utf-8"), parse_constant=refuse_constant)


def refuse_constant(name: str):
    raise AssertionError(f"report.json holds {name}, which is not JSON")
