"""Building the web target: reproducible zips, atomic writes, the build report and the CLI around them."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
from click.testing import CliRunner
from support.course_source import MODULE, write_course

from ccm_scorm import package
from ccm_scorm.cli import main


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    return result


def test_two_builds_of_the_same_source_are_byte_identical(tmp_path):
    course = write_course(tmp_path)
    first, second = tmp_path / "one", tmp_path / "two"
    assert run("build", course, "--target", "web", "--out", first).exit_code == 0
    assert run("build", course, "--target", "web", "--out", second, "--force").exit_code == 0
    one = (first / "web" / "demo.zip").read_bytes()
    assert one == (second / "web" / "demo.zip").read_bytes()
    assert (first / "build-report.json").read_bytes() == (second / "build-report.json").read_bytes()


def test_zip_entries_are_sorted_with_fixed_times(tmp_path):
    course = write_course(tmp_path)
    run("build", course, "--target", "web", "--out", tmp_path / "out")
    with zipfile.ZipFile(tmp_path / "out" / "web" / "demo.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {package.FIXED_TIME}
        assert "index.html" in names and "assets/talk.png" in names
        assert any(name.startswith("runtime/") and name.endswith(".js") for name in names)


def test_build_report_lists_every_package(tmp_path):
    course = write_course(tmp_path)
    out = tmp_path / "out"
    run("build", course, "--target", "web", "--out", out)
    report = json.loads((out / "build-report.json").read_text())
    [entry] = [e for e in report["packages"] if e["kind"] == "module"]  # the pathway "starter" is built too
    data = (out / "web" / "demo.zip").read_bytes()
    assert entry["id"] == "demo" and entry["version"] == "1.0.0" and entry["target"] == "web"
    assert entry["path"] == "web/demo.zip"
    assert entry["size"] == len(data)
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["competencies"] == ["ccm.communication", "ccm.advocacy"]
    assert 0 < entry["runtime_gzip_bytes"] < entry["runtime_bytes"]


def test_source_errors_write_nothing(tmp_path):
    course = write_course(tmp_path, {"demo/module.yaml": MODULE.replace("pass_mark: 80", "pass_mark: 800")})
    out = tmp_path / "out"
    result = run("build", course, "--target", "web", "--out", out)
    assert result.exit_code == 1
    assert "course/demo/module.yaml:10: error: pass_mark 800 is outside 0–100" in result.output
    assert "nothing was built" in result.output
    assert not out.exists()


def test_a_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "web" / "demo.zip"
    target.parent.mkdir()
    target.write_bytes(b"the previous package")

    def fail(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(package.os, "replace", fail)
    with pytest.raises(OSError):
        package.write_atomically(target, b"new package bytes")
    assert target.read_bytes() == b"the previous package"
    assert [p.name for p in target.parent.iterdir()] == ["demo.zip"]


def test_a_target_failing_midway_leaves_only_whole_packages(tmp_path, monkeypatch):
    from ccm_scorm.targets.web import WebTarget

    second = MODULE.replace("id: demo", "id: later")
    course = write_course(tmp_path, {"later/module.yaml": second, "later/pages/01-a.md": "# A\n\nText.\n"})
    original = WebTarget.build_module

    def build_module(self, course, module, options):
        if module.id == "later":
            raise RuntimeError("simulated crash")
        return original(self, course, module, options)

    monkeypatch.setattr(WebTarget, "build_module", build_module)
    out = tmp_path / "out"
    with pytest.raises(RuntimeError):
        run("build", course, "--target", "web", "--out", out)
    written = sorted(p.name for p in (out / "web").iterdir())
    assert written == ["demo.zip"]
    zipfile.ZipFile(out / "web" / "demo.zip").testzip()


def test_validate_exit_codes_and_summary(tmp_path):
    course = write_course(tmp_path)
    clean = run("validate", course)
    assert clean.exit_code == 0
    assert "1 module, 6 questions, 1 pathway, 3 competencies: no errors" in clean.output
    broken = write_course(tmp_path / "b", {"demo/module.yaml": MODULE.replace("minutes: 10", "minutes: ten")})
    result = run("validate", broken)
    assert result.exit_code == 1
    assert "course/demo/module.yaml:7: error: 'minutes' in the module must be a whole number" in result.output


def test_validate_json(tmp_path):
    broken = write_course(tmp_path, {"demo/module.yaml": MODULE.replace("minutes: 10", "minuts: 10")})
    result = run("validate", broken, "--json")
    data = json.loads(result.output)
    assert result.exit_code == 1 and data["ok"] is False
    assert data["errors"] == [
        {
            "file": "course/demo/module.yaml",
            "line": 7,
            "column": 0,
            "severity": "error",
            "message": "unknown key 'minuts' in the module",
            "fix": "did you mean 'minutes'?",
        }
    ]


def test_missing_source_folder_is_an_error_not_a_traceback(tmp_path):
    result = run("validate", tmp_path / "nowhere")
    assert result.exit_code == 1
    assert "there is no course folder here" in result.output


def test_unknown_module_filter_is_a_usage_error(tmp_path):
    result = run("build", write_course(tmp_path), "--target", "web", "--module", "nope", "--out", tmp_path / "o")
    assert result.exit_code == 2
    assert "unknown module 'nope'" in result.output


@pytest.mark.parametrize("target", ["web", "scorm12", "scorm2004"])
def test_an_lrs_credential_is_refused_for_every_target(tmp_path, target):
    out = tmp_path / "out"
    result = run("build", write_course(tmp_path), "--target", target, "--out", out, "--lrs-auth", "key:secret")
    assert result.exit_code == 3
    assert f"refusing --lrs-auth: {target} packages do not talk to an LRS" in result.output
    assert not out.exists()


def test_every_runtime_file_is_one_some_target_ships(tmp_path):
    """The wheel ships render/runtime/* and the build fingerprint hashes it: a file there that no package
    carries (a test-only adapter, a draft) would be shipped to users and rebuild everything when it changed.
    A package carries the scripts as one runtime/ccm.js: the bundle of which sources is found by rebuilding it."""
    from importlib import resources

    from ccm_scorm.render import RUNTIME_PACKAGE, runtime_script, runtime_sources
    from ccm_scorm.source import load_course
    from ccm_scorm.targets import BuildOptions, get_target, target_names

    course = load_course(write_course(tmp_path))
    carried = set()
    for name in target_names():
        target = get_target(name)
        packages = []
        if target.capabilities.modules:
            packages.append(target.build_module(course, course.module("demo"), BuildOptions()))
        if target.capabilities.pathways and target.archive == "zip":
            packages.append(target.build_pathway(course, course.pathway("starter"), BuildOptions()))
        for built in packages:
            bundle = built.files.pop("runtime/ccm.js")
            kinds = [k for k in RUNTIME_PACKAGE if runtime_script(target.adapter, target.support_scripts, k) == bundle]
            assert len(kinds) == 1, f"{name} {built.unit_id}: its runtime/ccm.js is no bundle of its adapter"
            carried |= set(runtime_sources(target.adapter, target.support_scripts, kinds[0]))
            carried |= {path.rsplit("/", 1)[-1] for path in built.files if path.startswith("runtime/")}
    folder = resources.files("ccm_scorm.render").joinpath("runtime")
    assert {entry.name for entry in folder.iterdir() if entry.is_file()} == carried


@pytest.mark.parametrize("written", ["assets/talk.png", "./assets/talk.png"])
def test_a_pathway_page_finds_its_image_however_the_path_is_written(tmp_path, written):
    """A pathway holds several modules in one page, each module's images under its own folder."""
    import posixpath
    import re

    course = write_course(tmp_path)
    page = course / "demo" / "pages" / "02-speaking-up.md"
    page.write_text(page.read_text().replace("(assets/talk.png)", f"({written})"))
    out = tmp_path / "out"
    assert run("build", course, "--target", "web", "--pathway", "starter", "--out", out).exit_code == 0
    with zipfile.ZipFile(out / "web" / "starter.zip") as archive:
        sources = re.findall(r'<img src="([^"]+)"', archive.read("index.html").decode("utf-8"))
        assert [posixpath.normpath(src) for src in sources] == ["demo/assets/talk.png"]
        assert archive.read("demo/assets/talk.png") == (course / "demo" / "assets" / "talk.png").read_bytes()
