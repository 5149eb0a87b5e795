"""A learner who works through a pathway package's module menu (page or LMS frame), and a
three-module pathway for the SCORM, xAPI and cmi5 pathway tests.

The course is tests/support/pathway_course.py's two modules plus a third, short module that
shares ccm.communication with the first (so that competency's result across the pathway is
the mean of two modules' scores). No module draws, so every result is exact.
"""

from __future__ import annotations

import dataclasses

from ccm_scorm.model import Option, Page, Question, QuestionType

from .pathway_course import SECOND, make_pathway_course
from .scorm_helpers import answer

# A third module: shares ccm.communication with the first, so that competency's objective is
# the mean of two modules' scores.
THIRD = dataclasses.replace(
    SECOND,
    id="first-visit",
    title="Your first visit",
    competency_ids=("ccm.communication",),
    pages=(Page(id="01-visit", title="On the day", text="", html="<p>Arrive on time and say who you are.</p>\n"),),
    questions=(
        Question(
            id="v1-late",
            type=QuestionType.TRUE_FALSE,
            competency_id="ccm.communication",
            prompt="If you will be late, let the person know.",
            answer=True,
        ),
        Question(
            id="v2-intro",
            type=QuestionType.SINGLE,
            competency_id="ccm.communication",
            prompt="What do you do first?",
            options=(Option("a", "Say who you are", correct=True), Option("b", "Sit down")),
        ),
    ),
)
RIGHT_THIRD = ([True], ["b"])  # the second one wrong: 50%, the module's pass mark
MODULES = ("runtime-test", "keeping-safe", "first-visit")
QUESTIONS = {
    "runtime-test": ("q01-open", "q06-term"),
    "keeping-safe": ("k1-tell", "k2-who"),
    "first-visit": ("v1-late", "v2-intro"),
}


def three_module_course(logo: bool = False):
    course, pathway = make_pathway_course(logo=logo)
    pathway = dataclasses.replace(pathway, module_ids=MODULES)
    return dataclasses.replace(course, modules=course.modules + (THIRD,), pathways=(pathway,)), pathway


STARTED = "() => !!document.querySelector('#ccm-menu-summary p, #ccm-pages section')"


def question_on_screen(frame) -> dict:
    return frame.evaluate("""() => {
        const id = document.querySelector('form.ccm-question').dataset.question;
        const course = JSON.parse(document.getElementById('ccm-course').textContent);
        return [].concat(...course.modules.map(m => m.questions)).find(q => q.id === id);
    }""")


def give(frame, response) -> None:
    """Answer the single, true-false or short-text question on screen as a learner does (the tile's label), and check it."""
    q, pos = question_on_screen(frame), frame.get_attribute("form.ccm-question", "data-pos")
    if q["type"] == "short-text":
        frame.fill("form.ccm-question input[type=text]", response[0])
    elif q["type"] == "true-false":
        frame.click(f"label[for='ccm-q{pos}-{'t' if response[0] else 'f'}']")
    else:
        frame.click(f"label[for='ccm-q{pos}-{[o['id'] for o in q['options']].index(response[0])}']")
    frame.click("form.ccm-question button[type=submit]")
    frame.wait_for_selector(".ccm-feedback")


def do_module(frame, index: int, responses) -> None:
    """From the menu: open module `index`, read its pages, pass its quiz with `responses`, back to the menu."""
    frame.click(f"#ccm-menu-open-{index}")
    frame.wait_for_selector("#ccm-pages section")
    while frame.is_visible("#ccm-next") and not frame.locator("button[data-action=begin]").is_visible():
        frame.click("#ccm-next")
    frame.click("button[data-action=begin]")
    for response in responses:
        frame.wait_for_selector("form.ccm-question")
        answer(frame, question_on_screen(frame), response)
        frame.click("#ccm-quiz-body button[data-action]")  # next question, or the results
    frame.wait_for_selector("#ccm-results:not([hidden])")
    frame.get_by_role("button", name="Back to all modules").click()
    frame.wait_for_selector("#ccm-menu:not([hidden])")
