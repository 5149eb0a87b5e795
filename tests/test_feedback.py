"""Feedback that teaches (issue 16): after "Check answer" every option, pair or item is marked right or wrong
in words, the right answer is shown (not with show_answers: false), the author's feedback follows, and the
page holds no answer key in the clear before the learner checks."""

from __future__ import annotations

import json
import re

import pytest
from support.answer_key import opened, target_index
from support.runtime_build import QUESTIONS, RIGHT, WRONG, build

from ccm_scorm.model import Item, Question, QuestionType

START = "() => (window.__ccmRecording || []).some(c => c.method === 'record' && c.args[0].type === 'start')"
TEXT_COLOUR = "rgb(33, 43, 50)"  # --ccm-colour-text: a checked answer stays at full contrast


@pytest.fixture
def quiz(tmp_path, http_server, page):
    """quiz(**module_changes) -> the page, on the first question of a freshly built test module."""

    def start(begin=True, **changes):
        folder = tmp_path / f"m{len(list(tmp_path.iterdir()))}"
        build(folder, **changes)
        page.goto(http_server(folder).url("index.html"))
        page.wait_for_function(START)
        page.click('#ccm-toc-list a[data-view="3"]')
        if begin:
            page.click("button[data-action=begin]")
            page.wait_for_selector("form.ccm-question")
        return page

    return start


def course_json(page) -> dict:
    return page.evaluate("() => JSON.parse(document.getElementById('ccm-course').textContent)")


def give(page, response: list) -> dict:
    """Answer the question on screen with `response` (ids, as runtime_build's RIGHT and WRONG) and check it."""
    form = page.locator("form.ccm-question")
    q = next(q for q in course_json(page)["questions"] if q["id"] == form.get_attribute("data-question"))
    pos = form.get_attribute("data-pos")
    if q["type"] in ("single", "multiple"):
        ids = [o["id"] for o in q["options"]]
        for option in response:
            page.click(f"label[for=ccm-q{pos}-{ids.index(option)}]")  # the tile's label covers the input
    elif q["type"] == "true-false":
        page.click(f"label[for=ccm-q{pos}-{'t' if response[0] else 'f'}]")
    elif q["type"] == "matching":
        for s, (_, target) in enumerate(response):
            page.select_option(f"#ccm-q{pos}-{s}", str(target_index(q, target)))
    elif q["type"] == "ordering":
        ids = [i["id"] for i in q["items"]]
        for place, item_id in enumerate(response):
            item = ids.index(item_id)
            while (
                page.evaluate(
                    "i => [...document.querySelectorAll('.ccm-order-item')].findIndex(li => li.querySelector(`[data-item=\"${i}\"]`))",
                    item,
                )
                > place
            ):
                page.click(f'button[data-item="{item}"][data-dir="-1"]')
    else:
        page.fill(f"#ccm-q{pos}-text", response[0])
    page.click("form.ccm-question button[type=submit]")
    page.wait_for_selector("form.ccm-question .ccm-feedback")
    return q


def next_question(page) -> None:
    pos = page.locator("form.ccm-question").get_attribute("data-pos")
    page.click("button[data-action=next-question]")
    page.wait_for_function("p => document.querySelector('form.ccm-question').dataset.pos !== p", arg=pos)


def recorded_events(page) -> list[dict]:
    return [c["args"][0] for c in page.evaluate("() => window.__ccmRecording") if c["method"] == "record"]


def tiles(page) -> list[tuple[str, str]]:
    """Each answer tile of the question on screen: (its state classes, the words it says, as a screen reader
    reads them: the mark on its own line is one phrase with the answer)."""
    found = page.eval_on_selector_all(
        "form.ccm-question .ccm-choice",
        "els => els.map(e => [[...e.classList].filter(c => c !== 'ccm-choice').sort().join(' '), e.textContent.trim()])",
    )
    return [tuple(tile) for tile in found]


def feedback(page) -> str:
    """The feedback's paragraphs, one a line."""
    text = page.inner_text("form.ccm-question .ccm-feedback")
    return "\n".join(line for line in text.splitlines() if line)


