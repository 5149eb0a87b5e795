"""Honest status lines (issue 16): the line in the header says only what is true, and a learner whose
LMS or LRS cannot be reached is told in plain words what is kept, what to do and what not to do.

Real clients: the standalone adapter's localStorage, scorm-again (its own HTTP commit to a route that
fails or answers), Ralph LRS behind a browser context that goes offline and comes back. The order of
events is read from one log the page writes as things happen (every write to the status line and the
live regions, every request and its answer, every Commit and its result, every click), never from
timing."""

from __future__ import annotations

import json
import re
import urllib.parse
import uuid
from pathlib import Path

import pytest
from support.cmi5_launcher import build_package as build_xapi
from support.course_source import write_course
from support.runtime_build import build
from support.scorm_helpers import build_package as build_scorm
from support.scorm_helpers import read_pages, take_quiz
from test_scorm_runtime import RIGHT, TARGET
from test_xapi_outbox import ACTOR, MODULE_IRI, RECORD_IDS

from ccm_scorm.source import load_course
from ccm_scorm.source.messages import REFERENCE, read_messages
from ccm_scorm.source.problems import Problems

# One log in the top window, shared by the LMS page and the SCO frame: {k: "status" | "polite" |
# "assertive", text}, {k: "click"}, {k: "request", method, url}, {k: "answer", of, status}, {k: "failed", of}.
EVENT_LOG = """
(() => {
  const log = window.top.__log = window.top.__log || [];
  const text = Object.getOwnPropertyDescriptor(Node.prototype, 'textContent');
  const watched = { 'ccm-status': 'status', 'ccm-polite': 'polite', 'ccm-assertive': 'assertive' };
  Object.defineProperty(Node.prototype, 'textContent', { configurable: true, get: text.get, set(v) {
    if (watched[this.id]) log.push({ k: watched[this.id], text: String(v) });
    text.set.call(this, v);
  } });
  const realFetch = window.fetch;
  window.fetch = function (url, init) {
    const at = log.push({ k: 'request', method: (init && init.method) || 'GET', url: String(url) }) - 1;
    return realFetch.apply(this, arguments).then(
      (r) => { log.push({ k: 'answer', of: at, status: r.status }); return r; },
      (e) => { log.push({ k: 'failed', of: at }); throw e; });
  };
  document.addEventListener('click', () => log.push({ k: 'click' }), true);
})();
"""
# SCORM: every Commit and what it returned, in the same log (run by the test LMS after scorm-again is built).
LOG_COMMITS = """
const name = api.LMSCommit ? 'LMSCommit' : 'Commit', commit = api[name];
api[name] = function () { const r = commit.apply(api, arguments); window.__log.push({ k: 'commit', result: String(r) }); return r; };
"""
STATUS = "#ccm-status"
TIME = r"\d\d:\d\d"


@pytest.fixture(scope="module")
def english():
    root = Path(__file__).resolve().parents[1]
    return dict(read_messages(REFERENCE, root, root / "x", 0, Problems(root=root)).entries)


def say(english, key, **values):
    text = english[key]
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def log(page) -> list[dict]:
    return page.evaluate("() => window.__log")


def statuses(events) -> list[str]:
    return [e["text"] for e in events if e["k"] == "status"]


def save_kind(frame, kind, timeout=20_000):
    frame.wait_for_function(
        "(k) => (document.getElementById('ccm-status') || {}).dataset.ccmSave === k", arg=kind, timeout=timeout
    )


def line_matches(frame, pattern, timeout=20_000):
    frame.wait_for_function(
        "(p) => new RegExp(p).test(document.getElementById('ccm-status').textContent)", arg=pattern, timeout=timeout
    )


def nothing_shown_before_the_first_click(events):
    first_click = next(i for i, e in enumerate(events) if e["k"] == "click")
    assert [e["text"] for e in events[:first_click] if e["k"] == "status" and e["text"]] == []


def offline_notice_text(frame) -> str:
    return frame.locator("#ccm-offline").inner_text()


# ------------------------------------------------------------------ standalone (web package)


def test_standalone_says_nothing_until_the_learner_acts_then_what_this_device_kept(page, tmp_path, english):
    index = build(tmp_path / "web", adapter="standalone")
    page.add_init_script(EVENT_LOG)
    page.goto(index.as_uri())
    page.wait_for_selector("html.ccm-ready", state="attached")
    assert page.inner_text(STATUS) == ""
    page.click("#ccm-next")
    line_matches(page, "^" + say(english, "status.device", time=TIME) + "$")
    events = log(page)
    nothing_shown_before_the_first_click(events)
    assert page.evaluate("() => Object.keys(localStorage).some(k => k.startsWith('ccm:'))")
    assert page.locator(".ccm-notice").count() == 0


