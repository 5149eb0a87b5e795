"""ccm report from xAPI statements: a statements file (JSON array, JSON Lines) and a real LRS (Ralph).

Statements are shaped as the runtime's xAPI adapter sends them (render/runtime/adapter-xapi.js and
outbox.js): passed/failed on the module activity with result.score and the per-competency
results extension, answered on question activities with a parent module, initialized and
terminated, every statement naming its competencies in contextActivities.other.
"""

from __future__ import annotations

import json
import uuid

import pytest
from click.testing import CliRunner
from support.course_source import write_course

from ccm_scorm.cli import main
from ccm_scorm.report import ReportOptions, build_report
from ccm_scorm.source import load_course

BASE = "https://ccm-scorm.example.org/test/"
MODULE = BASE + "module/demo"
ADL = "http://adlnet.gov/expapi/verbs/"
OBJECTIVE = "http://adlnet.gov/expapi/activities/objective"
QUESTIONS = {
    "q1-active-listening": "ccm.communication",
    "q2-advocacy-rights": "ccm.advocacy",
    "q3-barriers": "ccm.communication",
    "q4-services": "ccm.communication",
    "q5-steps": "ccm.communication",
    "q6-term": "ccm.communication",
}


def competency(cid: str) -> dict:
    return {
        "objectType": "Activity",
        "id": f"{BASE}competency/{cid}",
        "definition": {"type": OBJECTIVE, "name": {"en-GB": cid}},
    }


def statement(
    actor: dict,
    verb: str,
    object_id: str,
    when: str,
    registration: str,
    *,
    result=None,
    competencies=("ccm.communication", "ccm.advocacy"),
    parent=False,
) -> dict:
    context = {"registration": registration, "contextActivities": {"other": [competency(c) for c in competencies]}}
    if parent:
        context["contextActivities"]["parent"] = [{"objectType": "Activity", "id": MODULE}]
    s = {
        "id": str(uuid.uuid4()),
        "actor": actor,
        "verb": {"id": ADL + verb, "display": {"en-US": verb}},
        "object": {
            "objectType": "Activity",
            "id": object_id,
            "definition": {"type": "http://adlnet.gov/expapi/activities/module"},
        },
        "context": context,
        "timestamp": when,
    }
    if result is not None:
        s["result"] = result
    return s


def attempt(
    actor: dict, when: str, answers: dict[str, bool], *, registration: str | None = None, submit: bool = True
) -> list[dict]:
    """One launch: initialized, answered x N, completed + passed/failed (when submitted), terminated."""
    registration = registration or str(uuid.uuid4())
    out = [statement(actor, "initialized", MODULE, when, registration)]
    for qid, right in answers.items():
        out.append(
            statement(
                actor,
                "answered",
                f"{MODULE}/question/{qid}",
                when,
                registration,
                parent=True,
                competencies=(QUESTIONS[qid],),
                result={"success": right, "response": "x"},
            )
        )
    if submit:
        score = round(100 * sum(answers.values()) / len(answers))
        per = {}
        for qid, right in answers.items():
            per.setdefault(QUESTIONS[qid], []).append(right)
        comps = [
            {
                "id": f"{BASE}competency/{cid}",
                "competency": cid,
                "score": round(100 * sum(v) / len(v)),
                "status": "passed" if 100 * sum(v) / len(v) >= 80 else "failed",
            }
            for cid, v in per.items()
        ]
        result = {
            "success": score >= 80,
            "completion": True,
            "score": {"scaled": score / 100, "raw": score, "min": 0, "max": 100},
            "duration": "PT5M",
            "extensions": {MODULE + "/xapi/competency-results": comps},
        }
        out.append(statement(actor, "completed", MODULE, when, registration, result=dict(result)))
        out.append(statement(actor, "passed" if score >= 80 else "failed", MODULE, when, registration, result=result))
    out.append(statement(actor, "terminated", MODULE, when, registration, result={"duration": "PT6M"}))
    return out


ALICE = {"objectType": "Agent", "name": "Alice Ames", "mbox": "mailto:alice@example.org"}
BOB = {"objectType": "Agent", "name": "Bob Brown", "mbox": "mailto:Bob@Example.org"}
CAROL = {"objectType": "Agent", "name": "Carol Cole", "mbox": "mailto:carol@example.org"}
DAVE = {"objectType": "Agent", "name": "Dave Dunn", "account": {"homePage": "https://lms.example.org", "name": "u-42"}}
ALL_RIGHT = dict.fromkeys(QUESTIONS, True)


