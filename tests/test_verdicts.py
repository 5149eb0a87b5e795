"""The competency rule is the same in the runtime (scoring.js) and in `ccm report` (report/verdicts.py)."""

from __future__ import annotations

import csv
import dataclasses
import itertools
import json
import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from support.course_source import write_course
from support.runtime_build import PAGES, build, make_course
from support.scorm_helpers import build_package
from test_report_xapi import ALICE, BASE, BOB, CAROL, MODULE, statement
from test_runtime_browser import events, open_module

from ccm_scorm.cli import main
from ccm_scorm.model import Draw, Question, QuestionType
from ccm_scorm.report import ReportOptions, build_report
from ccm_scorm.report.catalogue import Catalogue
from ccm_scorm.report.learners import LearnerResolver
from ccm_scorm.report.matrix import Matrix
from ccm_scorm.report.moodle import ModuleMap, MoodleReader
from ccm_scorm.report.moodle_ws import apply_tracks
from ccm_scorm.report.verdicts import judge
from ccm_scorm.source import load_course

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
    assert submitted(page)["competencies"][1] == {
        "id": "ccm.person-centred",
        "score": None,
        "status": "not-assessed",
        "asked": 1,
    }
    assert page.locator(".ccm-read-again").count() == 0
    assert page.ccm_errors == []


def test_a_pass_with_a_failed_competency_says_so_once_and_links_to_its_pages(page, module_url):
    pages = [
        dataclasses.replace(p, competency_ids=("ccm.person-centred",) if i == 2 else ()) for i, p in enumerate(PAGES)
    ]
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
def test_the_results_table_breaks_no_word_and_fits_the_screen(
    page, module_url, width, height, axe_check, format_violations
):
    page.set_viewport_size({"width": width, "height": height})
    open_module(page, module_url(draw=DRAW))
    page.evaluate(CHOOSE_DRAW, 1)
    take_quiz(page, DRAW.count)
    assert page.evaluate(BROKEN_WORDS) == []
    fits = page.evaluate("() => document.querySelector('.ccm-results-table').getBoundingClientRect().right")
    assert fits <= width
    if width == 360:  # stacked: each cell says which column it is
        label = page.evaluate(
            "() => getComputedStyle(document.querySelector('.ccm-results-table td'), '::before').content"
        )
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


# ------------------------------------------------------------------ ccm report: the same rule from every source
# The test course's demo module has five questions on communication and one on advocacy.
STU, SIAN = "stu@example.org", "sian@example.org"


