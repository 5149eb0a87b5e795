"""A small course for the tests in Moodle's own SCORM player, built with the real CLI, and a
learner who plays it in the content frame.

The quiz module has eight true-or-false questions, so 7 right is 88 % (passes its 80 % pass
mark; a 100 % pass mark would fail it) and 4 right is 50 %. A reading-only module has no quiz,
and the pathway holds both. The framework has its own id, so it never meets another test's
framework on the shared site.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

from click.testing import CliRunner

from ccm_scorm.cli import main

FRAMEWORK_ID = "ccm-moodle-player"
QUIZ_MODULE = "moodle-quiz"
READING_MODULE = "moodle-reading"
PATHWAY = "moodle-path"
QUIZ_COMPETENCIES = ("mp.listening", "mp.speaking-up")
READING_COMPETENCY = "mp.person-first"
QUESTIONS = 8
# The written answer of each question, in order (no draw, so the quiz asks them in this order).
ANSWERS = (True, False, True, True, False, True, False, True)

FRAMEWORK = f"""\
id: {FRAMEWORK_ID}
title: Moodle player test framework
version: "1.0.0"
description: The competencies of the Moodle player tests.
provenance: Written for the test suite.
base_iri: https://ccm-scorm.example.org/moodle-player/
audience: [Care navigator]
domains:
  - id: mp.skills
    title: Skills
    description: Skills.
    competencies:
      - id: mp.listening
        title: Listening
        description: Listens before suggesting.
      - id: mp.speaking-up
        title: Speaking up
        description: Speaks up for the person.
      - id: mp.person-first
        title: Person first
        description: Puts the person first.
"""

QUIZ_MODULE_YAML = f"""\
id: {QUIZ_MODULE}
version: "1.0.0"
title: Listening and speaking up
summary: A short module for the Moodle player tests.
competencies: [mp.listening, mp.speaking-up]
audience: [Care navigator]
minutes: 5
outcomes:
  - Answer eight questions.
pass_mark: 80
attempts: 0
"""

READING_MODULE_YAML = f"""\
id: {READING_MODULE}
version: "1.0.0"
title: Putting the person first
summary: A reading-only module for the Moodle player tests.
competencies: [mp.person-first]
audience: [Care navigator]
minutes: 3
outcomes:
  - Read two pages.
pass_mark: 80
attempts: 0
"""

PATHWAY_YAML = f"""\
id: {PATHWAY}
title: Moodle player pathway
description: Both test modules in one package.
audience: [Care navigator]
modules: [{QUIZ_MODULE}, {READING_MODULE}]
"""


def _quiz_yaml() -> str:
    lines = ["questions:"]
    for n, truth in enumerate(ANSWERS, start=1):
        competency = QUIZ_COMPETENCIES[(n - 1) % 2]
        lines += [
            f"  - id: q{n}",
            "    type: true-false",
            f"    competency: {competency}",
            f"    prompt: Statement number {n} is {'true' if truth else 'false'}.",
            f"    answer: {'true' if truth else 'false'}",
            f"    feedback: Statement {n} says what it is.",
        ]
    return "\n".join(lines) + "\n"


def _page(title: str, text: str) -> str:
    return f"# {title}\n\n{text}\n"


def write_course(root: Path) -> Path:
    files = {
        "framework.yaml": FRAMEWORK,
        f"{QUIZ_MODULE}/module.yaml": QUIZ_MODULE_YAML,
        f"{QUIZ_MODULE}/pages/01-listen.md": _page("Listen first", "Let the person finish before you speak."),
        f"{QUIZ_MODULE}/pages/02-speak-up.md": _page("Speak up", "Say when something is not right."),
        f"{QUIZ_MODULE}/quiz.yaml": _quiz_yaml(),
        f"{READING_MODULE}/module.yaml": READING_MODULE_YAML,
        f"{READING_MODULE}/pages/01-ask.md": _page("Ask what matters", "Ask the person what matters to them."),
        f"{READING_MODULE}/pages/02-agree.md": _page("Agree the next step", "Agree the next step together."),
        f"pathways/{PATHWAY}.yaml": PATHWAY_YAML,
    }
    course = root / "course"
    for name, text in files.items():
        path = course / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    return course


def ccm(*args: str | Path) -> str:
    """Run the real command line (in this process); its output, or an assertion error with what it printed."""
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, f"ccm {' '.join(map(str, args))} failed:\n{result.output}"
    return result.output


def build_packages(course: Path, out: Path) -> Path:
    ccm("build", course, "--target", "scorm12", "--target", "scorm2004", "--out", out, "--quiet")
    return out


# ------------------------------------------------------------------ the learner
def read_pages(frame) -> None:
    """From the page on screen, on through every content page to the quiz (or the module's end)."""
    while frame.locator("#ccm-next").is_visible():
        if frame.locator("button[data-action=begin]").is_visible():
            return
        label = frame.locator("#ccm-next").inner_text()
        if label not in ("Next page", "Go to the quiz"):
            return  # the last page of a module without a quiz: its button leaves
        frame.click("#ccm-next")


def start_quiz(frame) -> None:
    read_pages(frame)
    frame.click("button[data-action=begin]")


def answer_questions(frame, right: int, count: int = QUESTIONS, first: int = 0) -> None:
    """Answer questions first..first+count-1 on screen, the first `right` of the whole quiz rightly."""
    for n in range(first, first + count):
        form = frame.locator(f"form.ccm-question[data-pos='{n}']")
        form.wait_for()
        truth = ANSWERS[n] if n < right else not ANSWERS[n]
        frame.check(f"#ccm-q{n}-{'t' if truth else 'f'}")
        form.locator("button[type=submit]").click()
        action = "submit" if n == QUESTIONS - 1 else "next-question"
        frame.locator(f"#ccm-quiz-body button[data-action={action}]").click()
    if first + count == QUESTIONS:
        frame.locator("#ccm-results:not([hidden])").wait_for()


def take_quiz(frame, right: int) -> None:
    start_quiz(frame)
    answer_questions(frame, right)


def score_for(right: int) -> int:
    return round(100 * right / QUESTIONS)
