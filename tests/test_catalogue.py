"""The bundled Coordinated Care Model catalogue in modules/: complete, valid, readable, buildable."""

from __future__ import annotations

from collections import Counter

import pytest

from ccm_scorm.build import build
from ccm_scorm.content_facts import module_facts
from ccm_scorm.source import check_course
from ccm_scorm.targets import BuildOptions, module_target_names, target_names

STAFF_GRADE_AIM = 9.0
VOLUNTEER_GRADE_AIM = 7.0


@pytest.fixture(scope="module")
def catalogue(repo_root):
    course, problems = check_course(repo_root / "modules")
    assert course is not None, "\n".join(str(p) for p in problems.errors)
    return course, problems


def test_the_catalogue_validates_with_no_errors_or_warnings(catalogue):
    _, problems = catalogue
    assert [str(p) for p in problems.items] == []


def test_every_competency_is_evidenced_by_a_module_and_five_questions(catalogue):
    course, _ = catalogue
    questions = Counter(q.competency_id for m in course.modules for q in m.questions)
    in_modules = {c for m in course.modules for c in m.competency_ids}
    for competency in course.framework.competencies:
        assert competency.id in in_modules, f"no module evidences {competency.id}"
        assert questions[competency.id] >= 5, f"{competency.id} has only {questions[competency.id]} questions"


def test_every_question_has_feedback_and_every_image_alt_text(catalogue):
    course, _ = catalogue
    for module in course.modules:
        for question in module.questions:
            assert question.feedback_correct or question.feedback_incorrect, f"{module.id}/{question.id}"
        for page in module.pages:
            assert page.html.count("<img") == page.html.count('alt="') - page.html.count('alt=""')


def test_quizzes_follow_the_catalogue_rules(catalogue):
    course, _ = catalogue
    for module in course.modules:
        assert 10 <= len(module.questions) <= 14, module.id
        assert module.draw and module.draw.count == 8 and module.pass_mark == 80, module.id
        assert len({q.type for q in module.questions}) >= 3, module.id
        assert 10 <= module.minutes <= 15, module.id
        cross = [q for q in module.questions if q.competency_id != module.primary_competency_id]
        assert cross, f"{module.id} has no question evidencing a secondary competency"


def test_pathways_name_the_expected_modules(catalogue):
    course, _ = catalogue
    foundations = course.pathway("care-coordination-foundations")
    core = [
        m.id for m in course.modules if not m.competency_ids[0].startswith("local.") and "Volunteer" not in m.audience
    ]
    assert set(core) <= set(foundations.module_ids)
    assert len(course.pathway("volunteer-induction").module_ids) == 4


def _is_volunteer_module(course, module) -> bool:
    return module.id in course.pathway("volunteer-induction").module_ids


def test_reading_level_within_the_aims(catalogue):
    course, _ = catalogue
    too_hard = []
    for module in course.modules:
        aim = VOLUNTEER_GRADE_AIM if _is_volunteer_module(course, module) else STAFF_GRADE_AIM
        grade = module_facts(module).reading_grade
        if grade > aim:
            too_hard.append(f"{module.id}: Flesch–Kincaid grade {grade} (aim {aim} or below)")
    assert too_hard == []


def test_every_module_builds_for_every_target(catalogue, tmp_path):
    course, _ = catalogue
    targets = target_names()
    result = build(course, targets, tmp_path, BuildOptions())
    built = {(r.target, r.id) for r in result.records if r.kind == "module"}
    assert built == {(t, m.id) for t in module_target_names() for m in course.modules}
    # pathways are built by default too, by the targets that implement them (web at least)
    assert {r.id for r in result.records if r.kind == "pathway" and r.target == "web"} == {
        p.id for p in course.pathways
    }