def test_a_wrong_answer_marks_each_part_and_shows_the_right_answer_then_the_authors_feedback(quiz, axe_check):
    page = quiz()
    give(page, WRONG["q01-open"])
    assert tiles(page) == [
        ("ccm-incorrect ccm-selected", "Are you managing at home? – Your answer: incorrect"),
        ("ccm-missed", "What does a good day look like for you? – A correct answer you did not choose"),
        ("", "Do you need a carer?"),
    ]
    said = feedback(page)
    assert said.splitlines()[0].endswith("Incorrect.")
    assert (
        said.index("The correct answer is “What does a good day look like for you?”.")
        < said.index("You chose “Are you managing at home?”: A yes/no question invites a yes/no answer.")
        < said.index("Look for the question that cannot be answered with yes or no.")
    )
    # a checked answer is not greyed out: not disabled, full text colour, and clicking it changes nothing
    chosen = page.locator("#ccm-q0-0")
    assert chosen.evaluate("e => e.disabled") is False and chosen.get_attribute("aria-disabled") == "true"
    assert page.eval_on_selector("label[for=ccm-q0-0]", "l => getComputedStyle(l).color") == TEXT_COLOUR
    page.click("label[for=ccm-q0-2]", force=True)  # Playwright counts aria-disabled as disabled
    chosen.focus()
    page.keyboard.press("ArrowDown")  # the arrow keys of a radio group change nothing either
    assert chosen.is_checked() and page.eval_on_selector_all("#ccm-q0-form input:checked", "i => i.length") == 1
    assert axe_check(page) == []
    next_question(page)

    give(page, WRONG["q02-barriers"])
    assert [state for state, _ in tiles(page)] == ["ccm-missed", "ccm-missed", "ccm-incorrect ccm-selected"]
    assert "The correct answers are “Background noise”, “Using jargon”." in feedback(page)
    next_question(page)

    give(page, WRONG["q03-summarise"])
    assert tiles(page) == [
        ("ccm-missed", "True – A correct answer you did not choose"),
        ("ccm-incorrect ccm-selected", "False – Your answer: incorrect"),
    ]
    assert "The correct answer is “True”." in feedback(page)
    next_question(page)

    give(page, WRONG["q04-services"])  # a and b swapped, c right
    pairs = [
        tuple(pair)
        for pair in page.eval_on_selector_all(
            "form.ccm-question .ccm-match",
            "els => els.map(e => [e.className, [...e.children].map(c => c.textContent).join(' | ')])",
        )
    ]
    assert pairs == [
        (
            "ccm-match ccm-incorrect",
            "Worried about money | Your match: Befriending scheme – Your answer: incorrect | Correct match: Benefits advice",
        ),
        (
            "ccm-match ccm-incorrect",
            "Lonely since moving | Your match: Benefits advice – Your answer: incorrect | Correct match: Befriending scheme",
        ),
        (
            "ccm-match ccm-correct",
            "Struggling with the stairs | Your match: Occupational therapy – Your answer: correct",
        ),
    ]
    assert feedback(page).splitlines()[0].endswith("Partly correct.") and "1 of 3 matches are correct." in feedback(
        page
    )
    assert axe_check(page) == []
    next_question(page)

    give(page, ["b", "a", "c", "d"])  # the first two swapped
    places = page.eval_on_selector_all(".ccm-order-item", "els => els.map(e => [e.className, e.textContent.trim()])")
    assert [c for c, _ in places] == [
        "ccm-order-item ccm-incorrect",
        "ccm-order-item ccm-incorrect",
        "ccm-order-item ccm-correct",
        "ccm-order-item ccm-correct",
    ]
    assert places[0][1] == "Check they are happy to share information – Not in the right place"
    assert places[2][1] == "Make the referral – In the right place"
    right_order = page.eval_on_selector_all(".ccm-right-order li", "els => els.map(e => e.textContent)")
    assert right_order == [item.text for item in QUESTIONS[4].items]
    assert "2 of 4 are in the right place." in feedback(page)
    next_question(page)

    give(page, WRONG["q06-term"])
    field = page.locator("#ccm-q5-text")
    assert (
        field.evaluate("e => e.disabled") is False
        and field.get_attribute("readonly") is not None
        and field.input_value() == "closed"
    )
    assert "An accepted answer is “open”." in feedback(page)
    assert (
        page.locator("form.ccm-question .ccm-short.ccm-incorrect .ccm-state").text_content()
        == " – Your answer: incorrect"
    )


def test_a_right_answer_is_marked_right_and_says_so(quiz):
    page = quiz()
    give(page, RIGHT["q01-open"])
    assert tiles(page) == [
        ("", "Are you managing at home?"),
        ("ccm-correct ccm-selected", "What does a good day look like for you? – Your answer: correct"),
        ("", "Do you need a carer?"),
    ]
    assert feedback(page).splitlines() == ["✓ Correct.", "Open questions let the person lead."]
    # the live region is cleared, then given the new text a moment later, so that it is announced again
    page.wait_for_function(
        "t => document.getElementById('ccm-polite').textContent.includes(t)", arg="Open questions let the person lead."
    )
    assert page.inner_text("#ccm-polite").startswith("Correct.")


