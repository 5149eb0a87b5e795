"""The competency rule is the same in the runtime (scoring.js) and in `ccm report` (report/verdicts.py)."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess

from ccm_scorm.report.verdicts import judge

JUDGE_IN_NODE = """
import { CCM } from './tests/js/runtime.mjs';
const cases = JSON.parse(process.argv[1]);
console.log(JSON.stringify(cases.map(([asked, right, bank, mark]) => CCM.scoring.judge(asked, right, bank, mark))));
"""


def _cases() -> list[tuple[int, int, int, int]]:
    marks = (0, 50, 67, 75, 80, 100)
    return [
        (asked, right, bank, mark)
        for bank, asked, mark in itertools.product(range(0, 9), range(0, 9), marks)
        if asked <= bank
        for right in range(asked + 1)
    ]


def test_the_runtime_and_the_report_judge_every_case_alike(repo_root):
    node = shutil.which("node")
    assert node, "Node.js is needed to run the runtime's rule"
    cases = _cases()
    done = subprocess.run(
        [node, "--input-type=module", "-e", JUDGE_IN_NODE, json.dumps(cases)],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    runtime = [(v["status"], v["score"]) for v in json.loads(done.stdout)]
    report = [judge(*case) for case in cases]
    assert len(cases) > 500
    assert runtime == report
    # every outcome is covered, and halves (1 of 8 right is 12.5: JavaScript rounds it up to 13)
    assert {status for status, _ in report} == {"passed", "failed", "not-assessed", "completed"}
    assert judge(8, 1, 8, 13) == ("passed", 13) and judge(3, 2, 6, 67) == ("passed", 67)


# ------------------------------------------------------------------ the results screen in Chromium
import dataclasses  # noqa: E402

import pytest  # noqa: E402
from support.runtime_build import PAGES, build, make_course  # noqa: E402
from support.scorm_helpers import build_package  # noqa: E402
from test_runtime_browser import events, open_module  # noqa: E402

from ccm_scorm.model import Draw, Question, QuestionType  # noqa: E402


def _true(qid: str, competency: str) -> Question:
    return Question(
        id=qid, type=QuestionType.TRUE_FALSE, competency_id=competency, prompt=f"Statement {qid} is true.", answer=True
    )


# Four questions on communication, two on person-centred practice, none on working as a team.
PERSON_CENTRED = ("p1", "p2")
BANK = tuple(_true(q, "ccm.communication") for q in ("c1", "c2", "c3", "c4")) + tuple(
    _true(q, "ccm.person-centred") for q in PERSON_CENTRED
)
DRAW = Draw(count=3, shuffle=True)

# Makes the next draw one with exactly `wanted` person-centred questions (drawOf is the runtime's own).
CHOOSE_DRAW = """wanted => {
  const course = JSON.parse(document.getElementById('ccm-course').textContent);
  const ids = course.questions.map(q => q.id), pc = ['p1', 'p2'];
  for (let seed = 0; seed < 1000; seed++) {
    const n = CCM.state.drawOf(course, seed).filter(i => pc.includes(ids[i])).length;
    if (n === wanted) { CCM.randomInt = () => seed; return seed; }
  }
  return null;
}"""

# Every word of the results table on one line: a word split over two lines ("Sco / re") fails.
BROKEN_WORDS = """() => {
  const broken = [], walker = document.createTreeWalker(document.querySelector('.ccm-results-table'), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(/\\S+/g)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
      if (tops.size > 1) broken.push(m[0]);
    }
  }
  return broken;
}"""


@pytest.fixture
def module_url(tmp_path, http_server):
    def make(**changes):
        folder = tmp_path / f"m{len(list(tmp_path.iterdir()))}"
        build(folder, questions=BANK, **changes)
        return http_server(folder).url("index.html")

    return make


def take_quiz(page, asked, wrong=()):
    """Start the quiz and answer its `asked` questions, right except those in `wrong`; ends on the results."""
    page.locator('#ccm-toc-list a[data-view="3"]').dispatch_event("click")  # the contents may be folded away
    # (`page` may be a Page or, in an LMS, the SCO's Frame)
    page.get_by_role("button", name="Start the quiz").click()
    for _ in range(asked):
        form = page.locator("form.ccm-question")
        qid = form.get_attribute("data-question")
        form.locator(f'input[value="{"f" if qid in wrong else "t"}"]').check(force=True)
        form.locator("button[type=submit], button[data-action=check]").first.click()
        page.wait_for_selector(".ccm-feedback")
        page.locator("#ccm-quiz-body button[data-action]").click()
    page.wait_for_selector("#ccm-results:not([hidden]) .ccm-results-table")


def table_rows(page):
    return page.eval_on_selector_all(
        ".ccm-results-table tbody tr", "rs => rs.map(r => [...r.children].map(c => c.innerText.trim()))"
    )


def submitted(page):
    return [e for e in events(page) if e["type"] == "submit"][-1]


def test_a_competency_the_draw_asked_once_is_not_assessed_and_the_module_verdict_stands_alone(page, module_url):
    url = module_url(draw=DRAW)
    open_module(page, url)
    assert page.evaluate(CHOOSE_DRAW, 1) is not None
    take_quiz(page, DRAW.count)
    verdict = page.inner_text(".ccm-outcome")
    assert verdict == "✓ You have passed."
    assert table_rows(page) == [
        ["Communication", "100%", "Achieved"],
        ["Person-centred practice", "1 question asked", "Not assessed in this attempt"],
        ["Working as a team", "Not in the quiz", "Covered in the pages"],
    ]
    assert not re.search(r"(?<!\d)0 ?%", page.inner_text(".ccm-results-table"))
    rule = page.inner_text(".ccm-results-rule")
    assert "at least 2 questions on it" in rule and "does not count against you" in rule
    assert [c["status"] for c in submitted(page)["competencies"]] == ["passed", "not-assessed", "completed"]
    assert submitted(page)["competencies"][1] == {"id": "ccm.person-centred", "score": None, "status": "not-assessed", "asked": 1}
    assert page.locator(".ccm-read-again").count() == 0
    assert page.ccm_errors == []


def test_a_pass_with_a_failed_competency_says_so_once_and_links_to_its_pages(page, module_url):
    pages = [dataclasses.replace(p, competency_ids=("ccm.person-centred",) if i == 2 else ()) for i, p in enumerate(PAGES)]
    open_module(page, module_url(pages=tuple(pages)))
    take_quiz(page, 6, wrong=("p1",))  # 5 of 6: passed at 83 %, person-centred 1 of 2
    assert page.inner_text(".ccm-outcome") == "✓ You have passed, with 1 area to review."
    assert table_rows(page)[1] == ["Person-centred practice", "50%", "To review"]
    answers = page.eval_on_selector_all(".ccm-answers li strong", "s => s.map(x => x.innerText)")
    assert answers.count("✗ Wrong") == 1 and answers.count("✓ Right") == 5
    links = page.locator(".ccm-read-again a")
    assert links.all_inner_texts() == ["Summing up"]  # only the page that names the competency
    links.first.click()
    assert page.is_visible("#page-03-summing-up") and not page.is_visible("#ccm-results")
    assert page.inner_text("#ccm-progress") == "Page 3 of 3"


def test_a_failed_competency_no_page_names_links_to_every_page(page, module_url):
    open_module(page, module_url())
    take_quiz(page, 6, wrong=PERSON_CENTRED)  # 67 %, person-centred 0 of 2
    assert page.inner_text(".ccm-outcome") == "✗ You have not passed this time."
    missed = page.locator(".ccm-read-again > li")
    assert missed.locator("h3").all_inner_texts() == ["Person-centred practice"]
    assert missed.locator("a").all_inner_texts() == [p.title for p in PAGES]


@pytest.mark.parametrize("width,height", [(360, 740), (1366, 768)])
def test_the_results_table_breaks_no_word_and_fits_the_screen(page, module_url, width, height, axe_check, format_violations):
    page.set_viewport_size({"width": width, "height": height})
    open_module(page, module_url(draw=DRAW))
    page.evaluate(CHOOSE_DRAW, 1)
    take_quiz(page, DRAW.count)
    assert page.evaluate(BROKEN_WORDS) == []
    fits = page.evaluate("() => document.querySelector('.ccm-results-table').getBoundingClientRect().right")
    assert fits <= width
    if width == 360:  # stacked: each cell says which column it is
        label = page.evaluate("() => getComputedStyle(document.querySelector('.ccm-results-table td'), '::before').content")
        assert label == '"Score: "'
    violations = axe_check(page)
    assert violations == [], format_violations(violations)


# ------------------------------------------------------------------ SCORM objectives, with scorm-again as the LMS
def _scorm_objectives(cmi: dict) -> dict:
    """{objective id: {field: value}} of the values the SCO wrote (SCORM 1.2 and 2004 keys alike)."""
    rows: dict[str, dict] = {}
    for key, value in cmi.items():
        found = re.match(r"^cmi\.objectives\.(\d+)\.id$", key)
        if found:
            prefix = f"cmi.objectives.{found.group(1)}."
            rows[value] = {k[len(prefix) :]: v for k, v in cmi.items() if k.startswith(prefix) and k != prefix + "id"}
    return rows


@pytest.mark.parametrize("edition", ["12", "2004"])
def test_scorm_objectives_pass_or_fail_only_what_the_attempt_judged(edition, tmp_path, http_server, scorm_lms):
    course, module = make_course(questions=BANK, draw=DRAW)
    folder = build_package(course, module.id, "scorm12" if edition == "12" else "scorm2004", tmp_path / "sco")
    lms = scorm_lms(http_server(folder).url("index.html"), edition, wait_for="initialize")
    frame = lms.frame
    lms.wait_for("commit", 1)
    frame.wait_for_function("() => document.documentElement.classList.contains('ccm-ready')")
    assert frame.evaluate(CHOOSE_DRAW, 1) is not None
    take_quiz(frame, DRAW.count, wrong=PERSON_CENTRED)  # the one person-centred question drawn is wrong
    lms.wait_for("commit", 2)
    rows = _scorm_objectives(lms.cmi())
    communication, person_centred = rows["ccm.communication"], rows["ccm.person-centred"]
    if edition == "12":
        assert communication["status"] == "passed" and communication["score.raw"] == "100"
        assert person_centred["status"] == "incomplete" and person_centred.get("score.raw", "") == ""
        assert rows["ccm.teamwork"]["status"] == "completed"  # no question in the bank: finishing completes it
    else:
        assert communication["success_status"] == "passed" and communication["score.raw"] == "100"
        assert person_centred["success_status"] == "unknown" and person_centred.get("score.raw", "") == ""
        assert person_centred["completion_status"] == "incomplete"
        assert rows["ccm.teamwork"]["completion_status"] == "completed"
    assert not lms.page.ccm_errors
