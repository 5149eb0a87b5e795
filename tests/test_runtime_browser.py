"""The learner runtime in headless Chromium: keyboard use, quiz, resume, results,
file://, CSP, axe-core and narrow screens. Uses the recording adapter, whose
window.__ccmRecording holds every call the core makes to its adapter."""

from __future__ import annotations

import dataclasses
import re

import pytest
from support.answer_key import opened, target_index
from support.cover import pass_cover
from support.recording import rendered
from support.runtime_build import DRAW, PAGES, RIGHT, WRONG, build, make_course
from support.worst_state import WORST_MODULE_STATE_JS

from ccm_scorm.model import Draw, Item, Option, Page, Pair, Question, QuestionType
from ccm_scorm.render.state_size import max_attempt, worst_case_answer_length, worst_case_state_length

START = "() => (window.__ccmRecording || []).some(c => c.method === 'record' && c.args[0].type === 'start')"


# ----------------------------------------------------------------- helpers
@pytest.fixture
def site(tmp_path, http_server):
    """site(**module_changes) -> URL of a freshly built module served over http."""

    def make(**changes):
        folder = tmp_path / f"m{len(list(tmp_path.iterdir()))}"
        build(folder, **changes)
        return http_server(folder).url("index.html")

    return make


def open_module(page, url):
    page.goto(url)
    page.wait_for_function(START)
    pass_cover(page)


def calls(page):
    return page.evaluate("() => window.__ccmRecording")


def events(page):
    return [c["args"][0] for c in calls(page) if c["method"] == "record"]


def focused(page, selector):
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def tab_to(page, selector, limit=80):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"Tab never reached {selector}")


def current_question(page):
    return page.evaluate("""() => {
        const form = document.querySelector('form.ccm-question');
        const course = JSON.parse(document.getElementById('ccm-course').textContent);
        return course.questions.find(q => q.id === form.dataset.question);
    }""")


def polite(page, expected):
    """The polite live region once it says `expected` (the core clears it, then sets the new text a moment
    later so that screen readers announce it again): waits for that text, then returns the whole region."""
    page.wait_for_function("(t) => document.getElementById('ccm-polite').textContent.includes(t)", arg=expected)
    return page.inner_text("#ccm-polite")


def answer(page, response, check=True):
    """Give `response` (ids, as in the answer event) to the question on screen with the mouse."""
    q = current_question(page)
    form = page.locator("form.ccm-question")
    if q["type"] in ("single", "multiple"):
        ids = [o["id"] for o in q["options"]]
        for rid in response:
            form.locator(f'input[value="{ids.index(rid)}"]').check()
    elif q["type"] == "true-false":
        form.locator(f'input[value="{"t" if response[0] else "f"}"]').check()
    elif q["type"] == "matching":
        ids = [p["id"] for p in q["pairs"]]
        for source, target in response:
            form.locator("select").nth(ids.index(source)).select_option(str(target_index(q, target)))
    elif q["type"] == "ordering":
        ids = [i["id"] for i in q["items"]]
        for position, rid in enumerate(response):
            item = ids.index(rid)
            while True:
                now = page.evaluate(
                    "i => [...document.querySelectorAll('.ccm-order button[data-dir=\"-1\"]')]"
                    ".findIndex(b => b.dataset.item === String(i))",
                    item,
                )
                if now <= position:
                    break
                form.locator(f'button[data-item="{item}"][data-dir="-1"]').click()
    else:
        form.locator('input[type="text"]').fill(response[0])
    if check:
        form.get_by_role("button", name="Check answer").click()
        page.wait_for_selector(".ccm-feedback")
    return q


def to_quiz(page):
    page.click('#ccm-toc-list a[data-view="3"]')
    page.get_by_role("button", name="Start the quiz").click()


def next_step(page):
    page.locator("#ccm-quiz-body button[data-action]").click()


