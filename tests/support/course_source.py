"""A small, valid course source written to a temporary folder, for tests to build on or break.

Its ids match the tiny course behind the Moodle fixtures in ../shared/fixtures/moodle:
competencies ccm.communication, ccm.advocacy and ccm.person-centred.
"""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

FRAMEWORK = """\
id: ccm-test
title: Test framework
version: "1.0.0"
description: A framework for tests.
provenance: Written for the test suite.
base_iri: https://ccm-scorm.example.org/test/
audience: [Care navigator]
domains:
  - id: test.values
    title: Values
    description: Values.
    competencies:
      - id: ccm.person-centred
        title: Person-centred practice
        description: Puts the person at the centre.
      - id: ccm.advocacy
        title: Advocacy
        description: Speaks up for the person.
  - id: test.skills
    title: Skills
    description: Skills.
    competencies:
      - id: ccm.communication
        title: Communication
        description: Listens and explains.
"""

MODULE = """\
id: demo
version: "1.0.0"
title: Demo module
summary: A module for tests.
competencies: [ccm.communication, ccm.advocacy]
audience: [Care navigator]
minutes: 10
outcomes:
  - Pass the test.
pass_mark: 80
attempts: 0
"""

PAGE_ONE = """\
# Welcome

Listening comes first.

::: case-study Meet Mr Evans
Mr Evans lives alone.
:::

::: key-point
Ask what matters.
:::
"""

PAGE_TWO = """\
# Speaking up

![A navigator talking with an older man](assets/talk.png)

::: reflection
When did someone speak up for you?
:::

::: note
Use your organisation's words.
:::
"""

QUIZ = """\
questions:
  - id: q1-active-listening
    type: single
    prompt: Which question is open?
    options:
      - text: Are you well?
      - text: What matters to you?
        correct: true
        feedback: It cannot be answered with yes or no.
    feedback:
      correct: Open questions let the person lead.
      incorrect: Look for the question that cannot be answered with yes or no.
  - id: q2-advocacy-rights
    type: true-false
    competency: ccm.advocacy
    prompt: An advocate makes decisions for the person.
    answer: false
    feedback: An advocate helps the person to be heard.
  - id: q3-barriers
    type: multiple
    prompt: Which get in the way of listening?
    options:
      - {text: Noise, correct: true}
      - {text: Jargon, correct: true}
      - {text: Sitting at the same level}
    feedback: Noise and jargon make it harder to follow.
  - id: q4-services
    type: matching
    prompt: Match each need to a service.
    pairs:
      - {prompt: Money worries, match: Benefits advice}
      - {prompt: Loneliness, match: Befriending}
    feedback: Each need has a service that helps.
  - id: q5-steps
    type: ordering
    prompt: Put the steps in order.
    items:
      - text: Ask
      - text: Agree
      - text: Refer
    feedback: Ask first, then agree, then refer.
  - id: q6-term
    type: short-text
    prompt: What kind of question cannot be answered yes or no?
    answers: [open]
    max_length: 20
    feedback: An open question.
"""

PATHWAY = """\
id: starter
title: Starter pathway
description: For tests.
audience: [Volunteer]
modules: [demo]
"""

# The smallest valid PNG: one transparent pixel.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def write_course(root: Path, overrides: dict[str, str | None] | None = None) -> Path:
    """Write the test course under `root/course` and return that folder.

    `overrides` replace files by their path relative to the course folder
    (e.g. {"demo/quiz.yaml": "..."}); None leaves a file out.
    """
    files = {
        "framework.yaml": FRAMEWORK,
        "demo/module.yaml": MODULE,
        "demo/pages/01-welcome.md": PAGE_ONE,
        "demo/pages/02-speaking-up.md": PAGE_TWO,
        "demo/quiz.yaml": QUIZ,
        "pathways/starter.yaml": PATHWAY,
    }
    files.update(overrides or {})
    course = root / "course"
    for name, text in files.items():
        if text is None:
            continue
        path = course / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dedent(text), encoding="utf-8")
    (course / "demo" / "assets").mkdir(parents=True, exist_ok=True)
    (course / "demo" / "assets" / "talk.png").write_bytes(PNG)
    return course
