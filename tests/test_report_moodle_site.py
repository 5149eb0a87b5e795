"""`ccm report` on what the real Moodle 5.1 site gives: report downloads with Moodle's default
options and with every option on (TSV, ODS, XLSX), the gradebook export, and the live site
(--moodle-site), for a module activity and a pathway activity in each SCORM edition.

Learners play the packages in Moodle's own player (tests/support/moodle_reports.py), once per
module run: the quiz module has eight questions alternating between two competencies, so 4
right is 50 % for each and 8 right is 100 %.
  retry   quiz: 4 right, then "Try again" inside the same attempt, 8 right; pathway not opened
  passer  quiz: 8 right; pathway: quiz 8 right, reading module read
  failer  quiz: 4 right; pathway: quiz 4 right, reading module read (the pathway stays
          incomplete: a failed module can be tried again, so the pathway has no result)
  idle    enrolled, never launched
The expected matrix is worked out here from what Moodle's database holds (mdl_scorm_attempt,
mdl_scorm_scoes_value): per try, the share of right answers to each competency's questions;
the reading module's competency from its objective.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from support import moodle_player as mp
from support import moodle_reports as mr
from support.browser import attach_error_collectors

from ccm_scorm.cli import main
from ccm_scorm.report import EXIT_STRICT, ReportOptions, build_report
from ccm_scorm.source import load_course

EDITIONS = ("scorm12", "scorm2004")
UNITS = (mp.QUIZ_MODULE, mp.PATHWAY)
REPORTS = ("basic", "interactions", "objectives")
FORMATS = ("CSV", "ODS", "Excel")
PLAYS = {  # learner -> (quiz tries, pathway quiz answers or None)
    "retry": ((4, 8), None),
    "passer": ((8,), 8),
    "failer": ((4,), 4),
}
A, T, N = "achieved", "attempted, not yet achieved", "not started"
COMPETENCIES = (*mp.QUIZ_COMPETENCIES, mp.READING_COMPETENCY)


@dataclasses.dataclass
class EditionResults:
    edition: str
    course: mr.ReportCourse
    emails: dict[str, str]  # learner label -> email
    default: dict[tuple[str, str], Path]  # (report, format) -> file, Moodle's default options
    full: dict[tuple[str, str], Path]  # every option on
    gradebook: Path
    database: dict[str, dict]  # unit -> tries_in_database()


@pytest.fixture(scope="module")
def played(moodle, browser, shared_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("moodle-reports")
    source = mp.write_course(root)
    packages = mp.build_packages(source, root / "packages")
    other = shared_dir / "fixtures" / "moodle" / "source_packages" / "ccm12.zip"  # a package of another course
    courses = {
        edition: mr.ReportCourse.create(moodle, packages, f"Reports {edition}", edition, UNITS, other)
        for edition in EDITIONS
    }
    framework_csv = root / "framework.csv"
    mp.ccm("framework", "export", source, "--format", "moodle-csv", "--out", framework_csv)
    moodle.helper("import_framework", "--csv", framework_csv)  # kept if another test imported it first
    for course in courses.values():  # Moodle rates them when the quiz activity is completed (passed)
        for competency in mp.QUIZ_COMPETENCIES:
            moodle.helper(
                "link_competency",
                "--cmid",
                course.activities[mp.QUIZ_MODULE].cmid,
                "--competency",
                competency,
                "--framework",
                mp.FRAMEWORK_ID,
                "--rule",
                "complete",
            )
    emails = {}
    for label, (tries, pathway_right) in PLAYS.items():
        username, password = moodle.new_user(label, courses["scorm12"].course_id)
        moodle.enrol(username, courses["scorm2004"].course_id)
        emails[label] = f"{username}@example.org"
        with _page(browser) as page:
            moodle.login(page, username, password)
            for course in courses.values():
                quiz, path = course.activities[mp.QUIZ_MODULE], course.activities[mp.PATHWAY]
                mr.play_quiz(moodle, page, quiz.cmid, tries)
                mr.wait_saved(moodle, quiz.scormid, username)
                if pathway_right is not None:
                    mr.play_pathway(moodle, page, path.cmid, pathway_right)
                    mr.wait_saved(moodle, path.scormid, username)
    idle, _ = moodle.new_user("idle", courses["scorm12"].course_id)
    moodle.enrol(idle, courses["scorm2004"].course_id)
    emails["idle"] = f"{idle}@example.org"
    results = {}
    for edition, course in courses.items():
        results[edition] = _download_everything(moodle, browser, course, edition, emails, root / edition)
    return results


class _page:
    def __init__(self, browser):
        self.context = browser.new_context(accept_downloads=True)
        self.context.set_default_timeout(30_000)

    def __enter__(self):
        page = self.context.new_page()
        attach_error_collectors(page)
        return page

    def __exit__(self, *_):
        self.context.close()


def _download_everything(moodle, browser, course, edition, emails, folder: Path) -> EditionResults:
    folder.mkdir(parents=True)
    files = {}
    for options in ("default", "full"):
        username, password = f"t{options}{course.course_id}x", f"Pw-{options}-{course.course_id}-T1"
        moodle.helper(
            "create_user",
            "--username",
            username,
            "--password",
            password,
            "--firstname",
            "Teacher",
            "--lastname",
            options,
            "--email",
            f"{username}@example.org",
            "--enrol",
            course.course_id,
            "--role",
            "editingteacher",
        )
        target = folder / options
        target.mkdir()
        got = files[options] = {}
        with _page(browser) as page:
            moodle.login(page, username, password)
            for unit, activity in course.activities.items():
                for report in REPORTS:
                    if options == "full":
                        mr.save_options(page, moodle, activity.cmid, report)
                    for fmt in FORMATS:
                        folder = target / unit / report
                        got[unit, report, fmt] = mr.download(page, moodle, activity.cmid, report, fmt, folder)
            if options == "full":
                files["gradebook"] = mr.gradebook(page, moodle, course.course_id, target)
    database = {unit: mr.tries_in_database(moodle, activity.scormid) for unit, activity in course.activities.items()}
    return EditionResults(edition, course, emails, files["default"], files["full"], files["gradebook"], database)


@pytest.fixture(scope="module")
def source(played, tmp_path_factory):
    return load_course(mp.write_course(tmp_path_factory.mktemp("report-source")))


# ------------------------------------------------------------------ what the database says
def expected_from_database(results: EditionResults) -> dict[tuple[str, str], tuple[str, float | None]]:
    """{(email, competency): (status, best score from answers or None)} from Moodle's stored values."""
    scores: dict[tuple[str, str], list[float]] = {}
    completed: set[tuple[str, str]] = set()
    for unit, attempts in results.database.items():
        for (email, _), attempt in attempts.items():
            for answers in attempt["tries"].values():
                for competency in mp.QUIZ_COMPETENCIES:
                    mine = [result for ident, result in answers if _competency_of(ident) == competency]
                    if mine:
                        right = sum(result == "correct" for result in mine)
                        scores.setdefault((email, competency), []).append(round(100 * right / len(mine), 2))
            reading = attempt["objectives"].get(mp.READING_COMPETENCY, {})
            if "completed" in (reading.get("status"), reading.get("completion_status")):
                completed.add((email, mp.READING_COMPETENCY))
            if attempt["tries"] or reading:
                for competency in COMPETENCIES if unit == mp.PATHWAY else mp.QUIZ_COMPETENCIES:
                    scores.setdefault((email, competency), [])
    expected = {}
    for email in results.emails.values():
        for competency in COMPETENCIES:
            found = scores.get((email, competency))
            if found is None:
                expected[email, competency] = (N, None)
            elif (email, competency) in completed or any(s >= 80 for s in found):
                expected[email, competency] = (A, max(found, default=None))
            else:
                expected[email, competency] = (T, max(found, default=None))
    return expected


