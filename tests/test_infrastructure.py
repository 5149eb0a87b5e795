"""Proof that the test fixtures drive the real clients (tests/conftest.py)."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import pytest

SUPPORT = Path(__file__).resolve().parent / "support"

CLEAN_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Clean page</title></head>
<body><main><h1>Clean page</h1>
<p>A paragraph with an <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="dot"> image.</p>
<button type="button" onclick="document.getElementById('out').textContent='clicked'">Press</button>
<p id="out"></p></main></body></html>"""

BAD_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Bad page</title></head>
<body><main><h1>Bad page</h1>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
</main></body></html>"""


def valid_statement(**overrides) -> dict:
    statement = {
        "id": str(uuid.uuid4()),
        "actor": {"objectType": "Agent", "name": "Jane Doe", "mbox": "mailto:jane@example.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}},
        "object": {
            "objectType": "Activity",
            "id": "https://example.org/ccm/course-1/" + uuid.uuid4().hex,
            "definition": {"name": {"en-US": "Course 1"}},
        },
        "result": {"completion": True, "success": True, "score": {"scaled": 0.8, "raw": 80, "min": 0, "max": 100}},
        "timestamp": "2026-11-01T10:00:00.000Z",
    }
    statement.update(overrides)
    return statement


INVALID_STATEMENT = {
    "actor": {"mbox": "jane@example.org"},  # not a mailto: IRI
    "verb": {"id": "completed"},  # not an IRI
    "object": {"id": "https://example.org/x"},
}


# ------------------------------------------------------------------ basics
def test_shared_dir_exists(shared_dir):
    assert (shared_dir / "reference" / "test-clients.md").is_file()


def test_browser_renders_served_page(page, http_server, tmp_path):
    (tmp_path / "index.html").write_text(CLEAN_PAGE, encoding="utf-8")
    site = http_server(tmp_path)
    assert site.startswith("http://127.0.0.1:") and site.endswith("/")
    page.goto(site + "index.html")
    assert page.title() == "Clean page"
    page.get_by_role("button", name="Press").click()
    assert page.locator("#out").text_content() == "clicked"
    assert page.ccm_errors == [], page.ccm_errors
    assert any(r.path == "/index.html" for r in site.requests)


def test_http_server_files_routes_and_mounts(page, http_server):
    site = http_server(files={"a/hello.html": CLEAN_PAGE})
    site.add_route("/api/echo", lambda req: {"method": req.method, "body": req.body.decode()})
    page.goto(site.url("a/hello.html"))
    assert page.title() == "Clean page"
    echoed = page.evaluate(
        """async (u) => (await fetch(u, {method: "POST", body: "hi"})).json()""", site.url("api/echo")
    )
    assert echoed == {"method": "POST", "body": "hi"}
    # tests/support and node_modules are mounted on every server.
    lms = page.evaluate("async (u) => (await fetch(u)).status", site.url("__lms/lms.html"))
    bundle = page.evaluate("async (u) => (await fetch(u)).status", site.url("__node/scorm-again/dist/scorm12.min.js"))
    missing = page.evaluate("async (u) => (await fetch(u)).status", site.url("nope.html"))
    assert (lms, bundle, missing) == (200, 200, 404)
    # Unknown POSTs answer like an LMS commit endpoint and are recorded.
    page.evaluate("""async (u) => fetch(u, {method: "POST", body: '{"x": 1}'})""", site.url("commit"))
    assert [p.json() for p in site.posts if p.path == "/commit"] == [{"x": 1}]


def test_http_server_serves_a_zip(page, http_server, tmp_path):
    import zipfile

    package = tmp_path / "package.zip"
    with zipfile.ZipFile(package, "w") as archive:
        archive.writestr("imsmanifest.xml", "<manifest/>")
        archive.writestr("module/index.html", CLEAN_PAGE)
    site = http_server(package)
    page.goto(site + "module/index.html")
    assert page.title() == "Clean page"
    assert site.root is not None and (site.root / "imsmanifest.xml").is_file()


def test_page_collects_console_and_page_errors(page, http_server):
    site = http_server(
        files={"err.html": "<!DOCTYPE html><title>e</title><script>console.error('boom'); undefinedFn();</script>"}
    )
    page.goto(site.url("err.html"))
    assert any("boom" in e for e in page.ccm_errors), page.ccm_errors
    assert any(e.startswith("pageerror:") and "undefinedFn" in e for e in page.ccm_errors), page.ccm_errors


def test_errors_in_iframes_are_collected(new_page, http_server):
    page = new_page()
    site = http_server(
        files={
            "inner.html": "<!DOCTYPE html><title>i</title><script>console.error('inner boom'); innerFn();</script>",
            "outer.html": "<!DOCTYPE html><title>o</title><iframe title='inner' src='inner.html'></iframe>",
        }
    )
    page.goto(site.url("outer.html"))
    page.wait_for_function("() => document.querySelector('iframe').contentDocument.readyState === 'complete'")
    assert any("inner boom" in e for e in page.ccm_errors), page.ccm_errors
    assert any(e.startswith("pageerror:") and "innerFn" in e for e in page.ccm_errors), page.ccm_errors


# --------------------------------------------------------------------- axe
def test_axe_finds_missing_alt(page, http_server, axe_check, format_violations):
    site = http_server(files={"bad.html": BAD_PAGE})
    page.goto(site.url("bad.html"))
    violations = axe_check(page)
    assert "image-alt" in {v["id"] for v in violations}, format_violations(violations)
    assert "image-alt" in format_violations(violations)


def test_axe_passes_clean_page(page, http_server, axe_check, format_violations):
    site = http_server(files={"clean.html": CLEAN_PAGE})
    page.goto(site.url("clean.html"))
    violations = axe_check(page)
    assert violations == [], format_violations(violations)


def test_axe_checks_a_frame(page, http_server, axe_check, format_violations):
    site = http_server(
        files={
            "bad.html": BAD_PAGE,
            "outer.html": '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Outer</title></head>'
            '<body><main><h1>Outer</h1><iframe name="inner" title="Inner" src="bad.html"></iframe></main></body></html>',
        }
    )
    page.goto(site.url("outer.html"))
    frame = page.frame(name="inner")
    violations = axe_check(page, frame)
    assert [v["id"] for v in violations] == ["image-alt"], format_violations(violations)
    # From the top page, axe also reaches into the (same-origin) iframe.
    assert "image-alt" in {v["id"] for v in axe_check(page)}


# ------------------------------------------------------------ SCORM harness
@pytest.fixture
def sample_site(http_server):
    return http_server(SUPPORT / "sample_sco")


def test_lms_harness_scorm12(scorm_lms, sample_site):
    lms = scorm_lms(sample_site + "scorm12.html", edition="12", wait_for="initialize")
    lms.wait_for_finish()
    assert [(c["element"], c["value"], c["result"]) for c in lms.set_values()] == [
        ("cmi.core.lesson_location", "page-2", "true"),
        ("cmi.core.score.raw", "80", "true"),
        ("cmi.core.lesson_status", "passed", "true"),
    ]
    assert lms.commit_count() == 1
    assert lms.finish_count() == 1
    assert lms.initialize_count() == 1
    cmi = lms.cmi()
    assert cmi["cmi.core.lesson_location"] == "page-2"
    assert cmi["cmi.core.score.raw"] == "80"
    assert cmi["cmi.core.lesson_status"] == "passed"
    assert cmi["cmi.core.student_id"] == "u1"
    assert lms.frame.locator("body").get_attribute("data-result") == "true,true,true,true,true,true"
    assert [c["fn"] for c in lms.calls() if c["fn"] in ("LMSInitialize", "LMSCommit", "LMSFinish")] == [
        "LMSInitialize",
        "LMSCommit",
        "LMSFinish",
    ]
    assert lms.page.ccm_errors == [], lms.page.ccm_errors


def test_lms_harness_scorm2004(scorm_lms, sample_site):
    lms = scorm_lms(sample_site + "scorm2004.html", edition="2004", learner={"id": "L7", "name": "Roe, Rick"})
    lms.wait_for_finish()
    assert lms.set_value_pairs() == [
        ("cmi.location", "page-2"),
        ("cmi.score.raw", "80"),
        ("cmi.completion_status", "completed"),
        ("cmi.success_status", "passed"),
    ]
    assert (lms.commit_count(), lms.finish_count()) == (1, 1)
    cmi = lms.cmi()
    assert cmi["cmi.learner_id"] == "L7"
    assert cmi["cmi.completion_status"] == "completed"
    assert cmi["cmi.success_status"] == "passed"
    assert cmi["cmi.score.raw"] == "80"
    assert lms.page.ccm_errors == [], lms.page.ccm_errors


@pytest.mark.parametrize(
    "edition,location,entry",
    [("12", "cmi.core.lesson_location", "cmi.core.entry"), ("2004", "cmi.location", "cmi.entry")],
)
def test_lms_harness_resume_seed(scorm_lms, sample_site, edition, location, entry):
    seed = {location: "page-7", "cmi.suspend_data": "abc=1", entry: "resume"}
    lms = scorm_lms(sample_site + f"scorm{edition}.html", edition=edition, seed=seed)
    lms.wait_for_finish()
    frame = lms.frame
    assert frame.locator("#entry").text_content() == "resume"
    assert frame.locator("#location").text_content() == "page-7"
    assert frame.locator("#suspend").text_content() == "abc=1"


def test_lms_harness_commit_fault_and_commit_url(scorm_lms, sample_site):
    lms = scorm_lms(sample_site + "scorm12.html", faults={"commitFailures": 1}, commit_url="/commit")
    lms.wait_for_finish()
    assert lms.commit_count() == 2  # the sample SCO retries once
    assert lms.frame.locator("body").get_attribute("data-commit-error") == "101"
    commits = [c for c in lms.calls() if c["fn"] == "LMSCommit"]
    assert [(c["result"], c["error"]) for c in commits] == [("false", "101"), ("true", "0")]
    # The successful commit and the finish POSTed the CMI to /commit (a bounded wait for the second POST:
    # the route handler runs while Playwright is waited on).
    deadline = time.monotonic() + 10
    while len(lms.commit_posts) < 2 and time.monotonic() < deadline:
        lms.page.wait_for_timeout(20)
    assert len(lms.commit_posts) == 2, lms.commit_posts
    assert all(p["cmi"]["core"]["lesson_location"] == "page-2" for p in lms.commit_posts), lms.commit_posts


def test_lms_harness_no_api(scorm_lms, sample_site):
    lms = scorm_lms(sample_site + "scorm2004.html", edition="2004", faults={"noApi": True})
    assert lms.frame.locator("body").get_attribute("data-result") == "no-api"
    assert lms.calls() == []


def test_lms_harness_second_launch_on_same_page(scorm_lms, sample_site):
    first = scorm_lms(sample_site + "scorm12.html")
    first.wait_for_finish()
    suspend = first.cmi()["cmi.core.lesson_location"]
    second = scorm_lms(
        sample_site + "scorm12.html", seed={"cmi.core.lesson_location": suspend, "cmi.core.entry": "resume"}
    )
    second.wait_for_finish()
    assert second.frame.locator("#location").text_content() == "page-2"
    assert second.commit_count() == 1


# --------------------------------------------------------------------- LRS
def test_ralph_write_only_and_full_credentials(ralph):
    assert ralph.url.endswith("/xAPI/")
    statement = valid_statement()
    posted = ralph.post(statement, auth="write")
    assert posted.status == 200, posted
    assert posted.json() == [statement["id"]]
    refused = ralph.request("GET", "statements", auth="write")
    assert refused.status in (401, 403), refused
    stored = ralph.statements(activity=statement["object"]["id"])
    assert [s["id"] for s in stored] == [statement["id"]]
    assert stored[0]["verb"]["id"] == statement["verb"]["id"]
    # The verb filter works too (fs backend defect worked around), and several writes append.
    second = valid_statement(object=statement["object"], verb={"id": "http://adlnet.gov/expapi/verbs/passed"})
    assert ralph.post(second, auth=ralph.write_only_auth_header).status == 200
    assert [
        s["id"]
        for s in ralph.statements(activity=statement["object"]["id"], verb="http://adlnet.gov/expapi/verbs/passed")
    ] == [second["id"]]
    assert len(ralph.statements(activity=statement["object"]["id"])) == 2
    assert ralph.request("GET", "statements", auth=None).status == 401


def test_ralph_cors_allows_test_origins(ralph, page, http_server):
    site = http_server(files={"x.html": "<!DOCTYPE html><title>x</title>"})
    page.goto(site.url("x.html"))
    statement = valid_statement()
    status = page.evaluate(
        """async ([url, auth, stmt]) => {
            const r = await fetch(url + "statements", {method: "POST", headers: {
                "Authorization": auth, "Content-Type": "application/json", "X-Experience-API-Version": "1.0.3"},
                body: JSON.stringify(stmt)});
            return r.status;
        }""",
        [ralph.url, ralph.write_only_auth_header, statement],
    )
    assert status == 200
    assert ralph.statement(statement["id"])["id"] == statement["id"]


def test_ralph_stop_start_keeps_data(ralph):
    statement = valid_statement()
    assert ralph.post(statement).status == 200
    ralph.stop()
    with pytest.raises(OSError):
        import urllib.request

        urllib.request.urlopen(ralph.url + "statements", timeout=2)
    ralph.start()
    assert [s["id"] for s in ralph.statements(activity=statement["object"]["id"])] == [statement["id"]]


def test_ralph_clear(ralph):
    assert ralph.post(valid_statement()).status == 200
    ralph.clear()
    assert ralph.statements() == []
    assert ralph.post(valid_statement()).status == 200
    assert len(ralph.statements()) == 1


def test_ralph_pagination_follows_more(ralph):
    activity = "https://example.org/ccm/paged/" + uuid.uuid4().hex
    batch = [valid_statement(object={"objectType": "Activity", "id": activity}) for _ in range(3)]
    assert ralph.post(batch).status == 200
    got = ralph.statements(activity=activity, limit=2)
    assert sorted(s["id"] for s in got) == sorted(s["id"] for s in batch)


# -------------------------------------------------------------- validators
def test_pydantic_validator(validate_statement):
    assert validate_statement(valid_statement()) == []
    errors = validate_statement(INVALID_STATEMENT)
    assert errors and all(e.startswith("[0] ") for e in errors), errors
    assert validate_statement([valid_statement(), INVALID_STATEMENT])[0].startswith("[1] ")


def test_npm_xapi_validation(xapi_validation):
    assert xapi_validation(valid_statement()) == []
    warnings = xapi_validation(INVALID_STATEMENT)
    assert any("actor.mbox" in w for w in warnings), warnings
    assert any("verb.id" in w for w in warnings), warnings
    assert xapi_validation([valid_statement(), INVALID_STATEMENT])[0].startswith("[1] ")


def test_validators_reachable_from_ralph(ralph):
    assert ralph.validate_statement(valid_statement()) == []
    assert ralph.xapi_validation(INVALID_STATEMENT) != []
