"""The worst-case compact state length (ccm_scorm.render.state_size), without a browser.
test_runtime_browser.py checks the JavaScript encoder against the same figures."""

from __future__ import annotations

import dataclasses

from ccm_scorm.model import Draw, Option, Question, QuestionType
from ccm_scorm.render.state_size import (
    SCORM12_SUSPEND_DATA_LIMIT, fits_scorm12, max_attempt, worst_case_answer_length, worst_case_state_length,
)
from support.runtime_build import QUESTIONS, make_course


def test_limit_constant():
    assert SCORM12_SUSPEND_DATA_LIMIT == 4096


def test_every_question_type_token():
    by_id = {q.id: q for q in QUESTIONS}
    assert worst_case_answer_length(by_id["q01-open"]) == 1  # option index "2"
    assert worst_case_answer_length(by_id["q02-barriers"]) == 1  # one hex digit for 3 options
    assert worst_case_answer_length(by_id["q03-summarise"]) == 1  # "t"/"f"
    assert worst_case_answer_length(by_id["q04-services"]) == 3  # "210"
    assert worst_case_answer_length(by_id["q05-steps"]) == 4  # "3210"
    assert worst_case_answer_length(by_id["q06-term"]) == 9 * 40  # "%E2%82%AC" per character


def test_wide_indexes_and_default_max_length():
    options = tuple(Option(f"o{i}", str(i)) for i in range(37))
    single = Question(id="s", type=QuestionType.SINGLE, prompt="?", competency_id="c", options=options)
    multiple = dataclasses.replace(single, type=QuestionType.MULTIPLE)
    text = Question(id="t", type=QuestionType.SHORT_TEXT, prompt="?", competency_id="c", answers=("a",))
    assert worst_case_answer_length(single) == 2  # index 36 is "10" in base 36
    assert worst_case_answer_length(multiple) == 10  # ceil(37 / 4) hex digits
    assert worst_case_answer_length(text) == 9 * 60  # max_length 0 means the default, 60


def test_whole_module_by_hand():
    _, module = make_course()
    # "c1" + view "4" + seen 1 + attempt "2" + position 1 + submitted 1 + draw 6x1 + score "100"
    # + answers 1+1+1+3+4+360 + 13 separators
    assert worst_case_state_length(module) == 2 + 1 + 1 + 1 + 1 + 1 + 6 + 3 + 370 + 13
    assert fits_scorm12(module)


def test_unlimited_attempts_assume_999_and_a_draw_takes_the_longest_questions():
    _, module = make_course()
    unlimited = dataclasses.replace(module, attempts=0)
    assert max_attempt(unlimited) == 999
    assert worst_case_state_length(unlimited) == worst_case_state_length(module) + 2
    drawn = dataclasses.replace(module, draw=Draw(count=2))
    # two drawn: short text (360) and ordering (4); draw 2 indexes; 9 separators
    assert worst_case_state_length(drawn) == 2 + 1 + 1 + 1 + 1 + 1 + 2 + 3 + 364 + 9


def test_module_without_a_quiz():
    _, module = make_course(questions=())
    assert worst_case_state_length(module) == len("c1|2|7|0|0|0||")


def test_a_module_that_cannot_fit():
    _, module = make_course()
    long_text = dataclasses.replace(QUESTIONS[5], max_length=500)
    too_big = dataclasses.replace(module, questions=QUESTIONS[:5] + (long_text,))
    assert worst_case_state_length(too_big) > SCORM12_SUSPEND_DATA_LIMIT
    assert not fits_scorm12(too_big)


def test_bundled_catalogue_modules_fit_scorm12(repo_root):
    from ccm_scorm.source.module import read_module
    from ccm_scorm.source.problems import Problems

    folders = sorted(p.parent for p in (repo_root / "modules").glob("*/module.yaml"))
    assert folders
    for folder in folders:
        module = read_module(folder, Problems(root=repo_root / "modules"), None)
        if module is not None:  # modules that do not load are ccm validate's business
            assert worst_case_state_length(module) <= SCORM12_SUSPEND_DATA_LIMIT, module.id
