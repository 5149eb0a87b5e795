"""The learner's pages as a phone (360x740), a tablet (768x1024) and a desktop (1366x768) show them, in
Chromium: every view of a module (cover, a content page, each question type before and after checking,
results failed and passed, the certificate, the end screen) and of a pathway (the menu, a module in it).

On each: axe-core (WCAG 2.2 AA) finds nothing; the page never scrolls sideways; the reading column is at
most 40rem and centred; every control is at least 44 px high (answer tiles too; a radio or checkbox
itself at least 24 px, WCAG 2.5.8); no table cell breaks a word. Layout facts, not pixel diffs.
Then: focus is visible on each kind of control, forced colours (Windows High Contrast) keep native
radios, checkboxes and selects, and a theme's colour reaches the page through runtime/theme.css.
"""

from __future__ import annotations

import dataclasses
import os
import re

import pytest
from support.cover import pass_cover
from support.pathway_course import build_pathway, write_files
from support.pathway_learner import question_on_screen
from support.runtime_build import RIGHT, WRONG, make_course
from support.scorm_helpers import answer

from ccm_scorm.colours import contrast
from ccm_scorm.model import Theme
from ccm_scorm.render import render_module

VIEWPORTS = {"phone": (360, 740), "tablet": (768, 1024), "desktop": (1366, 768)}
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
READING_REM = 40
SHOTS = os.environ.get("CCM_LAYOUT_SHOTS", "")
QUESTION_SHOWN = "#ccm-quiz:not([hidden]) form.ccm-question"

# Every layout fact at once, measured in the page: a list of problems (empty when all is well).
LAYOUT_PROBLEMS = """(readingRem) => {
  const problems = [], rem = parseFloat(getComputedStyle(document.documentElement).fontSize);
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const name = (el) => el.id ? '#' + el.id : el.tagName.toLowerCase() + '.' + el.className + ' "' + el.textContent.trim().slice(0, 30) + '"';
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth > width) problems.push('scrolls sideways: ' + document.documentElement.scrollWidth + ' > ' + width);
  const main = document.getElementById('ccm-main').getBoundingClientRect();
  if (main.width > readingRem * rem + 1) problems.push('reading column ' + main.width + ' px wide');
  const parts = [...document.querySelectorAll('#ccm-toc, #ccm-main')].filter(shown).map((el) => el.getBoundingClientRect());
  const left = Math.min(...parts.map((r) => r.left)), right = width - Math.max(...parts.map((r) => r.right));
  if (Math.abs(left - right) > 2 && Math.min(left, right) > 0.75 * rem * 2) problems.push('not centred: ' + left + ' | ' + right);
  for (const el of document.querySelectorAll('button, select, input, summary, .ccm-choice, .ccm-toc-list a, a.ccm-button, .ccm-action-link')) {
    if (!shown(el)) continue;
    const r = el.getBoundingClientRect(), small = el.matches('input[type=radio], input[type=checkbox]') ? 24 : 44;
    if (r.height < small - 0.5 || r.width < small - 0.5) problems.push('target ' + name(el) + ' ' + r.width + 'x' + r.height);
  }
  const ruler = document.createElement('canvas').getContext('2d');
  for (const cell of document.querySelectorAll('th, td')) {
    if (!shown(cell) || cell.getBoundingClientRect().width < 2) continue;  // a header row kept for screen readers only
    const style = getComputedStyle(cell), box = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    ruler.font = style.fontWeight + ' ' + style.fontSize + ' ' + style.fontFamily;
    for (const word of cell.textContent.split(/\\s+/)) {
      if (word && ruler.measureText(word).width > box + 1) problems.push('cell breaks "' + word + '" (' + box + ' px)');
    }
  }
  return problems;
}"""


@pytest.fixture
def look(axe_check, format_violations):
    """look(page, where): every layout fact and axe-core on the view on screen."""

    def check(page, where: str) -> None:
        page.wait_for_function("() => document.documentElement.classList.contains('ccm-ready')")
        problems = page.evaluate(LAYOUT_PROBLEMS, READING_REM)
        assert problems == [], f"{where}: {problems}"
        violations = axe_check(page, tags=WCAG_22_AA)
        assert violations == [], f"{where}: {format_violations(violations)}"
        if SHOTS:  # to look at by eye: CCM_LAYOUT_SHOTS=<folder>
            name = re.sub(r"[^a-z0-9]+", "-", f"{where}-{page.viewport_size['width']}".lower())
            page.screenshot(path=os.path.join(SHOTS, name + ".png"), full_page=True)

    return check


def _module_site(tmp_path, http_server, **changes) -> str:
    course, module = make_course(**changes)
    folder = tmp_path / "module"
    write_files(folder, render_module(course, module, "standalone"))
    return http_server(folder).url("index.html")


def _sized_page(browser, viewport: str):
    width, height = VIEWPORTS[viewport]
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(15_000)
    return context, context.new_page()


