"""xAPI packages launched in Chromium against a real LRS (Ralph), read back over HTTP
and checked field by field, and by Ralph's pydantic models and npm xapi-validation."""

from __future__ import annotations

import json
import time
import re
import urllib.parse
import uuid

import pytest

from support.cmi5_launcher import LrsFront, Learner, build_package
from support.course_source import write_course

MODULE_IRI = "https://ccm-scorm.example.org/test/module/demo"
COMPETENCY = "https://ccm-scorm.example.org/test/competency/"
OBJECTIVE = "http://adlnet.gov/expapi/activities/objective"
UUID4 = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
DURATION = re.compile(r"^PT(\d+H)?(\d+M)?\d+(\.\d+)?S$")
ACTOR = {"objectType": "Agent", "name": "Jane Doe", "mbox": "mailto:jane@example.org"}


@pytest.fixture
def package(tmp_path):
    return build_package(write_course(tmp_path), "xapi", tmp_path)


def launch_url(site, endpoint, auth, registration, actor=ACTOR, activity_id=MODULE_IRI) -> str:
    return site.url("index.html") + "?" + urllib.parse.urlencode({
        "endpoint": endpoint, "auth": auth, "actor": json.dumps(actor),
        "registration": registration, "activity_id": activity_id})


def arrival_order(ralph, **params):
    """The statements in the order Ralph stored them: its fs backend keeps one file in
    arrival order and (5.1.0) returns it as is by default; ascending=true reverses it."""
    return ralph.statements(**params)


def by_verb(statements):
    return [s["verb"]["id"].rsplit("/", 1)[-1] for s in statements]


def competencies_of(statement):
    other = statement["context"]["contextActivities"]["other"]
    for activity in other:
        assert activity["definition"]["type"] == OBJECTIVE
        assert activity["definition"]["name"]["en-GB"]
    return [a["id"][len(COMPETENCY):] for a in other]


