"""Packages played by a learner in a real Moodle 5.1 site's own SCORM player, both editions.

The packages are built with the real CLI from tests/support/moodle_player.py's small course
and uploaded with the settings the project recommends (ccm_scorm.targets.moodle_settings);
the framework goes in with `ccm framework export --format moodle-csv` and Moodle's own
importer, and the activities are linked to their competencies with "Complete the
competency". Every assertion is on what Moodle stored: its tracking tables (scorm_attempt,
scorm_scoes_value, scorm_element), activity completion, the gradebook and the competency
ratings. One learner logs in once; each scenario has a course and an activity of its own.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from support import moodle_player as mp
from support.browser import attach_error_collectors
from support.moodle_site import MoodleSite

from ccm_scorm.source import load_course
from ccm_scorm.targets.moodle_settings import (
    FORCE_NEW_ATTEMPT_NO,
    ScormActivitySettings,
    recommended_settings,
)

EDITIONS = ("scorm12", "scorm2004")
SAVE_TIMEOUT_S = 20
COMPLETION_COMPLETE = 1

STATUS = {"scorm12": "cmi.core.lesson_status", "scorm2004": "cmi.success_status"}
SCORE = {"scorm12": "cmi.core.score.raw", "scorm2004": "cmi.score.raw"}
MOODLE_VERSION = {"scorm12": "SCORM_1.2", "scorm2004": "SCORM_1.3"}
API_GET = {"scorm12": "parent.API.LMSGetValue", "scorm2004": "parent.API_1484_11.GetValue"}
PASS_MARK_ELEMENT = {
    "scorm12": ("cmi.student_data.mastery_score", "80"),
    "scorm2004": ("cmi.scaled_passing_score", "0.8"),
}


# ------------------------------------------------------------------ the site
@dataclasses.dataclass
class Activity:
    course_id: int
    cmid: int
    scormid: int
    version: str


class Player:
    """The packages, and one learner logged in once (logging in is the slowest step on a busy site).
    Each scenario gets a course of its own holding one activity: attempts are kept per learner
    and activity, competency ratings per learner and course."""

    def __init__(self, site: MoodleSite, packages: Path, course_dir: Path, page, learner: str):
        self.site = site
        self.packages = packages
        self.source = load_course(course_dir)
        self.page = page
        self.learner = learner

    def settings(self, unit: str) -> ScormActivitySettings:
        if unit == mp.PATHWAY:
            return ScormActivitySettings(completion_status_required="passed")  # passed once every module is
        return recommended_settings(self.source.module(unit))

    def activity(self, edition: str, unit: str, force_new_attempt: int | None = None) -> Activity:
        """A new course with one activity of `unit`, set as recommended, linked to its competencies."""
        settings = self.settings(unit)
        if force_new_attempt is not None:
            settings = dataclasses.replace(settings, force_new_attempt=force_new_attempt)
        course_id = self.site.new_course(f"Moodle player {unit} {edition}")
        self.site.enrol(self.learner, course_id)
        made = self.site.helper(
            "add_scorm",
            "--course",
            course_id,
            "--zip",
            self.packages / edition / f"{unit}.zip",
            "--name",
            unit,
            *settings.add_scorm_args,
        )
        assert made["scos"] == 1 and made["version"] == MOODLE_VERSION[edition]  # the edition is recognised
        for competency in competencies_of(unit):
            self.site.helper(
                "link_competency",
                "--cmid",
                made["cmid"],
                "--competency",
                competency,
                "--framework",
                mp.FRAMEWORK_ID,
                "--rule",
                "complete",
            )
        return Activity(course_id, made["cmid"], made["scormid"], made["version"])


def competencies_of(unit: str) -> tuple[str, ...]:
    if unit == mp.QUIZ_MODULE:
        return mp.QUIZ_COMPETENCIES
    if unit == mp.READING_MODULE:
        return (mp.READING_COMPETENCY,)
    return ()


@pytest.fixture(scope="module")
def player(moodle, browser, tmp_path_factory):
    root = tmp_path_factory.mktemp("moodle-player")
    course_dir = mp.write_course(root)
    packages = mp.build_packages(course_dir, root / "packages")
    framework_csv = root / "framework.csv"
    mp.ccm("framework", "export", course_dir, "--format", "moodle-csv", "--out", framework_csv)
    imported = moodle.helper("import_framework", "--csv", framework_csv)
    assert imported["idnumber"] == mp.FRAMEWORK_ID
    context = browser.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    attach_error_collectors(page)
    learner, password = moodle.new_user("learner", moodle.new_course("Moodle player home"))
    moodle.login(page, learner, password)
    yield Player(moodle, packages, course_dir, page, learner)
    context.close()


# ------------------------------------------------------------------ what Moodle stored
def stored(site: MoodleSite, activity: Activity, username: str) -> dict[int, dict[str, str]]:
    """{attempt number: {element: value}} from mdl_scorm_attempt / scorm_scoes_value / scorm_element."""
    rows = site.sql(
        """
        SELECT a.attempt, e.element, v.value
          FROM mdl_scorm_attempt a
          JOIN mdl_user u ON u.id = a.userid
          JOIN mdl_scorm_scoes_value v ON v.attemptid = a.id
          JOIN mdl_scorm_element e ON e.id = v.elementid
         WHERE a.scormid = %s AND u.username = %s""",
        (activity.scormid, username),
    )
    attempts: dict[int, dict[str, str]] = {}
    for row in rows:
        attempts.setdefault(row["attempt"], {})[row["element"]] = row["value"]
    return attempts


def wait_stored(site: MoodleSite, activity: Activity, username: str, attempt: int, element: str, value: str):
    """Poll until Moodle holds `element` = `value` in `attempt`; every attempt's values then."""

    def holds():
        attempts = stored(site, activity, username)
        return attempts if attempts.get(attempt, {}).get(element) == value else None

    return site.wait_until(holds, f"{element} = {value!r} in attempt {attempt} for {username}", SAVE_TIMEOUT_S)


