"""The real systems of ../shared/clients (a Moodle 5.1 site; ADL's cmi5 suite with ADL_LRS).

Each kit's `setup` is idempotent: about a second when its services already run, a few
minutes from scratch. `start_kit(name)` runs it and returns the variables of the env
file it writes. A kit that cannot start fails the test with the end of its log; it is
never skipped.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from .paths import CACHE_DIR, REPO_ROOT

KITS_DIR = REPO_ROOT.parent / "shared" / "clients"
SETUP_TIMEOUT_S = 30 * 60


def read_env_file(path: Path) -> dict[str, str]:
    env: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        env[key.strip()] = value
    return env


def start_kit(name: str) -> dict[str, str]:
    setup = KITS_DIR / name / "setup"
    if not setup.is_file():
        pytest.fail(
            f"the {name} kit is missing: {setup} (../shared/clients must sit beside the repository)", pytrace=False
        )
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    env_file = CACHE_DIR / f"{name}.env"
    log = CACHE_DIR / f"kit-{name}.log"
    with log.open("ab") as out:
        result = subprocess.run(
            ["bash", str(setup), "--env-file", str(env_file)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            timeout=SETUP_TIMEOUT_S,
        )
    if result.returncode != 0 or not env_file.is_file():
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:])
        pytest.fail(f"the {name} kit did not start (exit {result.returncode}); end of {log}:\n{tail}", pytrace=False)
    return read_env_file(env_file)