# ------------------------------------------------------------------- tests
def test_keyboard_only_completion_of_every_question_type(page, site):
    open_module(page, site())
    # content pages: Next page by keyboard, focus lands on each new heading
    for index in (1, 2):
        tab_to(page, "#ccm-next")
        page.keyboard.press("Enter")
        assert focused(page, f"#ccm-h-{index}")
        assert page.inner_text("#ccm-progress") == f"Page {index + 1} of 3"
        assert page.title() == f"{PAGES[index].title} – Communication in coordinated care"
        assert page.get_attribute(f'#ccm-toc-list a[data-view="{index}"]', "aria-current") == "page"
    assert page.is_visible('#ccm-toc-list a[data-view="0"] .ccm-seen')  # "Seen" in words
    tab_to(page, "#ccm-next")
    assert page.inner_text("#ccm-next") == "Go to the quiz"
    page.keyboard.press("Enter")
    assert focused(page, "#ccm-quiz-title")
    tab_to(page, 'button[data-action="begin"]')
    page.keyboard.press("Enter")

    def check_and_next(last=False):
        tab_to(page, 'form.ccm-question button[type="submit"]')
        page.keyboard.press("Enter")
        page.wait_for_selector(".ccm-feedback")
        action = "submit" if last else "next-question"
        assert focused(page, f'button[data-action="{action}"]'), "focus moves to the next step"
        assert "Correct" in polite(page, "Correct")
        page.keyboard.press("Enter")

    # single: arrow keys in the radio group
    assert focused(page, "#ccm-quiz-title") and page.inner_text("#ccm-quiz-title") == "Question 1 of 6"
    tab_to(page, "form.ccm-question input[type=radio]")
    page.keyboard.press("ArrowDown")  # option b
    check_and_next()
    # multiple: Space on two checkboxes
    tab_to(page, "form.ccm-question input[type=checkbox]")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    check_and_next()
    # true-false
    tab_to(page, "form.ccm-question input[type=radio]")
    page.keyboard.press("Space")  # True
    check_and_next()
    # matching: native selects, arrow keys
    q = opened(current_question(page))
    for source in range(3):
        right = str(target_index(q, q["pairs"][source]["target"]))
        tab_to(page, f"#ccm-q3-{source}")
        values = page.eval_on_selector(f"#ccm-q3-{source}", "s => [...s.options].map(o => o.value)")
        for _ in range(values.index(right)):
            page.keyboard.press("ArrowDown")
        assert page.input_value(f"#ccm-q3-{source}") == right
    check_and_next()
    # ordering: Move up buttons; focus stays on the moved item's button
    q = opened(current_question(page))
    shipped = [i["id"] for i in q["items"]]
    for position in range(4):
        item = shipped.index(q["order"][position])
        selector = f'button[data-item="{item}"][data-dir="-1"]'
        now = page.evaluate(
            "i => [...document.querySelectorAll('.ccm-order-item')]"
            '.findIndex(li => li.querySelector(`[data-item="${i}"]`))',
            item,
        )
        if now == position:
            continue
        tab_to(page, selector)
        name = page.evaluate("() => document.activeElement.textContent")
        assert name.startswith("Move up: ")
        for _step in range(now - position):
            page.keyboard.press("Enter")
            assert focused(page, selector)
        assert f"now number {position + 1} of 4" in polite(page, f"now number {position + 1} of 4")
    check_and_next()
    # short text: Enter in the field checks the answer
    tab_to(page, "form.ccm-question input[type=text]")
    page.keyboard.type("  OPEN ")
    page.keyboard.press("Enter")
    page.wait_for_selector(".ccm-feedback")
    assert focused(page, 'button[data-action="submit"]')
    page.keyboard.press("Enter")
    # results
    assert focused(page, "#ccm-results-title")
    assert "You scored 100%" in page.inner_text("#ccm-results-body")
    assert "You have passed" in page.inner_text("#ccm-results-body")
    tab_to(page, 'button[data-action="exit"]')
    page.keyboard.press("Enter")
    assert focused(page, "#ccm-end-title")

    types = [e["type"] for e in events(page)]
    assert types == ["start", "page", "page", "page"] + ["answer"] * 6 + ["submit", "exit"]
    assert events(page)[0]["entry"] == "ab-initio"
    answers = [e for e in events(page) if e["type"] == "answer"]
    assert [a["response"] for a in answers] == [RIGHT[q] for q in RIGHT][:5] + [["OPEN"]]
    assert all(a["correct"] and a["attempt"] == 1 for a in answers)
    submit = events(page)[-2]
    assert submit["score"] == 100 and submit["passed"] is True
    assert events(page)[-1]["finished"] is True
    assert [c["method"] for c in calls(page)][-1] == "finish"
    assert calls(page)[-1]["args"] == ["exit"]
    assert page.ccm_errors == []


