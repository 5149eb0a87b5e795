"""`ccm import` judges the module as it will be after the import, from any working folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from support.course_source import write_course

from ccm_scorm.source import load_course

REPO = Path(__file__).resolve().parents[1]


def ccm(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "ccm_scorm.cli", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_import_into_a_course_named_by_a_relative_path_of_several_parts(tmp_path):
    course = write_course(tmp_path / "work" / "courses")
    (tmp_path / "bank.gift").write_text("::relative:: Does it work? {TRUE}\n", encoding="utf-8")
    result = ccm("import", "gift", "bank.gift", "work/courses/course", "-m", "demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "relative" in [q.id for q in load_course(course).module("demo").questions]


def _draw_module(count: int) -> str:
    from support.course_source import MODULE

    return MODULE + f"draw:\n  count: {count}\n"


def test_import_that_makes_the_draw_fit_is_accepted(tmp_path):
    course = write_course(tmp_path, {"demo/module.yaml": _draw_module(8)})
    (tmp_path / "bank.gift").write_text(
        "::extra-one:: First? {TRUE}\n\n::extra-two:: Second? {FALSE}\n", encoding="utf-8"
    )
    dry = ccm("import", "gift", "bank.gift", course, "-m", "demo", "--dry-run", cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    result = ccm("import", "gift", "bank.gift", course, "-m", "demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len(load_course(course).module("demo").questions) == 8


def test_import_that_leaves_the_draw_too_large_says_what_to_change(tmp_path):
    course = write_course(tmp_path, {"demo/module.yaml": _draw_module(9)})
    quiz = course / "demo" / "quiz.yaml"
    before = quiz.read_bytes()
    (tmp_path / "bank.gift").write_text("::extra-one:: First? {TRUE}\n", encoding="utf-8")
    result = ccm("import", "gift", "bank.gift", course, "-m", "demo", cwd=tmp_path)
    assert result.returncode == 1
    assert "module.yaml" in result.stderr and "the draw asks for 9 questions but the quiz has 7" in result.stderr
    assert "lower the count to at most 7" in result.stderr
    assert quiz.read_bytes() == before


def test_errors_outside_the_module_still_stop_the_import(tmp_path):
    course = write_course(tmp_path, {"pathways/starter.yaml": "id: starter\ntitle: S\nmodules: [nowhere]\n"})
    (tmp_path / "bank.gift").write_text("::extra-one:: First? {TRUE}\n", encoding="utf-8")
    result = ccm("import", "gift", "bank.gift", course, "-m", "demo", cwd=tmp_path)
    assert result.returncode == 1
    assert "starter.yaml" in result.stderr and "has errors" in result.stderr


def test_a_dry_run_does_not_wait_on_a_named_pipe_in_the_module(tmp_path):
    course = write_course(tmp_path)
    os.mkfifo(course / "demo" / "pages" / "03-pipe.md")
    (tmp_path / "bank.gift").write_text("::extra-one:: First? {TRUE}\n", encoding="utf-8")
    result = ccm("import", "gift", "bank.gift", course, "-m", "demo", "--dry-run", cwd=tmp_path)
    assert result.returncode == 1
    assert "03-pipe.md: error: this is a named pipe" in result.stderr
