"""The tiny course behind the Moodle fixtures (../shared/fixtures/moodle), as a course source.

One module, `ccm-check` ("CCM check", so the SCO titles "CCM check SCO 1.2" and "CCM
check SCO 2004" map to it by title), with the fixtures' three competencies and two
questions: q1-active-listening (ccm.communication) and q2-advocacy-rights
(ccm.advocacy). ccm.person-centred has no question: the fixture package records its
score directly, so without objective values it can only rest on the module result.
Pass mark 80, as the fixtures' recorded statuses imply (52 failed, 95 passed, 55 failed,
85 passed).
"""

from __future__ import annotations

from pathlib import Path

from .course_source import FRAMEWORK

MODULE = """\
id: ccm-check
version: "1.0.0"
title: CCM check
summary: The check module behind the Moodle fixtures.
competencies: [ccm.communication, ccm.advocacy, ccm.person-centred]
audience: [Care navigator]
minutes: 5
outcomes:
  - Show the three competencies.
pass_mark: 80
attempts: 0
"""

PAGE = """\
# Check

Listening, speaking up and putting the person first.
"""

QUIZ = """\
questions:
  - id: q1-active-listening
    type: single
    prompt: Which shows active listening?
    options:
      - text: Finishing the person's sentences
      - text: Reflecting back what you heard
        correct: true
      - text: Planning your answer while they talk
    feedback: Reflecting back shows you listened.
  - id: q2-advocacy-rights
    type: true-false
    competency: ccm.advocacy
    prompt: An advocate makes decisions for the person.
    answer: false
    feedback: An advocate helps the person to be heard.
"""

PATHWAY = """\
id: check-pathway
title: Check pathway
description: The one module of the Moodle fixtures.
audience: [Care navigator]
modules: [ccm-check]
"""


def write_moodle_fixture_course(root: Path) -> Path:
    """Write the course under `root/moodle-course` and return that folder."""
    course = root / "moodle-course"
    files = {
        "framework.yaml": FRAMEWORK,
        "ccm-check/module.yaml": MODULE,
        "ccm-check/pages/01-check.md": PAGE,
        "ccm-check/quiz.yaml": QUIZ,
        "pathways/check-pathway.yaml": PATHWAY,
    }
    for name, text in files.items():
        path = course / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return course
