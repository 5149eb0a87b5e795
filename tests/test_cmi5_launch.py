"""cmi5 packages launched in Chromium by a test-side cmi5 launcher in front of Ralph.

Each test names the cmi5 requirement ids (npm @cmi5/requirements) it checks; the
common rules for every session are in `check_session`, including the order the runtime
guarantees by construction: initialized alone in the session's first request, completed /
passed / failed alone, terminated alone in its last, nothing after it, each id sent once.
No fixed sleeps: tests wait for `<html data-ccm-session="closed">` (the LMS acknowledged
terminated), the return URL, or the requests the page makes."""

from __future__ import annotations

import json
import re
import time

import pytest
from playwright.sync_api import expect
from support.cmi5_launcher import (
    CMI5_CATEGORY,
    MASTERY_EXT,
    MOVEON_CATEGORY,
    SESSION_EXT,
    Cmi5Launcher,
    Learner,
    build_package,
)
from support.course_source import write_course
from support.paths import NODE_MODULES

AU_ID = "https://ccm-scorm.example.org/test/module/demo"
COMPETENCY = "https://ccm-scorm.example.org/test/competency/"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DURATION = re.compile(r"^PT(\d+H)?(\d+M)?\d+(\.\d+)?S$")
DEFINED = {"initialized", "completed", "passed", "failed", "terminated"}
PREFERENCES = {"languagePreference": "en-GB,fr-FR", "audioPreference": "off"}

CHECKED = (
    "8.1.2.0-4",
    "8.1.2.0-5",
    "8.1.3.0-3",
    "8.1.5.0-6",
    "8.2.3.0-1",
    "9.1.0.0-1",
    "9.2.0.0-2",
    "9.2.0.0-3",
    "9.3.0.0-2",
    "9.3.0.0-3",
    "9.3.0.0-4",
    "9.3.0.0-5",
    "9.3.2.0-3",
    "9.4.0.0-2",
    "9.5.1.0-2",
    "9.5.1.0-3",
    "9.5.2.0-1",
    "9.5.2.0-2",
    "9.5.2.0-3",
    "9.5.3.0-1",
    "9.5.3.0-2",
    "9.5.4.1-1",
    "9.5.4.1-2",
    "9.5.4.1-3",
    "9.5.4.1-4",
    "9.6.1.0-1",
    "9.6.2.0-1",
    "9.6.2.1-1",
    "9.6.2.2-1",
    "9.6.2.2-2",
    "9.6.3.1-4",
    "9.6.3.2-2",
    "9.3.4.0-2",
    "9.3.5.0-2",
    "9.7.0.0-1",
    "9.7.0.0-2",
    "10.2.1.0-5",
    "10.2.1.0-6",
    "10.2.1.0-7",
    "10.2.2.0-9",
    "10.2.2.0-11",
    "10.2.6.0-1",
    "11.0.0.0-3",
    "11.0.0.0-4",
    "9.3.0.0-6",
    "9.3.0.0-7",
)


def verb(s) -> str:
    return s["verb"]["id"].rsplit("/", 1)[-1]


def categories(s) -> list[str]:
    return [a["id"] for a in s.get("context", {}).get("contextActivities", {}).get("category", [])]


def test_requirement_ids_checked_here_exist():
    """Every id this file cites is a real requirement of @cmi5/requirements."""
    known = json.loads((NODE_MODULES / "@cmi5" / "requirements" / "requirements.json").read_text(encoding="utf-8"))
    assert [i for i in CHECKED if i not in known] == []


@pytest.fixture
def lms(tmp_path, http_server, ralph):
    site = http_server(build_package(write_course(tmp_path), "cmi5", tmp_path))
    return Cmi5Launcher(site, ralph, AU_ID, preferences=PREFERENCES)


def closed(page, timeout=30_000):
    """Until Finish is over: the LMS acknowledged terminated, sent after everything else."""
    page.wait_for_function(
        "() => ['closed', 'kept'].includes(document.documentElement.dataset.ccmSession)", timeout=timeout
    )
    assert page.evaluate("() => document.documentElement.dataset.ccmSession") == "closed", page.inner_text(
        "#ccm-notices"
    )


def requests_of(lms, launch):
    """The statement requests of one launch, in arrival order."""
    return [
        r
        for r in lms.received
        if any(s["context"]["extensions"].get(SESSION_EXT) == launch.session_id for s in r.statements)
    ]


def session(lms, launch) -> list[dict]:
    """The statements of one launch as the LMS received them, in arrival order. Call it once the session
    is over (closed, or the return URL reached): the runtime sends terminated last, after everything else
    is acknowledged. No id may arrive twice (no resend without a fault)."""
    mine = [
        s
        for r in requests_of(lms, launch)
        for s in r.statements
        if s["context"]["extensions"].get(SESSION_EXT) == launch.session_id
    ]
    ids = [s["id"] for s in mine]
    assert len(ids) == len(set(ids)), "a statement was sent twice"
    return mine


