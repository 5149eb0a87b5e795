"""The SCORM 1.2 and 2004 runtimes in headless Chromium, against scorm-again as the LMS.

The test course (tests/support/course_source.py) has no draw, so every attempt asks the six
questions in the written order and the CMI values are exact. Commits are counted at
well-defined points: one at launch (status "incomplete"), one per quiz submission, one from
finish (the learner's Finish button or pagehide); the 30-second throttle never fires here.
"""

from __future__ import annotations

import re

import pytest
from support.course_source import write_course
from support.cover import pass_cover
from support.scorm_helpers import build_package, press, read_pages, take_quiz

from ccm_scorm.source import load_course

RIGHT = {
    "q1-active-listening": ["b"],
    "q2-advocacy-rights": [False],
    "q3-barriers": ["a", "b"],
    "q4-services": [["a", "a"], ["b", "b"]],
    "q5-steps": ["a", "b", "c"],
    "q6-term": ["Open"],
}
WRONG = {
    "q1-active-listening": ["b"],
    "q2-advocacy-rights": [True],
    "q3-barriers": ["c"],
    "q4-services": [["a", "b"], ["b", "a"]],
    "q5-steps": ["c", "b", "a"],
    "q6-term": ["closed"],
}
ORDER = list(RIGHT)
COMPETENCY = {q: "ccm.communication" for q in ORDER} | {"q2-advocacy-rights": "ccm.advocacy"}
TYPES = {
    "q1-active-listening": "choice",
    "q2-advocacy-rights": "true-false",
    "q3-barriers": "choice",
    "q4-services": "matching",
    "q5-steps": "sequencing",
    "q6-term": "fill-in",
}
CORRECT = {
    "q1-active-listening": ["b"],
    "q2-advocacy-rights": [False],
    "q3-barriers": ["a", "b"],
    "q4-services": [["a", "a"], ["b", "b"]],
    "q5-steps": ["a", "b", "c"],
    "q6-term": ["open"],
}

EDITIONS = ["12", "2004"]
TARGET = {"12": "scorm12", "2004": "scorm2004"}
TIMESPAN_12 = re.compile(r"^\d{4}:[0-5]\d:[0-5]\d\.\d\d$")
DURATION_2004 = re.compile(r"^PT(\d+H)?(\d+M)?\d+(\.\d{1,2})?S$")
CLOCK_12 = re.compile(r"^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$")
STAMP_2004 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,2})?Z$")


def pattern(edition: str, question: str, response: list) -> str:
    lst, pair, t, f = (",", ".", "t", "f") if edition == "12" else ("[,]", "[.]", "true", "false")
    kind = TYPES[question]
    if kind == "true-false":
        return t if response[0] else f
    if kind == "matching":
        return lst.join(f"{s}{pair}{d}" for s, d in response)
    if kind == "fill-in":
        return response[0]
    return lst.join(response)


def expected_interactions(edition: str, answers: dict, attempt: int = 1, start: int = 0, questions=ORDER) -> dict:
    out = {}
    for n, question in enumerate(questions):
        p = f"cmi.interactions.{start + n}."
        right = answers[question] == RIGHT[question]
        out.update(
            {
                p + "id": f"demo.{question}" + (f".a{attempt}" if attempt > 1 else ""),
                p + "type": TYPES[question],
                p + "objectives.0.id": COMPETENCY[question],
                p + "weighting": "1",
                p + "correct_responses.0.pattern": pattern(edition, question, CORRECT[question]),
                p + ("student_response" if edition == "12" else "learner_response"): pattern(
                    edition, question, answers[question]
                ),
                p + "result": "correct" if right else ("wrong" if edition == "12" else "incorrect"),
            }
        )
    return out


def sent(lms) -> dict:
    """What the SCO set (last value per element, accepted calls only): scorm-again reformats some stored values."""
    return dict(lms.set_value_pairs())


def check_interaction_times(edition: str, lms, count: int) -> None:
    cmi = sent(lms)
    for n in range(count):
        p = f"cmi.interactions.{n}."
        if edition == "12":
            assert CLOCK_12.match(cmi[p + "time"]), cmi[p + "time"]
            assert TIMESPAN_12.match(cmi[p + "latency"]), cmi[p + "latency"]
        else:
            assert STAMP_2004.match(cmi[p + "timestamp"]), cmi[p + "timestamp"]
            assert DURATION_2004.match(cmi[p + "latency"]), cmi[p + "latency"]
    assert f"cmi.interactions.{count}.id" not in cmi


