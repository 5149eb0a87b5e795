"""Fault injection for the SCORM runtimes: failing commits, no API at all, a window closed
between answers while the LMS is unreachable. No answer is lost and the learner is told."""

from __future__ import annotations

import pytest
from support.course_source import write_course
from support.cover import pass_cover
from support.scorm_helpers import build_package, read_pages, take_quiz
from test_scorm_runtime import EDITIONS, ORDER, RIGHT, TARGET, expected_interactions, status_key, subset

from ccm_scorm.source import load_course


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return load_course(write_course(tmp_path_factory.mktemp("scorm-faults")))


@pytest.fixture
def url(course, tmp_path, http_server):
    def serve(edition):
        return http_server(build_package(course, "demo", TARGET[edition], tmp_path / edition)) + "index.html"

    return serve


@pytest.mark.parametrize("edition", EDITIONS)
def test_commit_failures_are_retried_with_back_off_and_logged(edition, url, scorm_lms):
    lms = scorm_lms(url(edition), edition, faults={"commitFailures": 2}, wait_for="initialize")
    frame = lms.frame
    frame.wait_for_function("() => document.getElementById('ccm-status').dataset.ccmSave === 'offline'")
    lms.wait_for("commit", 3)  # 0.5 s, then 1 s later: the third call goes through
    frame.wait_for_function("() => document.getElementById('ccm-status').dataset.ccmSave === 'saved'")
    assert lms.api_initialized() and lms.value(status_key(edition)) == "incomplete"
    commit = "LMSCommit" if edition == "12" else "Commit"
    assert any(f"ccm SCORM: {commit} failed with error" in line for line in lms.page.ccm_console), lms.page.ccm_console
    assert any(call["fn"] in ("LMSGetDiagnostic", "GetDiagnostic") for call in lms.calls())
    read_pages(frame)
    take_quiz(frame, RIGHT)
    assert lms.commit_count() == 4


@pytest.mark.parametrize("edition", EDITIONS)
def test_no_api_runs_standalone_with_a_visible_notice(edition, url, scorm_lms):
    lms = scorm_lms(url(edition), edition, faults={"noApi": True})
    frame = lms.frame
    frame.wait_for_selector(".ccm-notice")
    assert "not being recorded" in frame.locator("#ccm-notices").inner_text()
    read_pages(frame)
    take_quiz(frame, RIGHT)
    assert frame.locator(".ccm-score").inner_text().startswith("You scored 100%")
    assert lms.initialize_count() == 0


@pytest.mark.parametrize("edition", EDITIONS)
def test_initialize_failure_is_retried(edition, url, scorm_lms):
    lms = scorm_lms(url(edition), edition, faults={"initializeFailures": 1}, wait_for="initialize")
    lms.wait_for("initialize", 2)
    lms.wait_for("commit", 1)
    assert lms.value(status_key(edition)) == "incomplete"


@pytest.mark.parametrize("edition", EDITIONS)
def test_window_closed_between_answers_while_the_lms_is_unreachable(edition, url, scorm_lms, context):
    address = url(edition)
    lms = scorm_lms(address, edition, faults={"commitFailures": 1000}, wait_for="initialize")
    frame = lms.frame
    # After a failed commit the learner is told, without being stopped.
    frame.wait_for_function("() => /cannot be reached/.test(document.getElementById('ccm-notices').textContent)")
    read_pages(frame)
    take_quiz(frame, RIGHT, count=2)
    lms.unload_sco()  # pagehide: Commit fails again, Finish still runs
    lms.wait_for_finish()
    # The LMS kept nothing (every commit failed). Next launch, same browser: the local copy is used.
    fresh = scorm_lms(address, edition, page=context.new_page(), wait_for="initialize")
    frame = fresh.frame
    pass_cover(frame)  # "Welcome back": Continue where you left off
    frame.wait_for_selector("form.ccm-question[data-pos='1'] .ccm-feedback")
    fresh.wait_for("commit", 1)
    cmi = fresh.cmi()
    expected = expected_interactions(edition, RIGHT, questions=ORDER[:2])  # replayed, nothing lost
    assert subset(cmi, expected) == expected
    assert "cmi.interactions.2.id" not in cmi
    assert cmi["cmi.suspend_data"].count("|") == 13 and cmi["cmi.suspend_data"].endswith("|1|f||||")
    take_quiz(frame, RIGHT)
    cmi = fresh.cmi()
    assert subset(cmi, expected_interactions(edition, RIGHT)) == expected_interactions(edition, RIGHT)
    assert (cmi.get("cmi.core.score.raw") or cmi.get("cmi.score.raw")) == "100"