def _competency_of(interaction_id: str) -> str:
    number = int(re.match(rf"^{mp.QUIZ_MODULE}\.q(\d+)(\.a\d+)?$", interaction_id).group(1))
    return mp.QUIZ_COMPETENCIES[(number - 1) % 2]


def matrix(report) -> dict[tuple[str, str], tuple]:
    return {
        (key, cid): view
        for key in report.learner_keys()
        for cid, view in zip(report.catalogue.competency_ids, report.matrix.row(key), strict=True)
    }


def statuses(report) -> dict[tuple[str, str], str]:
    return {k: v.status for k, v in matrix(report).items()}


def learners_only(cells: dict, results: EditionResults) -> dict:
    """The played learners' cells; Moodle's reports also list the teachers (never launched)."""
    learners = set(results.emails.values())
    others = {k: v for k, v in cells.items() if k[0] not in learners}
    assert all((v if isinstance(v, str) else v.status) == N for v in others.values()), others
    return {k: v for k, v in cells.items() if k[0] in learners}


def agreeing_cells(report, results: EditionResults) -> dict:
    """The played learners' cells, once each one's status is checked to be what the database says."""
    got = learners_only(matrix(report), results)
    assert {k: v.status for k, v in got.items()} == {k: v[0] for k, v in expected_from_database(results).items()}
    return got