def expected_result(edition: str, score: int, passed: bool, objectives: dict) -> dict:
    """objectives: {id: score}; the 2004 module objective "demo" is included there too."""
    status = "passed" if passed else "failed"
    if edition == "12":
        out = {
            "cmi.core.lesson_status": status,
            "cmi.core.score.raw": str(score),
            "cmi.core.score.min": "0",
            "cmi.core.score.max": "100",
        }
    else:
        out = {
            "cmi.completion_status": "completed",
            "cmi.success_status": status,
            "cmi.score.raw": str(score),
            "cmi.score.min": "0",
            "cmi.score.max": "100",
            "cmi.score.scaled": str(score / 100).rstrip("0").rstrip("."),
        }
    return out


def objective_rows(edition: str, cmi: dict) -> dict:
    """{objective id: {field: value}} from the flattened CMI."""
    rows: dict[str, dict] = {}
    index = {}
    for key, value in cmi.items():
        m = re.match(r"^cmi\.objectives\.(\d+)\.id$", key)
        if m:
            index[m.group(1)] = value
    for n, objective_id in index.items():
        prefix = f"cmi.objectives.{n}."
        rows[objective_id] = {
            k[len(prefix) :]: v
            for k, v in cmi.items()
            if k.startswith(prefix) and k != prefix + "id" and v not in ("", "unknown")
        }
    return rows


def objective(edition: str, score: int | None, passed: bool | None, completed: bool = True) -> dict:
    if edition == "12":
        if score is None:
            return {"status": "completed" if completed else "incomplete"}
        return {
            "status": "passed" if passed else "failed",
            "score.raw": str(score),
            "score.min": "0",
            "score.max": "100",
        }
    row = {"completion_status": "completed" if completed else "incomplete"}
    if score is not None:
        row.update(
            {
                "success_status": "passed" if passed else "failed",
                "score.raw": str(score),
                "score.min": "0",
                "score.max": "100",
                "score.scaled": str(score / 100).rstrip("0").rstrip("."),
            }
        )
    return row


def status_key(edition: str) -> str:
    return "cmi.core.lesson_status" if edition == "12" else "cmi.completion_status"


def key(edition: str, name: str) -> str:
    return {
        "12": {"exit": "cmi.core.exit", "location": "cmi.core.lesson_location", "session": "cmi.core.session_time"},
        "2004": {"exit": "cmi.exit", "location": "cmi.location", "session": "cmi.session_time"},
    }[edition][name]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return load_course(write_course(tmp_path_factory.mktemp("scorm-course")))


@pytest.fixture
def served(course, tmp_path, http_server):
    """served(edition) -> URL of the demo module's index.html, built with the real target and zip."""

    def serve(edition: str, module_id: str = "demo", source=None) -> str:
        folder = build_package(source or course, module_id, TARGET[edition], tmp_path / f"pkg{edition}")
        return http_server(folder) + "index.html"

    return serve


def subset(cmi: dict, expected: dict) -> dict:
    return {k: cmi.get(k) for k in expected}


@pytest.mark.parametrize("edition", EDITIONS)
def test_pass_path(edition, served, scorm_lms):
    lms = scorm_lms(served(edition), edition, wait_for="initialize")
    frame = lms.frame
    lms.wait_for("commit", 1)
    assert lms.value(status_key(edition)) == "incomplete"
    read_pages(frame)
    take_quiz(frame, RIGHT)
    cmi = lms.cmi()
    expected = expected_result(edition, 100, True, {}) | expected_interactions(edition, RIGHT)
    expected[key(edition, "location")] = "results"
    expected[key(edition, "exit")] = "suspend"
    assert subset(cmi, expected) == expected
    check_interaction_times(edition, lms, 6)
    rows = objective_rows(edition, cmi)
    want = {"ccm.communication": objective(edition, 100, True), "ccm.advocacy": objective(edition, 100, True)}
    if edition == "2004":
        want["demo"] = objective(edition, 100, True)
    assert rows == want
    assert cmi["cmi.suspend_data"].startswith("c2|")
    assert lms.commit_count() == 2  # launch (incomplete) and submission: none per answer
    press(frame, "button[data-action=exit]", False)
    lms.wait_for_finish()
    cmi = lms.cmi()
    assert lms.counts()["commit"] == 3 and lms.finish_count() == 1
    assert cmi[key(edition, "exit")] == ("" if edition == "12" else "normal")
    session = sent(lms)[key(edition, "session")]
    assert (TIMESPAN_12 if edition == "12" else DURATION_2004).match(session), session
    assert not lms.page.ccm_errors