def learners_statements() -> list[dict]:
    statements = []
    statements += attempt(ALICE, "2026-03-02T10:00:00Z", ALL_RIGHT)
    # Bob: first attempt fails communication (3 of 5), passes advocacy; second attempt passes both.
    statements += attempt(
        BOB, "2026-03-03T09:00:00Z", {**ALL_RIGHT, "q1-active-listening": False, "q3-barriers": False}
    )
    statements += attempt(BOB, "2026-03-05T09:00:00Z", ALL_RIGHT)
    # Carol answered two questions and closed the module without submitting.
    statements += attempt(
        CAROL, "2026-03-04T12:00:00Z", {"q1-active-listening": True, "q2-advocacy-rights": False}, submit=False
    )
    # Dave (an LMS account, no email): passes communication, fails advocacy.
    statements += attempt(DAVE, "2026-03-06T15:30:00+01:00", {**ALL_RIGHT, "q2-advocacy-rights": False})
    return statements


EXPECTED = {
    ("alice@example.org", "ccm.communication"): ("achieved", 100.0, 100.0, "2026-03-02T10:00:00Z", 1),
    ("alice@example.org", "ccm.advocacy"): ("achieved", 100.0, 100.0, "2026-03-02T10:00:00Z", 1),
    ("bob@example.org", "ccm.communication"): ("achieved", 100.0, 100.0, "2026-03-05T09:00:00Z", 2),
    ("bob@example.org", "ccm.advocacy"): ("achieved", 100.0, 100.0, "2026-03-03T09:00:00Z", 2),
    ("carol@example.org", "ccm.communication"): ("attempted, not yet achieved", None, None, "", 0),
    ("carol@example.org", "ccm.advocacy"): ("attempted, not yet achieved", None, None, "", 0),
    ("carol@example.org", "ccm.person-centred"): ("not started", None, None, "", 0),
    ("alice@example.org", "ccm.person-centred"): ("not started", None, None, "", 0),
}


def matrix_of(report) -> dict:
    out = {}
    for key in report.learner_keys():
        for cid, view in zip(report.catalogue.competency_ids, report.matrix.row(key), strict=False):
            out[key, cid] = (view.status, view.best, view.latest, view.first_achieved, view.attempts)
    return out


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    return write_course(tmp_path_factory.mktemp("xapi"))


@pytest.mark.parametrize("layout", ["array", "lines", "lrs-answer"])
def test_statement_file_gives_the_matrix(source, tmp_path, layout):
    statements = learners_statements() + [
        statement(
            ALICE, "experienced", "https://elsewhere.example.org/activity/1", "2026-03-01T00:00:00Z", str(uuid.uuid4())
        )
    ]
    path = tmp_path / "statements.json"
    if layout == "array":
        path.write_text(json.dumps(statements, indent=1), encoding="utf-8")
    elif layout == "lines":
        path.write_text("\n".join(json.dumps(s) for s in statements) + "\n", encoding="utf-8")
    else:
        path.write_text(json.dumps({"statements": statements, "more": ""}), encoding="utf-8")
    report = build_report(load_course(source), ReportOptions(statements=(path,)))
    got = matrix_of(report)
    for cell, expected in EXPECTED.items():
        assert got[cell] == expected, cell
    assert report.notes.not_in_catalogue == {"https://elsewhere.example.org/activity/1": 1}
    # Dave has no email: with the default key (email) he is matched by his account name,
    # as he is when matching by LMS user id, with his own competency results.
    by_id = matrix_of(build_report(load_course(source), ReportOptions(statements=(path,), match="id")))
    for matrix in (got, by_id):
        assert matrix["u-42", "ccm.communication"][:3] == ("achieved", 100.0, 100.0)
        assert matrix["u-42", "ccm.communication"][3] == "2026-03-06T14:30:00Z"
        assert matrix["u-42", "ccm.advocacy"][:3] == ("attempted, not yet achieved", 0.0, 0.0)


