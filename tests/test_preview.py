"""`ccm preview`: the live preview server, its preview SCORM LMS, its preview LRS and the inspector.

The server runs in a background thread on a free port, on a copy of the small test course;
the browser tests edit the course's files and watch the page follow without a reload.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from support.course_source import write_course
from support.cover import pass_cover
from support.paths import REPO_ROOT

from ccm_scorm.preview import start_preview

WAIT_MS = 15_000


@pytest.fixture
def course(tmp_path) -> Path:
    return write_course(tmp_path)


@pytest.fixture
def preview(course):
    servers = []

    def start(target: str = "scorm12"):
        server = start_preview(course, port=0, target=target, poll_seconds=0.1)
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


def http(url: str, method: str = "GET", data=None) -> tuple[int, object]:
    body = None if data is None else json.dumps(data).encode()
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        raw, status = error.read(), error.code
    try:
        return status, json.loads(raw) if raw else None
    except ValueError:
        return status, raw.decode("utf-8", "replace")


def open_unit(page, server, target: str, unit: str = "module/demo"):
    page.set_viewport_size({"width": 1400, "height": 1000})
    page.goto(f"{server.url}{unit}?target={target}")
    learner = page.frame_locator("#pv-frame")
    learner.locator("#ccm-cover h1").wait_for(timeout=WAIT_MS)
    # The cover is static HTML: a click before the runtime has started is lost.
    learner.locator("html.ccm-ready").wait_for(state="attached", timeout=WAIT_MS)
    pass_cover(learner)
    return learner


def back_past_the_cover(learner) -> None:
    """Once the reloaded frame shows its cover (the frame the learner left had it hidden), pass it."""
    learner.locator("#ccm-cover:not([hidden])").wait_for(timeout=WAIT_MS)
    pass_cover(learner)


def answer_first_question(learner) -> None:
    for _ in range(2):  # through the two pages to the quiz
        learner.locator("#ccm-next").click()
    learner.get_by_role("button", name="Start the quiz").click()
    learner.locator("#ccm-q0-1").check()  # "What matters to you?": the right answer
    learner.get_by_role("button", name="Check answer").click()
    learner.locator(".ccm-feedback").wait_for(timeout=WAIT_MS)


def cmi_value(page, element: str):
    row = page.locator("#pv-cmi tbody tr", has=page.locator(f'th:text-is("{element}")'))
    return row.locator("td") if row.count() else None


# ---------------------------------------------------------------------------------- no browser
def test_preview_lrs_answers_like_an_lrs_and_a_cmi5_lms(preview):
    server = preview("cmi5")
    lrs = server.url + "preview-lrs/"
    status, token = http(lrs + "fetch?registration=r1", "POST")
    assert status == 200 and token["auth-token"]
    agent = json.dumps({"objectType": "Agent", "account": {"homePage": "http://x", "name": "a"}})
    iri = "https://ccm-scorm.example.org/test/module/demo"
    q = urllib.parse.urlencode({"stateId": "LMS.LaunchData", "activityId": iri, "agent": agent, "registration": "r1"})
    status, launch = http(lrs + "activities/state?" + q)
    assert status == 200 and launch["moveOn"] == "CompletedAndPassed" and launch["masteryScore"] == 0.8
    assert launch["contextTemplate"]["extensions"]
    q = urllib.parse.urlencode({"profileId": "cmi5LearnerPreferences", "agent": agent})
    assert http(lrs + "agents/profile?" + q) == (200, {"languagePreference": "en-GB", "audioPreference": "on"})
    statement = {
        "actor": json.loads(agent),
        "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
        "object": {"id": iri + "/q1"},
        "context": {"registration": "r1"},
    }
    status, ids = http(lrs + "statements", "POST", [statement])
    assert status == 200 and len(ids) == 1
    status, found = http(lrs + "statements?registration=r1")
    assert [s["id"] for s in found["statements"]] == ids
    http(server.url + "preview-api/reset?registration=r1", "POST", {})
    assert http(lrs + "statements?registration=r1")[1]["statements"] == []


def test_a_target_from_another_package_is_offered_and_its_capabilities_are_kept(preview, monkeypatch):
    """The example third-party target (tests/fixtures/plugin_site) makes module packages only."""
    from ccm_scorm import targets

    monkeypatch.syspath_prepend(str(REPO_ROOT / "tests" / "fixtures" / "plugin_site"))
    targets.refresh()
    try:
        server = preview("reading-copy")
        status, catalogue = http(server.url + "?target=reading-copy")
        assert status == 200 and '<option value="reading-copy" selected>Reading copy</option>' in catalogue
        assert "The Reading copy package holds no pathways" in catalogue
        status, data = http(server.url + "preview-api/status?target=reading-copy&kind=module&id=demo")
        assert data["unitProblem"] is None and data["unit"]["id"] == "demo"
        status, data = http(server.url + "preview-api/status?target=reading-copy&kind=pathway&id=starter")
        assert data["unit"] is None and "makes no pathway packages" in data["unitProblem"]
        assert data["unitProblemKind"] == "NotAvailable"
    finally:
        monkeypatch.undo()
        targets.refresh()


# ---------------------------------------------------------------------------------- browser
def test_edits_show_without_a_reload_and_errors_show_with_file_and_line(page, preview, course):
    server = preview("web")
    learner = open_unit(page, server, "web")
    page_file = course / "demo" / "pages" / "01-welcome.md"
    page_file.write_text(page_file.read_text().replace("Listening comes first.", "Listening always comes first."))
    back_past_the_cover(learner)  # the frame reloads with the new build, on its cover
    learner.get_by_text("Listening always comes first.").wait_for(timeout=WAIT_MS)

    module_yaml = course / "demo" / "module.yaml"
    good = module_yaml.read_text()
    module_yaml.write_text(good.replace("minutes: 10", "minutes: [10"))
    problems = page.locator("#pv-problems")
    problems.wait_for(state="visible", timeout=WAIT_MS)
    text = problems.inner_text()
    assert "demo/module.yaml, line " in text, text
    assert page.locator("#pv-frame").is_hidden()
    status, catalogue = http(server.url)  # the catalogue lists the same errors instead of the modules
    assert status == 200 and "demo/module.yaml, line " in catalogue and "Demo module</a>" not in catalogue

    module_yaml.write_text(good)
    problems.wait_for(state="hidden", timeout=WAIT_MS)
    back_past_the_cover(learner)
    learner.get_by_text("Listening always comes first.").wait_for(timeout=WAIT_MS)
    assert not [e for e in page.ccm_errors if "favicon" not in e], page.ccm_errors


def test_scorm12_inspector_shows_the_data_model_and_reset_clears_it(page, preview):
    server = preview("scorm12")
    learner = open_unit(page, server, "scorm12")
    answer_first_question(learner)
    page.locator('#pv-cmi th:text-is("cmi.interactions.0.id")').wait_for(timeout=WAIT_MS)
    assert cmi_value(page, "cmi.interactions.0.id").inner_text() == "demo.q1-active-listening"
    assert cmi_value(page, "cmi.interactions.0.result").inner_text() == "correct"
    assert cmi_value(page, "cmi.core.lesson_status").inner_text() == "incomplete"
    calls = page.locator("#pv-calls").inner_text()
    assert 'LMSInitialize("")' in calls and 'LMSSetValue("cmi.interactions.0.id", "demo.q1-active-listening")' in calls

    page.get_by_role("button", name="Simulate resume").click()
    page.locator('#pv-cmi th:text-is("cmi.core.entry")').wait_for(timeout=WAIT_MS)
    back_past_the_cover(learner)  # Continue where you left off
    learner.locator("#ccm-quiz-body").wait_for(timeout=WAIT_MS)  # back where the learner was
    page.wait_for_function(
        '() => /"cmi.core.entry"\\) *"resume"|resume/.test(document.querySelector(\'#pv-calls\').innerText)',
        timeout=WAIT_MS,
    )
    assert cmi_value(page, "cmi.core.entry").inner_text() == "resume"
    assert int(page.locator("#pv-size").inner_text().split(": ")[1].split(" ")[0]) > 0

    page.get_by_role("button", name="Reset progress").click()
    page.locator('#pv-cmi th:text-is("cmi.interactions.0.id")').wait_for(state="detached", timeout=WAIT_MS)
    learner.locator("#ccm-cover:not([hidden]) h1").wait_for(timeout=WAIT_MS)  # a fresh start, on the cover
    page.locator('#pv-cmi th:text-is("cmi.core.lesson_status")').wait_for(timeout=WAIT_MS)
    assert cmi_value(page, "cmi.core.entry").inner_text() == "ab-initio"
    stored = page.evaluate(
        "() => Object.keys(localStorage).filter(k => k.startsWith('ccm:scorm:demo:'))"
        ".map(k => JSON.parse(localStorage.getItem(k)).s)"
    )
    assert all(not s or s.startswith("c2|0|") for s in stored), stored


def test_xapi_statements_appear_in_the_inspector_and_reset_clears_them(page, preview):
    server = preview("xapi")
    learner = open_unit(page, server, "xapi")
    answer_first_question(learner)
    answered = page.locator("#pv-statements tbody tr", has=page.locator('td.pv-verb:text-is("answered")'))
    answered.first.wait_for(timeout=WAIT_MS)
    row = answered.first.inner_text()
    assert "Which question is open?" in row and "Communication" in row and "success" in row
    answered.first.get_by_text("Raw JSON").click()
    assert '"registration"' in answered.first.locator("pre").inner_text()

    old_registration = page.locator("#pv-statement-count").inner_text().split("(")[1].split(")")[0]
    page.get_by_role("button", name="Reset progress").click()
    # the relaunch under a new registration starts afresh: the old statements are gone from the view
    page.wait_for_function(
        """old => { const count = document.querySelector('#pv-statement-count').textContent;
                   const verbs = [...document.querySelectorAll('#pv-statements td.pv-verb')].map(c => c.textContent);
                   return !count.includes(old) && verbs.includes('initialized') && !verbs.includes('answered'); }""",
        arg=old_registration,
        timeout=WAIT_MS,
    )
    status, left = http(f"{server.url}preview-lrs/statements?registration={old_registration}")
    assert left["statements"] == []


def test_catalogue_and_inspector_pass_axe(page, preview, axe_check, format_violations):
    server = preview("scorm12")
    page.goto(server.url)
    page.get_by_role("link", name="Demo module").wait_for()
    violations = axe_check(page)
    assert not violations, format_violations(violations)
    open_unit(page, server, "scorm12")
    page.locator('#pv-cmi th:text-is("cmi.core.lesson_status")').wait_for(timeout=WAIT_MS)
    violations = axe_check(page)
    assert not violations, format_violations(violations)