def test_feedback_right_and_wrong_is_announced(page, site):
    open_module(page, site())
    to_quiz(page)
    page.get_by_role("button", name="Check answer").click()
    assert page.inner_text(".ccm-error") == "Choose an answer, then check it."
    answer(page, ["a"])
    text = polite(page, "Incorrect.")
    assert "The correct answer is “What does a good day look like for you?”." in text
    assert "Look for the question that cannot be answered with yes or no." in text
    assert "A yes/no question invites a yes/no answer." in text  # the chosen option's own feedback
    assert page.get_attribute("form.ccm-question input >> nth=0", "aria-disabled") == "true"  # locked, not greyed
    next_step(page)
    answer(page, ["a", "b"])
    assert "Correct" in polite(page, "Correct")
    next_step(page)
    answer(page, [True])
    next_step(page)
    page.get_by_role("button", name="Check answer").click()
    assert "Choose a match for" in page.inner_text(".ccm-error")
    assert page.ccm_errors == []


def test_reload_mid_quiz_resumes_exactly(page, site):
    url = site(draw=DRAW)
    open_module(page, url)
    to_quiz(page)
    first = answer(page, WRONG[current_question(page)["id"]])
    next_step(page)
    second = answer(page, RIGHT[current_question(page)["id"]])
    state = page.evaluate("() => localStorage.getItem('ccm:runtime-test:1.0.0')")
    before = page.inner_html("#ccm-quiz-body")
    page.reload()
    page.wait_for_function(START)
    assert page.inner_text("#ccm-next") == "Continue where you left off"  # the cover, then the saved view
    pass_cover(page)
    assert page.inner_text("#ccm-quiz-title") == "Question 2 of 3"
    assert current_question(page)["id"] == second["id"]
    assert page.inner_html("#ccm-quiz-body") == before  # same locked answer, same feedback
    assert page.evaluate("() => localStorage.getItem('ccm:runtime-test:1.0.0')") == state
    assert events(page)[-1]["type"] == "start" and events(page)[-1]["entry"] == "resume"
    next_step(page)
    third = answer(page, RIGHT[current_question(page)["id"]])
    next_step(page)
    submit = [e for e in events(page) if e["type"] == "submit"][0]
    assert submit["score"] == 67 and submit["passed"] is False
    assert len({first["id"], second["id"], third["id"]}) == 3


def test_results_per_competency_and_retry(page, site):
    open_module(page, site())
    to_quiz(page)
    for qid in RIGHT:
        answer(page, (WRONG if qid in ("q03-summarise", "q04-services") else RIGHT)[qid])
        next_step(page)
    submit = [e for e in events(page) if e["type"] == "submit"][0]
    assert submit["score"] == 67 and submit["passed"] is False and submit["attempt"] == 1
    assert submit["competencies"] == [
        {"id": "ccm.communication", "score": 75, "status": "failed", "asked": 4},
        {"id": "ccm.person-centred", "score": 50, "status": "failed", "asked": 2},
        {"id": "ccm.teamwork", "score": None, "status": "completed", "asked": 0},
    ]
    rows = page.eval_on_selector_all(".ccm-table tbody tr", "rs => rs.map(r => r.innerText.split('\\t'))")
    assert rows == [
        ["Communication", "75%", "To review"],
        ["Person-centred practice", "50%", "To review"],
        ["Working as a team", "Not in the quiz", "Covered in the pages"],
    ]
    assert "You have not passed this time" in page.inner_text("#ccm-results-body")
    assert page.inner_text('#ccm-toc-list a[data-view="3"]').startswith("Quiz results")
    page.get_by_role("button", name="Try again").click()
    assert page.inner_text("#ccm-quiz-title") == "Question 1 of 6"
    assert page.is_enabled("form.ccm-question input >> nth=0")
    for qid in RIGHT:
        answer(page, RIGHT[qid])
        next_step(page)
    submit = [e for e in events(page) if e["type"] == "submit"][-1]
    assert submit["attempt"] == 2 and submit["score"] == 100 and submit["passed"]
    assert page.get_by_role("button", name="Try again").count() == 0
    answers = [e for e in events(page) if e["type"] == "answer"]
    assert [a["attempt"] for a in answers] == [1] * 6 + [2] * 6


