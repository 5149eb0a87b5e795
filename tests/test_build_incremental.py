"""Incremental and parallel builds: only packages whose inputs changed are rebuilt, whatever the pool."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.course_source import MODULE, PAGE_ONE, PAGE_TWO, QUIZ, write_course

from ccm_scorm.build import build
from ccm_scorm.cli import main
from ccm_scorm.source import load_course
from ccm_scorm.targets import BuildOptions


def two_module_course(tmp_path: Path) -> Path:
    return write_course(
        tmp_path,
        {
            "other/module.yaml": MODULE.replace("id: demo", "id: other").replace("Demo module", "Other module"),
            "other/pages/01-welcome.md": PAGE_ONE,
            "other/pages/02-speaking-up.md": PAGE_TWO,
            "other/quiz.yaml": QUIZ,
            "pathways/starter.yaml": "id: starter\ntitle: Starter\nmodules: [demo]\n",
            "pathways/further.yaml": "id: further\ntitle: Further\nmodules: [other]\n",
        },
    )


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
    result = build(
        course,
        ["web"],
        out,
        BuildOptions(),
        jobs=2,
        pool=pool,
        progress=lambda target, unit: seen.append((target, unit)),
    )
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


def test_with_nothing_changed_the_course_is_not_even_loaded(tmp_path, monkeypatch):
    import ccm_scorm.commands as commands

    course = write_course(tmp_path)
    out = tmp_path / "out"
    first = run("build", course, "--target", "web", "--target", "scorm2004", "--out", out)
    assert first.exit_code == 0, first.output

    def must_not_load(source):
        raise AssertionError("the course was loaded although nothing changed")

    monkeypatch.setattr(commands, "load_course", must_not_load)
    again = run("build", course, "--target", "web", "--target", "scorm2004", "--out", out)
    assert again.exit_code == 0, again.output
    assert "nothing changed: 4 packages" in again.output
    assert again.stderr.count("warning: demo (scorm2004): Moodle calls SCORM 2004 unsupported") == 1
    # Anything else asked of the build, or any change to the source, loads it again.
    with pytest.raises(AssertionError, match="nothing changed"):
        run("build", course, "--target", "web", "--out", out)
    monkeypatch.undo()
    (course / "demo" / "pages" / "01-welcome.md").write_text(PAGE_ONE + "\nA new sentence.\n")
    changed = build_json(course, out, "--target", "scorm2004")
    assert sorted(changed["rebuilt"]) == [
        "scorm2004/demo.zip",
        "scorm2004/starter.zip",
        "web/demo.zip",
        "web/starter.zip",
    ]


def test_a_damaged_package_is_noticed_without_loading_the_course(tmp_path):
    course = write_course(tmp_path)
    out = tmp_path / "out"
    build_json(course, out)
    (out / "web" / "starter.zip").write_bytes(b"damaged")
    assert build_json(course, out)["rebuilt"] == ["web/starter.zip"]


def test_warnings_shared_by_several_packages_are_printed_once():
    from ccm_scorm.build import grouped_warnings

    warnings = [f"m{n} (scorm2004): same text" for n in range(5)] + ["m1 (scorm12): other", "plain warning"]
    assert grouped_warnings(warnings) == [
        "5 packages (scorm2004: m0, m1, m2 and 2 more): same text",
        "m1 (scorm12): other",
        "plain warning",
    ]


# ------------------------------------------------------------------ fingerprints that cannot lie
SCORM12_SCHEMAS = ("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd")
REPO = Path(__file__).resolve().parents[1]


def build_scorm12(course: Path, out: Path, *extra) -> dict:
    result = run("build", course, "--target", "scorm12", "--out", out, "--json", *extra)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.mark.parametrize("subfolder", ["", "scorm12"])
def test_changing_a_schema_file_rebuilds_the_packages_that_carry_it(tmp_path, subfolder):
    course = write_course(tmp_path)
    schemas = tmp_path / "schemas" / subfolder
    schemas.mkdir(parents=True)
    for name in SCORM12_SCHEMAS:
        (schemas / name).write_text(f"<!-- {name} -->\n")
    out = tmp_path / "out"
    build_scorm12(course, out, "--schema-dir", tmp_path / "schemas")
    (schemas / "ims_xml.xsd").write_text("<!-- a newer copy -->\n")
    again = build_scorm12(course, out, "--schema-dir", tmp_path / "schemas")
    assert sorted(again["rebuilt"]) == ["scorm12/demo.zip", "scorm12/starter.zip"]
    with zipfile.ZipFile(out / "scorm12" / "demo.zip") as package:
        assert package.read("ims_xml.xsd") == b"<!-- a newer copy -->\n"


def test_changing_an_image_rebuilds_its_packages(tmp_path):
    course = write_course(tmp_path)
    out = tmp_path / "out"
    build_json(course, out)
    image = course / "demo" / "assets" / "talk.png"
    image.write_bytes(image.read_bytes() + b"\0")
    assert sorted(build_json(course, out)["rebuilt"]) == ["web/demo.zip", "web/starter.zip"]


def test_changing_an_option_rebuilds(tmp_path):
    course = write_course(tmp_path)
    out = tmp_path / "out"
    build_scorm12(course, out, "--lms", "moodle")
    assert sorted(build_scorm12(course, out, "--lms", "esr")["rebuilt"]) == ["scorm12/demo.zip", "scorm12/starter.zip"]


def _ccm_from(package_parent: Path, *args, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(package_parent), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "ccm_scorm.cli", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=package_parent,
    )


@pytest.mark.parametrize("changed", ["render/runtime/boot.js", "render/templates/module.html.j2", "targets/scorm12.py"])
def test_changing_a_runtime_template_or_code_file_rebuilds_everything(tmp_path, changed):
    copy = tmp_path / "toolkit"
    shutil.copytree(REPO / "ccm_scorm", copy / "ccm_scorm", ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "ccm_scorm" / changed
    assert target.is_file(), f"{changed} is not in the package any more: choose another file"
    course = write_course(tmp_path)
    out = tmp_path / "out"
    first = _ccm_from(copy, "build", course, "--target", "web", "--out", out, "--json")
    assert first.returncode == 0, first.stderr
    unchanged = _ccm_from(copy, "build", course, "--target", "web", "--out", out, "--json")
    assert json.loads(unchanged.stdout)["rebuilt"] == []
    target.write_text(target.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    again = _ccm_from(copy, "build", course, "--target", "web", "--out", out, "--json")
    assert sorted(json.loads(again.stdout)["rebuilt"]) == ["web/demo.zip", "web/starter.zip"], again.stderr


def test_builds_in_two_processes_with_other_hash_seeds_and_time_zones_are_byte_identical(tmp_path):
    course = write_course(tmp_path)
    zips = {}
    for seed, zone in (("1", "UTC"), ("4242", "Pacific/Kiritimati")):
        out = tmp_path / f"out-{seed}"
        result = _ccm_from(
            REPO,
            "build",
            course,
            "-t",
            "web",
            "-t",
            "scorm12",
            "-t",
            "scorm2004",
            "-t",
            "xapi",
            "-t",
            "cmi5",
            "-t",
            "moodle",
            "--out",
            out,
            env={"PYTHONHASHSEED": seed, "TZ": zone},
        )
        assert result.returncode == 0, result.stderr
        zips[seed] = {
            path.relative_to(out).as_posix(): path.read_bytes()
            for path in sorted(out.rglob("*"))
            if path.suffix in (".zip", ".mbz")
        }
    assert len(zips["1"]) == 12
    assert zips["1"] == zips["4242"]
