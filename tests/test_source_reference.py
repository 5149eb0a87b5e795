"""docs/source-reference.md is generated from the source schema, and validation enforces what the schema declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.course_source import MODULE, write_course

from ccm_scorm.source import check_course
from ccm_scorm.source.schema import LMS_PROFILES, reference_markdown
from ccm_scorm.source.schema import MODULE as MODULE_SCHEMA

REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "source-reference.md"
REGENERATE = (
    "python3 -c 'from ccm_scorm.source.schema import reference_markdown as r; print(r(), end=\"\")' "
    "> docs/source-reference.md"
)


def test_the_committed_reference_is_the_one_the_schema_generates():
    assert REFERENCE.read_text(encoding="utf-8") == reference_markdown(), f"regenerate it: {REGENERATE}"


def _module_errors(tmp_path: Path, key: str, value: int) -> list[str]:
    without_key = re.sub(rf"(?m)^{key}:.*\n", "", MODULE)
    course = write_course(tmp_path, {"demo/module.yaml": without_key + f"{key}: {value}\n"})
    _, problems = check_course(course)
    return [str(problem) for problem in problems.errors]


BOUNDED = [key for key in MODULE_SCHEMA.keys if key.minimum is not None and key.maximum is not None]


@pytest.mark.parametrize("key", BOUNDED, ids=[key.name for key in BOUNDED])
def test_module_bounds_in_the_reference_are_the_ones_validation_enforces(tmp_path, key):
    for inside in (key.least, key.most):
        assert _module_errors(tmp_path / f"in{inside}", key.name, inside) == []
    for outside in (key.least - 1, key.most + 1):
        found = _module_errors(tmp_path / f"out{outside}", key.name, outside)
        assert len(found) == 1 and f"{key.name} " in found[0], found
    assert f"| `{key.name}` | a whole number |" in reference_markdown()
    assert f"| {key.least}–{key.most} |" in reference_markdown()


def test_every_lms_profile_in_the_reference_is_accepted_and_others_are_not(tmp_path):
    for profile in LMS_PROFILES:
        course = write_course(tmp_path / profile, {"course.yaml": f"lms: {profile}\n"})
        assert check_course(course)[1].errors == []
    course = write_course(tmp_path / "other", {"course.yaml": "lms: blackboard\n"})
    assert [str(problem) for problem in check_course(course)[1].errors] == [
        "course/course.yaml:1: error: unknown LMS profile 'blackboard' — use one of moodle, esr, generic"
    ]
