"""The one error handler of the command line: Ctrl-C is exit 130 with a message, whenever it comes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from support.course_source import write_course

REPO = Path(__file__).resolve().parents[1]

# Runs `ccm ARGS` with a real SIGINT sent to itself while the course is being loaded (a slow disk or
# a big course is where people press Ctrl-C), before any package or report is made.
INTERRUPTED_WHILE_LOADING = """
import os, signal, sys
import ccm_scorm.commands as commands
real_load = commands.load_course
def load_course(source):
    os.kill(os.getpid(), signal.SIGINT)
    return real_load(source)
commands.load_course = load_course
from ccm_scorm.cli import main
main(sys.argv[1:], prog_name="ccm")
"""


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return write_course(tmp_path_factory.mktemp("interrupt"))


def ccm_interrupted_while_loading(*args) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", INTERRUPTED_WHILE_LOADING, *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("command", "says"),
    [
        (["build", "{course}", "-o", "{tmp}/out", "--force"], "interrupted: the packages already written are whole"),
        (
            ["report", "{course}", "--statements", "{tmp}/none.json", "-o", "{tmp}/report"],
            "interrupted; the report was not written",
        ),
        (["framework", "export", "{course}", "-f", "markdown"], "interrupted; nothing more was done"),
        (["export", "gift", "{course}", "-m", "demo"], "interrupted; nothing more was done"),
    ],
)
def test_ctrl_c_while_the_course_loads_is_exit_130(course, tmp_path, command, says):
    args = [part.format(course=course, tmp=tmp_path) for part in command]
    result = ccm_interrupted_while_loading(*args)
    assert result.returncode == 130, result.stderr
    assert says in result.stderr
    assert "Traceback" not in result.stderr and "Aborted!" not in result.stderr
    assert not (tmp_path / "out").exists() and not (tmp_path / "report").exists()
