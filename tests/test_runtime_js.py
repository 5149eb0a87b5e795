"""The runtime's JavaScript on its own: the Node unit tests (tests/js/) and ESLint (eslint.config.mjs)."""

from __future__ import annotations

import shutil
import subprocess

import pytest


def _run(command: list[str], cwd) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300, check=False)


def test_node_unit_tests_pass(repo_root):
    node = shutil.which("node")
    assert node, "Node.js is needed for the runtime's unit tests"
    done = _run([node, "--test", "tests/js/"], repo_root)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout and "# pass 0" not in done.stdout


def test_eslint_is_clean_on_the_runtime_and_its_tests(repo_root):
    eslint = repo_root / "node_modules" / ".bin" / "eslint"
    if not eslint.exists():
        pytest.skip("node_modules is missing: run `npm ci` (scripts/test does)")
    done = _run(
        [
            str(eslint),
            "--max-warnings",
            "0",
            "ccm_scorm/render/runtime/",
            "tests/js/",
            "tests/support/adapter-recording.js",
            "eslint.config.mjs",
        ],
        repo_root,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