def assert_best_scores_agree(got: dict, results: EditionResults) -> None:
    expected = expected_from_database(results)
    assert {k: v.best for k, v in got.items() if k[1] in mp.QUIZ_COMPETENCIES} == {
        k: v[1] for k, v in expected.items() if k[1] in mp.QUIZ_COMPETENCIES
    }


def run(source, files, **options):
    return build_report(source, ReportOptions(moodle=tuple(files), **options))


# ------------------------------------------------------------------ the tests
@pytest.mark.parametrize("edition", EDITIONS)
def test_the_database_holds_the_retry_as_two_tries_of_one_attempt(played, edition):
    results = played[edition]
    attempts = results.database[mp.QUIZ_MODULE]
    mine = {k: v for k, v in attempts.items() if k[0] == results.emails["retry"]}
    assert list(mine) == [(results.emails["retry"], 1)]
    assert sorted(mine[results.emails["retry"], 1]["tries"]) == [1, 2]


@pytest.mark.parametrize("edition", EDITIONS)
def test_full_option_downloads_agree_with_the_database(played, source, edition):
    results = played[edition]
    report = run(source, [results.full[u, r, "CSV"] for u in UNITS for r in REPORTS])
    got = agreeing_cells(report, results)
    retry = results.emails["retry"]
    if edition == "scorm12":
        # Each try has its own score: 50 then 100 for both quiz competencies, in one Moodle attempt.
        assert_best_scores_agree(got, results)
        assert (got[retry, mp.QUIZ_COMPETENCIES[0]].attempts, got[retry, mp.QUIZ_COMPETENCIES[0]].latest) == (2, 100.0)
        assert got[retry, mp.QUIZ_COMPETENCIES[0]].basis == ["questions"]
    else:
        # Moodle's interactions report never shows SCORM 2004 interactions: module results only, and it says so.
        assert got[retry, mp.QUIZ_COMPETENCIES[0]].basis == ["module"]
        assert any("always empty for SCORM 2004" in m for m in report.notes.messages)
    assert got[retry, mp.QUIZ_COMPETENCIES[0]].first_achieved
    assert any("objectives report has no values" in m for m in report.notes.messages)