@pytest.mark.parametrize("edition", EDITIONS)
def test_fail_path_then_close(edition, served, scorm_lms):
    lms = scorm_lms(served(edition), edition, wait_for="initialize")
    frame = lms.frame
    read_pages(frame)
    take_quiz(frame, WRONG)
    cmi = lms.cmi()
    expected = expected_result(edition, 17, False, {}) | expected_interactions(edition, WRONG)
    assert subset(cmi, expected) == expected
    want = {"ccm.communication": objective(edition, 20, False), "ccm.advocacy": objective(edition, 0, False)}
    if edition == "2004":
        want["demo"] = objective(edition, 17, False)
    assert objective_rows(edition, cmi) == want
    assert lms.commit_count() == 2
    lms.unload_sco()  # the learner closes the window: pagehide commits and finishes
    lms.wait_for_finish()
    cmi = lms.cmi()
    assert lms.commit_count() == 3 and lms.finish_count() == 1
    assert cmi[key(edition, "exit")] == "suspend"  # attempts remain: resume next time
    assert cmi[key(edition, "location")] == "results"


@pytest.mark.parametrize("edition", EDITIONS)
def test_retry_after_fail(edition, served, scorm_lms):
    lms = scorm_lms(served(edition), edition, wait_for="initialize")
    frame = lms.frame
    read_pages(frame)
    take_quiz(frame, WRONG)
    take_quiz(frame, RIGHT)
    cmi = lms.cmi()
    expected = (
        expected_result(edition, 100, True, {})
        | expected_interactions(edition, WRONG)
        | expected_interactions(edition, RIGHT, attempt=2, start=6)
    )
    assert subset(cmi, expected) == expected
    check_interaction_times(edition, lms, 12)
    ids = [cmi[f"cmi.interactions.{n}.id"] for n in range(12)]
    assert len(set(ids)) == 12 and ids[6] == "demo.q1-active-listening.a2"
    want = {"ccm.communication": objective(edition, 100, True), "ccm.advocacy": objective(edition, 100, True)}
    if edition == "2004":
        want["demo"] = objective(edition, 100, True)
    assert objective_rows(edition, cmi) == want
    assert lms.commit_count() == 3  # launch + two submissions


def seed_for(edition: str, cmi: dict) -> dict:
    """What a real LMS would hand the next launch: the stored bookmark, state and status."""
    if edition == "12":
        return {
            "cmi.suspend_data": cmi["cmi.suspend_data"],
            "cmi.core.lesson_location": cmi["cmi.core.lesson_location"],
            "cmi.core.entry": "resume",
            "cmi.core.lesson_status": cmi["cmi.core.lesson_status"],
        }
    # objectives come back preloaded, in another order than the SCO wrote them
    return {
        "cmi.suspend_data": cmi["cmi.suspend_data"],
        "cmi.location": cmi["cmi.location"],
        "cmi.entry": "resume",
        "cmi.completion_status": cmi["cmi.completion_status"],
        "cmi.objectives.0.id": "ccm.advocacy",
        "cmi.objectives.1.id": "ccm.communication",
        "cmi.objectives.2.id": "demo",
    }


@pytest.mark.parametrize("edition", EDITIONS)
def test_resume_after_closing_mid_quiz(edition, served, scorm_lms, page, context):
    url = served(edition)
    lms = scorm_lms(url, edition, wait_for="initialize")
    frame = lms.frame
    read_pages(frame)
    take_quiz(frame, RIGHT, count=3)
    lms.unload_sco()
    lms.wait_for_finish()
    first = lms.cmi()
    assert first[key(edition, "exit")] == "suspend"
    assert first[key(edition, "location")] == "quiz"
    assert lms.commit_count() == 2  # launch + pagehide
    assert subset(first, expected_interactions(edition, RIGHT, questions=ORDER[:3])) == expected_interactions(
        edition, RIGHT, questions=ORDER[:3]
    )
    # Second launch, in a new window, seeded with what the LMS stored.
    second_page = context.new_page()
    again = scorm_lms(url, edition, page=second_page, seed=seed_for(edition, first), wait_for="initialize")
    frame = again.frame
    pass_cover(frame)  # Continue where you left off
    # exactly where the learner was: the third question, answered, its feedback shown
    frame.wait_for_selector("form.ccm-question[data-pos='2'] .ccm-feedback")
    assert frame.locator("#ccm-progress").inner_text() == "Quiz: question 3 of 6"
    take_quiz(frame, RIGHT)
    cmi = again.cmi()
    assert subset(cmi, expected_result(edition, 100, True, {})) == expected_result(edition, 100, True, {})
    expected = expected_interactions(edition, RIGHT, questions=ORDER[3:])
    assert subset(cmi, expected) == expected
    want = {"ccm.communication": objective(edition, 100, True), "ccm.advocacy": objective(edition, 100, True)}
    if edition == "2004":
        want["demo"] = objective(edition, 100, True)
        # found by id where the LMS preloaded them: nothing appended, nothing rejected (error 351)
        assert cmi["cmi.objectives.0.id"] == "ccm.advocacy" and "cmi.objectives.3.id" not in cmi
        assert all(call["result"] == "true" for call in again.set_values())
    assert objective_rows(edition, cmi) == want
    assert again.commit_count() == 1  # submission; the status was already incomplete