def test_retry_draws_again_and_no_retry_after_last_attempt(page, site):
    open_module(page, site(draw=DRAW, attempts=2))
    to_quiz(page)
    drawn = []
    for attempt in (1, 2):
        for _ in range(3):
            drawn.append(answer(page, WRONG[current_question(page)["id"]])["id"])
            next_step(page)
        if attempt == 1:
            assert "You have used 1 of 2 attempts." in page.inner_text("#ccm-results-body")
            page.get_by_role("button", name="Try again").click()
    assert page.get_by_role("button", name="Try again").count() == 0
    assert len(set(drawn[:3])) == 3 and len(set(drawn[3:])) == 3
    exits = page.get_by_role("button", name="Finish")
    exits.click()
    assert events(page)[-1] == {**events(page)[-1], "type": "exit", "finished": True}


def test_module_without_quiz_completes_when_every_page_is_seen(page, site):
    open_module(page, site(questions=()))
    assert page.locator('#ccm-toc-list a[data-view="3"]').count() == 0
    page.click("#ccm-next")
    page.click("#ccm-next")
    assert page.inner_text("#ccm-next") == "Finish"
    types = [e["type"] for e in events(page)]
    assert types == ["start", "page", "page", "page", "complete"]
    assert events(page)[-1]["competencies"][0] == {"id": "ccm.communication", "score": None, "status": "completed"}
    page.click("#ccm-next")
    assert events(page)[-1]["type"] == "exit" and events(page)[-1]["finished"] is True
    assert page.is_visible("#ccm-end-title")


def test_file_url_standalone_and_pagehide(page, tmp_path):
    index = build(tmp_path / "web", adapter="standalone")
    page.goto(index.as_uri())
    page.wait_for_selector("html.ccm-ready", state="attached")
    pass_cover(page)
    page.click("#ccm-next")
    assert page.inner_text("#ccm-progress") == "Page 2 of 3"
    page.reload()
    page.wait_for_selector("html.ccm-ready", state="attached")
    pass_cover(page)
    page.wait_for_selector("#ccm-progress:has-text('Page 2 of 3')")
    assert page.ccm_errors == []
    assert page.locator(".ccm-notice").count() == 0


def test_storage_blocked_shows_notice_and_keeps_going(page, tmp_path):
    index = build(tmp_path / "web", adapter="standalone")
    page.add_init_script("""Object.defineProperty(window, 'localStorage', {
        get() { throw new DOMException('blocked', 'SecurityError'); } });""")
    page.goto(index.as_uri())
    page.wait_for_selector(".ccm-notice")
    assert "will not be kept" in page.inner_text(".ccm-notice")
    pass_cover(page)
    page.click("#ccm-next")
    assert page.inner_text("#ccm-progress") == "Page 2 of 3"
    assert page.ccm_errors == []


def test_corrupt_state_starts_fresh_with_a_notice(page, site):
    url = site()
    page.add_init_script("localStorage.setItem('ccm:runtime-test:1.0.0', 'c1|zz|nonsense')")
    open_module(page, url)
    assert events(page)[0]["entry"] == "ab-initio"
    assert page.get_attribute("#ccm-status", "data-ccm-save") == "saved"  # the fresh state was saved over it
    assert "could not be read" in page.inner_text("#ccm-notices")
    assert page.inner_text("#ccm-progress") == "Page 1 of 3"
    assert page.ccm_errors == []


def test_not_recording_and_mastery_score_from_launch(page, site):
    url = site()
    page.add_init_script("window.__ccmLaunch = {recording: false, masteryScore: 0.5}")
    open_module(page, url)
    assert "not being recorded" in page.inner_text("#ccm-notices")
    to_quiz(page)
    assert "You need 50% or more to pass" not in page.inner_text("#ccm-quiz-body")  # started already
    for qid in RIGHT:
        answer(page, (WRONG if qid in ("q03-summarise", "q04-services") else RIGHT)[qid])
        next_step(page)
    submit = [e for e in events(page) if e["type"] == "submit"][0]
    assert submit["score"] == 67 and submit["passed"] is True


