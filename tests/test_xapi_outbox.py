"""The durable statement outbox under faults: the LRS goes away mid-module, the page is
reloaded, the LRS comes back (every statement arrives exactly once, in the order it was
made); answers lost after the LRS stored a batch (504, a dropped connection) and a stale
statementId read (the resend meets a 409) lose and duplicate nothing and set nothing aside;
an LRS that answers 400 is not retried forever; nothing is ever POSTed empty. No fixed sleeps:
the tests wait on the status line, html[data-ccm-session], the outbox in localStorage and the
requests the page makes."""

from __future__ import annotations

import collections
import json
import urllib.parse
import uuid

import pytest
from support.cmi5_launcher import Learner, LrsFront, build_package
from support.course_source import write_course
from support.http_server import Response
from support.lrs import RemoteLrs, adl_lrs_fixture

MODULE_IRI = "https://ccm-scorm.example.org/test/module/demo"
ACTOR = {"objectType": "Agent", "name": "Jane Doe", "mbox": "mailto:jane@example.org"}

# Every statement id the page puts in its outbox, in the order it was made, kept in
# sessionStorage so that it survives reloads of the tab.
RECORD_IDS = """
(() => {
  const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (this === window.localStorage && key.startsWith('ccm:outbox:') && !key.endsWith(':rejected') &&
        !key.endsWith(':uncertain')) {
      const seen = JSON.parse(window.sessionStorage.getItem('__ccm_ids') || '[]');
      for (const s of JSON.parse(value)) if (!seen.includes(s.id)) seen.push(s.id);
      set.call(window.sessionStorage, '__ccm_ids', JSON.stringify(seen));
    }
    return set.call(this, key, value);
  };
})();
"""


@pytest.fixture(scope="session")
def adl_lrs():
    return adl_lrs_fixture()


@pytest.fixture
def package(tmp_path):
    return build_package(write_course(tmp_path), "xapi", tmp_path)


def launch_url(site, endpoint, auth, registration) -> str:
    return (
        site.url("index.html")
        + "?"
        + urllib.parse.urlencode(
            {
                "endpoint": endpoint,
                "auth": auth,
                "actor": json.dumps(ACTOR),
                "registration": registration,
                "activity_id": MODULE_IRI,
            }
        )
    )


def status_is(page, kind, timeout=20_000):
    """Until the runtime's last save report (#ccm-status[data-ccm-save]) is `kind`: saved, offline..."""
    page.wait_for_function(
        "(k) => document.getElementById('ccm-status').dataset.ccmSave === k", arg=kind, timeout=timeout
    )


QUEUED_JS = """() => Object.keys(localStorage).filter(k => k.startsWith('ccm:outbox:') && !k.endsWith(':rejected')
        && !k.endsWith(':uncertain')).reduce((n, k) => n + JSON.parse(localStorage.getItem(k)).length, 0)"""
REJECTED_JS = """() => Object.keys(localStorage).filter(k => k.endsWith(':rejected'))
        .flatMap(k => JSON.parse(localStorage.getItem(k)))"""


def queued(page) -> int:
    return page.evaluate(QUEUED_JS)


def closed(page, timeout=30_000):
    page.wait_for_function(
        "() => ['closed', 'kept'].includes(document.documentElement.dataset.ccmSession)", timeout=timeout
    )
    assert page.evaluate("() => document.documentElement.dataset.ccmSession") == "closed"


def test_outbox_survives_lrs_outage_and_reload_exactly_once_in_order(page, http_server, ralph, package):
    site = http_server(package)
    registration = str(uuid.uuid4())
    page.add_init_script(RECORD_IDS)
    page.goto(launch_url(site, ralph.url, ralph.auth_header, registration))
    learner = Learner(page)
    learner.wait_started()
    learner.read_pages()
    learner.take_quiz(stop_after=2)
    status_is(page, "saved")

    ralph.stop()
    learner.take_quiz(start=2, stop_after=4)
    status_is(page, "offline")
    assert queued(page) >= 2
    # pagehide with statements whose sends failed (uncertain): no terminated (it would overtake them),
    # and the keepalive carries only what is not uncertain (nothing here)
    page.reload()
    learner.wait_started()
    page.wait_for_selector("#ccm-q4-form")
    learner.take_quiz(start=4)
    status_is(page, "offline")
    assert queued(page) == 7  # answers 3-6, resumed, completed, passed

    ralph.start()
    # back online: each uncertain statement is looked up (Ralph answers {"statements": []}: absent), then sent
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    status_is(page, "saved")
    learner.finish()
    closed(page)
    assert learner.status().startswith("Progress saved at")
    generated = page.evaluate("() => JSON.parse(sessionStorage.getItem('__ccm_ids'))")
    assert queued(page) == 0 and page.evaluate(REJECTED_JS) == []

    stored = ralph.statements(registration=registration)  # Ralph's fs backend: arrival order
    counts = collections.Counter(s["id"] for s in stored)
    assert [i for i, n in counts.items() if n != 1] == [], "a statement arrived more than once"
    assert set(counts) == set(generated), "a statement was lost"
    assert [s["id"] for s in stored] == generated, "statements arrived out of the order they were made in"
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in stored]
    assert verbs == (
        ["initialized", "experienced", "experienced"]
        + ["answered"] * 4
        + ["resumed"]
        + ["answered"] * 2
        + ["completed", "passed", "terminated"]
    )


