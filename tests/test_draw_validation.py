"""`ccm validate` on a draw too small to give every competency the questions a verdict needs (docs/authoring.md)."""

from __future__ import annotations

from click.testing import CliRunner
from support.course_source import MODULE, write_course

from ccm_scorm.cli import main
from ccm_scorm.source import check_course

# The test quiz has 6 questions: 5 on ccm.communication (the primary), 1 on ccm.advocacy; a draw owes them 2 and 1.
WARNING = (
    "course/demo/module.yaml:13: warning: a draw of 2 questions cannot give every competency the 2 questions "
    "(or all it has) that it needs to be judged: 'ccm.advocacy' can be left 'not assessed in this attempt' "
    "however well the learner answers — raise the draw count to 3, so that every attempt judges every competency"
)


def _warnings(tmp_path, count: int) -> list[str]:
    course_dir = write_course(tmp_path, {"demo/module.yaml": MODULE + f"draw:\n  count: {count}\n"})
    course, problems = check_course(course_dir)
    assert course is not None and not problems.errors
    return [str(problem) for problem in problems.warnings]


def test_a_draw_that_cannot_give_a_competency_its_minimum_is_a_warning_with_the_count_that_can(tmp_path):
    assert _warnings(tmp_path / "two", 2) == [WARNING]
    assert _warnings(tmp_path / "three", 3) == []


def test_ccm_validate_shows_the_warning_and_still_passes(tmp_path):
    course_dir = write_course(tmp_path, {"demo/module.yaml": MODULE + "draw:\n  count: 2\n"})
    result = CliRunner().invoke(main, ["validate", str(course_dir)])
    assert result.exit_code == 0, result.output
    assert "raise the draw count to 3" in result.output and "module.yaml:13" in result.output