@pytest.mark.parametrize("edition", EDITIONS)
def test_keyboard_only_run_and_axe_in_the_scorm_frame(edition, served, scorm_lms, axe_check, format_violations):
    lms = scorm_lms(served(edition), edition, wait_for="initialize")
    frame = lms.frame
    violations = axe_check(lms.page, frame)
    assert not violations, format_violations(violations)
    read_pages(frame, keyboard=True)
    take_quiz(frame, RIGHT, keyboard=True, count=1)
    violations = axe_check(lms.page, frame)
    assert not violations, format_violations(violations)
    take_quiz(frame, RIGHT, keyboard=True)
    violations = axe_check(lms.page, frame)
    assert not violations, format_violations(violations)
    cmi = lms.cmi()
    expected = expected_result(edition, 100, True, {}) | expected_interactions(edition, RIGHT)
    assert subset(cmi, expected) == expected
    press(frame, "button[data-action=exit]", True)
    lms.wait_for_finish()
    assert lms.commit_count() == 3


def test_no_quiz_module_completes_when_every_page_is_seen(tmp_path, http_server, scorm_lms):
    course = load_course(write_course(tmp_path, {"demo/quiz.yaml": None}))
    for edition in EDITIONS:
        folder = build_package(course, "demo", TARGET[edition], tmp_path / f"noquiz{edition}")
        lms = scorm_lms(http_server(folder) + "index.html", edition, wait_for="initialize")
        read_pages(lms.frame)
        lms.wait_for("commit", 2)
        cmi = lms.cmi()
        assert cmi[status_key(edition)] == "completed"
        assert "cmi.core.score.raw" not in cmi or cmi.get("cmi.core.score.raw") == ""
        rows = objective_rows(edition, cmi)
        field = "status" if edition == "12" else "completion_status"
        assert {rows[i][field] for i in ("ccm.communication", "ccm.advocacy")} == {"completed"}
        assert "score.raw" not in rows["ccm.communication"]
        lms.page.goto("about:blank")


@pytest.mark.parametrize("edition", EDITIONS)
def test_browse_mode_records_nothing_of_the_attempt(edition, served, scorm_lms):
    """A browse launch says the answers will not count, so none reach the LMS: no status, score,
    interactions or saved answers (which a later real attempt would resume). SCORM 1.2 marks it `browsed`."""
    mode = {"cmi.core.lesson_mode": "browse"} if edition == "12" else {"cmi.mode": "browse"}
    lms = scorm_lms(served(edition), edition, seed=mode, wait_for="initialize")
    frame = lms.frame
    frame.wait_for_selector("#ccm-notices p")
    assert "browsing" in frame.inner_text("#ccm-notices") and "nothing you do now is saved" in frame.inner_text(
        "#ccm-notices"
    )
    read_pages(frame)
    assert "practice" in frame.inner_text("#ccm-quiz-body")
    take_quiz(frame, RIGHT)
    results = frame.inner_text("#ccm-results-body")
    assert "This practice was not saved" in results and "You have passed" not in results, results
    assert "Your practice results by competency (not saved)" in results
    assert (
        frame.locator("#ccm-results button[data-action=retry], #ccm-results button[data-action=certificate]").count()
        == 0
    )
    press(frame, "button[data-action=exit]", False)
    lms.wait_for_finish()
    cmi = lms.cmi()
    assert cmi.get("cmi.suspend_data", "") == ""
    assert not any(name.startswith("cmi.interactions.") and not name.endswith("_count") for name in cmi), cmi
    if edition == "12":
        assert cmi["cmi.core.lesson_status"] == "browsed"
        assert cmi.get("cmi.core.score.raw", "") == ""
    else:
        assert cmi.get("cmi.success_status", "unknown") == "unknown"
        assert cmi.get("cmi.score.raw", "") == ""
    assert not lms.page.ccm_errors
