"""The worst-case pathway state (format p1) by hand, without a browser, and the bundled
pathways against SCORM 1.2's 4096 characters. test_pathway_runtime.py checks the
JavaScript encoder against the same figures."""

from __future__ import annotations

import dataclasses

from support.pathway_course import make_pathway_course

from ccm_scorm.render.state_size import (
    SCORM12_SUSPEND_DATA_LIMIT,
    pathway_fits_scorm12,
    worst_case_pathway_state_length,
    worst_case_progress_length,
    worst_case_result_length,
    worst_case_state_length,
)
from ccm_scorm.source import load_course


def test_tokens_by_hand():
    course, pathway = make_pathway_course()
    first, second = course.modules
    # first: "=100p" + ",100" for each of its three competencies
    assert worst_case_result_length(first) == 5 + 3 * 4
    assert worst_case_result_length(second) == 5 + 1 * 4
    # in progress: the module's own state without "c2|"
    assert worst_case_progress_length(first) == worst_case_state_length(first) - 3
    no_quiz = dataclasses.replace(second, questions=())
    assert worst_case_result_length(no_quiz) == len("=c,n")


def test_pathway_by_hand():
    course, pathway = make_pathway_course()
    first, second = course.modules
    head = len("p2;") + 1 + len(";;") + 1  # version, view (one base36 digit), date (empty), separators
    progress = worst_case_progress_length(first) + worst_case_progress_length(second)
    assert worst_case_pathway_state_length(course, pathway) == head + progress
    assert pathway_fits_scorm12(course, pathway)


def test_modules_without_a_quiz():
    course, pathway = make_pathway_course()
    tiny = dataclasses.replace(course.modules[1], questions=(), pages=course.modules[1].pages)
    course = dataclasses.replace(course, modules=(dataclasses.replace(tiny, id="a"), dataclasses.replace(tiny, id="b")))
    pathway = dataclasses.replace(pathway, module_ids=("a", "b"))
    # in progress "0|1|0|0|0||" (11) against "=c,n" (4): progress is longer, even with a 4-digit date
    assert worst_case_pathway_state_length(course, pathway) == len("p2;1;;") + 1 + 2 * 11


def test_bundled_pathways_fit_scorm12(repo_root):
    course = load_course(repo_root / "modules")
    figures = {p.id: worst_case_pathway_state_length(course, p) for p in course.pathways}
    # format p1 (explicit draws, short texts at up to 9 characters a unit) needed 4073 and 1630
    assert figures == {"care-coordination-foundations": 1463, "volunteer-induction": 586}
    assert all(figure <= SCORM12_SUSPEND_DATA_LIMIT for figure in figures.values())
