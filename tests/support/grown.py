"""Grown copies of the bundled catalogue, written into a temporary folder: what a trust has once it
adds its own questions to the bundled modules (issue 16: pathways and modules that can grow).

- `doubled_catalogue`: every module of a pathway with its bank doubled (each question copied
  under a new id), draws unchanged.
- `add_sixty_question_module`: a module of 60 questions asked in written order (no draw), taken
  from the bundled banks: every short-text question of the catalogue (14, one of them twice),
  every ordering and matching question, and single/multiple/true-false questions for the rest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

FOUNDATIONS = "care-coordination-foundations"
SIXTY = "grown-sixty"
SIXTY_SIZE = 60


def copy_catalogue(repo_root: Path, folder: Path) -> Path:
    """The bundled catalogue (modules/) copied into `folder`; returns the copy."""
    target = folder / "modules"
    shutil.copytree(repo_root / "modules", target)
    return target


def read_bank(source: Path, module_id: str) -> list[dict]:
    return yaml.safe_load((source / module_id / "quiz.yaml").read_text(encoding="utf-8"))["questions"]


def write_bank(source: Path, module_id: str, questions: list[dict]) -> None:
    text = yaml.safe_dump({"questions": questions}, sort_keys=False, allow_unicode=True, width=1000)
    (source / module_id / "quiz.yaml").write_text(text, encoding="utf-8")


def pathway_modules(source: Path, pathway_id: str) -> list[str]:
    return yaml.safe_load((source / "pathways" / f"{pathway_id}.yaml").read_text(encoding="utf-8"))["modules"]


def doubled_catalogue(repo_root: Path, folder: Path, pathway_id: str = FOUNDATIONS) -> Path:
    """The catalogue with every bank of the pathway's modules doubled: each question and a copy of it."""
    source = copy_catalogue(repo_root, folder)
    for module_id in pathway_modules(source, pathway_id):
        bank = read_bank(source, module_id)
        write_bank(source, module_id, bank + [{**q, "id": f"{q['id']}-copy"} for q in bank])
    return source


def _sixty_questions(source: Path, module_ids: list[str]) -> list[dict]:
    every = [(m, q) for m in module_ids for q in read_bank(source, m)]
    heavy = [pair for pair in every if pair[1]["type"] in ("short-text", "ordering", "matching")]
    light = [pair for pair in every if pair not in heavy]
    texts = [pair for pair in heavy if pair[1]["type"] == "short-text"]
    chosen = heavy + texts[:1] + light  # one short text twice: a quarter of the bank is short text
    return [{**q, "id": f"q{n:02d}-{m}"} for n, (m, q) in enumerate(chosen[:SIXTY_SIZE], start=1)]