def test_xapi_learner_passes_and_ralph_has_every_statement(page, http_server, ralph, package,
                                                           validate_statement, xapi_validation):
    site = http_server(package)
    registration = str(uuid.uuid4())
    # the usual launcher mistakes: no trailing slash on the endpoint, no "Basic " before the credential;
    # and a statements-write-only key, as the docs recommend for learners
    credential = ralph.write_only_auth_header[len("Basic "):]
    page.goto(launch_url(site, ralph.url.rstrip("/"), credential, registration))
    learner = Learner(page)
    learner.wait_started()
    learner.read_pages()
    learner.take_quiz(correct=True)
    learner.finish()
    page.wait_for_function("() => document.getElementById('ccm-status').textContent === 'Progress saved'")
    page.wait_for_timeout(300)
    statements = arrival_order(ralph, registration=registration)

    assert by_verb(statements) == ["initialized", "experienced", "experienced"] + ["answered"] * 6 + [
        "completed", "passed", "terminated"]
    stamps = [s["timestamp"] for s in statements]
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps), "arrival order is generation order"
    assert len({s["id"] for s in statements}) == len(statements)
    for s in statements:
        assert UUID4.match(s["id"]), s["id"]
        assert s["actor"]["mbox"] == "mailto:jane@example.org" and s["actor"]["name"] == "Jane Doe"
        assert s["verb"]["id"].startswith("http://adlnet.gov/expapi/verbs/")
        assert s["context"]["registration"] == registration
        assert competencies_of(s), "every statement names the competencies it evidences"
        assert s["timestamp"].endswith("Z")

    initialized, page1, page2 = statements[:3]
    assert initialized["object"]["id"] == MODULE_IRI
    assert initialized["object"]["definition"]["type"] == "http://adlnet.gov/expapi/activities/module"
    assert competencies_of(initialized) == ["ccm.communication", "ccm.advocacy"]
    assert page1["object"]["id"] == MODULE_IRI + "/page/01-welcome"
    assert page1["object"]["definition"]["name"] == {"en-GB": "Welcome"}
    assert page1["context"]["contextActivities"]["parent"][0]["id"] == MODULE_IRI

    answered = {s["object"]["id"].rsplit("/", 1)[-1]: s for s in statements[3:9]}
    for qid, s in answered.items():
        assert s["object"]["id"] == f"{MODULE_IRI}/question/{qid}"
        d = s["object"]["definition"]
        assert d["type"] == "http://adlnet.gov/expapi/activities/cmi.interaction"
        assert s["result"]["success"] is True
        assert DURATION.match(s["result"]["duration"])
        assert s["context"]["contextActivities"]["parent"][0]["id"] == MODULE_IRI
    q1 = answered["q1-active-listening"]
    assert q1["object"]["definition"]["interactionType"] == "choice"
    assert [c["id"] for c in q1["object"]["definition"]["choices"]] == ["a", "b"]
    assert q1["object"]["definition"]["choices"][1]["description"] == {"en-GB": "What matters to you?"}
    assert q1["object"]["definition"]["correctResponsesPattern"] == ["b"]
    assert q1["result"]["response"] == "b"
    assert competencies_of(q1) == ["ccm.communication"]
    q2 = answered["q2-advocacy-rights"]
    assert q2["object"]["definition"]["interactionType"] == "true-false"
    assert q2["object"]["definition"]["correctResponsesPattern"] == ["false"]
    assert q2["result"]["response"] == "false"
    assert competencies_of(q2) == ["ccm.advocacy"]
    q3 = answered["q3-barriers"]
    assert q3["object"]["definition"]["correctResponsesPattern"] == ["a[,]b"]
    assert q3["result"]["response"] == "a[,]b"
    q4 = answered["q4-services"]["object"]["definition"]
    assert q4["interactionType"] == "matching"
    assert [x["id"] for x in q4["source"]] == ["a", "b"] and [x["id"] for x in q4["target"]] == ["a", "b"]
    assert q4["correctResponsesPattern"] == ["a[.]a[,]b[.]b"]
    assert answered["q4-services"]["result"]["response"] == "a[.]a[,]b[.]b"
    q5 = answered["q5-steps"]
    assert q5["object"]["definition"]["interactionType"] == "sequencing"
    assert q5["object"]["definition"]["correctResponsesPattern"] == ["a[,]b[,]c"]
    assert q5["result"]["response"] == "a[,]b[,]c"
    q6 = answered["q6-term"]
    assert q6["object"]["definition"]["interactionType"] == "fill-in"
    assert q6["object"]["definition"]["correctResponsesPattern"] == ["{case_matters=false}open"]
    assert q6["result"]["response"] == "Open"

    completed, passed, terminated = statements[9:]
    for s in (completed, passed):
        assert s["object"]["id"] == MODULE_IRI
        assert s["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
        assert DURATION.match(s["result"]["duration"])
        assert competencies_of(s) == ["ccm.communication", "ccm.advocacy"]
        per_competency = s["result"]["extensions"]["https://ccm-scorm.example.org/test/xapi/extension/competency-results"]
        assert [(c["competency"], c["score"], c["status"]) for c in per_competency] == [
            ("ccm.communication", 100, "passed"), ("ccm.advocacy", 100, "passed")]
    assert completed["result"]["completion"] is True
    assert passed["result"]["success"] is True
    assert DURATION.match(terminated["result"]["duration"])

    assert validate_statement(statements) == []
    assert xapi_validation(statements) == []
    # the browser logs the State API probe's 404 (Ralph has none); nothing else may go wrong
    assert [e for e in page.ccm_errors if "404" not in e or "/activities/state" not in e] == []


def test_xapi_launch_without_lrs_says_progress_is_not_recorded(page, http_server, package):
    site = http_server(package)
    page.goto(site.url("index.html"))
    Learner(page).wait_started()
    assert "not being recorded" in page.locator("#ccm-notices").text_content()
    assert not [r for r in site.requests if r.method != "GET"]


def test_xapi_resume_falls_back_to_local_storage_without_state_api(context, http_server, ralph, package):
    """Ralph has no State API: the place is kept in localStorage and the learner comes back to it."""
    site = http_server(package)
    url = launch_url(site, ralph.url, ralph.auth_header, str(uuid.uuid4()))
    first = context.new_page()
    first.goto(url)
    learner = Learner(first)
    learner.wait_started()
    first.click("#ccm-next")
    first.wait_for_selector("#page-02-speaking-up:not([hidden])")
    first.close(run_before_unload=True)
    second = context.new_page()
    second.goto(url)
    second.wait_for_selector("#page-02-speaking-up:not([hidden])")
    second.wait_for_function("() => document.getElementById('ccm-status').textContent === 'Progress saved'")
    verbs = by_verb(arrival_order(ralph, registration=urllib.parse.parse_qs(url.split("?", 1)[1])["registration"][0]))
    assert verbs == ["initialized", "experienced", "experienced", "terminated", "resumed", "experienced"]


def test_xapi_resume_uses_the_state_api_when_the_lrs_offers_it(browser, http_server, ralph, package):
    """A fresh browser (no localStorage) comes back to the same place through the State API."""
    site = http_server(package)
    front = LrsFront(site, ralph)
    registration = str(uuid.uuid4())
    url = launch_url(site, front.endpoint, ralph.auth_header, registration)
    for visit in range(2):
        ctx = browser.new_context()
        try:
            pg = ctx.new_page()
            pg.goto(url)
            if visit == 0:
                Learner(pg).wait_started()
                pg.click("#ccm-next")
                pg.wait_for_selector("#page-02-speaking-up:not([hidden])")
                pg.wait_for_timeout(1800)  # the state is written a moment after the last change
                pg.close(run_before_unload=True)
            else:
                pg.wait_for_selector("#page-02-speaking-up:not([hidden])")
                # The outbox sends a moment after the page shows: wait (bounded) for the LRS to have them.
                deadline = time.monotonic() + 15
                while by_verb(front.statements())[-2:] != ["resumed", "experienced"] and time.monotonic() < deadline:
                    pg.wait_for_timeout(100)
        finally:
            ctx.close()
    assert ("PUT", "activities/state") in front.log
    (doc,) = front.states.values()
    assert json.loads(doc)["location"] == "02-speaking-up"
    assert by_verb(front.statements())[-2:] == ["resumed", "experienced"]