def test_standalone_with_storage_blocked_says_it_is_not_saved(page, tmp_path, english):
    index = build(tmp_path / "web", adapter="standalone")
    page.add_init_script("""Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('blocked', 'SecurityError'); } });""")
    page.goto(index.as_uri())
    page.wait_for_selector(".ccm-notice")
    assert page.inner_text(STATUS) == english["status.unsaved"]
    page.click("#ccm-next")
    assert page.inner_text(STATUS) == english["status.unsaved"]  # never "saved" when nothing was


# ------------------------------------------------------------------ SCORM (scorm-again posts each commit)


@pytest.fixture(scope="module")
def scorm_course(tmp_path_factory):
    return load_course(write_course(tmp_path_factory.mktemp("status-scorm")))


class CommitRoute:
    """scorm-again's commit URL: answers 200 {"result": true}, or 503 while `failing` (the LMS is away)."""

    def __init__(self, page, url):
        self.failing = False
        page.route(url, self.handle)  # added after the harness's own route, so it is asked first

    def handle(self, route):
        if self.failing:
            route.fulfill(status=503, body="down")
        else:
            route.fulfill(status=200, content_type="application/json", body='{"result": true, "errorCode": 0}')


@pytest.mark.parametrize("edition", ["12", "2004"])
def test_scorm_saved_only_after_the_lms_acknowledged_and_told_when_it_cannot_be_reached(
    edition, scorm_course, tmp_path, http_server, scorm_lms, page, english
):
    site = http_server(build_scorm(scorm_course, "demo", TARGET[edition], tmp_path / edition))
    page.add_init_script(EVENT_LOG)
    lms = scorm_lms(site + "index.html", edition, commit_url="/commit", setup_js=LOG_COMMITS, wait_for="initialize")
    commits = CommitRoute(page, site + "commit")
    frame = lms.frame
    save_kind(frame, "saved")  # the launch's commit ("incomplete") went through
    assert frame.inner_text(STATUS) == ""

    commits.failing = True
    frame.click("#ccm-next")  # the cover's Start
    read_pages(frame, keyboard=True)
    take_quiz(frame, RIGHT, keyboard=True)  # the submission is committed at once: it fails
    frame.wait_for_selector("#ccm-offline")
    notice = offline_notice_text(frame)
    for key in ("status.offline_title", "status.offline_kept", "status.offline_do", "status.offline_dont"):
        assert english[key] in notice
    commit_fn = "LMSCommit" if edition == "12" else "Commit"
    assert re.search(say(english, "status.offline_code", code=commit_fn + r"-\d+").replace(".", r"\."), notice)
    assert frame.inner_text(STATUS) == english["status.waiting"]
    lms.wait_for("commit", lms.commit_count() + 2)  # retried by itself, twice more
    frame.wait_for_function("() => document.querySelectorAll('#ccm-offline').length === 1")

    commits.failing = False
    frame.wait_for_function(
        "(t) => document.getElementById('ccm-offline').textContent === t", arg=english["status.all_saved"]
    )
    line_matches(frame, "^" + say(english, "status.saved", time=TIME) + "$")
    shown = re.search(r"(\d+)\s*%", frame.inner_text(".ccm-score")).group(1)
    assert (lms.value("cmi.core.score.raw") or lms.value("cmi.score.raw")) == shown  # nothing lost

    events = log(page)
    nothing_shown_before_the_first_click(events)
    saved_at = [i for i, e in enumerate(events) if e["k"] == "status" and e["text"].startswith("Progress saved at")]
    commits_at = [(i, e["result"]) for i, e in enumerate(events) if e["k"] == "commit"]
    assert saved_at, statuses(events)
    for i in saved_at:  # each "Progress saved" follows a commit that returned "true", with none failing between
        last = [result for at, result in commits_at if at < i][-1]
        assert last == "true"
    failed = [i for i, r in commits_at if r == "false"]
    assert len(failed) >= 3 and not [i for i in saved_at if failed[0] < i < failed[-1]]
    offline_said = [e for e in events if e["k"] == "polite" and english["status.offline_title"] in e["text"]]
    assert len(offline_said) == 1  # said once, not on every retry


