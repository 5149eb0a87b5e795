"""Incremental and parallel builds: only packages whose inputs changed are rebuilt, whatever the pool."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ccm_scorm.build import build
from ccm_scorm.cli import main
from ccm_scorm.source import load_course
from ccm_scorm.targets import BuildOptions
from support.course_source import MODULE, PAGE_ONE, PAGE_TWO, QUIZ, write_course


def two_module_course(tmp_path: Path) -> Path:
    return write_course(tmp_path, {
        "other/module.yaml": MODULE.replace("id: demo", "id: other").replace("Demo module", "Other module"),
        "other/pages/01-welcome.md": PAGE_ONE,
        "other/pages/02-speaking-up.md": PAGE_TWO,
        "other/quiz.yaml": QUIZ,
        "pathways/starter.yaml": "id: starter\ntitle: Starter\nmodules: [demo]\n",
        "pathways/further.yaml": "id: further\ntitle: Further\nmodules: [other]\n",
    })


def copy_asset(course: Path) -> None:
    (course / "other" / "assets").mkdir(exist_ok=True)
    (course / "other" / "assets" / "talk.png").write_bytes((course / "demo" / "assets" / "talk.png").read_bytes())


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def build_json(course: Path, out: Path, *extra) -> dict:
    result = run("build", course, "--target", "web", "--out", out, "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_touching_one_page_rebuilds_only_that_modules_packages(tmp_path):
    course = two_module_course(tmp_path)
    copy_asset(course)
    out = tmp_path / "out"
    everything = ["web/demo.zip", "web/further.zip", "web/other.zip", "web/starter.zip"]
    first = build_json(course, out)
    assert sorted(first["rebuilt"]) == everything
    assert sorted(p["path"] for p in first["packages"]) == everything
    other_before = (out / "web" / "other.zip").stat().st_mtime_ns

    unchanged = build_json(course, out)
    assert unchanged["rebuilt"] == [] and sorted(unchanged["unchanged"]) == everything

    page = course / "demo" / "pages" / "01-welcome.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    touched = build_json(course, out)
    # the module's package and the pathway package holding it; nothing else
    assert sorted(touched["rebuilt"]) == ["web/demo.zip", "web/starter.zip"]
    assert sorted(touched["unchanged"]) == ["web/further.zip", "web/other.zip"]
    assert (out / "web" / "other.zip").stat().st_mtime_ns == other_before
    demo = next(p for p in touched["packages"] if p["id"] == "demo")
    assert demo["input_hash"] != next(p for p in first["packages"] if p["id"] == "demo")["input_hash"]


def test_a_damaged_package_is_rebuilt(tmp_path):
    course = write_course(tmp_path)
    out = tmp_path / "out"
    build_json(course, out)
    (out / "web" / "demo.zip").write_bytes(b"not a zip")
    assert build_json(course, out)["rebuilt"] == ["web/demo.zip"]  # the pathway's own zip is intact


def test_force_rebuilds_everything(tmp_path):
    course = write_course(tmp_path)
    out = tmp_path / "out"
    build_json(course, out)
    assert sorted(build_json(course, out, "--force")["rebuilt"]) == ["web/demo.zip", "web/starter.zip"]


@pytest.mark.parametrize("pool", ["serial", "thread", "process"])
def test_every_pool_writes_the_same_bytes_and_reports_progress(tmp_path, pool):
    course_dir = two_module_course(tmp_path)
    copy_asset(course_dir)
    course = load_course(course_dir)
    reference = tmp_path / "reference"
    build(course, ["web"], reference, BuildOptions(), pool="serial")
    out = tmp_path / pool
    seen = []
    result = build(course, ["web"], out, BuildOptions(), jobs=2, pool=pool,
                   progress=lambda target, unit: seen.append((target, unit)))
    assert sorted(seen) == [("web", "demo"), ("web", "further"), ("web", "other"), ("web", "starter")]
    # in course order (modules, then pathways), whatever finished first
    assert result.rebuilt == ["web/demo.zip", "web/other.zip", "web/further.zip", "web/starter.zip"]
    for name in ("demo", "other", "further", "starter"):
        assert (out / "web" / f"{name}.zip").read_bytes() == (reference / "web" / f"{name}.zip").read_bytes()
    assert (out / "build-report.json").read_bytes() == (reference / "build-report.json").read_bytes()


def test_jobs_option(tmp_path):
    course = write_course(tmp_path)
    assert run("build", course, "-t", "web", "-o", tmp_path / "a", "--jobs", "1", "-q").exit_code == 0
    bad = run("build", course, "-t", "web", "-o", tmp_path / "b", "--jobs", "0")
    assert bad.exit_code == 2 and "Traceback" not in bad.output


def test_quiet_prints_nothing_and_no_progress_bar_off_a_terminal(tmp_path):
    course = write_course(tmp_path)
    result = run("build", course, "-t", "web", "-o", tmp_path / "out", "--quiet")
    assert result.exit_code == 0
    assert result.output == ""
    result = run("build", course, "-t", "web", "-o", tmp_path / "out2")
    assert "building" not in result.stderr  # CliRunner's stderr is not a terminal
