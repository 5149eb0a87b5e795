"""SCORM 1.2's 4096-character cmi.suspend_data: a 60-question module fits in the browser, and a
module that cannot fit is refused by `ccm validate` (and by the ESR profile at build)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from support.course_source import write_course
from support.scorm_helpers import build_package, read_pages, take_quiz

from ccm_scorm.cli import main
from ccm_scorm.render.state_size import worst_case_state_length
from ccm_scorm.source import load_course
from ccm_scorm.targets import BuildOptions, BuildRefused, get_target


def sixty_questions() -> str:
    lines = ["questions:"]
    for n in range(1, 61):
        lines += [
            f"  - id: q{n:02d}",
            "    type: single",
            f"    prompt: Question number {n}?",
            "    options:",
            "      - text: Right",
            "        correct: true",
            "      - text: Wrong",
            "      - text: Also wrong",
            "      - text: Still wrong",
            "    feedback: Because.",
        ]
    return "\n".join(lines) + "\n"


def long_text_questions() -> str:
    lines = ["questions:"]
    for n in range(1, 16):
        lines += [
            f"  - id: t{n:02d}",
            "    type: short-text",
            f"    prompt: Describe step {n}.",
            "    answers: [anything]",
            "    max_length: 200",
            "    feedback: Thanks.",
        ]
    return "\n".join(lines) + "\n"


def test_sixty_questions_stay_within_4096_characters(tmp_path, http_server, scorm_lms):
    course = load_course(write_course(tmp_path, {"demo/quiz.yaml": sixty_questions()}))
    module = course.module("demo")
    assert len(module.questions) == 60 and worst_case_state_length(module) <= 4096
    folder = build_package(course, "demo", "scorm12", tmp_path / "pkg", lms="esr")
    lms = scorm_lms(http_server(folder) + "index.html", "12", wait_for="initialize")
    read_pages(lms.frame)
    take_quiz(lms.frame, {f"q{n:02d}": ["a"] for n in range(1, 61)}, count=1)
    # The other 59 with in-page clicks (one round trip instead of hundreds): the same runtime code runs.
    lms.frame.evaluate("""() => {
        const click = (s) => document.querySelector(s).click();
        for (let n = 0; n < 60; n++) {
            const pos = +document.querySelector('form.ccm-question').getAttribute('data-pos');
            if (!document.querySelector(`#ccm-q${pos}-form .ccm-feedback`)) {
                click(`#ccm-q${pos}-0`);
                click(`#ccm-q${pos}-form button[type=submit]`);
            }
            const next = document.querySelector('button[data-action=next-question]');
            if (!next) { click('button[data-action=submit]'); return; }
            next.click();
        }
    }""")
    lms.frame.wait_for_selector("#ccm-results:not([hidden])")
    state = lms.value("cmi.suspend_data")
    assert lms.value("cmi.core.lesson_status") == "passed"
    assert 0 < len(state) <= worst_case_state_length(module) <= 4096
    assert lms.value("cmi.interactions._count") == "60" or lms.value("cmi.interactions.59.id") == "demo.q60"


def test_a_module_that_cannot_fit_is_refused(tmp_path):
    source = write_course(tmp_path, {"demo/quiz.yaml": long_text_questions()})
    result = CliRunner().invoke(main, ["validate", str(source)])
    assert result.exit_code == 1, result.output
    assert "keep at most 4096" in result.output, result.output


def test_esr_profile_refuses_to_build_what_cannot_fit(tmp_path):
    from dataclasses import replace

    course = load_course(write_course(tmp_path))
    module = course.module("demo")
    from ccm_scorm.model import Question, QuestionType

    texts = tuple(
        Question(
            id=f"t{n}",
            type=QuestionType.SHORT_TEXT,
            prompt="?",
            competency_id="ccm.communication",
            answers=("x",),
            max_length=200,
        )
        for n in range(15)
    )
    huge = replace(module, questions=texts)
    with pytest.raises(BuildRefused, match="4096"):
        get_target("scorm12").build_module(course, huge, BuildOptions(lms="esr"))
    warnings = get_target("scorm12").lint(course, huge, BuildOptions(lms="moodle"))
    assert any("4096" in w for w in warnings)