def _interactions_download(path, rows) -> None:
    """A Moodle SCORM 1.2 interactions report (CSV download, "Show question text" and "Result" on), as
    Moodle writes it: rows of (name, email, attempt, score, [(question id, result)])."""
    width = max(len(answers) for *_, answers in rows)
    head = ["Name", '"Email address"', "Attempt", '"Started on"', '"Last accessed on"', "Score", '"Demo module"']
    for n in range(width):
        head += [f'"Question {n}"', f'"Response {n}"', f'"Right answer {n}"', f'"Result {n}"']
    lines = ["\t".join(head)]
    when = '"Tuesday, 24 November 2026, 9:30 PM"'
    for name, email, attempt, score, answers in rows:
        cells = [f'"{name}"', email, str(attempt), when, when, str(score), str(score)]
        for qid, result in answers:
            cells += [qid, "x", "x", result]
        cells += [""] * 4 * (width - len(answers))
        lines.append("\t".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _cells(report) -> dict:
    return {
        (key, cid): view.status
        for key in report.learner_keys()
        for cid, view in zip(report.catalogue.competency_ids, report.matrix.row(key), strict=False)
    }


def test_the_report_reads_a_competency_one_answer_cannot_judge_as_not_assessed_from_moodle(tmp_path):
    course = load_course(write_course(tmp_path))
    one = [("q1-active-listening", "correct"), ("q2-advocacy-rights", "correct")]
    two_wrong = [("q1-active-listening", "wrong"), ("q3-barriers", "wrong"), ("q2-advocacy-rights", "correct")]
    download = tmp_path / "interactions.txt"
    _interactions_download(
        download,
        [("Stu Dent", STU, 1, 100, one), ("Stu Dent", STU, 2, 33, two_wrong), ("Siân Müller", SIAN, 1, 100, one)],
    )
    report = build_report(course, ReportOptions(moodle=(download,)))
    cells = _cells(report)
    # one communication question in an attempt: not assessed, even though the module was passed
    assert cells[SIAN, "ccm.communication"] == "not assessed"
    assert cells[SIAN, "ccm.advocacy"] == "achieved"  # the bank's only advocacy question was asked
    # a later attempt that judged communication (two questions, both wrong) wins over the unjudged one
    assert cells[STU, "ccm.communication"] == "attempted, not yet achieved"
    view = report.matrix.cell(SIAN, "ccm.communication")
    assert (view.best, view.latest, view.attempts) == (None, None, 1)


def _submission(actor, when, competencies):
    """The `passed` statement the runtime sends on a submission, with its competency-results extension."""
    results = [
        {"id": f"{BASE}competency/{cid}", "competency": cid, "score": score, "status": status}
        | ({} if asked is None else {"asked": asked})
        for cid, score, status, asked in competencies
    ]
    result = {"success": True, "completion": True, "score": {"scaled": 1, "raw": 100, "min": 0, "max": 100}}
    result["extensions"] = {MODULE + "/xapi/competency-results": results}
    return statement(actor, "passed", MODULE, when, "0b9a1b6e-36a1-4b8e-9c1e-2f1c3d4e5f60", result=result)


def test_statements_name_not_assessed_competencies_and_every_output_says_not_assessed(tmp_path):
    not_judged = ("ccm.communication", None, "not-assessed", 1)
    statements = [
        _submission(ALICE, "2026-03-02T10:00:00Z", [not_judged, ("ccm.advocacy", 100, "passed", 1)]),
        _submission(BOB, "2026-03-02T10:00:00Z", [("ccm.communication", 50, "failed", 2)]),
        _submission(BOB, "2026-03-04T10:00:00Z", [not_judged]),  # later, but judges nothing: the fail stands
        # a runtime before the rule: no score on a competency the bank has questions on
        _submission(CAROL, "2026-03-02T10:00:00Z", [("ccm.communication", None, "completed", None)]),
    ]
    path = tmp_path / "statements.json"
    path.write_text(json.dumps(statements), encoding="utf-8")
    out = tmp_path / "out"
    source = write_course(tmp_path)
    done = CliRunner().invoke(main, ["report", str(source), "--statements", str(path), "--out", str(out)])
    assert done.exit_code == 0, done.output
    matrix = {(r["learner"], r["competency"]): r["status"] for r in _csv_rows(out / "matrix.csv")}
    assert matrix["alice@example.org", "ccm.communication"] == "not assessed"
    assert matrix["alice@example.org", "ccm.advocacy"] == "achieved"
    assert matrix["bob@example.org", "ccm.communication"] == "attempted, not yet achieved"
    assert matrix["carol@example.org", "ccm.communication"] == "not assessed"
    summary = {r["competency"]: r for r in _csv_rows(out / "competencies.csv")}
    assert summary["ccm.communication"]["not_assessed"] == "2" and summary["ccm.communication"]["attempted"] == "1"
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert "not assessed" in json.dumps(data)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "○</span> not assessed" in html and 'class="s-not-assessed"' in html


def _csv_rows(path):
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# ------------------------------------------------------------------ pages declare the competencies they cover
def test_page_front_matter_names_competencies_and_mistakes_are_shown_with_file_and_line(tmp_path):
    page = "demo/pages/02-speaking-up.md"
    fine = write_course(tmp_path / "fine", {page: "---\ncompetencies: [ccm.advocacy]\n---\n# Speaking up\n\nText.\n"})
    module = load_course(fine).module("demo")
    assert [p.competency_ids for p in module.pages] == [(), ("ccm.advocacy",)]
    bad = write_course(
        tmp_path / "bad",
        {page: "---\ncompetencies:\n  - ccm.advocacy\n  - ccm.advocay\ncolour: red\n---\n# Speaking up\n\n::: nope\n"},
    )
    done = CliRunner().invoke(main, ["validate", str(bad)])
    assert done.exit_code != 0
    out = " ".join(done.output.split())
    assert "02-speaking-up.md:4" in out and "'ccm.advocay', which the module does not list" in out
    assert "did you mean 'ccm.advocacy'?" in out
    assert "02-speaking-up.md:5" in out and "unknown key 'colour'" in out
    assert "02-speaking-up.md:9" in out, "the Markdown's own line numbers count the front matter"
    unclosed = write_course(tmp_path / "open", {page: "---\ncompetencies: [ccm.advocacy]\n# Speaking up\n"})
    done = CliRunner().invoke(main, ["validate", str(unclosed)])
    assert "02-speaking-up.md:1" in " ".join(done.output.split()) and "never closed" in done.output
    assert "Traceback" not in done.output


def test_the_bundled_pages_name_only_their_modules_competencies():
    from pathlib import Path

    course = load_course(Path(__file__).resolve().parents[1] / "modules")
    for module in course.modules:
        named = {c for page in module.pages for c in page.competency_ids}
        assert named <= set(module.competency_ids), module.id
        # every competency of a two-competency module is named by some page, the primary by every page
        assert named == set(module.competency_ids), module.id
        assert all(module.primary_competency_id in page.competency_ids for page in module.pages), module.id


def test_moodle_site_tracks_of_a_scorm_2004_attempt_leave_an_unjudged_competency_not_assessed(tmp_path):
    """What Moodle stores for an attempt (as --moodle-site reads it): the runtime's SCORM 2004 values
    when the draw asked one communication question and the learner passed."""
    catalogue = Catalogue(load_course(write_course(tmp_path)))
    matrix = Matrix(catalogue)
    reader = MoodleReader(catalogue, matrix, LearnerResolver(), ModuleMap(catalogue, ()))
    tracks = {
        "cmi.completion_status": "completed",
        "cmi.success_status": "passed",
        "cmi.score.raw": "100",
        "cmi.interactions.0.id": "demo.q1-active-listening",
        "cmi.interactions.0.result": "correct",
        "cmi.interactions.1.id": "demo.q2-advocacy-rights",
        "cmi.interactions.1.result": "correct",
        "cmi.objectives.0.id": "ccm.communication",
        "cmi.objectives.0.success_status": "unknown",
        "cmi.objectives.0.completion_status": "incomplete",
        "cmi.objectives.1.id": "ccm.advocacy",
        "cmi.objectives.1.success_status": "passed",
        "cmi.objectives.1.completion_status": "completed",
        "cmi.objectives.1.score.raw": "100",
    }
    apply_tracks(reader, STU, "demo", "scorm 1 sco 1", 1, tracks, matrix.source("site"))
    reader.finish()
    assert matrix.cell(STU, "ccm.communication").status == "not assessed"
    assert matrix.cell(STU, "ccm.advocacy").status == "achieved"
