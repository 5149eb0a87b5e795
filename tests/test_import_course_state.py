"""`ccm import` judges the module as it will be after the import, from any working folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from ccm_scorm.source import load_course
from support.course_source import write_course

REPO = Path(__file__).resolve().parents[1]


def ccm(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "ccm_scorm.cli", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def test_import_into_a_course_named_by_a_relative_path_of_several_parts(tmp_path):
    course = write_course(tmp_path / "work" / "courses")
    (tmp_path / "bank.gift").write_text("::relative:: Does it work? {TRUE}\n", encoding="utf-8")
    result = ccm("import", "gift", "bank.gift", "work/courses/course", "-m", "demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "relative" in [q.id for q in load_course(course).module("demo").questions]
