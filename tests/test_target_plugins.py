"""Targets from other packages: found through the `ccm_scorm.targets` entry points, offered by the CLI
with their own options, built like the built-in ones (docs/targets.md).

The third-party package is tests/fixtures/plugin_site: a module and its dist-info, as pip would
install them. The CLI runs in a child process with that folder on PYTHONPATH, as for a trust that
has installed its own target next to ccm-scorm.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from support.course_source import write_course
from support.paths import REPO_ROOT

from ccm_scorm import targets

PLUGIN_SITE = REPO_ROOT / "tests" / "fixtures" / "plugin_site"


def ccm(*args, site: Path = PLUGIN_SITE) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(site), str(REPO_ROOT)])}
    return subprocess.run(
        [sys.executable, "-m", "ccm_scorm.cli", *map(str, args)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def plugin_installed(monkeypatch):
    """The example package on this process's path, and the registry read again (and again after)."""
    monkeypatch.syspath_prepend(str(PLUGIN_SITE))
    targets.refresh()
    yield
    monkeypatch.undo()
    targets.refresh()


def test_the_cli_builds_with_a_target_from_another_package(tmp_path):
    course, out = write_course(tmp_path), tmp_path / "out"
    result = ccm("build", course, "--target", "reading-copy", "--footer", "Printed for Example Trust", "--out", out)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(out / "reading-copy" / "demo.zip") as archive:
        assert archive.namelist() == ["demo.txt"]
        text = archive.read("demo.txt").decode("utf-8")
    lines = text.splitlines()
    # the page titles and text written in support/course_source.py, in page order, then the footer
    assert lines[0] == "Demo module"
    assert lines.index("Welcome") < lines.index("Speaking up")
    assert "Listening comes first." in text and "When did someone speak up for you?" in text
    assert lines[-1] == "Printed for Example Trust"
    report = json.loads((out / "build-report.json").read_text())
    assert [(p["target"], p["kind"], p["id"]) for p in report["packages"]] == [("reading-copy", "module", "demo")]


def test_a_new_version_of_the_plugin_rebuilds_its_packages(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(PLUGIN_SITE, site)
    course, out = write_course(tmp_path), tmp_path / "out"
    assert ccm("build", course, "--target", "reading-copy", "--out", out, site=site).returncode == 0
    again = ccm("build", course, "--target", "reading-copy", "--out", out, site=site)
    assert again.stdout.startswith("nothing changed: 1 packages"), again.stdout
    metadata = site / "ccm_reading_copy-1.0.dist-info" / "METADATA"
    metadata.write_text(metadata.read_text().replace("Version: 1.0", "Version: 1.1"))
    upgraded = ccm("build", course, "--target", "reading-copy", "--out", out, site=site)
    assert upgraded.returncode == 0 and upgraded.stdout.startswith("built 1 packages, 0 unchanged"), upgraded.stdout


def test_the_plugins_option_and_name_are_in_the_help():
    result = ccm("build", "--help")
    assert result.returncode == 0, result.stderr
    help_text = " ".join(result.stdout.split())  # as one line, however click wraps it
    assert "moodle|reading-copy]" in help_text  # after the built-in ones, by its position
    assert "--footer TEXT A line printed at the end of every reading copy. Taken by: reading-copy." in help_text
    assert "--schema-dir FOLDER" in help_text and "Taken by: scorm12, scorm2004, moodle." in help_text


def test_a_pathway_asked_of_a_target_that_makes_none_is_reported_not_skipped(tmp_path):
    out = tmp_path / "out"
    result = ccm("build", write_course(tmp_path), "--target", "reading-copy", "--pathway", "starter", "--out", out)
    assert result.returncode == 0, result.stderr
    assert "reading-copy: this target makes no package per pathway, so --pathway builds nothing" in result.stderr
    assert not (out / "reading-copy").exists()


def test_a_broken_plugin_is_named_in_one_line_without_a_traceback(tmp_path):
    info = tmp_path / "site" / "broken_target-0.1.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-target\nVersion: 0.1\n")
    (info / "entry_points.txt").write_text("[ccm_scorm.targets]\nbroken = broken_target_missing:Target\n")
    result = ccm("build", write_course(tmp_path), "--out", tmp_path / "out", site=info.parent)
    assert result.returncode == 3
    assert result.stderr.startswith(
        "error: the target 'broken' (broken_target_missing:Target, from broken-target) "
        "cannot be loaded: ModuleNotFoundError"
    )
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()


def test_the_registry_reads_capabilities_and_options_from_the_plugin(plugin_installed):
    assert targets.target_names() == ["web", "scorm12", "scorm2004", "xapi", "cmi5", "moodle", "reading-copy"]
    assert "reading-copy" in targets.module_target_names() and "moodle" not in targets.module_target_names()
    option, users = targets.target_options()["footer"]
    assert (option.flag, option.type, option.default, users) == ("--footer", str, "", ["reading-copy"])
    plugin = targets.get_target("reading-copy")
    assert (plugin.capabilities.modules, plugin.capabilities.pathways, plugin.capabilities.course) == (
        True,
        False,
        False,
    )
    assert plugin.package_label == "Reading copy package"


def test_the_worked_example_in_the_docs_is_the_one_tested():
    docs = (REPO_ROOT / "docs" / "targets.md").read_text()
    example = docs.split("`ccm_reading_copy.py`:\n\n```python\n", 1)[1].split("```", 1)[0]
    assert example.strip() in (PLUGIN_SITE / "ccm_reading_copy.py").read_text()
    entry_point = (PLUGIN_SITE / "ccm_reading_copy-1.0.dist-info" / "entry_points.txt").read_text()
    assert '[project.entry-points."ccm_scorm.targets"]\nreading-copy = "ccm_reading_copy:ReadingCopyTarget"' in docs
    assert "reading-copy = ccm_reading_copy:ReadingCopyTarget" in entry_point


def test_an_lms_profile_a_target_does_not_list_is_refused_before_anything_is_written(tmp_path):
    out = tmp_path / "out"
    result = ccm("build", write_course(tmp_path), "--target", "web", "--target", "moodle", "--lms", "esr", "--out", out)
    assert result.returncode == 3
    assert result.stderr == (
        "error: the moodle target does not build for --lms esr; it builds for moodle: choose one "
        "of those with --lms, or another target\n"
    )
    assert not out.exists()


def test_a_plugin_that_takes_a_built_in_name_is_refused_naming_both_packages(tmp_path):
    info = tmp_path / "site" / "rival_web-2.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: rival-web\nVersion: 2.0\n")
    (info / "entry_points.txt").write_text("[ccm_scorm.targets]\nweb = rival_web:RivalWeb\n")
    (info.parent / "rival_web.py").write_text(
        "from ccm_scorm.targets.web import WebTarget\n\n\nclass RivalWeb(WebTarget):\n    pass\n"
    )
    result = ccm("build", "--help", site=info.parent)
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: two packages register the target 'web' (")
    assert "ccm-scorm" in result.stderr and "rival-web" in result.stderr and "uninstall one of them" in result.stderr
