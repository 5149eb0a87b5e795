"""Matching with shared and spare answers, in the browser: one choice list of distinct targets
(spares included) per prompt, right by target id, responses and the saved state by target."""

from __future__ import annotations

from support.runtime_build import build

from ccm_scorm.model import Pair, Question, QuestionType

SHARED = Question(
    id="q-drinks",
    type=QuestionType.MATCHING,
    prompt="Which drink goes with each time of day?",
    competency_id="ccm.communication",
    pairs=(Pair("a", "Morning", "Tea"), Pair("b", "Afternoon", "Tea"), Pair("c", "Night", "Milk")),
    spares=("Coffee",),
)
STARTED = "() => (window.__ccmRecording || []).some(c => c.method === 'record' && c.args[0].type === 'start')"


def _answers(page):
    return [
        c["args"][0]
        for c in page.evaluate("() => window.__ccmRecording")
        if c["method"] == "record" and c["args"][0]["type"] == "answer"
    ]


def _start_quiz(page, tmp_path, http_server):
    build(tmp_path / "m", questions=(SHARED,))
    page.goto(http_server(tmp_path / "m").url("index.html"))
    page.wait_for_function(STARTED)
    page.click('#ccm-toc-list a[data-view="3"]')
    page.get_by_role("button", name="Start the quiz").click()


def _choose(page, choices):
    for index, text in enumerate(choices):
        page.select_option(f"#ccm-q0-{index}", label=text)
    page.get_by_role("button", name="Check answer").click()
    page.wait_for_selector(".ccm-feedback")


def test_shared_and_spare_targets_are_offered_once_and_scored_by_target(page, tmp_path, http_server):
    _start_quiz(page, tmp_path, http_server)
    offered = page.eval_on_selector_all("#ccm-q0-0 option", "os => os.map(o => o.textContent)")
    assert sorted(offered) == ["Choose…", "Coffee", "Milk", "Tea"]  # "Tea" once, the spare too
    _choose(page, ["Tea", "Tea", "Milk"])
    assert page.inner_text(".ccm-verdict") == "✓ Correct."
    right = _answers(page)[-1]
    assert right["correct"] is True
    targets = {t["text"]: t["id"] for t in right["question"]["targets"]}
    assert right["response"] == [["a", targets["Tea"]], ["b", targets["Tea"]], ["c", targets["Milk"]]]
    texts = [t["text"] for t in right["question"]["targets"]]
    state = page.evaluate("() => localStorage.getItem('ccm:runtime-test:1.0.0')")
    assert state.split("|")[-1] == "".join(str(texts.index(t)) for t in ("Tea", "Tea", "Milk"))  # target indexes


def test_a_spare_is_a_wrong_answer(page, tmp_path, http_server):
    _start_quiz(page, tmp_path, http_server)
    _choose(page, ["Tea", "Coffee", "Milk"])
    assert page.inner_text(".ccm-verdict") == "✗ Partly correct."  # two of the three matches are right
    wrong = _answers(page)[-1]
    spare = next(t["id"] for t in wrong["question"]["targets"] if t["text"] == "Coffee")
    assert wrong["correct"] is False and wrong["response"][1] == ["b", spare]
