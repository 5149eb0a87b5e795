"""ccm report on the real Moodle 5.1 exports in ../shared/fixtures/moodle (used as they are).

What the fixture packages recorded (README there), with the test course's pass mark 80:
  Stu (student1): attempt 1 communication 0 failed, advocacy 100 passed, person-centred 55 failed (52, failed);
                  attempt 2 all passed (100 / 100 / 85; 95 passed)
  Siân (student2): communication 100 passed, advocacy 0 failed, person-centred incomplete (33)
  Nora (student3): never launched
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from support.moodle_fixture_course import write_moodle_fixture_course

from ccm_scorm.cli import main
from ccm_scorm.report import EXIT_STRICT, ReportOptions, build_report
from ccm_scorm.source import load_course

STU, SIAN, NORA = "student1@example.invalid", "student2@example.invalid", "student3@example.invalid"
COMMS, ADVOCACY, PERSON = "ccm.communication", "ccm.advocacy", "ccm.person-centred"
WHEN = "2026-11-24T21:30:00Z"  # 9:30 PM Europe/London (GMT in November)
FORMATS = {"tsv": "CSV.txt", "ods": "ODS.ods", "xlsx": "Excel.xlsx"}


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return load_course(write_moodle_fixture_course(tmp_path_factory.mktemp("moodle")))


@pytest.fixture(scope="module")
def fixtures(shared_dir) -> Path:
    return shared_dir / "fixtures" / "moodle"


def cells(report) -> dict:
    """{(learner, competency): (status, best, latest, first achieved, attempts, basis)}"""
    out = {}
    for key in report.learner_keys():
        for cid, view in zip(report.catalogue.competency_ids, report.matrix.row(key), strict=False):
            out[key, cid] = (view.status, view.best, view.latest, view.first_achieved, view.attempts, tuple(view.basis))
    return out


def run(course, fixtures, *names, modules=()):
    return build_report(course, ReportOptions(moodle=tuple(fixtures / n for n in names), moodle_modules=modules))


A, T, N = "achieved", "attempted, not yet achieved", "not started"
NOT_STARTED = {(NORA, c): (N, None, None, "", 0, ()) for c in (COMMS, ADVOCACY, PERSON)}

# Objective values present (objectives_fixed_query/): every cell rests on the competency's own result.
WITH_OBJECTIVES = {
    (STU, COMMS): (A, 100.0, 100.0, WHEN, 2, ("objective",)),
    (STU, ADVOCACY): (A, 100.0, 100.0, WHEN, 2, ("objective",)),
    (STU, PERSON): (A, 85.0, 85.0, WHEN, 2, ("objective",)),
    (SIAN, COMMS): (A, 100.0, 100.0, WHEN, 1, ("objective",)),
    (SIAN, ADVOCACY): (T, 0.0, 0.0, "", 1, ("objective",)),
    (SIAN, PERSON): (T, None, None, "", 1, ("objective",)),
    **NOT_STARTED,
}
# Stock objectives (no values) + SCORM 1.2 interactions: questions where a question evidences the
# competency, the module's pass/fail for person-centred (no question of its own).
FROM_INTERACTIONS = {
    (STU, COMMS): (A, 100.0, 100.0, WHEN, 2, ("questions",)),
    (STU, ADVOCACY): (A, 100.0, 100.0, WHEN, 2, ("questions",)),
    (STU, PERSON): (A, None, None, WHEN, 2, ("module",)),
    (SIAN, COMMS): (A, 100.0, 100.0, WHEN, 1, ("questions",)),
    (SIAN, ADVOCACY): (T, 0.0, 0.0, "", 1, ("questions",)),
    (SIAN, PERSON): (T, None, None, "", 1, ("module",)),
    **NOT_STARTED,
}
# Only the module's result (SCORM 2004 stock exports: no objective values, interactions always empty).
FROM_MODULE = {
    **{(STU, c): (A, None, None, WHEN, 2, ("module",)) for c in (COMMS, ADVOCACY, PERSON)},
    **{(SIAN, c): (T, None, None, "", 1, ("module",)) for c in (COMMS, ADVOCACY, PERSON)},
    **NOT_STARTED,
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_scorm12_stock_exports_rest_on_interactions_and_say_so(course, fixtures, fmt):
    ext = FORMATS[fmt]
    report = run(course, fixtures, f"scorm12_basic_{ext}", f"scorm12_interactions_{ext}", f"scorm12_objectives_{ext}")
    assert cells(report) == FROM_INTERACTIONS
    assert any("objectives report has no values" in m and "4.3-5.1" in m for m in report.notes.messages)


@pytest.mark.parametrize("edition", ["scorm12", "scorm2004"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_fixed_objectives_give_each_competency_its_own_result(course, fixtures, edition, fmt):
    ext = FORMATS[fmt]
    report = run(
        course,
        fixtures,
        f"{edition}_basic_{ext}",
        f"{edition}_interactions_{ext}",
        f"objectives_fixed_query/{edition}_objectives_{ext}",
    )
    assert cells(report) == WITH_OBJECTIVES
    assert not any("no values" in m for m in report.notes.messages)


@pytest.mark.parametrize("fmt", FORMATS)
def test_scorm2004_stock_exports_fall_back_to_the_module_result(course, fixtures, fmt):
    ext = FORMATS[fmt]
    report = run(
        course, fixtures, f"scorm2004_basic_{ext}", f"scorm2004_interactions_{ext}", f"scorm2004_objectives_{ext}"
    )
    assert cells(report) == FROM_MODULE
    messages = " ".join(report.notes.messages)
    assert "always empty for SCORM 2004" in messages and "objectives report has no values" in messages


@pytest.mark.parametrize("edition", ["scorm12", "scorm2004"])
def test_basic_report_alone(course, fixtures, edition):
    assert cells(run(course, fixtures, f"{edition}_basic_CSV.txt")) == FROM_MODULE


def test_gradebook_needs_the_module_named_and_then_gives_module_results(course, fixtures):
    report = run(course, fixtures, "gradebook.csv", modules=("ccm-check",))
    expected = {k: (v[0], None, None, "", v[4], v[5]) for k, v in FROM_MODULE.items()}
    # Two SCORM activities (1.2 and 2004) in the gradebook, each a graded result of the one module.
    for key in [(STU, c) for c in (COMMS, ADVOCACY, PERSON)] + [(SIAN, c) for c in (COMMS, ADVOCACY, PERSON)]:
        expected[key] = (expected[key][0], None, None, "", 2, ("module",))
    assert cells(report) == expected


def test_gradebook_activity_names_that_match_no_module_are_skipped_and_counted(fixtures, tmp_path):
    """A gradebook column the course does not know is never fatal: its grades are counted and named in
    the notes; --strict makes them an error."""
    source = write_moodle_fixture_course(tmp_path)
    args = ["report", str(source), "--moodle", str(fixtures / "gradebook.csv"), "-o", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (
        "note: 4 gradebook grades of SCORM activities that match no module or pathway (name them with "
        "--moodle-module 'ACTIVITY=ID'): ccm12 20261124-213010-2257, ccm2004 20261124-213020-2688"
    ) in result.output
    strict = CliRunner().invoke(main, args + ["--strict"])
    assert strict.exit_code == EXIT_STRICT, strict.output
    assert "--strict" in strict.output and "4 gradebook grades" in strict.output and "Traceback" not in strict.output
    assert not (tmp_path / "out" / "matrix.csv").exists() or result.exit_code == 0


def test_explicit_title_mapping_and_mixed_sources(course, fixtures):
    report = run(
        course,
        fixtures,
        "scorm12_interactions_CSV.txt",
        "objectives_fixed_query/scorm2004_objectives_ODS.ods",
        modules=("CCM check SCO 1.2=ccm-check", "CCM check SCO 2004=ccm-check"),
    )
    got = cells(report)
    # Both activities count as attempts of the one module; the 2004 objectives carry person-centred's own score.
    assert got[STU, PERSON][:3] == (A, 85.0, 85.0)
    assert got[STU, PERSON][4] == 4 and set(got[STU, PERSON][5]) == {"module", "objective"}
    assert got[SIAN, ADVOCACY][:3] == (T, 0.0, 0.0)
    assert got[NORA, COMMS][0] == N


def test_cli_writes_every_format_with_pathways_and_roster(fixtures, tmp_path):
    source = write_moodle_fixture_course(tmp_path)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "name,email,issued\nStu Dent,student1@example.invalid,2026-11-01\n"
        "Nora Noattempt,student3@example.invalid,2026-11-10\nNew Starter,new@example.invalid,2026-11-20\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["report", str(source), "-o", str(out), "--roster", str(roster), "--as-of", "2026-11-30"]
    for name in ("scorm12_basic_CSV.txt", "scorm12_interactions_CSV.txt", "scorm12_objectives_CSV.txt"):
        args += ["--moodle", str(fixtures / name)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "4 learners x 3 competencies" in result.output
    assert {p.name for p in out.iterdir()} == {
        "matrix.csv",
        "competencies.csv",
        "pathways.csv",
        "report.json",
        "report.xlsx",
        "report.html",
    }
    import csv
    import json

    pathways = {row["learner"]: row for row in csv.DictReader(open(out / "pathways.csv", encoding="utf-8"))}
    assert pathways[STU]["state"] == "completed" and pathways[STU]["days_since_issue"] == "29"
    assert pathways[SIAN]["state"] == "part-way" and pathways[SIAN]["modules_left"] == "ccm-check"
    assert pathways[SIAN]["on_roster"] == "no"
    assert pathways["new@example.invalid"]["missing"] == "yes"
    assert pathways["new@example.invalid"]["days_since_issue"] == "10"
    assert pathways[NORA]["state"] == "not started" and pathways[NORA]["missing"] == "yes"
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["rule"] == "any"
    stu = next(item for item in data["learners"] if item["learner"] == STU)
    assert stu["competencies"][PERSON]["basis"] == ["module"]
    summary = {row["competency"]: row for row in data["competency_summary"]}
    assert summary[COMMS]["achieved"] == 2 and summary[ADVOCACY]["achieved"] == 1
    import openpyxl

    book = openpyxl.load_workbook(out / "report.xlsx", read_only=True)
    assert book.sheetnames == ["Matrix", "Details", "Competencies", "Pathways", "Notes"]
    html = (out / "report.html").read_text(encoding="utf-8")
    import re

    assert "<svg" in html and "<metadata>" not in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "the report must not load anything"
    assert "<link" not in html and "<script src" not in html
    assert '<th scope="col"' in html and "attempted, not yet achieved" in html and "✓" in html


def test_html_report_passes_axe(fixtures, tmp_path, page, axe_check, format_violations):
    source = write_moodle_fixture_course(tmp_path)
    out = tmp_path / "out"
    args = ["report", str(source), "-o", str(out), "-f", "html"]
    for name in (
        "scorm12_basic_CSV.txt",
        "scorm12_interactions_CSV.txt",
        "objectives_fixed_query/scorm12_objectives_CSV.txt",
    ):
        args += ["--moodle", str(fixtures / name)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    page.goto((out / "report.html").as_uri())
    violations = axe_check(page, tags=["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"])
    assert not violations, format_violations(violations)
    # Sorting works from the keyboard-operable header buttons.
    page.locator("#matrix-table thead th button").first.click()
    first = page.locator("#matrix-table tbody tr th").first.inner_text()
    assert first.startswith("Stu Dent")
    assert not page.ccm_errors


def test_strict_refuses_statements_for_activities_not_in_the_course(fixtures, tmp_path):
    """--strict covers every source: an LRS statement about another course's activity too."""
    source = write_moodle_fixture_course(tmp_path)
    statements = tmp_path / "statements.jsonl"
    statements.write_text(
        '{"actor": {"mbox": "mailto:student1@example.invalid"}, '
        '"verb": {"id": "http://adlnet.gov/expapi/verbs/passed"}, '
        '"object": {"id": "https://elsewhere.example/module/fire-safety"}}\n',
        encoding="utf-8",
    )
    args = [
        "report",
        str(source),
        "--statements",
        str(statements),
        "--moodle",
        str(fixtures / "scorm12_basic_CSV.txt"),
        "-o",
        str(tmp_path / "out"),
    ]
    assert CliRunner().invoke(main, args).exit_code == 0
    strict = CliRunner().invoke(main, args + ["--strict"])
    assert strict.exit_code == EXIT_STRICT, strict.output
    assert (
        "records for activities not in the course (e.g. https://elsewhere.example/module/fire-safety)" in strict.output
    )


def test_objectives_for_a_competency_the_module_does_not_list_are_counted(fixtures, tmp_path):
    """The framework has ccm.person-centred but the module no longer lists it: its objective
    records are named in the notes, not dropped silently, and --strict refuses them."""
    source = write_moodle_fixture_course(tmp_path)
    module = source / "ccm-check" / "module.yaml"
    module.write_text(module.read_text(encoding="utf-8").replace(", ccm.person-centred", ""), encoding="utf-8")
    objectives = fixtures / "objectives_fixed_query" / "scorm2004_objectives_CSV.txt"
    args = [
        "report",
        str(source),
        "--moodle",
        str(objectives),
        "--moodle-module",
        "ccm-check",
        "-o",
        str(tmp_path / "out"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert (
        "note: 3 objective records for competencies the activity's module does not list: "
        "ccm.person-centred in ccm-check"
    ) in result.output
    strict = CliRunner().invoke(main, args + ["--strict"])
    assert strict.exit_code == EXIT_STRICT and "3 objective records" in strict.output, strict.output
