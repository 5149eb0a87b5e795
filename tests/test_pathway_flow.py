"""The pathway page and its flow, on a phone-sized screen, in the web package, in SCORM 1.2 and
2004 packages inside scorm-again and in the xAPI package against Ralph (Chromium). (A cmi5
pathway has no pathway page: each module is an AU of its own.)

A module's results replace the pathway page (the page is hidden while a module is on screen), the
results heading has the focus and is in view at 360x740, and the pathway page is up to date when
the learner comes back to it: the progress bar and its words, each module's status tag, each
module's action (Start / Continue / Try again / Review) and the primary action (Start, Continue to
the next module, the certificate once every module is passed)."""

from __future__ import annotations

import uuid

import pytest
from support.browser import attach_error_collectors
from support.pathway_course import RIGHT_FIRST, RIGHT_SECOND, build_pathway, make_pathway_course
from support.pathway_learner import give
from support.scorm_helpers import unzip
from test_pathway_xapi import launch_url

from ccm_scorm.package import zip_bytes
from ccm_scorm.targets import BuildOptions, get_target

PHONE = {"width": 360, "height": 740}
WRONG_SECOND = ([False], ["b"])  # both wrong: 0 %, under the module's pass mark of 50 %
READY = "() => document.documentElement.classList.contains('ccm-ready')"


def in_view(frame, selector: str) -> bool:
    """Whether the element is wholly on the phone's screen, as soon as the view has changed (no smooth scroll to wait for)."""
    return frame.evaluate(
        """([s, height]) => { const r = document.querySelector(s).getBoundingClientRect();
                  return innerHeight === height && r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }""",
        [selector, PHONE["height"]],
    )


def layout(frame) -> str:
    """What moved the heading, for a failing check: its place, the scroll, the notices and the status line."""
    return frame.evaluate("""() => JSON.stringify({top: document.querySelector('main h1:not([hidden]), .ccm-page:not([hidden]) h1')
        .getBoundingClientRect().top, scrollY, innerHeight, notices: document.getElementById('ccm-notices').innerText,
        status: document.getElementById('ccm-status').innerText, focus: document.activeElement.id})""")


def focused(frame, selector: str) -> bool:
    return frame.evaluate("s => document.activeElement.matches(s)", selector)


def primary_action(frame):
    return frame.locator("#ccm-menu-summary button")


def label_of(button) -> str:
    """A button's visible words (without the module's name, which only a screen reader hears)."""
    return button.evaluate("b => b.firstChild.textContent")


def take_quiz(frame, responses) -> None:
    """From a module's first page: read on to the quiz, answer `responses`, see the results."""
    while not frame.locator("button[data-action=begin], button[data-action=retry]").first.is_visible():
        frame.click("#ccm-next")
    frame.locator("button[data-action=begin], button[data-action=retry]").first.click()
    for response in responses:
        frame.wait_for_selector("form.ccm-question")
        give(frame, response)
        frame.click("#ccm-quiz-body button[data-action]")  # next question, or the results


def results_replace_the_menu(frame) -> None:
    frame.wait_for_selector("#ccm-results:not([hidden])")
    assert frame.locator("#ccm-menu").is_hidden()
    assert focused(frame, "#ccm-results-title")
    assert in_view(frame, "#ccm-results-title"), layout(frame)


def back_to_menu(frame) -> None:
    frame.get_by_role("button", name="Back to all modules").click()
    frame.wait_for_selector("#ccm-menu:not([hidden])")
    assert focused(frame, "#ccm-menu-title") and in_view(frame, "#ccm-menu-title"), layout(frame)
    assert frame.locator("#ccm-results").is_hidden() and frame.locator("#ccm-toc").is_hidden()


def progress(frame) -> tuple[str, int, int, str]:
    bar = frame.locator("#ccm-menu-summary progress")
    name = frame.evaluate("() => document.getElementById('ccm-menu-summary').querySelector('progress').labels.length")
    label = frame.evaluate("""() => {
        const bar = document.querySelector('#ccm-menu-summary progress');
        return document.getElementById(bar.getAttribute('aria-labelledby')).textContent;
    }""")
    assert name == 0  # named by aria-labelledby, the visible words
    return label, int(bar.get_attribute("value")), int(bar.get_attribute("max")), frame.inner_text("#ccm-menu-summary")


def card(frame, index: int) -> tuple[str, str, str, bool]:
    """A module's status tag, its detail line, its button's visible label and whether it is the next to do."""
    item = frame.locator(f"#ccm-menu-item-{index}")
    button = label_of(frame.locator(f"#ccm-menu-open-{index}"))
    detail = frame.inner_text(f"#ccm-menu-detail-{index}")
    is_next = "ccm-menu-next" in item.get_attribute("class").split()
    return frame.inner_text(f"#ccm-menu-status-{index}"), detail, button, is_next