def test_without_show_answers_each_answer_is_marked_but_the_right_one_never_shown(quiz):
    page = quiz(show_answers=False, begin=False)
    assert "This quiz does not show the correct answers." in page.inner_text("#ccm-quiz-body")
    page.click("button[data-action=begin]")
    page.wait_for_selector("form.ccm-question")
    give(page, WRONG["q01-open"])
    assert tiles(page) == [
        ("ccm-incorrect ccm-selected", "Are you managing at home? – Your answer: incorrect"),
        ("", "What does a good day look like for you?"),
        ("", "Do you need a carer?"),
    ]
    assert "This quiz does not show the correct answers." in feedback(page)
    assert "correct answer is" not in feedback(page)
    next_question(page)
    give(page, WRONG["q02-barriers"])
    assert [state for state, _ in tiles(page)] == ["", "", "ccm-incorrect ccm-selected"]
    next_question(page)
    give(page, WRONG["q03-summarise"])
    assert [state for state, _ in tiles(page)] == ["", "ccm-incorrect ccm-selected"]
    next_question(page)
    give_hidden_matching(page, WRONG["q04-services"])
    assert page.locator(".ccm-match.ccm-incorrect").count() == 2 and page.locator(".ccm-match.ccm-correct").count() == 1
    assert "Correct match" not in page.inner_text("form.ccm-question")
    next_question(page)
    give(page, ["b", "a", "c", "d"])
    assert page.locator(".ccm-order-item.ccm-correct").count() == 2 and page.locator(".ccm-right-order").count() == 0
    next_question(page)
    give(page, WRONG["q06-term"])
    assert "accepted answer" not in feedback(page)
    answers = [e for e in recorded_events(page) if e["type"] == "answer"]
    assert [a["correct"] for a in answers] == [False, False, False, False, False, False]
    assert all("correct" not in a["question"] and "answers" not in a["question"] for a in answers)


def give_hidden_matching(page, response: list) -> None:
    """Without show_answers the targets have no ids that tie them to pairs: choose by the match texts."""
    texts = {p.id: p.match for p in QUESTIONS[3].pairs}
    for s, (_, target) in enumerate(response):
        page.select_option(f"#ccm-q3-{s}", label=texts[target])
    page.click("form.ccm-question button[type=submit]")
    page.wait_for_selector("form.ccm-question .ccm-feedback")


def test_without_show_answers_right_answers_still_score_exactly(quiz):
    page = quiz(show_answers=False)
    for n, question in enumerate(QUESTIONS):
        if question.type is QuestionType.MATCHING:
            give_hidden_matching(page, RIGHT[question.id])
        else:
            give(page, RIGHT[question.id])
        if n < len(QUESTIONS) - 1:
            next_question(page)
    page.click("button[data-action=submit]")
    page.wait_for_selector("#ccm-results:not([hidden])")
    recorded = recorded_events(page)
    assert [e["correct"] for e in recorded if e["type"] == "answer"] == [True] * 6
    assert next(e for e in recorded if e["type"] == "submit")["score"] == 100


def _page_text(folder) -> str:
    return (folder / "index.html").read_text(encoding="utf-8")


def _course(html: str) -> dict:
    return json.loads(re.search(r'<script[^>]*id="ccm-course"[^>]*>(.*?)</script>', html, re.S).group(1))


@pytest.mark.parametrize("show", [True, False])
def test_the_page_holds_no_answer_key_in_the_clear(tmp_path, show):
    build(tmp_path, show_answers=show)
    html = _page_text(tmp_path)
    questions = {q["id"]: q for q in _course(html)["questions"]}
    for q in questions.values():
        assert not {"correct", "answers", "order"} & set(q), q["id"]
    assert all(set(p) == {"id", "prompt"} for p in questions["q04-services"]["pairs"])
    # the short answer "open" and the matches' pairing are nowhere in the page
    assert '"open"' not in html and "“open”" not in html.replace("The word is “open”.", "")
    order = [i["id"] for i in questions["q05-steps"]["items"]]
    assert order != RIGHT["q05-steps"]
    if show:
        key = opened(questions["q01-open"])
        assert key["correct"] == ["b"] and "key" in questions["q01-open"]
    else:
        assert all("key" not in q and q["hashes"] for q in questions.values())
        targets = questions["q04-services"]["targets"]
        assert [t["id"] for t in targets] == ["t1", "t2", "t3"]  # named by place, never by the pair they answer


def test_an_ordering_question_never_starts_in_the_right_order(quiz):
    two = Question(
        id="q-two",
        type=QuestionType.ORDERING,
        competency_id="ccm.communication",
        prompt="Which comes first?",
        items=(Item("a", "Ask"), Item("b", "Act")),
    )
    page = quiz(questions=(two,))
    shown = page.eval_on_selector_all(".ccm-order-text", "els => els.map(e => e.textContent)")
    assert shown == ["Act", "Ask"]