def test_csp_meta_and_no_console_errors_or_violations(page, site):
    page.add_init_script("""window.__csp = [];
        document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective));""")
    open_module(page, site())
    csp = page.get_attribute('meta[http-equiv="Content-Security-Policy"]', "content")
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    to_quiz(page)
    answer(page, ["b"])
    next_step(page)
    assert page.evaluate("() => window.__csp") == []
    assert page.ccm_errors == []
    assert page.ccm_failed_requests == []


def _axe(page, axe_check, format_violations, where):
    violations = axe_check(page)
    assert violations == [], f"{where}: {format_violations(violations)}"


def test_axe_on_every_screen(page, site, axe_check, format_violations):
    open_module(page, site())
    _axe(page, axe_check, format_violations, "first page")
    page.click("#ccm-next")  # the page with key point, reflection and note
    _axe(page, axe_check, format_violations, "blocks page")
    page.click('#ccm-toc-list a[data-view="3"]')
    _axe(page, axe_check, format_violations, "quiz start")
    page.get_by_role("button", name="Start the quiz").click()
    for n, qid in enumerate(RIGHT):
        q = current_question(page)
        _axe(page, axe_check, format_violations, f"{q['type']} before checking")
        if n == 0:
            page.get_by_role("button", name="Check answer").click()
            _axe(page, axe_check, format_violations, "missing answer message")
        answer(page, (WRONG if n % 2 else RIGHT)[qid])
        _axe(page, axe_check, format_violations, f"{q['type']} after checking")
        next_step(page)
    _axe(page, axe_check, format_violations, "results")
    page.get_by_role("button", name="Finish").click()
    _axe(page, axe_check, format_violations, "finished")


def test_narrow_screen_has_no_horizontal_scroll(browser, site, axe_check, format_violations):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        open_module(page, site())
        no_scroll = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
        assert page.evaluate(no_scroll)
        toggle = page.locator("#ccm-toc-toggle")
        assert toggle.is_visible() and not page.is_visible("#ccm-toc-list")
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true" and page.is_visible("#ccm-toc-list")
        page.click('#ccm-toc-list a[data-view="1"]')
        assert not page.is_visible("#ccm-toc-list")
        assert page.evaluate(no_scroll)
        page.click("#ccm-toc-toggle")
        page.click('#ccm-toc-list a[data-view="3"]')
        page.get_by_role("button", name="Start the quiz").click()
        for qid in RIGHT:
            answer(page, RIGHT[qid])
            assert page.evaluate(no_scroll), qid
            next_step(page)
        assert page.evaluate(no_scroll)
        _axe(page, axe_check, format_violations, "results at 320px")
    finally:
        context.close()


# ------------------------------------------------------------ state size
def _big_module():
    course, module = make_course()
    pages = tuple(Page(id=f"p{i:02d}", title=f"Page {i}", html="<p>Text.</p>", text="") for i in range(41))
    questions = (
        Question(
            id="s",
            type=QuestionType.SINGLE,
            prompt="?",
            competency_id="ccm.communication",
            options=tuple(Option(chr(97 + i), f"O{i}", correct=i == 0) for i in range(12)),
        ),
        Question(
            id="m",
            type=QuestionType.MULTIPLE,
            prompt="?",
            competency_id="ccm.communication",
            options=tuple(Option(chr(97 + i), f"O{i}", correct=i < 2) for i in range(9)),
        ),
        Question(id="t", type=QuestionType.TRUE_FALSE, prompt="?", competency_id="ccm.communication", answer=False),
        Question(
            id="p",
            type=QuestionType.MATCHING,
            prompt="?",
            competency_id="ccm.communication",
            pairs=tuple(Pair(chr(97 + i), f"P{i}", f"M{i}") for i in range(11)),
        ),
        Question(
            id="o",
            type=QuestionType.ORDERING,
            prompt="?",
            competency_id="ccm.communication",
            items=tuple(Item(chr(97 + i), f"I{i}") for i in range(5)),
        ),
        Question(
            id="x",
            type=QuestionType.SHORT_TEXT,
            prompt="?",
            competency_id="ccm.communication",
            answers=("a",),
            max_length=25,
        ),
        Question(
            id="y",
            type=QuestionType.SHORT_TEXT,
            prompt="?",
            competency_id="ccm.communication",
            answers=("a",),
            max_length=3,
        ),
    )
    questions = questions + tuple(dataclasses.replace(q, id=q.id + "2") for q in questions)  # bank of 14
    return dataclasses.replace(module, pages=pages, questions=questions, attempts=0, draw=Draw(count=11))


