"""The certificate of a standalone module package: offered when the module is passed, the
name typed on the device (or given by the platform), back to the results afterwards."""

from __future__ import annotations

from support.pathway_course import RIGHT_FIRST, build_module
from support.scorm_helpers import answer
from test_pathway_runtime import focused

STARTED = "() => (window.__ccmRecording || []).some(c => c.method === 'record' && c.args[0].type === 'start')"


def question_on_screen(page) -> dict:
    return page.evaluate("""() => {
        const id = document.querySelector('#ccm-quiz:not([hidden]) form.ccm-question').dataset.question;
        return JSON.parse(document.getElementById('ccm-course').textContent).questions.find(q => q.id === id);
    }""")


def pass_the_quiz(page, url):
    page.goto(url)
    page.wait_for_function(STARTED)
    page.click('#ccm-toc-list a[data-view="3"]')
    page.get_by_role("button", name="Start the quiz").click()
    for response in RIGHT_FIRST:
        answer(page, question_on_screen(page), response)
        page.locator("#ccm-quiz-body button[data-action]").click()
    assert focused(page, "#ccm-results-title")


def test_module_certificate_with_a_typed_name(page, tmp_path, http_server):
    build_module(tmp_path / "m")
    pass_the_quiz(page, http_server(tmp_path / "m").url("index.html"))
    page.get_by_role("button", name="Get your certificate").click()
    assert focused(page, "#ccm-certificate-title")
    assert page.is_hidden("#ccm-results") and page.is_hidden("#ccm-pager")
    page.fill("#ccm-learner-name", "  Sam   Okafor ")
    page.get_by_role("button", name="Save my name").click()
    text = " ".join(page.inner_text("#ccm-cert").split())
    # A module's state keeps no date, so the certificate says when this copy was made, not "completed on".
    assert (
        "This is a record that Sam Okafor completed the module “Communication in coordinated care” "
        "This copy was made on" in text
    )
    assert page.inner_text(".ccm-cert-name") == "Sam Okafor"
    assert "Communication" in text and "Person-centred practice" in text
    assert page.evaluate("() => localStorage.getItem('ccm:runtime-test:1.0.0:name')") == "Sam Okafor"
    page.get_by_role("button", name="Back to your results").click()
    assert focused(page, "#ccm-results-title") and page.is_visible("#ccm-results")
    assert page.ccm_errors == []


def test_module_certificate_uses_the_platform_name(page, tmp_path, http_server):
    build_module(tmp_path / "m")
    page.add_init_script("window.__ccmLaunch = {learner: {id: 'x', name: 'Okafor, Sam'}}")
    pass_the_quiz(page, http_server(tmp_path / "m").url("index.html"))
    page.get_by_role("button", name="Get your certificate").click()
    assert page.locator("#ccm-learner-name").count() == 0
    assert "This is a record that Sam Okafor completed" in " ".join(page.inner_text("#ccm-cert").split())