@pytest.mark.parametrize("faults", [["504"], ["drop"], ["504", "drop", "504"]])
def test_a_lost_answer_after_the_lrs_stored_loses_and_duplicates_nothing(page, http_server, ralph, package, faults):
    """The LRS stores a POST but its answer is lost (a 504 from a proxy, a dropped connection): the module
    asks statementId before sending those statements again, so each id is stored once, nothing is lost,
    nothing is set aside, and the session still ends with terminated."""
    site = http_server(package)
    front = LrsFront(site, ralph, state_api=False)
    front.faults = list(faults)  # the first POSTs: initialized alone, then the first batch(es)
    registration = str(uuid.uuid4())
    page.add_init_script(RECORD_IDS)
    page.goto(launch_url(site, front.endpoint, ralph.auth_header, registration))
    learner = Learner(page)
    learner.wait_started()
    learner.read_pages()
    learner.take_quiz(correct=True)
    learner.finish()
    closed(page)
    generated = page.evaluate("() => JSON.parse(sessionStorage.getItem('__ccm_ids'))")
    assert queued(page) == 0 and page.evaluate(REJECTED_JS) == []
    faulted = [r for r in front.received if r.status in (0, 504)]
    # stored (200), or already held (204: Chromium itself resends a POST whose reused connection was dropped
    # before any answer, and Ralph keeps one copy of an identical statement)
    assert len(faulted) == len(faults) and all(r.stored in (200, 204) for r in faulted), "the faults happened"
    assert ("GET", "statements") in front.log, "the uncertain ones were looked up"
    stored = ralph.statements(registration=registration)
    counts = collections.Counter(s["id"] for s in stored)
    assert [i for i, n in counts.items() if n != 1] == [], "a statement was stored twice"
    assert [s["id"] for s in stored] == generated, "lost or out of order"
    assert [s["verb"]["id"].rsplit("/", 1)[-1] for s in stored][-1] == "terminated"
    assert not [r for r in front.received if r.status == 409], "nothing already stored was sent again"


@pytest.mark.parametrize("backend", ["ralph", "adl_lrs"])
def test_a_resend_after_a_stale_read_is_confirmed_and_not_set_aside(page, http_server, request, package, backend):
    """A stale read: the LRS stored initialized, the answer was lost (504), and the first statementId
    look-up does not see it yet (a replica behind its primary: 404). The module sends it again. ADL_LRS
    answers 409 (it holds that id): the module confirms with statementId and counts it as delivered, not
    refused. Ralph keeps one copy of an identical statement and answers 204. Either way: each id once."""
    lrs = request.getfixturevalue(backend)
    site = http_server(package)
    front = LrsFront(site, lrs, state_api=False)
    stale = {"left": 1}
    original = front.query

    def lagging(req):
        if "statementId" in req.query and stale["left"] > 0:
            stale["left"] -= 1
            return Response(404, {"error": "no statement with that id"})
        return original(req)

    front.query = lagging
    front.faults = ["504"]  # initialized: stored, answer lost
    registration = str(uuid.uuid4())
    page.add_init_script(RECORD_IDS)
    page.goto(launch_url(site, front.endpoint, lrs.auth_header, registration))
    learner = Learner(page)
    learner.wait_started()
    learner.read_pages()
    learner.take_quiz(correct=True)
    learner.finish()
    closed(page)
    generated = page.evaluate("() => JSON.parse(sessionStorage.getItem('__ccm_ids'))")
    assert stale["left"] == 0, "the look-up happened"
    statuses = [r.status for r in front.received]
    assert statuses[:2] == [504, 409 if isinstance(lrs, RemoteLrs) else 204], statuses
    # later: only the stale one met a 409, and nothing was refused (an LRS under load may still answer 5xx,
    # which the module retries after a look-up)
    assert statuses.count(409) == (1 if isinstance(lrs, RemoteLrs) else 0), statuses
    assert not [s for s in statuses[2:] if 400 <= s < 500], [(r.status, r.stored) for r in front.received]
    assert page.evaluate(REJECTED_JS) == [], "a 409 for a statement the LRS holds is not a refusal"
    assert "refused" not in page.inner_text("#ccm-notices")
    params = {"registration": registration}
    if isinstance(lrs, RemoteLrs):
        params["ascending"] = True
    stored = lrs.statements(**params)
    assert [s["id"] for s in stored] == generated, "each statement once, in order"


