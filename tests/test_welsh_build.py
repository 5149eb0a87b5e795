"""A Welsh build shows no English learner string (docs/languages.md), on any view a learner reaches.

The catalogue's own modules and the volunteer-induction pathway are built with `language: cy`
for the web target and SCORM 1.2 (run in scorm-again), and a learner walks every view in
Chromium: the cover and pages, every question type before and after checking, a failed and a
passed result, the certificate, the end screen, the status line, the pathway page, and the
notices that can be brought about (storage blocked, browse mode, the learning system out of
reach). Every text node, the learner-facing attributes and the document title are collected.
The author's own words (pages, questions, feedback, titles) are taken out first: the test reads
them from the source. What is left must hold no fixed part (4 characters or more) of any
English (UK) catalogue message.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import fields, is_dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ccm_scorm.issuing import issue
from ccm_scorm.model import Course, Messages, Module, Question
from ccm_scorm.source import load_course
from ccm_scorm.source.messages import REFERENCE, read_messages
from ccm_scorm.source.problems import Problems
from ccm_scorm.targets.moodle import catalogue_sections

ROOT = Path(__file__).resolve().parents[1]
MODULE = "signposting"  # built with its draw taken out, so every question type is asked in order
PATHWAY = "volunteer-induction"
PLACEHOLDER = re.compile(r"\{\w+\}")
ENGLISH_CALENDAR = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December|AM|PM)\b"
)

COLLECT_JS = """() => {
  const out = [document.title], attrs = ['aria-label', 'title', 'alt', 'placeholder', 'aria-description'];
  const walk = (root) => {
    const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n; (n = w.nextNode());) if (!(n.parentElement && n.parentElement.closest('script, style'))) out.push(n.data);
  };
  walk(document.documentElement);
  for (const el of document.querySelectorAll('*')) {
    for (const a of attrs) if (el.hasAttribute(a)) out.push(el.getAttribute(a));
    if (el.matches('input[type=button], input[type=submit], input[type=reset], button[value]')) out.push(el.value);
    if (el.tagName === 'TEMPLATE') walk(el.content);
    for (const pseudo of ['::before', '::after']) {
      const c = getComputedStyle(el, pseudo).content;
      if (c && c.startsWith('"')) out.push(c.slice(1, -1));
    }
  }
  return out;
}"""


# ------------------------------------------------------------------ what counts as English


def english_fragments(prefix: str = "") -> set[str]:
    """Every fixed part (4 characters or more) of every English (UK) message under `prefix`."""
    english = read_messages(REFERENCE, ROOT / "modules", ROOT / "modules" / "course.yaml", 1, Problems(root=ROOT))
    texts = []
    for key, value in english.entries:
        if key.startswith(prefix):
            texts += [value] if isinstance(value, str) else [text for _, text in value]
    return {part.strip() for text in texts for part in PLACEHOLDER.split(text) if len(part.strip()) >= 4}


class _TextOf(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def _html_texts(html: str) -> list[str]:
    parser = _TextOf()
    parser.feed(html)
    return parser.parts


def author_texts(course: Course) -> list[str]:
    """Every string the author wrote (and the pages' text), longest first; the catalogue is not the author's."""
    found: list[str] = []

    def visit(value, name=""):
        if isinstance(value, Messages):
            return
        if isinstance(value, str):
            found.extend(_html_texts(value) if name == "html" else [value])
        elif is_dataclass(value):
            for field in fields(value):
                visit(getattr(value, field.name), field.name)
        elif isinstance(value, (tuple, list)):
            for item in value:
                visit(item, name)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item, name)

    visit(course)
    texts = {_squash(text) for text in found}
    return sorted((text for text in texts if len(text) >= 2), key=len, reverse=True)


def _squash(text: str) -> str:
    return " ".join(text.split())


class Collector:
    """The learner-facing texts seen so far, and what in them is English."""

    def __init__(self, author: list[str]):
        self.author = author
        self.seen: set[str] = set()
        self.views = 0

    def take(self, frame) -> None:
        assert frame.evaluate("document.documentElement.lang") == "cy"
        self.seen |= {_squash(text) for text in frame.evaluate(COLLECT_JS)}
        self.views += 1

    def english(self, fragments: set[str]) -> dict[str, str]:
        """{English fragment: the text it was seen in}, the author's words taken out first; English month
        names and AM/PM count too (the browser's own date and time words, when it lacks Welsh)."""
        leaks = {}
        for text in self.seen:
            rest = text
            for mine in self.author:
                if mine in rest:
                    rest = rest.replace(mine, "\u241f")
            for fragment in fragments:
                if fragment in rest:
                    leaks[fragment] = text
            leaks.update({word: text for word in ENGLISH_CALENDAR.findall(rest)})
        return leaks


# ------------------------------------------------------------------ the Welsh build


@pytest.fixture(scope="module")
def welsh(tmp_path_factory):
    """The catalogue with `language: cy`, one module without its draw, built for web and SCORM 1.2."""
    root = tmp_path_factory.mktemp("welsh")
    source = root / "modules"
    shutil.copytree(ROOT / "modules", source)
    course_file = source / "course.yaml"
    course_file.write_text(re.sub(r"(?m)^language: .*$", "language: cy", course_file.read_text(encoding="utf-8")))
    module_file = source / MODULE / "module.yaml"
    without_draw = re.sub(r"(?m)^draw:\n(  .*\n)+", "", module_file.read_text(encoding="utf-8"))
    assert without_draw != module_file.read_text(encoding="utf-8")
    module_file.write_text(without_draw, encoding="utf-8")
    out = root / "out"
    build = [sys.executable, "-m", "ccm_scorm.cli", "build", str(source), "-o", str(out), "-q"]
    run = subprocess.run(
        [*build, "-t", "web", "-t", "scorm12"],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    course = load_course(source)
    assert course.settings.messages.language == "cy"
    return course, out


def unpacked(out: Path, target: str, name: str, into: Path) -> Path:
    folder = into / f"{target}-{name}"
    with zipfile.ZipFile(out / target / f"{name}.zip") as package:
        package.extractall(folder)
    return folder


# ------------------------------------------------------------------ a learner


def answer(frame, question: Question, right: bool) -> None:
    """Answer the question on screen, right or wrong, as a learner would (by the words on screen)."""
    form = frame.locator("form.ccm-question")
    kind = question.type.value
    if kind in ("single", "multiple"):
        wanted = [o for o in question.options if o.correct == right][: 1 if kind == "single" or not right else None]
        for option in wanted or question.options[:1]:
            form.get_by_label(option.text, exact=True).check()
    elif kind == "true-false":
        pos = form.get_attribute("data-pos")
        frame.check(f"#ccm-q{pos}-{'t' if question.answer == right else 'f'}")
    elif kind == "matching":
        matches = [p.match for p in question.pairs]
        for index, pair in enumerate(question.pairs):
            match = pair.match if right else matches[(index + 1) % len(matches)]
            form.get_by_label(pair.prompt, exact=True).select_option(label=match)
    elif kind == "ordering":
        items = [item.text for item in question.items]
        form.locator("button[data-dir='-1']").first.click(force=True)  # aria-disabled: it says why
        for place, text in enumerate(items if right else items[::-1]):
            while (at := [t.strip() for t in form.locator(".ccm-order-text").all_inner_texts()].index(text)) > place:
                form.locator("button[data-dir='-1']").nth(at).click()
    else:
        form.locator("input[type=text], textarea").fill(question.answers[0] if right else "zzzz")
    form.locator("button[type=submit]").click()
    frame.wait_for_selector("form.ccm-question .ccm-feedback")


def take_quiz(frame, module: Module, seen: Collector, right: bool) -> None:
    """From the quiz's start (or a retry), answer every question and see the results."""
    frame.locator("button[data-action=begin], button[data-action=retry]").first.click()
    while True:
        frame.wait_for_selector("form.ccm-question")
        seen.take(frame)
        question_id = frame.get_attribute("form.ccm-question", "data-question")
        question = next(q for q in module.questions if q.id == question_id)
        if not right and question.type.value != "ordering":  # checked with no answer: the hint to answer
            frame.click("form.ccm-question button[type=submit]")
            frame.wait_for_selector("form.ccm-question .ccm-error:not([hidden])")
            seen.take(frame)
        answer(frame, question, right)
        seen.take(frame)
        following = frame.locator("#ccm-quiz-body button[data-action=next-question]")
        if not following.count():
            break
        following.click()
    frame.click("#ccm-quiz-body button[data-action=submit]")
    frame.wait_for_selector("#ccm-results:not([hidden])")
    seen.take(frame)


def read_pages(frame, seen: Collector) -> None:
    """From the cover (or wherever the module opens), through every page to the quiz's start."""
    while not frame.locator("button[data-action=begin], button[data-action=retry]").first.is_visible():
        seen.take(frame)
        frame.click("#ccm-next")
    seen.take(frame)


def get_certificate(frame, seen: Collector) -> None:
    frame.locator("button[data-action=certificate]").first.click()
    frame.wait_for_selector("#ccm-certificate:not([hidden])")
    seen.take(frame)
    if frame.locator("#ccm-learner-name").count():
        frame.click("#ccm-certificate button[type=submit]")  # empty first: the error message
        seen.take(frame)
        frame.fill("#ccm-learner-name", "Siân Jones")
        frame.click("#ccm-certificate button[type=submit]")
        frame.wait_for_selector("#ccm-cert")
    seen.take(frame)


def walk_module(frame, module: Module, seen: Collector) -> None:
    """Cover, pages, a failed attempt, a passed one, the certificate, then Finish and the end screen."""
    frame.wait_for_selector("html.ccm-ready")
    read_pages(frame, seen)
    take_quiz(frame, module, seen, right=False)
    take_quiz(frame, module, seen, right=True)
    get_certificate(frame, seen)
    frame.click("button[data-action=certificate-back]")
    frame.wait_for_selector("#ccm-results:not([hidden])")
    frame.click("#ccm-results button[data-action=exit]")
    frame.wait_for_selector("#ccm-end:not([hidden])")
    seen.take(frame)


def assert_welsh(seen: Collector, views: int) -> None:
    assert seen.views >= views, "the walk saw fewer views than it should: it is broken"
    leaks = seen.english(english_fragments())
    listed = "\n".join(f"  {fragment!r} in {text!r}" for fragment, text in sorted(leaks.items()))
    assert leaks == {}, "English in the Welsh build:\n" + listed


# ------------------------------------------------------------------ the tests


def test_the_check_finds_english_and_passes_welsh():
    seen = Collector(["Signposting to local support"])
    seen.seen = {
        "Cwestiwn 3 o 8",
        "Gwirio'r ateb",
        "Signposting to local support",
        "Modiwl 1 o 4: Signposting to local support",
    }
    assert seen.english(english_fragments()) == {}
    seen.seen |= {"Question 3 of 8", "Gwnaed y copi hwn ar December 1, 2026."}
    assert seen.english(english_fragments()) == {
        "Question": "Question 3 of 8",
        "December": "Gwnaed y copi hwn ar December 1, 2026.",
    }


def test_a_welsh_web_module_has_no_english(welsh, page, http_server, tmp_path):
    course, out = welsh
    site = http_server(unpacked(out, "web", MODULE, tmp_path))
    seen = Collector(author_texts(course))
    page.goto(site.url("index.html"))
    page.wait_for_selector("html.ccm-ready")
    page.click("#ccm-next")
    page.click("#ccm-next")
    page.wait_for_selector("#ccm-status:not(:empty)")
    page.reload()  # the cover of a module begun: "continue where you left off"
    walk_module(page.main_frame, course.module(MODULE), seen)
    assert_welsh(seen, 30)


def test_a_welsh_scorm12_module_has_no_english(welsh, scorm_lms, http_server, tmp_path):
    course, out = welsh
    site = http_server(unpacked(out, "scorm12", MODULE, tmp_path))
    lms = scorm_lms(site.url("index.html"), "12")
    seen = Collector(author_texts(course))
    walk_module(lms.frame, course.module(MODULE), seen)
    assert lms.frame.locator("#ccm-status").inner_text().strip(), "no status line was seen"
    assert_welsh(seen, 30)


def test_the_welsh_notices_have_no_english(welsh, page, new_page, scorm_lms, http_server, tmp_path):
    """Storage blocked (web), browse and review launches and a learning system out of reach (SCORM 1.2)."""
    course, out = welsh
    seen = Collector(author_texts(course))
    web = http_server(unpacked(out, "web", MODULE, tmp_path))
    blocked = new_page()
    blocked.add_init_script(
        "Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('no', 'SecurityError'); } });"
    )
    blocked.goto(web.url("index.html"))
    blocked.wait_for_selector("#ccm-notices .ccm-notice")
    seen.take(blocked.main_frame)
    scorm = http_server(unpacked(out, "scorm12", MODULE, tmp_path))
    browse = scorm_lms(scorm.url("index.html"), "12", seed={"core": {"lesson_mode": "browse"}})
    browse.frame.wait_for_selector("#ccm-notices .ccm-notice")
    read_pages(browse.frame, seen)
    take_quiz(browse.frame, course.module(MODULE), seen, right=True)
    review = scorm_lms(scorm.url("index.html"), "12", page=new_page(), seed={"core": {"lesson_mode": "review"}})
    review.frame.wait_for_selector("#ccm-notices .ccm-notice")
    seen.take(review.frame)
    offline = scorm_lms(scorm.url("index.html"), "12", page=new_page(), faults={"commitFailures": 50})
    offline.frame.wait_for_selector("html.ccm-ready")
    offline.frame.click("#ccm-next")
    offline.frame.wait_for_selector("#ccm-offline")
    seen.take(offline.frame)
    assert_welsh(seen, 6)


def back_to_menu(frame, seen: Collector) -> None:
    frame.locator("#ccm-results button[data-action=exit]").click()
    frame.wait_for_selector("#ccm-menu:not([hidden])")
    seen.take(frame)


@pytest.mark.parametrize("target", ["web", "scorm12"])
def test_a_welsh_pathway_has_no_english(welsh, target, page, scorm_lms, http_server, tmp_path):
    """The pathway page, each module in it (failed once, then passed), its certificate and end."""
    course, out = welsh
    site = http_server(unpacked(out, target, PATHWAY, tmp_path))
    seen = Collector(author_texts(course))
    if target == "web":
        page.goto(site.url("index.html"))
        frame = page.main_frame
    else:
        frame = scorm_lms(site.url("index.html"), "12").frame
    frame.wait_for_selector("html.ccm-ready")
    for index, module_id in enumerate(course.pathway(PATHWAY).module_ids):
        seen.take(frame)
        frame.click(f"#ccm-menu-open-{index}")
        read_pages(frame, seen)
        take_quiz(frame, course.module(module_id), seen, right=index > 0)
        if index == 0:  # failed: back to the pathway page, which says so, and in again
            back_to_menu(frame, seen)
            frame.click(f"#ccm-menu-open-{index}")
            read_pages(frame, seen)
            take_quiz(frame, course.module(module_id), seen, right=True)
        back_to_menu(frame, seen)
    seen.take(frame)
    get_certificate(frame, seen)
    frame.click("button[data-action=certificate-back]")
    frame.wait_for_selector("#ccm-menu:not([hidden])")
    frame.click("button[data-action=exit-pathway]")
    frame.wait_for_selector("#ccm-end:not([hidden])")
    seen.take(frame)
    assert_welsh(seen, 40)


def test_a_welsh_start_up_failure_is_in_welsh(welsh, page, http_server, tmp_path):
    """The error when the module cannot start: from the catalogue, or by the page's lang when the data is gone."""
    course, out = welsh
    folder = unpacked(out, "web", MODULE, tmp_path)
    index = folder / "index.html"
    html = index.read_text(encoding="utf-8")
    seen = Collector(author_texts(course))
    site = http_server(folder)
    for broken in (html.replace('"adapter":"standalone"', '"adapter":"nope"'), html.replace('id="ccm-course"', "")):
        assert broken != html
        index.write_text(broken, encoding="utf-8")
        page.goto(site.url("index.html"))
        alert = page.locator(".ccm-fatal[role=alert]")
        assert "Mae'n ddrwg gennym" in alert.inner_text()
        seen.take(page.main_frame)
    assert_welsh(seen, 2)


def test_a_welsh_handout_has_no_english(welsh, tmp_path):
    course, _ = welsh
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nSiân Jones,sian@example.org\n", encoding="utf-8")
    issue(
        course,
        roster,
        PATHWAY,
        "https://lrs.example.org/xapi/",
        "https://learning.example.org/induction/index.html",
        "writer:secret",
        tmp_path / "issued",
        today=date(2026, 12, 1),
        check_credential=False,
    )
    handouts = (tmp_path / "issued" / "handouts.html").read_text(encoding="utf-8")
    volunteer = handouts[handouts.index('<section class="handout"') :]
    (go_page,) = (tmp_path / "issued" / "go").glob("*.html")
    seen = Collector(author_texts(course))
    for html in (volunteer, go_page.read_text(encoding="utf-8")):
        parser = _TextOf()
        parser.feed(html)
        seen.seen |= {_squash(text) for text in parser.parts}
        seen.seen |= {_squash(label) for label in re.findall(r'aria-label="([^"]*)"', html)}
    assert '<html lang="cy">' in handouts and '<html lang="cy">' in go_page.read_text(encoding="utf-8")
    assert "Helo Siân Jones," in volunteer
    leaks = seen.english(english_fragments("handout."))
    assert leaks == {}, leaks


def test_a_welsh_moodle_course_names_its_sections_in_welsh(welsh):
    course, _ = welsh
    only_induction = dataclasses.replace(course, pathways=(course.pathway(PATHWAY),))
    names = [section.name for section in catalogue_sections(only_induction)]
    assert names[-1] == "Rhagor o fodiwlau"
    seen = Collector(author_texts(course))
    seen.seen = set(names)
    assert seen.english(english_fragments("moodle.")) == {}
