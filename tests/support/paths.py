"""Where the test clients live, and loud failures when one is missing."""

from __future__ import annotations

from pathlib import Path

import pytest

SUPPORT_DIR = Path(__file__).resolve().parent
TESTS_DIR = SUPPORT_DIR.parent
REPO_ROOT = TESTS_DIR.parent
NODE_MODULES = REPO_ROOT / "node_modules"
CACHE_DIR = REPO_ROOT / ".cache"
RALPH_VENV = CACHE_DIR / "ralph-venv"
RALPH_PYTHON = RALPH_VENV / "bin" / "python"
RALPH_CLI = RALPH_VENV / "bin" / "ralph"
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
SCORM_AGAIN_DIST = NODE_MODULES / "scorm-again" / "dist"

INSTALL_HINT = "run ./scripts/test (it installs every test client) instead of bare pytest"


def require(path: Path, what: str) -> Path:
    """Return `path`, or fail the test loudly (never skip) saying how to fix it."""
    if not path.exists():
        pytest.fail(f"{what} is missing: {path} does not exist; {INSTALL_HINT}", pytrace=False)
    return path