WORST_STATE_JS = (
    """([draw, attempt]) => {
"""
    + WORST_MODULE_STATE_JS
    + """
    const course = JSON.parse(document.getElementById('ccm-course').textContent);
    const st = worstModuleState(course, draw, attempt);
    const text = CCM.state.encode(st, course);
    const again = CCM.state.encode(CCM.state.decode(text, course), course);
    return [text, again];
}"""
)


def test_worst_case_state_matches_python(page, tmp_path, http_server):
    module = _big_module()
    course, _ = make_course()
    from ccm_scorm.render import render_module

    course = dataclasses.replace(course, modules=(module,))
    folder = tmp_path / "big"
    for path, data in rendered(render_module, course, module, "recording").items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    open_module(page, http_server(folder).url("index.html"))
    ranked = sorted(range(len(module.questions)), key=lambda i: -worst_case_answer_length(module.questions[i]))
    draw = ranked[: module.draw.count]
    text, again = page.evaluate(WORST_STATE_JS, [draw, max_attempt(module)])
    assert text == again, "the worst-case state decodes and re-encodes to itself"
    assert len(text) == worst_case_state_length(module)
    assert re.fullmatch(r"c2\|[0-9a-z]+\|f{10}1\|999\|a\|1\|[^|]{6}\|100\|.*", text)  # the bank's print, the seed
    # any other draw is no longer
    smallest = ranked[-module.draw.count :]
    shorter, _ = page.evaluate(WORST_STATE_JS, [smallest, 1])
    assert len(shorter) < len(text)
    assert page.ccm_errors == []


def test_state_decoder_rejects_foreign_states(page, site):
    open_module(page, site())
    rejected = page.evaluate("""() => {
        const course = JSON.parse(document.getElementById('ccm-course').textContent);
        const bad = ['', 'c3|0|0|0|0|0||', 'c1|0|0|0|0|0|', 'c1|9|0|0|0|0||', 'c1|0|8|0|0|0||',
                     'c1|0|0|1|0|0|012345||||||', 'c1|0|0|1|0|0|012344||||||', 'c1|0|0|1|0|1|012345||||||',
                     'c1|0|0|1|0|0|012345||3|||||', 'c1|0|0|1|0|0|012345|||||0123|%ZZ|',
                     '{"json":true}', 'c1|0|0|0|0|0||101'];
        return bad.map(s => { try { CCM.state.decode(s, course); return s; } catch (e) { return null; } });
    }""")
    assert rejected == [None] * len(rejected)
    fine = page.evaluate("""() => {
        const course = JSON.parse(document.getElementById('ccm-course').textContent);
        return CCM.state.decode('c1|3|7|1|5|1|012345|67|1|3|t|012|0132|OPEN%21', course);
    }""")
    assert fine["answers"] == [1, [0, 1], True, [0, 1, 2], [0, 1, 3, 2], "OPEN!"]
    assert fine["view"] == "quiz" and fine["seen"] == [True, True, True] and fine["score"] == 67


def test_boot_failure_is_readable(page, tmp_path, http_server):
    index = build(tmp_path / "web")
    index.write_text(index.read_text().replace('"adapter":"recording"', '"adapter":"nope"'))
    page.goto(http_server(tmp_path / "web").url("index.html"))
    alert = page.locator(".ccm-fatal[role=alert]")
    assert "could not start" in alert.inner_text() and "ccm-boot-no-adapter-nope" in alert.inner_text()


def test_print_shows_the_content_only(page, site):
    open_module(page, site())
    page.emulate_media(media="print")
    for hidden in ("#ccm-toc", "#ccm-pager", "#ccm-status"):
        assert not page.is_visible(hidden), hidden
    assert page.is_visible("#ccm-h-0")
    page.emulate_media(media="screen", reduced_motion="reduce")
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