def check_session(lms, launch, statements, mastery=0.8):
    """The rules every cmi5 session must keep (ids in CHECKED)."""
    verbs = [verb(s) for s in statements]
    assert verbs[0] == "initialized", "9.3.0.0-4: initialized first"
    assert verbs[-1] == "terminated", "9.3.0.0-5: terminated last"
    # by construction: initialized alone, and acknowledged, before anything else; each defined statement
    # alone; terminated alone in the session's last request, after which nothing more reached the LMS
    sent = requests_of(lms, launch)
    assert all(r.status == 200 for r in sent), [r.status for r in sent]
    assert [verb(s) for s in sent[0].statements] == ["initialized"]
    assert [verb(s) for s in sent[-1].statements] == ["terminated"]
    assert all(len(r.statements) == 1 for r in sent if DEFINED & {verb(s) for s in r.statements})
    assert lms.log[sent[-1].seq + 1 :] == [], "a request reached the LMS after terminated"
    defined = [v for v in verbs if v in DEFINED]
    assert len(defined) == len(set(defined)), "9.3.0.0-2 / 9.3.2.0-3: no defined verb twice in a session"
    assert len([v for v in defined if v in ("passed", "failed")]) <= 1, "9.3.0.0-3"
    for s in statements:
        v = verb(s)
        assert UUID4.match(s["id"]), "9.1.0.0-1"
        assert s["actor"] == lms.actor, "8.1.3.0-3, 9.2.0.0-2, 9.2.0.0-3"
        context = s["context"]
        assert context["registration"] == launch.registration, "9.6.1.0-1"
        assert context["extensions"][SESSION_EXT] == launch.session_id, "9.6.3.1-4"
        grouping = [a["id"] for a in context["contextActivities"]["grouping"]]
        assert AU_ID in grouping, "9.6.2.0-1, 10.2.1.0-6, 10.2.1.0-7: the contextTemplate is kept"
        assert s["timestamp"].endswith("Z"), "9.7.0.0-1, 9.7.0.0-2"
        other = context["contextActivities"]["other"]
        assert other and all(
            a["id"].startswith(COMPETENCY)
            and a["definition"]["type"] == "http://adlnet.gov/expapi/activities/objective"
            for a in other
        ), "competencies as context activities"
        result = s.get("result", {})
        if v in DEFINED:
            assert s["object"]["id"] == launch.activity_id, "8.1.5.0-6, 9.4.0.0-2"
            assert CMI5_CATEGORY in categories(s), "9.6.2.1-1"
            assert ("score" in result) == (v in ("passed", "failed")), "9.5.1.0-2"
            assert ("success" in result) == (v in ("passed", "failed")), "9.5.2.0-3"
            assert ("completion" in result) == (v == "completed"), "9.5.3.0-2"
        else:
            assert CMI5_CATEGORY not in categories(s), "allowed statements carry no cmi5 category"
        has_moveon = "success" in result or "completion" in result
        if v in DEFINED:
            assert (MOVEON_CATEGORY in categories(s)) == has_moveon, "9.6.2.2-1, 9.6.2.2-2"
        if "raw" in result.get("score", {}):
            assert result["score"]["min"] == 0 and result["score"]["max"] == 100, "9.5.1.0-3"
        if v in ("terminated", "completed", "passed", "failed"):
            assert DURATION.match(result["duration"]), "9.5.4.1-1..4"
        if v == "completed":
            assert result["completion"] is True, "9.5.3.0-1"
        if v == "passed":
            assert result["success"] is True, "9.5.2.0-1"
            assert result["score"]["scaled"] >= mastery, "9.3.4.0-2"
            assert context["extensions"][MASTERY_EXT] == mastery, "9.6.3.2-2"
        if v == "failed":
            assert result["success"] is False, "9.5.2.0-2"
            assert result["score"]["scaled"] < mastery, "9.3.5.0-2"
            assert context["extensions"][MASTERY_EXT] == mastery, "9.6.3.2-2"
    # the launch itself: one fetch (8.2.3.0-1), preferences read before the first statement (11.0.0.0-3/-4),
    # LMS.LaunchData never written (10.2.1.0-5), the token on every request (8.1.2.0-4/-5; the launcher
    # answers 401 to anything else, so every statement it received came with it)
    log = lms.log
    assert log.count(("POST", "fetch")) == len(lms.launches)
    first_statement = log.index(("POST", "statements"))
    assert ("GET", "agents/profile") in log[:first_statement]
    assert all(
        r.authorization == "Basic " + launch.token
        for r in lms.received
        if any(s["context"]["extensions"].get(SESSION_EXT) == launch.session_id for s in r.statements)
    )
    assert not [r for r in lms.received if not r.statements], "no empty batch"