def completion_and_grade(site: MoodleSite, activity: Activity, username: str) -> tuple[int | None, float | None]:
    rows = site.sql(
        """
        SELECT cmc.completionstate, gg.finalgrade
          FROM mdl_user u
          JOIN mdl_course_modules cm ON cm.id = %s
          LEFT JOIN mdl_course_modules_completion cmc ON cmc.coursemoduleid = cm.id AND cmc.userid = u.id
          LEFT JOIN mdl_grade_items gi ON gi.itemtype = 'mod' AND gi.itemmodule = 'scorm'
                                      AND gi.iteminstance = cm.instance
          LEFT JOIN mdl_grade_grades gg ON gg.itemid = gi.id AND gg.userid = u.id
         WHERE u.username = %s""",
        (activity.cmid, username),
    )
    [row] = rows
    grade = None if row["finalgrade"] is None else float(row["finalgrade"])
    return row["completionstate"], grade


def ratings(site: MoodleSite, activity: Activity, username: str) -> dict[str, tuple[int, int]]:
    """{competency idnumber: (scale grade, proficiency)} rated in the course."""
    rows = site.sql(
        """
        SELECT c.idnumber, ucc.grade, ucc.proficiency
          FROM mdl_competency_usercompcourse ucc
          JOIN mdl_competency c ON c.id = ucc.competencyid
          JOIN mdl_user u ON u.id = ucc.userid
         WHERE ucc.courseid = %s AND u.username = %s AND ucc.grade IS NOT NULL""",
        (activity.course_id, username),
    )
    return {row["idnumber"]: (row["grade"], row["proficiency"]) for row in rows}


def assert_result(attempt: dict[str, str], edition: str, status: str, score: int) -> None:
    assert attempt[STATUS[edition]] == status, attempt
    assert attempt[SCORE[edition]] == str(score), attempt
    if edition == "scorm2004":
        assert attempt["cmi.completion_status"] == "completed", attempt
        assert attempt["cmi.score.scaled"] == str(score / 100), attempt


def objectives(attempt: dict[str, str], edition: str) -> dict[str, dict[str, str]]:
    """{objective id: {field: value}} of one attempt (1.2 stores cmi.objectives_N, 2004 cmi.objectives.N)."""
    prefix = "cmi.objectives_" if edition == "scorm12" else "cmi.objectives."
    by_index: dict[str, dict[str, str]] = {}
    for element, value in attempt.items():
        if element.startswith(prefix):
            index, field = element[len(prefix) :].split(".", 1)
            by_index.setdefault(index, {})[field] = value
    return {fields.pop("id"): fields for fields in by_index.values()}


