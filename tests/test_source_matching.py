"""Matching questions with shared and spare matches: what quiz.yaml accepts, and the question JSON the runtime
gets (each distinct match once, spares after them; which is right only in the key, tests/support/answer_key.py)."""

from __future__ import annotations

from support.answer_key import opened
from support.course_source import QUIZ, write_course

from ccm_scorm.render import question_data
from ccm_scorm.source import check_course, load_course

# The test course's matching question, with a third prompt sharing a match and a spare.
SHARED = "questions:\n" + QUIZ[QUIZ.index("  - id: q4-services") : QUIZ.index("  - id: q5-steps")].replace(
    "      - {prompt: Loneliness, match: Befriending}\n",
    "      - {prompt: Loneliness, match: Befriending}\n      - {prompt: Cold home, match: Benefits advice}\n"
    "    spares: [Hospital transport]\n",
)


def _question(tmp_path, quiz: str, question_id: str = "q4-services"):
    course = load_course(write_course(tmp_path, {"demo/quiz.yaml": quiz}))
    module = course.module("demo")
    return question_data(course, module, module.question(question_id))


def test_shared_and_spare_matches_give_targets_and_each_pair_its_target(tmp_path):
    data = opened(_question(tmp_path, SHARED))  # the key as the runtime opens it when the learner checks
    assert sorted(data["targets"], key=lambda t: t["id"]) == [
        {"id": "a", "text": "Benefits advice"},
        {"id": "b", "text": "Befriending"},
        {"id": "spare1", "text": "Hospital transport"},
    ]
    assert [(pair["id"], pair["target"]) for pair in data["pairs"]] == [("a", "a"), ("b", "b"), ("c", "a")]


def test_a_matching_question_without_shared_or_spare_matches_offers_each_match_once(tmp_path):
    data = opened(_question(tmp_path, QUIZ))
    assert sorted(data["targets"], key=lambda t: t["id"]) == [
        {"id": "a", "text": "Benefits advice"},
        {"id": "b", "text": "Befriending"},
    ]
    assert [(pair["id"], pair["prompt"], pair["target"]) for pair in data["pairs"]] == [
        ("a", "Money worries", "a"),
        ("b", "Loneliness", "b"),
    ]


def test_matches_that_differ_only_in_capitals_and_spares_that_repeat_a_match_are_refused(tmp_path):
    capitals = SHARED.replace(
        "{prompt: Cold home, match: Benefits advice}", "{prompt: Cold home, match: benefits advice}"
    )
    _, problems = check_course(write_course(tmp_path / "a", {"demo/quiz.yaml": capitals}))
    assert [f"{p.line}: {p.message}" for p in problems.errors] == [
        "5: the matches 'Benefits advice' and 'benefits advice' differ only in capitals, so the learner cannot "
        "tell them apart"
    ]
    repeated = SHARED.replace("spares: [Hospital transport]", "spares: [Befriending]")
    _, problems = check_course(write_course(tmp_path / "b", {"demo/quiz.yaml": repeated}))
    assert [f"{p.line}: {p.message}" for p in problems.errors] == ["9: the spare 'Befriending' repeats a match"]