@pytest.mark.parametrize("edition", EDITIONS)
def test_default_option_downloads_agree_and_say_what_they_cannot_tell(played, source, edition):
    results = played[edition]
    report = run(source, [results.default[u, r, "CSV"] for u in UNITS for r in REPORTS])
    got = agreeing_cells(report, results)
    retry = results.emails["retry"]
    assert got[retry, mp.QUIZ_COMPETENCIES[0]].attempts == 1  # one Moodle attempt, not one per column
    messages = " ".join(report.notes.messages)
    assert "without 'Show question text'" in messages and "turn on 'Show question text' and 'Result'" in messages
    assert "without 'Show detailed report'" in messages


@pytest.mark.parametrize("options", ["default", "full"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_every_format_gives_the_same_matrix(played, source, edition, options):
    files = getattr(played[edition], options)
    by_format = {
        fmt: {
            k: dataclasses.replace(v, sources=[])
            for k, v in matrix(run(source, [files[u, r, fmt] for u in UNITS for r in REPORTS])).items()
        }
        for fmt in FORMATS
    }
    assert by_format["ODS"] == by_format["CSV"]
    assert by_format["Excel"] == by_format["CSV"]


@pytest.mark.parametrize("edition", EDITIONS)
def test_gradebook_with_an_activity_the_course_does_not_know(played, source, edition, tmp_path):
    results = played[edition]
    report = run(source, [results.gradebook])
    assert any("'SCORM package: Fire safety (Real)' matches no module or pathway" in m for m in report.notes.messages)
    got = statuses(report)
    assert got[results.emails["passer"], mp.QUIZ_COMPETENCIES[0]] == A
    assert got[results.emails["failer"], mp.QUIZ_COMPETENCIES[0]] == T
    assert got[results.emails["idle"], mp.QUIZ_COMPETENCIES[0]] == N


@pytest.mark.parametrize("edition", EDITIONS)
def test_live_site_agrees_with_the_database(played, source, moodle, edition, tmp_path):
    results = played[edition]
    report = run(source, [], moodle_site=moodle.url, moodle_course=results.course.course_id, moodle_token=moodle.token)
    got = agreeing_cells(report, results)
    assert_best_scores_agree(got, results)
    retry = results.emails["retry"]
    assert got[retry, mp.QUIZ_COMPETENCIES[0]].attempts == 2
    assert got[results.emails["passer"], mp.READING_COMPETENCY].basis == ["objective"]
    assert any(
        "SCORM activities of the Moodle course that match no module" in m and "Fire safety" in m
        for m in report.notes.messages
    )
    # retry and passer passed the quiz activity, so Moodle rated both of its competencies for each
    assert (
        f"Moodle itself rated 4 learner competencies in course {results.course.course_id} (4 proficient)"
        in " ".join(report.notes.messages)
    )


def test_live_site_from_the_command_line_with_the_token_from_the_environment(played, moodle, tmp_path):
    results = played["scorm12"]
    course_dir = mp.write_course(tmp_path)
    args = [
        "report",
        str(course_dir),
        "--moodle-site",
        moodle.url,
        "--moodle-course",
        str(results.course.course_id),
        "-o",
        str(tmp_path / "out"),
        "-f",
        "csv",
    ]
    missing = CliRunner().invoke(main, args, env={"CCM_MOODLE_TOKEN": ""})
    assert missing.exit_code == 2 and "CCM_MOODLE_TOKEN" in missing.output, missing.output
    wrong = CliRunner().invoke(main, args, env={"CCM_MOODLE_TOKEN": "0" * 32})
    assert wrong.exit_code == 5 and "invalidtoken" in wrong.output and "CCM_MOODLE_TOKEN" in wrong.output, wrong.output
    ok = CliRunner().invoke(main, args, env={"CCM_MOODLE_TOKEN": moodle.token})
    assert ok.exit_code == 0, ok.output
    assert "Fire safety" in ok.output  # the activity the course does not know, named in the notes
    strict = CliRunner().invoke(main, args + ["--strict"], env={"CCM_MOODLE_TOKEN": moodle.token})
    assert strict.exit_code == EXIT_STRICT and "Fire safety" in strict.output, strict.output