def interaction_ids(attempt: dict[str, str], edition: str) -> list[str]:
    prefix = "cmi.interactions_" if edition == "scorm12" else "cmi.interactions."
    found = {
        int(e[len(prefix) :].split(".")[0]): v
        for e, v in attempt.items()
        if e.startswith(prefix) and e.endswith(".id") and e.count(".") == (2 if edition == "scorm12" else 3)
    }
    return [found[i] for i in sorted(found)]


# ------------------------------------------------------------------ the learner
def lms_value(frame, edition: str, element: str) -> str:
    return frame.evaluate(f"(e) => String({API_GET[edition]}(e))", element)


def finish(frame) -> None:
    frame.click("#ccm-results button[data-action=exit]")
    frame.locator("#ccm-end:not([hidden])").wait_for()


def exit_activity(page) -> None:
    """Leave the way a learner does: Moodle's own "Exit activity" (the module saves on pagehide)."""
    page.get_by_text("Exit activity").first.click()
    page.wait_for_url(lambda url: "mod/scorm/player.php" not in url)


def results_text(frame) -> str:
    return frame.inner_text("#ccm-results-body")


# ------------------------------------------------------------------ scenarios
@pytest.mark.parametrize("edition", EDITIONS)
def test_88_percent_passes_the_80_percent_module(edition, moodle, player):
    """The module's own pass mark reaches Moodle in both editions (2004: from the primary
    objective alone), so 88 % is recorded passed, completes the activity, grades 88 and rates
    the linked competencies."""
    activity = player.activity(edition, mp.QUIZ_MODULE)
    page, learner = player.page, player.learner
    frame = moodle.open_player(page, activity.cmid)
    element, pass_mark = PASS_MARK_ELEMENT[edition]
    assert lms_value(frame, edition, element) == pass_mark
    mp.take_quiz(frame, right=7)
    assert "You scored 88%. The pass mark is 80%." in results_text(frame)
    assert "You have passed" in results_text(frame)
    finish(frame)

    attempts = wait_stored(moodle, activity, learner, 1, STATUS[edition], "passed")
    assert list(attempts) == [1]
    assert_result(attempts[1], edition, "passed", 88)
    assert interaction_ids(attempts[1], edition) == [f"{mp.QUIZ_MODULE}.q{n}" for n in range(1, 9)]
    found = objectives(attempts[1], edition)
    status_field = "status" if edition == "scorm12" else "success_status"
    assert found["mp.listening"][status_field] == "passed" and found["mp.listening"]["score.raw"] == "100"
    assert found["mp.speaking-up"][status_field] == "failed" and found["mp.speaking-up"]["score.raw"] == "75"
    assert completion_and_grade(moodle, activity, learner) == (COMPLETION_COMPLETE, 88.0)
    assert {k: v[1] for k, v in ratings(moodle, activity, learner).items()} == {"mp.listening": 1, "mp.speaking-up": 1}

    # Coming back after the pass starts a fresh attempt; the pass, grade and rating stay.
    frame = moodle.open_player(page, activity.cmid)
    assert lms_value(frame, edition, "cmi.core.entry" if edition == "scorm12" else "cmi.entry") == "ab-initio"
    assert frame.locator("#ccm-notices p").count() == 0
    exit_activity(page)
    progress = "cmi.core.lesson_status" if edition == "scorm12" else "cmi.completion_status"
    wait_stored(moodle, activity, learner, 2, progress, "incomplete")
    assert completion_and_grade(moodle, activity, learner) == (COMPLETION_COMPLETE, 88.0)
    assert set(ratings(moodle, activity, learner)) == set(mp.QUIZ_COMPETENCIES)


@pytest.mark.parametrize("edition", EDITIONS)
def test_pass_after_a_fail_in_the_same_session(edition, moodle, player):
    activity = player.activity(edition, mp.QUIZ_MODULE)
    page, learner = player.page, player.learner
    frame = moodle.open_player(page, activity.cmid)
    mp.take_quiz(frame, right=4)
    frame.click("#ccm-results button[data-action=retry]")
    mp.answer_questions(frame, right=7)
    assert "You scored 88%" in results_text(frame)
    finish(frame)
    attempts = wait_stored(moodle, activity, learner, 1, STATUS[edition], "passed")
    assert list(attempts) == [1]  # the module's own retries live inside one Moodle attempt
    assert_result(attempts[1], edition, "passed", 88)
    assert interaction_ids(attempts[1], edition)[8:] == [f"{mp.QUIZ_MODULE}.q{n}.a2" for n in range(1, 9)]
    assert completion_and_grade(moodle, activity, learner) == (COMPLETION_COMPLETE, 88.0)


