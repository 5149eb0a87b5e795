"""The foundations pathway with every module's bank doubled, as one SCORM 1.2 activity in the real
Moodle 5.1 site (Chromium, Moodle's own player, "SCORM standard" on: cmi.suspend_data is held to
4096 characters by Moodle's API).

A learner passes five modules, answers three questions of the sixth and leaves by Moodle's "Exit
activity"; coming back resumes at the fourth question of the same draw with the same answers; the
learner finishes every module. Every assertion is on what Moodle stored (scorm_scoes_value), its
activity completion and its gradebook.
"""

from __future__ import annotations

import pytest
from support import grown
from support import moodle_player as mp
from support.browser import attach_error_collectors
from test_moodle_player import COMPLETION_COMPLETE, Activity, completion_and_grade, exit_activity, stored

from ccm_scorm.render.state_size import SCORM12_SUSPEND_DATA_LIMIT
from ccm_scorm.source import load_course
from ccm_scorm.targets.moodle_settings import ScormActivitySettings

SAVE_TIMEOUT_S = 30
LEFT_IN = 5  # the module the learner leaves mid-quiz
# Module 5 is left after a wrong answer and two right ones, then finished with five right: 7 of 8 = 88 %.
# Every other module is passed with all eight right: the pathway's score is the mean, 98.8, so 99.
PATHWAY_SCORE = 99


@pytest.fixture(scope="module")
def doubled(repo_root, tmp_path_factory):
    root = tmp_path_factory.mktemp("moodle-grown")
    source = grown.doubled_catalogue(repo_root, root)
    mp.ccm(
        "build",
        source,
        "--pathway",
        grown.FOUNDATIONS,
        "--target",
        "scorm12",
        "--lms",
        "esr",
        "--out",
        root / "out",
        "--quiet",
    )
    return load_course(source), root / "out" / "scorm12" / f"{grown.FOUNDATIONS}.zip"


def activity(moodle, package) -> tuple[Activity, str, str]:
    course_id = moodle.new_course("Foundations with doubled banks")
    learner, password = moodle.new_user("grown-learner", course_id)
    settings = ScormActivitySettings(completion_status_required="passed")  # passed once every module is
    made = moodle.helper(
        "add_scorm", "--course", course_id, "--zip", package, "--name", grown.FOUNDATIONS, *settings.add_scorm_args
    )
    assert made["scos"] == 1 and made["version"] == "SCORM_1.2"
    return Activity(course_id, made["cmid"], made["scormid"], made["version"]), learner, password


def wait_for(moodle, act, learner, what, check) -> dict:
    def attempt_one():
        values = stored(moodle, act, learner).get(1, {})
        return values if check(values) else None

    return moodle.wait_until(attempt_one, what, SAVE_TIMEOUT_S)


def pass_module(frame, module, index: int) -> None:
    grown.start_quiz(frame, index)
    assert grown.answer_questions(frame, module, ["right"] * 8, index) == "results"
    grown.back_to_menu(frame)


def test_doubled_foundations_pathway_resumes_and_grades_in_moodle(moodle, browser, doubled):
    course, package = doubled
    pathway = next(p for p in course.pathways if p.id == grown.FOUNDATIONS)
    modules = [course.module(m) for m in pathway.module_ids]
    act, learner, password = activity(moodle, package)
    context = browser.new_context()
    context.set_default_timeout(30_000)
    page = context.new_page()
    attach_error_collectors(page)
    moodle.login(page, learner, password)

    frame = moodle.open_player(page, act.cmid)
    for index in range(LEFT_IN):
        pass_module(frame, modules[index], index)
    grown.start_quiz(frame, LEFT_IN)
    assert grown.answer_questions(frame, modules[LEFT_IN], ["wrong", "right", "right"], LEFT_IN) == "question"
    exit_activity(page)
    left = wait_for(
        moodle,
        act,
        learner,
        "the state saved on leaving, suspended",
        lambda v: v.get("cmi.core.exit") == "suspend" and v.get("cmi.suspend_data", "").startswith(f"p2;{LEFT_IN};"),
    )
    assert left["cmi.core.lesson_status"] == "incomplete"
    assert len(left["cmi.suspend_data"]) <= SCORM12_SUSPEND_DATA_LIMIT

    frame = moodle.open_player(page, act.cmid)
    assert frame.evaluate("() => String(parent.API.LMSGetValue('cmi.core.entry'))") == "resume"
    kept = frame.evaluate(grown.DECODE_PATHWAY_JS, left["cmi.suspend_data"])
    assert [bool(t and t.get("result", {}).get("passed")) for t in kept["modules"]] == [True] * LEFT_IN + [False] * 5
    state = kept["modules"][LEFT_IN]["state"]
    assert state["qpos"] == 3 and [a is not None for a in state["answers"]] == [True] * 3 + [False] * 5
    form = frame.locator("form.ccm-question[data-pos='3']")
    form.wait_for()  # back in the same module, at the fourth question...
    asked = [modules[LEFT_IN].questions[i].id for i in state["draw"]]
    assert form.get_attribute("data-question") == asked[3]  # ...of the same draw
    assert grown.answer_questions(frame, modules[LEFT_IN], ["right"] * 5, LEFT_IN) == "results"
    assert "88%" in frame.inner_text("#ccm-results-body")  # the answers given before leaving count
    grown.back_to_menu(frame)
    for index in range(LEFT_IN + 1, len(modules)):
        pass_module(frame, modules[index], index)
    assert "You have passed this pathway" in frame.inner_text("#ccm-menu-summary")
    frame.click("button[data-action=exit-pathway]")
    frame.locator("#ccm-end:not([hidden])").wait_for()

    done = wait_for(moodle, act, learner, "the pathway passed", lambda v: v.get("cmi.core.lesson_status") == "passed")
    assert done["cmi.core.score.raw"] == str(PATHWAY_SCORE)
    assert len(done["cmi.suspend_data"]) <= SCORM12_SUSPEND_DATA_LIMIT
    assert list(stored(moodle, act, learner)) == [1]  # leaving and coming back stayed in one Moodle attempt
    assert completion_and_grade(moodle, act, learner) == (COMPLETION_COMPLETE, float(PATHWAY_SCORE))
    # Moodle's own page asks for a YUI image its theme does not have (a 404 of its own); none from the package
    assert [e for e in page.ccm_errors if "mod_scorm/content" in e or e.startswith("pageerror")] == []
    context.close()