def test_scorm_without_an_api_says_it_is_not_recorded_with_a_code(
    scorm_course, tmp_path, http_server, scorm_lms, english
):
    site = http_server(build_scorm(scorm_course, "demo", TARGET["2004"], tmp_path / "2004"))
    lms = scorm_lms(site + "index.html", "2004", faults={"noApi": True})
    frame = lms.frame
    frame.wait_for_selector(".ccm-notice")
    notice = frame.locator("#ccm-notices").inner_text()
    assert english["status.not_recording"] in notice
    assert say(english, "status.not_recording_code", code="no-API_1484_11") in notice
    assert frame.inner_text(STATUS) == english["status.not_recorded"]


# ------------------------------------------------------------------ xAPI (Ralph LRS)


def xapi_launch(site, ralph, registration) -> str:
    query = {
        "endpoint": ralph.url,
        "auth": ralph.auth_header,
        "actor": json.dumps(ACTOR),
        "registration": registration,
        "activity_id": MODULE_IRI,
    }
    return site.url("index.html") + "?" + urllib.parse.urlencode(query)


def lrs_answered(events, before):
    """Every request made before event `before` had its answer (or its network failure) before it, and
    the last statements POST was taken (2xx). (Ralph has no State API: its 404 to the State PUT makes
    the module keep the state on this device, as docs/xapi-cmi5.md says.)"""
    answers = {e["of"]: e for e in events[:before] if e["k"] in ("answer", "failed")}
    asked = [i for i, e in enumerate(events[:before]) if e["k"] == "request"]
    posts = [i for i in asked if events[i]["method"] == "POST"]
    return all(i in answers for i in asked) and 200 <= answers[posts[-1]].get("status", 0) < 300


def test_xapi_saved_only_after_state_and_statements_are_acknowledged_and_offline_explained(
    page, context, http_server, ralph, tmp_path, english
):
    site = http_server(build_xapi(write_course(tmp_path), "xapi", tmp_path))
    registration = str(uuid.uuid4())
    page.add_init_script(EVENT_LOG)
    page.add_init_script(RECORD_IDS)
    page.goto(xapi_launch(site, ralph, registration))
    page.wait_for_selector("html.ccm-ready", state="attached")
    save_kind(page, "saved")  # initialized and the first State write are in the LRS
    assert page.inner_text(STATUS) == ""

    page.click("#ccm-next")
    line_matches(page, "^" + say(english, "status.saved", time=TIME) + "$")
    events = log(page)
    nothing_shown_before_the_first_click(events)
    saved = next(i for i, e in enumerate(events) if e["k"] == "status" and e["text"].startswith("Progress saved"))
    click = next(i for i, e in enumerate(events) if e["k"] == "click")
    writes = [e for e in events[click:saved] if e["k"] == "request" and e["method"] in ("PUT", "POST")]
    assert {urllib.parse.urlsplit(e["url"]).path.rsplit("/", 1)[-1] for e in writes} >= {"state", "statements"}
    assert lrs_answered(events, saved)
    assert english["status.saving"] in statuses(events[click:saved])

    context.set_offline(True)
    page.click("#ccm-next")
    page.wait_for_selector("#ccm-offline")
    notice = offline_notice_text(page)
    for key in ("status.offline_title", "status.offline_kept", "status.offline_do", "status.offline_dont"):
        assert english[key] in notice
    assert re.search(say(english, "status.offline_retry", time=TIME).replace(".", r"\."), notice)
    assert page.inner_text(STATUS) == english["status.waiting"]
    failed_before = sum(e["k"] == "failed" for e in log(page))
    page.wait_for_function("(n) => window.__log.filter(e => e.k === 'failed').length >= n + 2", arg=failed_before)
    assert page.locator("#ccm-offline").count() == 1

    context.set_offline(False)  # the browser's "online" event: the outbox tries at once
    page.click("#ccm-next")  # the State document is written again with the next step
    page.wait_for_function(
        "(t) => document.getElementById('ccm-offline').textContent === t", arg=english["status.all_saved"]
    )
    line_matches(page, "^" + say(english, "status.saved", time=TIME) + "$")
    events = log(page)
    last_saved = max(i for i, e in enumerate(events) if e["k"] == "status" and e["text"].startswith("Progress saved"))
    assert lrs_answered(events, last_saved)
    offline_said = [e for e in events if e["k"] == "polite" and english["status.offline_title"] in e["text"]]
    assert len(offline_said) == 1

    made = page.evaluate("() => JSON.parse(sessionStorage.getItem('__ccm_ids'))")
    stored = {s["id"] for s in ralph.statements(registration=registration)}
    assert set(made) <= stored  # nothing lost: what was made offline arrived after reconnection