def test_rule_all_needs_every_mapped_module(tmp_path):
    second = {
        "second/module.yaml": 'id: second\nversion: "1.0.0"\ntitle: Second module\nsummary: Another.\n'
        "competencies: [ccm.communication]\naudience: [Care navigator]\nminutes: 5\n"
        "outcomes:\n  - Pass.\npass_mark: 80\nattempts: 0\n",
        "second/pages/01-page.md": "# Page\n\nText.\n",
    }
    course = load_course(write_course(tmp_path, second))
    path = tmp_path / "s.jsonl"
    path.write_text(
        "\n".join(json.dumps(s) for s in attempt(ALICE, "2026-03-02T10:00:00Z", ALL_RIGHT)), encoding="utf-8"
    )
    any_rule = matrix_of(build_report(course, ReportOptions(statements=(path,), rule="any")))
    all_rule = matrix_of(build_report(course, ReportOptions(statements=(path,), rule="all")))
    assert any_rule["alice@example.org", "ccm.communication"][0] == "achieved"
    assert all_rule["alice@example.org", "ccm.communication"][0] == "attempted, not yet achieved"
    assert all_rule["alice@example.org", "ccm.advocacy"][0] == "achieved"  # only demo evidences it


def test_lrs_end_to_end(ralph, source, tmp_path):
    ralph.clear()
    statements = learners_statements()
    for start in range(0, len(statements), 10):
        answer = ralph.post(statements[start : start + 10])
        assert answer.status == 200, answer
    env = {"CCM_LRS_USERNAME": ralph.username, "CCM_LRS_PASSWORD": ralph.password, "CCM_LRS_AUTH": ""}
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main, ["report", str(source), "--lrs", ralph.url, "-o", str(out), "-f", "json", "--lrs-page-size", "4"], env=env
    )
    assert result.exit_code == 0, result.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    got = {
        (item["learner"], cid): (
            cell["status"],
            cell["best_score"],
            cell["latest_score"],
            cell["first_achieved"] or "",
            cell["attempts"],
        )
        for item in data["learners"]
        for cid, cell in item["competencies"].items()
    }
    for cell, expected in EXPECTED.items():
        assert got[cell] == expected, cell
    # Paging: 4 statements a page, following `more`.
    pages = next(line for line in data["notes"] if line.startswith("read ") and "LRS pages" in line)
    assert int(pages.split()[1]) >= len(statements) // 4
    read = next(line for line in data["notes"] if "from LRS " in line)
    assert read.split()[1] == str(len(statements))
    # `since` after every statement was stored: nothing new.
    later = CliRunner().invoke(
        main,
        ["report", str(source), "--lrs", ralph.url, "-o", str(out), "-f", "csv", "--since", "2999-01-01T00:00:00Z"],
        env=env,
    )
    assert later.exit_code == 0, later.output
    assert "0 learners x 3 competencies" in later.output


MEASURE = """
import resource, sys
from ccm_scorm.source import load_course
from ccm_scorm.report.catalogue import Catalogue
from ccm_scorm.report.learners import LearnerResolver
from ccm_scorm.report.matrix import Matrix
from ccm_scorm.report.xapi import StatementReader, iter_statement_file
catalogue = Catalogue(load_course(sys.argv[1]))
matrix = Matrix(catalogue)
count = StatementReader(catalogue, matrix, LearnerResolver()).read(iter_statement_file(sys.argv[2]), "big")
print(count, len(matrix.learners), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def _write_statements(path, count: int, learners: int) -> None:
    template = [
        json.dumps(s).replace("alice@example.org", "{who}") for s in attempt(ALICE, "2026-03-02T10:00:00Z", ALL_RIGHT)
    ]  # 10 statements a launch
    with open(path, "w", encoding="utf-8") as handle:
        for n in range(count):
            handle.write(template[n % len(template)].replace("{who}", f"l{n // len(template) % learners}@example.org"))
            handle.write("\n")


def test_a_large_statements_file_is_streamed_with_flat_memory(source, tmp_path):
    """200,000 statements (JSON Lines, ~200 MB): peak memory as for 2,000 (ru_maxrss of a fresh process)."""
    import subprocess
    import sys

    def peak_kb(count: int) -> int:
        path = tmp_path / f"s{count}.jsonl"
        _write_statements(path, count, 500)
        done = subprocess.run(
            [sys.executable, "-c", MEASURE, str(source), str(path)], capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        read, learners, peak = map(int, done.stdout.split())
        assert (read, learners) == (count, min(500, count // 10))
        path.unlink()
        return peak

    small, large = peak_kb(2_000), peak_kb(200_000)
    assert large - small < 12 * 1024, f"memory grew by {(large - small) / 1024:.1f} MB for 100x the statements"