def add_sixty_question_module(source: Path, module_id: str = SIXTY, like: str = "communication") -> list[dict]:
    """A new module (a copy of `like` with its own id) asking 60 bundled questions in written order."""
    shutil.copytree(source / like, source / module_id)
    meta = yaml.safe_load((source / module_id / "module.yaml").read_text(encoding="utf-8"))
    meta.update(id=module_id, title="Sixty questions from the catalogue")
    meta.pop("draw", None)
    (source / module_id / "module.yaml").write_text(
        yaml.safe_dump(meta, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    modules = sorted(p.parent.name for p in source.glob("*/quiz.yaml") if p.parent.name != module_id)
    questions = _sixty_questions(source, modules)
    write_bank(source, module_id, questions)
    return questions


# ------------------------------------------------------------------ a learner, in the page
# Answers the question on screen through the runtime's own controls: "right" and "wrong" from the
# answer key the test reads from the source (the page does not give it away), or "longest" (the
# answer that takes the most room in the saved state: the last option, every box, the last
# target, short texts of maxLength characters that cannot be written literally).
_ANSWER_JS = r"""
function answerOnScreen(q, key, mode) {
  const form = document.querySelector('form.ccm-question'), id = 'ccm-q' + form.dataset.pos;
  const el = (suffix) => document.getElementById(id + '-' + suffix);
  const right = mode === 'right', wrong = mode === 'wrong';
  if (q.type === 'single') {
    const ok = q.options.findIndex((o) => key.includes(o.id)), bad = q.options.findIndex((o) => !key.includes(o.id));
    el(right ? ok : wrong ? bad : q.options.length - 1).click();
  } else if (q.type === 'multiple') {
    const all = key.length === q.options.length;
    q.options.forEach((o, i) => { if (right ? key.includes(o.id) : wrong ? !all || i === 0 : true) el(i).click(); });
  } else if (q.type === 'true-false') {
    el((right ? key : wrong ? !key : false) ? 't' : 'f').click();
  } else if (q.type === 'matching') {
    q.pairs.forEach((p, s) => {
      const choices = [...el(s).options].filter((o) => o.value !== '');
      const pick = right ? choices.find((o) => o.text === key[p.id]) : wrong ? choices.find((o) => o.text !== key[p.id])
        : choices[choices.length - 1];
      el(s).value = pick.value;
    });
  } else if (q.type === 'ordering') {
    const up = (item) => document.querySelector('#' + id + '-order button[data-dir="-1"][data-item="' + item + '"]');
    const order = () => [...document.querySelectorAll('#' + id + '-order button[data-dir="-1"]')].map((b) => +b.dataset.item);
    const ids = right ? key : wrong ? [...key].reverse() : [];
    ids.map((itemId) => q.items.findIndex((x) => x.id === itemId)).forEach((item, place) => {
      while (order().indexOf(item) > place) up(item).click();
    });
  } else {
    el('text').value = right ? key : wrong ? 'zzz' : '\u20ac'.repeat(q.maxLength || 60);
  }
  form.querySelector('button[type=submit]').click();
}
"""

ANSWER_QUESTIONS_JS = (
    "([moduleIndex, modes, keys]) => {"
    + _ANSWER_JS
    + r"""
  const data = JSON.parse(document.getElementById('ccm-course').textContent);
  const course = data.modules ? data.modules[moduleIndex] : data;
  for (const mode of modes) {
    const form = document.querySelector('form.ccm-question'), qid = form.dataset.question;
    answerOnScreen(course.questions.find((x) => x.id === qid), keys[qid], mode);
    const next = document.querySelector('button[data-action=next-question]');
    if (!next) { document.querySelector('button[data-action=submit]').click(); return 'results'; }
    next.click();
  }
  return 'question';
}"""
)


def answer_key(module) -> dict:
    """{question id: its right answer, by ids and texts}, from the source (for ANSWER_QUESTIONS_JS)."""
    keys: dict = {}
    for q in module.questions:
        kind = q.type.value
        if kind in ("single", "multiple"):
            keys[q.id] = [o.id for o in q.options if o.correct]
        elif kind == "true-false":
            keys[q.id] = q.answer
        elif kind == "matching":
            keys[q.id] = {pair.id: pair.match for pair in q.pairs}
        elif kind == "ordering":
            keys[q.id] = [item.id for item in q.items]
        else:
            literal = next(a for a in q.answers if "*" not in a.replace("\\*", ""))
            keys[q.id] = literal.replace("\\*", "*")
    return keys


def start_quiz(frame, module_index: int | None = None) -> None:
    """From the menu (a pathway) or the first page: open the module, page through it and start its quiz."""
    frame.wait_for_selector("html.ccm-ready", state="attached")
    if module_index is not None:
        frame.click(f"#ccm-menu-open-{module_index}")
    frame.wait_for_selector("#ccm-next")
    while not frame.locator("button[data-action=begin]").is_visible():  # the cover (module packages), the pages
        frame.click("#ccm-next")
    frame.click("button[data-action=begin]")
    frame.wait_for_selector("form.ccm-question")


def leave_cover(frame) -> None:
    """A module package opens on its cover: "Continue" (#ccm-next) goes where the learner was."""
    frame.wait_for_selector("html.ccm-ready", state="attached")
    if frame.is_visible("#ccm-cover"):
        frame.click("#ccm-next")


def answer_questions(frame, module, modes: list[str], module_index: int | None = None) -> str:
    """Answer one question of `module` (the model) per mode ("right", "wrong", "longest"), moving
    on after each; "results" once the last is checked, else "question"."""
    return frame.evaluate(ANSWER_QUESTIONS_JS, [module_index, modes, answer_key(module)])


def back_to_menu(frame) -> None:
    frame.wait_for_selector("#ccm-results:not([hidden])")
    frame.get_by_role("button", name="Back to all modules").click()
    frame.wait_for_selector("#ccm-menu:not([hidden])")


DECODE_PATHWAY_JS = """(text) => {
  const course = JSON.parse(document.getElementById('ccm-course').textContent);
  return CCM.pathwayState.decode(text, course);
}"""

DECODE_MODULE_JS = """(text) => {
  const course = JSON.parse(document.getElementById('ccm-course').textContent);
  return CCM.state.decode(text, course);
}"""
