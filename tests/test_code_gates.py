"""The Python gates: ruff (lint and format) and mypy on ccm_scorm/, configured in pyproject.toml.

They run in the suite, so the README's one test command and CI fail on a lint, format or
type error just as on a failing test.
"""

from __future__ import annotations

import subprocess
import sys

import pytest


def _run(args: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


def _installed(module: str) -> bool:
    return subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True, check=False).returncode == 0


@pytest.mark.parametrize(
    "gate",
    [
        ["ruff", "check", "ccm_scorm", "tests", "bench"],
        ["ruff", "format", "--check", "ccm_scorm", "tests", "bench"],
        ["mypy"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_gate_is_clean(gate, repo_root):
    if not _installed(gate[0]):
        pytest.fail(f"{gate[0]} is not installed: pip install -e '.[test]' installs it")
    done = _run(gate, repo_root)
    assert done.returncode == 0, (done.stdout[-6000:] + done.stderr[-2000:]).strip()
