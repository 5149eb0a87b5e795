"""The worst-case compact state length (ccm_scorm.render.state_size): figures by hand, and the
Python mirror against the runtime's own encoder (run in Node) on every bundled module."""

from __future__ import annotations

import dataclasses
import json
import shutil
import subprocess

from support import grown
from support.runtime_build import QUESTIONS, make_course

from ccm_scorm.model import Draw, Option, Pair, Question, QuestionType
from ccm_scorm.render import course_data
from ccm_scorm.render.draw import longest_draw
from ccm_scorm.render.state_size import (
    SCORM12_SUSPEND_DATA_LIMIT,
    fits_scorm12,
    max_attempt,
    worst_case_answer_length,
    worst_case_state_length,
)
from ccm_scorm.source import load_course


def test_every_question_type_token():
    by_id = {q.id: q for q in QUESTIONS}
    assert worst_case_answer_length(by_id["q01-open"]) == 1  # option index "2"
    assert worst_case_answer_length(by_id["q02-barriers"]) == 1  # one hex digit for 3 options
    assert worst_case_answer_length(by_id["q03-summarise"]) == 1  # "t"/"f"
    assert worst_case_answer_length(by_id["q04-services"]) == 3  # "210"
    assert worst_case_answer_length(by_id["q05-steps"]) == 4  # "3210"
    assert worst_case_answer_length(by_id["q06-term"]) == 1 + 5 * 20  # "!" and 5 digits per two UTF-16 units


def test_wide_indexes_and_default_max_length():
    options = tuple(Option(f"o{i}", str(i)) for i in range(37))
    single = Question(id="s", type=QuestionType.SINGLE, prompt="?", competency_id="c", options=options)
    multiple = dataclasses.replace(single, type=QuestionType.MULTIPLE)
    text = Question(id="t", type=QuestionType.SHORT_TEXT, prompt="?", competency_id="c", answers=("a",))
    assert worst_case_answer_length(single) == 2  # index 36 is "10" in base 36
    assert worst_case_answer_length(multiple) == 10  # ceil(37 / 4) hex digits
    assert worst_case_answer_length(text) == 1 + 5 * 30  # max_length 0 means the default, 60
    odd = dataclasses.replace(text, max_length=7)
    assert worst_case_answer_length(odd) == 1 + 5 * 3 + 3  # a last odd unit takes 3 digits


def test_whole_module_by_hand():
    _, module = make_course()
    # "c2" + view "4" + seen 1 + attempt "2" + position 1 + submitted 1 + draw: the bank's print 3 and no
    # seed (the whole bank in order) + score "100" + answers 1+1+1+3+4+101 + 13 separators
    assert worst_case_state_length(module) == 2 + 1 + 1 + 1 + 1 + 1 + 3 + 3 + 111 + 13
    assert fits_scorm12(module)


def test_unlimited_attempts_assume_999_and_a_draw_takes_the_longest_questions():
    _, module = make_course()
    unlimited = dataclasses.replace(module, attempts=0)
    assert max_attempt(unlimited) == 999
    assert worst_case_state_length(unlimited) == worst_case_state_length(module) + 2
    # The draw is balanced: communication (the primary) first gets 2 of its 4 questions, then person-centred
    # practice 2 of its 2 if they fit, then the longest of the rest. The draw field: the bank's print and the seed.
    fixed = 2 + 1 + 1 + 1 + 1 + 1 + 6 + 3
    drawn = dataclasses.replace(module, draw=Draw(count=2))
    # two drawn: both on communication, the longest of them: ordering (4) and matching (3), never the short text
    assert worst_case_state_length(drawn) == fixed + 7 + 9
    # three: person-centred practice's 2 do not fit, so the third is the longest of the rest, the short text (101)
    assert worst_case_state_length(dataclasses.replace(module, draw=Draw(count=3))) == fixed + 108 + 10


def test_module_without_a_quiz():
    _, module = make_course(questions=())
    assert worst_case_state_length(module) == len("c2|2|7|0|0|0||")


def test_a_module_that_cannot_fit():
    _, module = make_course()
    long_text = dataclasses.replace(QUESTIONS[5], max_length=1700)
    too_big = dataclasses.replace(module, questions=QUESTIONS[:5] + (long_text,))
    assert worst_case_state_length(too_big) > SCORM12_SUSPEND_DATA_LIMIT
    assert not fits_scorm12(too_big)


