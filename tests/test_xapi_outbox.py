"""The durable statement outbox under faults: the LRS goes away mid-module, the page is
reloaded, the LRS comes back (every statement arrives exactly once, in the order it was
made); an LRS that answers 400 is not retried forever; nothing is ever POSTed empty."""

from __future__ import annotations

import collections
import json
import urllib.parse
import uuid

import pytest

from support.cmi5_launcher import Learner, build_package
from support.course_source import write_course
from support.http_server import Response

MODULE_IRI = "https://ccm-scorm.example.org/test/module/demo"
ACTOR = {"objectType": "Agent", "name": "Jane Doe", "mbox": "mailto:jane@example.org"}

# Every statement id the page puts in its outbox, in the order it was made, kept in
# sessionStorage so that it survives reloads of the tab.
RECORD_IDS = """
(() => {
  const set = Storage.prototype.setItem;
  Storage.prototype.setItem = function (key, value) {
    if (this === window.localStorage && key.startsWith('ccm:outbox:') && !key.endsWith(':rejected')) {
      const seen = JSON.parse(window.sessionStorage.getItem('__ccm_ids') || '[]');
      for (const s of JSON.parse(value)) if (!seen.includes(s.id)) seen.push(s.id);
      set.call(window.sessionStorage, '__ccm_ids', JSON.stringify(seen));
    }
    return set.call(this, key, value);
  };
})();
"""


@pytest.fixture
def package(tmp_path):
    return build_package(write_course(tmp_path), "xapi", tmp_path)


def launch_url(site, endpoint, auth, registration) -> str:
    return site.url("index.html") + "?" + urllib.parse.urlencode({
        "endpoint": endpoint, "auth": auth, "actor": json.dumps(ACTOR),
        "registration": registration, "activity_id": MODULE_IRI})


def status_is(page, text, timeout=20_000):
    page.wait_for_function("(t) => document.getElementById('ccm-status').textContent === t", arg=text,
                           timeout=timeout)


def queued(page) -> int:
    return page.evaluate("""() => Object.keys(localStorage).filter(k => k.startsWith('ccm:outbox:') && !k.endsWith(':rejected'))
        .reduce((n, k) => n + JSON.parse(localStorage.getItem(k)).length, 0)""")


def test_outbox_survives_lrs_outage_and_reload_exactly_once_in_order(page, http_server, ralph, package):
    site = http_server(package)
    registration = str(uuid.uuid4())
    page.add_init_script(RECORD_IDS)
    page.goto(launch_url(site, ralph.url, ralph.auth_header, registration))
    learner = Learner(page)
    learner.wait_started()
    learner.read_pages()
    learner.take_quiz(stop_after=2)
    status_is(page, "Progress saved")

    ralph.stop()
    learner.take_quiz(start=2, stop_after=4)
    status_is(page, "Offline: will try again")
    assert queued(page) >= 2
    page.reload()  # pagehide: "terminated" joins the queue; the keepalive send fails
    learner.wait_started()
    page.wait_for_selector("#ccm-q4-form")
    learner.take_quiz(start=4)
    status_is(page, "Offline: will try again")
    waiting = queued(page)
    assert waiting >= 8  # answers 3-6, terminated, resumed, completed, passed

    ralph.start()
    page.evaluate("() => window.dispatchEvent(new Event('online'))")
    status_is(page, "Progress saved")
    learner.finish()
    status_is(page, "Progress saved")
    page.wait_for_function("() => document.getElementById('ccm-status').textContent === 'Progress saved'")
    generated = page.evaluate("() => JSON.parse(sessionStorage.getItem('__ccm_ids'))")
    assert queued(page) == 0

    stored = ralph.statements(registration=registration)  # Ralph's fs backend: arrival order
    counts = collections.Counter(s["id"] for s in stored)
    assert [i for i, n in counts.items() if n != 1] == [], "a statement arrived more than once"
    assert set(counts) == set(generated), "a statement was lost"
    assert [s["id"] for s in stored] == generated, "statements arrived out of the order they were made in"
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in stored]
    assert verbs == (["initialized", "experienced", "experienced"] + ["answered"] * 4 + ["terminated", "resumed"]
                     + ["answered"] * 2 + ["completed", "passed", "terminated"])


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
    status_is(page, "Progress not saved")
    assert "refused" in page.locator("#ccm-notices").text_content()
    page.wait_for_timeout(2500)
    settled = len(bodies)
    page.wait_for_timeout(3000)
    assert len(bodies) == settled, "the outbox keeps retrying what the LRS refused"
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

    # set-aside statements are not sent again by the next page load
    before = set(sent_ids)
    page.reload()
    learner.wait_started()
    page.wait_for_timeout(1500)
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
    status_is(page, "Progress saved")
    page.evaluate("() => window.dispatchEvent(new Event('online'))")  # a flush with nothing to send
    page.reload()
    learner.wait_started()
    page.wait_for_timeout(800)
    assert seen and all(json.loads(body) for body in seen)