@pytest.mark.parametrize("edition", EDITIONS)
def test_fail_leave_come_back_pass_counts_with_the_recommended_settings(edition, moodle, player):
    """A fail is recorded failed, graded, not complete and rates nothing. Force new attempt "when
    previous attempt completed, passed or failed": coming back after it starts attempt 2 without
    the learner ticking anything, and its pass counts."""
    activity = player.activity(edition, mp.QUIZ_MODULE)
    page, learner = player.page, player.learner
    frame = moodle.open_player(page, activity.cmid)
    mp.take_quiz(frame, right=4)
    assert "You scored 50%" in results_text(frame) and "You have not passed this time." in results_text(frame)
    finish(frame)
    attempts = wait_stored(moodle, activity, learner, 1, STATUS[edition], "failed")
    assert_result(attempts[1], edition, "failed", 50)
    state, grade = completion_and_grade(moodle, activity, learner)
    assert state in (None, 0) and grade == 50.0
    assert ratings(moodle, activity, learner) == {}

    frame = moodle.open_player(page, activity.cmid)
    assert lms_value(frame, edition, "cmi.core.lesson_mode" if edition == "scorm12" else "cmi.mode") == "normal"
    assert frame.locator("#ccm-notices p").count() == 0
    mp.take_quiz(frame, right=7)
    finish(frame)
    attempts = wait_stored(moodle, activity, learner, 2, STATUS[edition], "passed")
    assert_result(attempts[1], edition, "failed", 50)
    assert_result(attempts[2], edition, "passed", 88)
    assert completion_and_grade(moodle, activity, learner) == (COMPLETION_COMPLETE, 88.0)
    assert set(ratings(moodle, activity, learner)) == set(mp.QUIZ_COMPETENCIES)


@pytest.mark.parametrize("edition", EDITIONS)
def test_without_force_new_attempt_a_return_is_a_review_that_says_so(
    edition, moodle, player, axe_check, format_violations
):
    """Force new attempt "No": coming back without ticking "Start a new attempt" opens Moodle's
    Review mode, which keeps nothing. The module says so, tells the learner how to start a new
    attempt and offers no retry; ticking the box then gives an attempt that counts."""
    activity = player.activity(edition, mp.QUIZ_MODULE, force_new_attempt=FORCE_NEW_ATTEMPT_NO)
    page, learner = player.page, player.learner
    frame = moodle.open_player(page, activity.cmid)
    mp.take_quiz(frame, right=4)
    finish(frame)
    wait_stored(moodle, activity, learner, 1, STATUS[edition], "failed")

    frame = moodle.open_player(page, activity.cmid)
    assert lms_value(frame, edition, "cmi.core.lesson_mode" if edition == "scorm12" else "cmi.mode") == "review"
    assert "Review mode" in page.inner_text("body")
    notice = frame.locator("#ccm-notices p").first
    notice.wait_for()
    assert "nothing you do now is saved" in notice.inner_text()
    assert "tick “Start a new attempt”, then press “Enter”" in notice.inner_text()
    frame.locator("#ccm-results:not([hidden])").wait_for()
    assert "You did not pass this attempt." in results_text(frame)
    assert frame.locator("button[data-action=retry], button[data-action=begin]").count() == 0
    violations = axe_check(page, frame)
    assert violations == [], format_violations(violations)
    exit_activity(page)
    assert list(stored(moodle, activity, learner)) == [1]
    assert completion_and_grade(moodle, activity, learner)[0] in (None, 0)

    frame = moodle.open_player(page, activity.cmid, new_attempt=True)
    assert frame.locator("#ccm-notices p").count() == 0
    mp.take_quiz(frame, right=7)
    finish(frame)
    attempts = wait_stored(moodle, activity, learner, 2, STATUS[edition], "passed")
    assert_result(attempts[1], edition, "failed", 50)
    assert_result(attempts[2], edition, "passed", 88)
    assert completion_and_grade(moodle, activity, learner) == (COMPLETION_COMPLETE, 88.0)