def _contents(page, view: int) -> None:
    """Open the contents (collapsed on narrow screens) and choose a view."""
    if page.is_visible("#ccm-toc-toggle"):
        page.click("#ccm-toc-toggle")
    page.click(f'#ccm-toc-list a[data-view="{view}"]')


def _module_question(page) -> dict:
    return page.evaluate("""() => {
        const id = document.querySelector('form.ccm-question').dataset.question;
        return JSON.parse(document.getElementById('ccm-course').textContent).questions.find(q => q.id === id);
    }""")


def _take_quiz(page, look, where: str, answers: dict) -> None:
    page.click("button[data-action=begin], button[data-action=retry]")
    while page.locator(QUESTION_SHOWN).count():
        question = _module_question(page)
        look(page, f"{where}, {question['type']} before checking")
        answer(page, question, answers[question["id"]])
        page.wait_for_selector(".ccm-feedback")
        look(page, f"{where}, {question['type']} after checking")
        page.click("#ccm-quiz-body button[data-action]")
    page.wait_for_selector("#ccm-results:not([hidden])")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_module_view(browser, tmp_path, http_server, look, viewport):
    context, page = _sized_page(browser, viewport)
    page.goto(_module_site(tmp_path, http_server))
    look(page, "cover")
    assert page.is_visible("#ccm-cover") and page.inner_text("#ccm-next") == "Start"
    pass_cover(page)
    look(page, "content page")
    assert page.inner_text("#ccm-progress-text") == "Page 1 of 3"
    assert page.evaluate(
        "() => [document.getElementById('ccm-progress-bar').value, document.getElementById('ccm-progress-bar').max]"
    ) == [1, 9]
    _contents(page, 3)
    look(page, "quiz introduction")
    _take_quiz(page, look, "first attempt", WRONG)
    look(page, "results, failed")
    _take_quiz(page, look, "second attempt", RIGHT)
    look(page, "results, passed")
    page.get_by_role("button", name="Get your certificate").click()
    look(page, "certificate, asking for the name")
    page.fill("#ccm-learner-name", "Bethan Rhys-Llewellyn")
    page.get_by_role("button", name="Save my name").click()
    look(page, "certificate")
    page.get_by_role("button", name="Back to your results").click()
    page.get_by_role("button", name="Finish").click()
    page.wait_for_selector("#ccm-end:not([hidden])")
    look(page, "end screen")
    context.close()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_pathway_menu_and_a_module_in_it(browser, tmp_path, http_server, look, viewport):
    index = build_pathway(tmp_path / "pathway", adapter="standalone")
    context, page = _sized_page(browser, viewport)
    page.goto(http_server(index.parent).url("index.html"))
    look(page, "pathway menu")
    page.click("#ccm-menu-open-0")
    page.wait_for_selector("#ccm-pages section:not([hidden])")
    look(page, "module in the pathway, first page")
    while not page.locator("button[data-action=begin]").is_visible():
        page.click("#ccm-next")
    page.click("button[data-action=begin]")
    page.wait_for_selector("form.ccm-question")
    look(page, "module in the pathway, a question")
    answer(page, question_on_screen(page), RIGHT[question_on_screen(page)["id"]])
    look(page, "module in the pathway, a checked question")
    context.close()


def test_certificate_shows_the_name_large(page, tmp_path, http_server):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(_module_site(tmp_path, http_server))
    pass_cover(page)
    _contents(page, 3)
    page.click("button[data-action=begin]")
    while page.locator(QUESTION_SHOWN).count():
        answer(page, _module_question(page), RIGHT[_module_question(page)["id"]])
        page.click("#ccm-quiz-body button[data-action]")
    page.get_by_role("button", name="Get your certificate").click()
    page.fill("#ccm-learner-name", "Sam Okafor")
    page.get_by_role("button", name="Save my name").click()
    sizes = page.evaluate("""() => ['.ccm-cert-name', '.ccm-cert-record', '.ccm-cert-title']
        .map(s => parseFloat(getComputedStyle(document.querySelector(s)).fontSize))""")
    name, record, title = sizes
    assert name >= 1.7 * record and name > title, sizes
    assert page.inner_text(".ccm-cert-name") == "Sam Okafor"


KINDS = {
    "button": "#ccm-next",
    "contents link": '#ccm-toc-list a[data-view="1"]',
    "radio": "#ccm-q0-0",
    "select": "select",
}