def test_matching_index_width_counts_shared_and_spare_targets():
    pairs = tuple(Pair(f"p{i}", f"P{i}", "same" if i < 2 else f"M{i}") for i in range(4))
    shared = Question(id="m", type=QuestionType.MATCHING, prompt="?", competency_id="c", pairs=pairs)
    assert worst_case_answer_length(shared) == 4  # 3 distinct targets: one digit per prompt
    spares = dataclasses.replace(shared, spares=tuple(f"S{i}" for i in range(34)))
    assert worst_case_answer_length(spares) == 4 * 2  # 3 + 34 = 37 targets: index 36 is "10"


def _worst_draw(module) -> list[int]:
    """The bank indexes of the longest draw the Python mirror assumes; the runtime must find a seed for it."""
    return longest_draw(module, worst_case_answer_length)


def _runtime_worst_states(cases: list[dict], repo_root) -> list[dict]:
    node = shutil.which("node")
    assert node, "Node.js is needed to run the runtime's encoder (apt-get install nodejs)"
    done = subprocess.run(
        [node, str(repo_root / "tests" / "js" / "worst-state.mjs")],
        input=json.dumps(cases),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_python_mirror_equals_the_runtime_encoder_on_every_bundled_module(repo_root):
    from ccm_scorm.source import check_course

    course, problems = check_course(repo_root / "modules")
    assert course is not None, f"the bundled catalogue does not load: {problems}"
    folders = sorted(p.parent.name for p in (repo_root / "modules").glob("*/module.yaml"))
    assert folders and sorted(m.id for m in course.modules) == folders, "every bundled module loads"
    cases = [
        {
            "course": course_data(course, module, "standalone"),
            "draw": _worst_draw(module),
            "attempt": max_attempt(module),
        }
        for module in course.modules
    ]
    for module, found in zip(course.modules, _runtime_worst_states(cases, repo_root), strict=True):
        assert found["text"] == found["again"], module.id
        assert len(found["text"]) == worst_case_state_length(module), module.id
        assert len(found["text"]) <= SCORM12_SUSPEND_DATA_LIMIT, module.id


def test_python_mirror_equals_the_runtime_encoder_on_the_grown_catalogues(repo_root, tmp_path):
    """Every module of the foundations pathway with its bank doubled (8 of 24 drawn: a seed that
    draws both short texts is found), and the 60-question module without a draw."""
    doubled = load_course(grown.doubled_catalogue(repo_root, tmp_path / "doubled"))
    sixty_source = grown.copy_catalogue(repo_root, tmp_path / "sixty")
    grown.add_sixty_question_module(sixty_source)
    pathway = next(p for p in doubled.pathways if p.id == grown.FOUNDATIONS)
    units = [(doubled, doubled.module(m)) for m in pathway.module_ids]
    units.append((load_course(sixty_source), load_course(sixty_source).module(grown.SIXTY)))
    cases = [
        {
            "course": course_data(course, module, "standalone"),
            "draw": _worst_draw(module),
            "attempt": max_attempt(module),
        }
        for course, module in units
    ]
    for (_, module), found in zip(units, _runtime_worst_states(cases, repo_root), strict=True):
        assert found["text"] == found["again"], module.id
        assert len(found["text"]) == worst_case_state_length(module), module.id


def test_python_mirror_equals_the_runtime_encoder_on_matching_with_targets(repo_root):
    pairs = tuple(Pair(f"p{i}", f"P{i}", "same" if i < 2 else f"M{i}") for i in range(4))
    matching = Question(
        id="m",
        type=QuestionType.MATCHING,
        prompt="?",
        competency_id="ccm.communication",
        pairs=pairs,
        spares=tuple(f"S{i}" for i in range(34)),
    )
    course, module = make_course(questions=(matching,))
    data = course_data(course, module, "standalone")
    assert len(data["questions"][0]["targets"]) == 37  # 3 distinct matches and 34 spares
    found = _runtime_worst_states([{"course": data, "draw": [0], "attempt": max_attempt(module)}], repo_root)[0]
    assert found["text"] == found["again"]
    assert len(found["text"]) == worst_case_state_length(module)