def walk_the_pathway(frame, accessibility_problems) -> None:
    """Pass module 1, fail module 2, pass it on the second try; the pathway page after each (and axe on it)."""
    frame.wait_for_function(READY)
    assert progress(frame)[:3] == ("0 of 2 modules passed", 0, 2)
    assert card(frame, 0) == ("Not started", "", "Start", True)
    assert card(frame, 1) == ("Not started", "", "Start", False)
    assert label_of(primary_action(frame)) == "Start"

    primary_action(frame).click()
    frame.wait_for_selector("#ccm-pages section:not([hidden])")
    assert frame.locator("#ccm-menu").is_hidden() and focused(frame, "#ccm-h-0")
    take_quiz(frame, RIGHT_FIRST)
    results_replace_the_menu(frame)
    back_to_menu(frame)
    label, value, most, text = progress(frame)
    assert (label, value, most) == ("1 of 2 modules passed", 1, 2)
    assert card(frame, 0) == ("Passed", "Score 100%.", "Review", False)
    assert card(frame, 1) == ("Not started", "", "Start", True)
    assert label_of(primary_action(frame)) == "Continue"
    assert "Keeping people safe" in primary_action(frame).text_content()

    primary_action(frame).click()
    take_quiz(frame, WRONG_SECOND)
    results_replace_the_menu(frame)
    back_to_menu(frame)
    assert progress(frame)[:3] == ("1 of 2 modules passed", 1, 2)
    assert card(frame, 1) == ("Not passed", "Last score 0%.", "Try again", True)
    assert accessibility_problems() == ""

    frame.click("#ccm-menu-open-1")
    frame.wait_for_selector("#ccm-results:not([hidden])")
    assert frame.locator("#ccm-menu").is_hidden()
    take_quiz(frame, RIGHT_SECOND)
    results_replace_the_menu(frame)
    back_to_menu(frame)
    label, value, most, text = progress(frame)
    assert (label, value, most) == ("2 of 2 modules passed", 2, 2)
    assert "You have passed this pathway, with an overall score of 100%." in text
    assert card(frame, 1) == ("Passed", "Score 100%.", "Review", False)
    assert label_of(primary_action(frame)) == "See your certificate"
    primary_action(frame).click()
    frame.wait_for_selector("#ccm-certificate:not([hidden])")
    assert frame.locator("#ccm-menu").is_hidden()


def problems_of(axe_check, format_violations, page, frame=None):
    def problems() -> str:
        violations = axe_check(page, frame)
        return format_violations(violations) if violations else ""

    return problems


def test_web_package_results_replace_the_menu_and_the_menu_is_up_to_date(
    browser, tmp_path, http_server, axe_check, format_violations
):
    build_pathway(tmp_path / "p", adapter="standalone")
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        attach_error_collectors(page)
        page.goto(http_server(tmp_path / "p").url("index.html"))
        walk_the_pathway(page, problems_of(axe_check, format_violations, page))
        assert page.ccm_errors == []
    finally:
        context.close()


@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
def test_scorm_package_results_replace_the_menu_and_the_menu_is_up_to_date(
    target, page, tmp_path, http_server, scorm_lms, axe_check, format_violations
):
    course, pathway = make_pathway_course(logo=False)
    package = get_target(target).build_pathway(course, pathway, BuildOptions(lms="moodle"))
    folder = unzip(zip_bytes(package.files), tmp_path / "pkg")
    page.set_viewport_size(PHONE)
    lms = scorm_lms(http_server(folder) + "index.html", "12" if target == "scorm12" else "2004", wait_for="initialize")
    walk_the_pathway(lms.frame, problems_of(axe_check, format_violations, lms.page, lms.frame))
    assert lms.page.ccm_errors == []


def test_xapi_package_results_replace_the_menu_and_the_menu_is_up_to_date(
    page, tmp_path, http_server, ralph, axe_check, format_violations
):
    course, pathway = make_pathway_course(logo=False)
    package = get_target("xapi").build_pathway(course, pathway, BuildOptions())
    site = http_server(unzip(zip_bytes(package.files), tmp_path / "pkg"))
    page.set_viewport_size(PHONE)
    page.goto(launch_url(site, ralph, str(uuid.uuid4()), course.pathway_iri(pathway.id)))
    walk_the_pathway(page, problems_of(axe_check, format_violations, page))