@pytest.mark.parametrize("edition", EDITIONS)
def test_resume_mid_quiz_in_the_same_attempt(edition, moodle, player):
    """Leaving mid-quiz keeps the attempt open (the recommended setting forces a new attempt only
    once one is finished): the learner comes back to question 4 with three answers kept."""
    activity = player.activity(edition, mp.QUIZ_MODULE)
    page, learner = player.page, player.learner
    frame = moodle.open_player(page, activity.cmid)
    mp.start_quiz(frame)
    mp.answer_questions(frame, right=7, count=3)
    exit_activity(page)
    exit_element = "cmi.core.exit" if edition == "scorm12" else "cmi.exit"

    def three_answers_suspended():
        attempt = stored(moodle, activity, learner).get(1, {})
        return (
            attempt if attempt.get(exit_element) == "suspend" and len(interaction_ids(attempt, edition)) == 3 else None
        )

    # cmi.core.exit is suspend from the first commit on: wait for the commit made on leaving.
    attempt = moodle.wait_until(three_answers_suspended, "three answers and exit = suspend", SAVE_TIMEOUT_S)
    progress = "cmi.core.lesson_status" if edition == "scorm12" else "cmi.completion_status"
    assert attempt[progress] == "incomplete"

    frame = moodle.open_player(page, activity.cmid)
    assert lms_value(frame, edition, "cmi.core.entry" if edition == "scorm12" else "cmi.entry") == "resume"
    frame.locator("form.ccm-question[data-pos='3']").wait_for()
    mp.answer_questions(frame, right=7, count=5, first=3)
    assert "You scored 88%" in results_text(frame)
    finish(frame)
    attempts = wait_stored(moodle, activity, learner, 1, STATUS[edition], "passed")
    assert list(attempts) == [1]
    assert_result(attempts[1], edition, "passed", 88)
    assert interaction_ids(attempts[1], edition) == [f"{mp.QUIZ_MODULE}.q{n}" for n in range(1, 9)]
    assert completion_and_grade(moodle, activity, learner) == (COMPLETION_COMPLETE, 88.0)


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_module_without_a_quiz_completes_when_every_page_is_read(edition, moodle, player):
    activity = player.activity(edition, mp.READING_MODULE)
    page, learner = player.page, player.learner
    frame = moodle.open_player(page, activity.cmid)
    if edition == "scorm2004":
        assert lms_value(frame, edition, "cmi.scaled_passing_score") == ""  # no pass mark to give
    mp.read_pages(frame)
    frame.click("#ccm-next")  # the last page's Finish
    frame.locator("#ccm-end:not([hidden])").wait_for()
    element = "cmi.core.lesson_status" if edition == "scorm12" else "cmi.completion_status"
    attempts = wait_stored(moodle, activity, learner, 1, element, "completed")
    if edition == "scorm2004":
        assert attempts[1].get("cmi.success_status", "unknown") == "unknown"
    assert completion_and_grade(moodle, activity, learner)[0] == COMPLETION_COMPLETE
    assert set(ratings(moodle, activity, learner)) == {mp.READING_COMPETENCY}


@pytest.mark.parametrize("edition", EDITIONS)
def test_a_pathway_is_passed_once_every_module_is(edition, moodle, player):
    activity = player.activity(edition, mp.PATHWAY)
    page, learner = player.page, player.learner
    frame = moodle.open_player(page, activity.cmid)
    if edition == "scorm2004":
        assert lms_value(frame, edition, "cmi.scaled_passing_score") == ""  # each module keeps its own
    frame.click("#ccm-menu-open-0")
    mp.take_quiz(frame, right=7)
    assert "You scored 88%. The pass mark is 80%." in results_text(frame)
    frame.get_by_role("button", name="Back to all modules").click()
    frame.click("#ccm-menu-open-1")
    mp.read_pages(frame)
    frame.click("#ccm-next")  # the last page's "Back to all modules"
    frame.locator("#ccm-menu:not([hidden])").wait_for()
    assert "You have passed this pathway" in frame.inner_text("#ccm-menu-summary")
    frame.click("button[data-action=exit-pathway]")
    frame.locator("#ccm-end:not([hidden])").wait_for()

    attempts = wait_stored(moodle, activity, learner, 1, STATUS[edition], "passed")
    assert_result(attempts[1], edition, "passed", 88)
    assert set(objectives(attempts[1], edition)) >= {*mp.QUIZ_COMPETENCIES, mp.READING_COMPETENCY}
    assert completion_and_grade(moodle, activity, learner) == (COMPLETION_COMPLETE, 88.0)