def test_outbox_sets_aside_what_a_400_lrs_refuses_and_stops(page, http_server, package):
    site = http_server(package)
    bodies: list[list] = []

    def refuse(req):
        bodies.append(json.loads(req.body or b"null"))
        return Response(400, {"error": "bad statement"})

    site.add_route("/lrs400/statements", refuse)
    page.goto(launch_url(site, site.url("lrs400/"), "Basic dGVzdDp0ZXN0", str(uuid.uuid4())))
    learner = Learner(page)
    learner.wait_started()
    page.click("#ccm-next")
    status_is(page, "partial")  # delivered what it could; the refused statements are set aside
    assert "refused" in page.locator("#ccm-notices").text_content()
    # Settled when the outbox is empty and the three statements are set aside: an empty outbox sends
    # nothing more (it never POSTs an empty batch), so no wait for "nothing happens" is needed.
    page.wait_for_function(f"() => ({QUEUED_JS})() === 0 && ({REJECTED_JS})().length === 3")
    settled = len(bodies)
    sent_ids = [s["id"] for body in bodies for s in body]
    made = 3  # initialized, experienced x2
    assert len(set(sent_ids)) == made
    assert settled <= 2 * made, f"{settled} requests for {made} statements"
    assert all(body for body in bodies), "an empty batch was POSTed"
    singles = collections.Counter(body[0]["id"] for body in bodies if len(body) == 1)
    assert sorted(singles.values()) == [1] * made, "each refused statement is tried on its own once"
    rejected = page.evaluate("""() => Object.keys(localStorage).filter(k => k.endsWith(':rejected'))
        .flatMap(k => JSON.parse(localStorage.getItem(k)))""")
    assert sorted(r["statement"]["id"] for r in rejected) == sorted(set(sent_ids))
    assert {r["status"] for r in rejected} == {400}
    assert queued(page) == 0

    # set-aside statements are not sent again by the next page load: it sends (and sets aside) only its own
    before = set(sent_ids)
    page.reload()
    learner.wait_started()
    page.wait_for_function(f"() => ({QUEUED_JS})() === 0 && ({REJECTED_JS})().length > 3")
    again = [s["id"] for body in bodies[settled:] for s in body]
    assert again and not (set(again) & before)


def test_outbox_never_posts_an_empty_batch(page, http_server, ralph, package):
    site = http_server(package)
    seen: list = []

    def forward(req):
        seen.append(req.body)
        answer = ralph.request("POST", "statements", body=req.body)
        return Response(answer.status, answer.body, {"Content-Type": "application/json"})

    site.add_route("/lrs/statements", forward)
    page.goto(launch_url(site, site.url("lrs"), ralph.auth_header, str(uuid.uuid4())))
    learner = Learner(page)
    learner.wait_started()
    learner.read_pages()
    status_is(page, "saved")
    before = len(seen)
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # a flush with nothing to send
    # the reloaded page's first statement is the next request to the LRS but for the keepalive terminated
    with page.expect_request(lambda r: "/lrs/statements" in r.url and r.method == "POST") as first:
        page.reload()
    learner.wait_started()
    status_is(page, "saved")
    assert json.loads(first.value.post_data), "an empty batch was POSTed"
    later = [json.loads(body) for body in seen[before:]]
    first_at = later.index(json.loads(first.value.post_data))
    # in between, at most the leaving page's keepalive with terminated (nothing else was on its way)
    assert all([s["verb"]["id"].rsplit("/", 1)[-1] for s in batch] == ["terminated"] for batch in later[:first_at])
    assert seen and all(json.loads(body) for body in seen)