def check_valid(statements, validate_statement, xapi_validation):
    assert validate_statement(statements) == []
    assert xapi_validation(statements) == []


def test_cmi5_normal_pass_then_relaunch(page, lms, ralph, validate_statement, xapi_validation):
    """Normal launch, learner passes: 9.3.3.0-1, 9.3.4.0-1, 10.2.2.0-6/-7, 10.2.6.0-1 (returnURL);
    a second launch in the same registration sends no second completed/passed (9.3.0.0-6, 9.3.0.0-7)."""
    launch = lms.launch(return_url=lms.site.url("return.html"))
    page.goto(launch.url)
    learner = Learner(page)
    learner.wait_started()
    learner.read_pages()
    learner.take_quiz(correct=True)
    learner.finish()
    page.wait_for_url("**/return.html")  # only once the LMS has acknowledged terminated
    statements = session(lms, launch)
    assert [verb(s) for s in statements] == ["initialized", "experienced", "experienced"] + ["answered"] * 6 + [
        "completed",
        "passed",
        "terminated",
    ]
    check_session(lms, launch, statements)
    passed = statements[-2]
    assert passed["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    answered = statements[3]
    assert answered["object"]["definition"]["interactionType"] == "choice"
    assert answered["context"]["contextActivities"]["parent"][0]["id"] == launch.activity_id
    assert [a["id"] for a in answered["context"]["contextActivities"]["other"]] == [COMPETENCY + "ccm.communication"]
    check_valid(statements, validate_statement, xapi_validation)
    # Ralph has them all, exactly once, with the LMS's own "launched" statement first
    stored = ralph.statements(registration=launch.registration)
    assert [verb(s) for s in stored][0] == "launched"
    assert sorted(s["id"] for s in stored[1:]) == sorted(s["id"] for s in statements)

    again = lms.launch(registration=launch.registration)
    assert again.activity_id == launch.activity_id
    page.goto(again.url)
    learner.wait_started()  # and past the cover: Continue where you left off
    page.wait_for_selector("#ccm-results:not([hidden])")  # resumed from the AU's State document
    learner.finish()
    closed(page)
    second = session(lms, again)
    assert [verb(s) for s in second] == ["initialized", "terminated"]
    check_session(lms, again, second)


def test_cmi5_normal_fail(page, lms, validate_statement, xapi_validation):
    """Normal launch, learner fails: 9.3.5.0-1, 9.3.5.0-2, 9.5.2.0-2."""
    launch = lms.launch()
    page.goto(launch.url)
    learner = Learner(page)
    learner.wait_started()
    learner.read_pages()
    learner.take_quiz(correct=False)
    learner.finish()
    closed(page)
    statements = session(lms, launch)
    assert [verb(s) for s in statements] == ["initialized", "experienced", "experienced"] + ["answered"] * 6 + [
        "completed",
        "failed",
        "terminated",
    ]
    check_session(lms, launch, statements)
    failed = statements[-2]
    assert failed["result"]["score"] == {"scaled": 0, "raw": 0, "min": 0, "max": 100}
    assert all(s["result"]["success"] is False for s in statements[3:9])
    check_valid(statements, validate_statement, xapi_validation)


def test_cmi5_fail_then_pass_in_one_session_sends_only_passed(page, lms):
    """9.3.0.0-3 (one of passed/failed per session), 9.3.0.0-8 (no failed after passed),
    9.3.3.0-2 (completed once); masteryScore from LMS.LaunchData (10.2.4.0-2)."""
    launch = lms.launch(mastery_score=0.6)
    page.goto(launch.url)
    learner = Learner(page)
    learner.wait_started()
    learner.read_pages()
    learner.take_quiz(correct=False)
    assert "pass mark is 60%" in page.locator("#ccm-results").text_content()
    page.click("button[data-action=retry]")
    learner.take_quiz(correct=True)
    learner.finish()
    closed(page)
    statements = session(lms, launch)
    assert [verb(s) for s in statements] == ["initialized", "experienced", "experienced"] + ["answered"] * 6 + [
        "completed"
    ] + ["answered"] * 6 + ["passed", "terminated"]
    check_session(lms, launch, statements, mastery=0.6)


@pytest.mark.parametrize("mode", ["Browse", "Review"])
def test_cmi5_browse_and_review_send_no_satisfaction_statements(page, lms, mode, validate_statement, xapi_validation):
    """10.2.2.0-8/-9 (Browse), 10.2.2.0-10/-11 (Review): initialized and terminated only, no
    completed/passed/failed, and the learner's state is left alone."""
    launch = lms.launch(mode=mode)
    page.goto(launch.url)
    learner = Learner(page)
    learner.wait_started()
    # The notice comes once the launch (token, LaunchData) is done, which can be after the first page shows.
    expect(page.locator("#ccm-notices")).to_contain_text("reviewing" if mode == "Review" else "browsing")
    learner.read_pages()
    learner.take_quiz(correct=True)
    learner.finish()
    closed(page)
    statements = session(lms, launch)
    assert [verb(s) for s in statements] == ["initialized", "experienced", "experienced"] + ["answered"] * 6 + [
        "terminated"
    ]
    check_session(lms, launch, statements)
    assert not [m for m, r in lms.log if m in ("PUT", "POST", "DELETE") and r == "activities/state"]
    check_valid(statements, validate_statement, xapi_validation)


def test_cmi5_a_reload_before_the_end_carries_on_with_the_same_session(page, lms):
    """Leaving while a State write is still waiting: terminated is not sent (it could overtake the write;
    the LMS would then refuse the write and all that follows), so the session has not ended, and a reload
    of the same launch carries on with it: the token kept (8.2.3.0-1: fetch posted once), no second
    initialized (9.3.0.0-4), and the statement that was on its way when the page went arrives once."""
    launch = lms.launch()
    with page.expect_response(lambda r: "/lrs/statements" in r.url and r.request.method == "POST") as first:
        page.goto(launch.url)
    assert first.value.status == 200  # initialized, alone, acknowledged
    learner = Learner(page)
    learner.wait_started()
    # in one turn of the page: show page 2 (its State write waits 1.5 s, its experienced is queued) and leave
    page.evaluate("() => { document.getElementById('ccm-next').click(); location.reload(); }")
    learner.wait_started()
    page.wait_for_selector("#page-02-speaking-up:not([hidden])")
    assert page.locator(".ccm-fatal").count() == 0
    learner.read_pages()
    learner.take_quiz(correct=True)
    learner.finish()
    closed(page)
    assert lms.log.count(("POST", "fetch")) == 1
    statements = session(lms, launch)
    verbs = [verb(s) for s in statements]
    assert verbs.count("initialized") == 1 and verbs.count("terminated") == 1
    pages = [s["object"]["id"].rsplit("/", 1)[-1] for s in statements if verb(s) == "experienced"]
    assert pages[:2] == ["01-welcome", "02-speaking-up"], pages
    check_session(lms, launch, statements)


def test_cmi5_a_reload_after_terminated_sends_nothing_and_says_to_relaunch(page, lms):
    """8.2.3.0-1: the fetch URL is posted once. Leaving with nothing on its way (State written, outbox
    empty) sends terminated alone in the last keepalive request, after which the LMS rejects the session's
    statements (7.1.2.0-1, 9.3.0.0-5): the reloaded page sends nothing and tells the learner to launch again."""
    launch = lms.launch()
    with page.expect_response(
        lambda r: "/lrs/activities/state" in r.url and r.request.method == "PUT", timeout=20_000
    ) as put:
        page.goto(launch.url)
        learner = Learner(page)
        learner.wait_started()
    assert put.value.status == 204
    page.wait_for_function("() => document.getElementById('ccm-status').dataset.ccmSave === 'saved'")
    page.reload()  # the unloading page's keepalive request is not reported to Playwright: read the LMS
    page.wait_for_selector(".ccm-fatal")
    assert "launch the module again from your LMS" in page.locator(".ccm-fatal").text_content()
    deadline = time.monotonic() + 15  # the keepalive request's answer (bounded)
    while not any(verb(s) == "terminated" for s in session(lms, launch)):
        assert time.monotonic() < deadline, "terminated never reached the LMS"
        page.wait_for_timeout(50)
    assert lms.log.count(("POST", "fetch")) == 1
    verbs = [verb(s) for s in session(lms, launch)]
    assert verbs == ["initialized", "experienced", "terminated"]
    assert [verb(s) for s in requests_of(lms, launch)[-1].statements] == ["terminated"], "terminated alone"
    assert lms.log[requests_of(lms, launch)[-1].seq + 1 :] == [], "nothing after terminated"


def test_cmi5_refuses_to_start_when_the_fetch_url_was_spent(browser, lms):
    """8.2.3.0-1: a second browser with the same launch URL gets an error from fetch and says so."""
    launch = lms.launch()
    for attempt in range(2):
        ctx = browser.new_context()
        try:
            pg = ctx.new_page()
            pg.goto(launch.url)
            if attempt == 0:
                Learner(pg).wait_started()
            else:
                pg.wait_for_selector(".ccm-fatal")
                assert "launch the module again" in pg.locator(".ccm-fatal").text_content()
        finally:
            ctx.close()
    assert not [s for s in lms.statements() if s["context"]["extensions"].get(SESSION_EXT) != launch.session_id]