def test_focus_is_visible_on_every_kind_of_control(page, tmp_path, http_server):
    """Each kind, focused by keyboard, gets the yellow focus (a background or ring) it lacks unfocused."""
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(_module_site(tmp_path, http_server))
    pass_cover(page)
    looks = "(el) => { const s = getComputedStyle(el); return [s.backgroundColor, s.boxShadow, s.outlineStyle + s.outlineColor].join('|'); }"

    def focused_look(selector: str) -> tuple[str, str]:
        element = page.locator(selector).first
        before = element.evaluate(looks)
        for _ in range(60):
            page.keyboard.press("Tab")
            if element.evaluate("(el) => el === document.activeElement"):
                return before, element.evaluate(looks)
        raise AssertionError(f"Tab never reached {selector}")

    for kind in ("button", "contents link"):
        before, after = focused_look(KINDS[kind])
        assert after != before and "255, 235, 59" in after, (kind, after)  # the yellow #ffeb3b
    _contents(page, 3)
    page.click("button[data-action=begin]")
    before, after = focused_look("form.ccm-question input")
    assert "255, 235, 59" in after, ("radio", after)
    for _ in range(3):  # the matching question is the fourth
        answer(page, _module_question(page), RIGHT[_module_question(page)["id"]])
        page.click("#ccm-quiz-body button[data-action]")
    before, after = focused_look(KINDS["select"])
    assert "255, 235, 59" in after, ("select", after)


def test_forced_colours_keep_native_controls(page, tmp_path, http_server):
    """Windows High Contrast draws no backgrounds or shadows: the large drawn radios and selects fall back to
    the native controls the system colours, so the checked state stays visible."""
    page.goto(_module_site(tmp_path, http_server))
    pass_cover(page)
    _contents(page, 3)
    page.click("button[data-action=begin]")
    appearance = "(el) => getComputedStyle(el).appearance"
    assert page.locator("form.ccm-question input").first.evaluate(appearance) == "none"
    page.emulate_media(forced_colors="active")
    assert page.locator("form.ccm-question input").first.evaluate(appearance) == "auto"
    for _ in range(3):
        answer(page, _module_question(page), RIGHT[_module_question(page)["id"]])
        page.click("#ccm-quiz-body button[data-action]")
    assert page.locator("select").first.evaluate(appearance) == "auto"


def test_theme_colour_reaches_buttons_links_and_header(page, tmp_path, http_server):
    course, module = make_course()
    plum = "#7c2855"
    course = dataclasses.replace(
        course, settings=dataclasses.replace(course.settings, theme=Theme(primary_colour=plum))
    )
    files = render_module(course, module, "standalone")
    assert "runtime/theme.css" in files and plum.encode() in files["runtime/theme.css"]
    folder = tmp_path / "themed"
    write_files(folder, files)
    page.goto(http_server(folder).url("index.html"))
    page.wait_for_function("() => document.documentElement.classList.contains('ccm-ready')")
    colours = page.evaluate("""() => [getComputedStyle(document.getElementById('ccm-next')).backgroundColor,
        getComputedStyle(document.querySelector('.ccm-header')).backgroundColor]""")
    assert colours[0] == "rgb(124, 40, 85)"
    header = "#" + "".join(f"{int(c):02x}" for c in colours[1][4:-1].split(","))
    assert contrast(header, "#ffffff") >= 4.5 and header != "#003087"
    assert page.ccm_errors == []


def test_static_page_before_the_runtime_reads_as_a_cover_and_first_page(page, tmp_path):
    """With JavaScript off, the learner reads the cover and then the first page."""
    course, module = make_course()
    index = write_files(tmp_path / "nojs", render_module(course, module, "standalone"))
    context = page.context.browser.new_context(java_script_enabled=False)
    static = context.new_page()
    static.goto(index.as_uri())
    assert static.is_visible("#ccm-cover h1") and static.is_visible("#page-01-why-it-matters h1")
    context.close()


def test_checked_answers_keep_their_state_colours_and_full_contrast(page, tmp_path, http_server):
    """After checking, the chosen wrong answer is red (not the selected blue, not a pale grey), the right one
    it missed green, each with its words; the answer text keeps the text colour."""
    page.goto(_module_site(tmp_path, http_server))
    pass_cover(page)
    _contents(page, 3)
    page.click("button[data-action=begin]")
    question = _module_question(page)
    assert question["type"] == "single"
    answer(page, question, WRONG[question["id"]])
    tiles = page.evaluate("""() => [...document.querySelectorAll('#ccm-quiz .ccm-choice')].map(t => {
        const s = getComputedStyle(t), label = getComputedStyle(t.querySelector('label'));
        return {cls: t.className, border: s.borderTopColor, background: s.backgroundColor, text: label.color,
                words: t.innerText};
    })""")
    wrong = next(t for t in tiles if "ccm-incorrect" in t["cls"])
    right = next(t for t in tiles if "ccm-missed" in t["cls"] or "ccm-correct" in t["cls"])
    assert wrong["border"] == "rgb(213, 40, 27)" and right["border"] == "rgb(0, 127, 59)", tiles
    hexes = {
        k: "#" + "".join(f"{int(c):02x}" for c in re.findall(r"\d+", v)[:3])
        for k, v in wrong.items()
        if k != "cls" and k != "words"
    }
    assert (
        contrast(hexes["border"], hexes["background"]) >= 3 and contrast(hexes["text"], hexes["background"]) >= 4.5
    ), hexes
    assert all(t["text"] == "rgb(33, 43, 50)" for t in tiles), tiles
    assert wrong["words"] != right["words"]
