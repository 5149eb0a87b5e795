"""ccm-scorm works from `pip install`, anywhere: the wheel carries the CCM catalogue, `ccm build` in an
empty folder builds it (and says so), and `ccm new course` starts a course that validates and builds.

The wheel is built from this checkout and installed into a fresh virtual environment; the environment
may see the system's site-packages (so no dependency is downloaded again), but ccm-scorm itself must
come from the wheel.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The bin folder of a fresh venv with ccm-scorm installed from a wheel of this checkout."""
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-w", str(work), "-q"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheel = next(work.glob("ccm_scorm-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    catalogue = sorted(p.relative_to(REPO / "modules").as_posix() for p in (REPO / "modules").rglob("*") if p.is_file())
    assert [name for name in catalogue if f"ccm_scorm/catalogue/{name}" not in names] == []
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], check=True, timeout=300)
    pip = subprocess.run(
        [str(venv / "bin" / "python"), "-m", "pip", "install", "--no-deps", "--force-reinstall", "-q", str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert pip.returncode == 0, pip.stdout[-3000:] + pip.stderr[-3000:]
    return venv / "bin"


def ccm(bin_dir: Path, cwd: Path, *args) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir / "ccm"), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=900)


def test_the_package_comes_from_the_wheel(installed, tmp_path):
    where = subprocess.run(
        [str(installed / "python"), "-c", "import ccm_scorm; print(ccm_scorm.__file__)"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert Path(where.stdout.strip()).is_relative_to(installed.parent), where.stdout + where.stderr


def test_ccm_build_in_an_empty_folder_builds_the_bundled_catalogue(installed, tmp_path):
    result = ccm(installed, tmp_path, "build")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "building the CCM catalogue that comes with ccm-scorm" in result.stderr
    report = json.loads((tmp_path / "packages_out" / "build-report.json").read_text(encoding="utf-8"))
    modules = {p.name for p in (REPO / "modules").iterdir() if (p / "module.yaml").is_file()}
    built = {record["id"] for record in report["packages"] if record["kind"] == "module"}
    assert built == modules
    assert {record["target"] for record in report["packages"]} >= {"web", "scorm12", "scorm2004", "xapi", "cmi5"}


def test_ccm_new_course_writes_a_course_that_validates_and_builds(installed, tmp_path):
    created = ccm(installed, tmp_path, "new", "course", "our-course", "--title", "Our course")
    assert created.returncode == 0, created.stderr
    validated = ccm(installed, tmp_path, "validate", "our-course")
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert "no errors" in validated.stdout
    built = ccm(installed, tmp_path, "build", "our-course", "-t", "web", "-t", "scorm12")
    assert built.returncode == 0, built.stderr
    assert sorted(p.name for p in (tmp_path / "packages_out" / "scorm12").glob("*.zip")) == [
        "first-module.zip",
        "first-steps.zip",
    ]
    again = ccm(installed, tmp_path, "new", "course", "our-course")
    assert again.returncode == 3 and "not empty" in again.stderr
