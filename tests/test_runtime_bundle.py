"""The runtime as packages carry it: one minified script (runtime/ccm.js) and one stylesheet, within
the gzip budget for every target, the same bytes in every build, and a static page that loses no tap
while that script is still on its way (docs/runtime.md, "Runtime files and load order", "Started")."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile

import pytest
from calmjs.parse import es5
from calmjs.parse.unparsers.es5 import minify_print
from click.testing import CliRunner
from support.paths import REPO_ROOT
from support.pathway_course import build_pathway
from support.runtime_build import build

from ccm_scorm.cli import main
from ccm_scorm.render import RUNTIME_GZIP_BUDGET, runtime_script, runtime_source, runtime_sources
from ccm_scorm.targets.xapi_common import SUPPORT_SCRIPTS

TARGETS = ("web", "scorm12", "scorm2004", "xapi", "cmi5")
MODULE = "person-centred-practice"
LARGEST_PATHWAY = "care-coordination-foundations"
PHONE = {"width": 360, "height": 740}


@pytest.fixture(scope="module")
def catalogue_build(tmp_path_factory):
    """A module and the largest pathway of the bundled catalogue, for every target that carries the runtime."""
    out = tmp_path_factory.mktemp("bundle") / "out"
    args = ["build", str(REPO_ROOT / "modules"), "--out", str(out), "-m", MODULE, "-p", LARGEST_PATHWAY, "-q"]
    result = CliRunner().invoke(main, args + [arg for target in TARGETS for arg in ("--target", target)])
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.parametrize("target", TARGETS)
def test_each_package_loads_one_script_within_the_gzip_budget(catalogue_build, target):
    report = json.loads((catalogue_build / "build-report.json").read_text())
    records = [record for record in report["packages"] if record["target"] == target]
    assert {record["kind"] for record in records} == {"module", "pathway"}
    for record in records:
        assert 0 < record["runtime_gzip_bytes"] <= RUNTIME_GZIP_BUDGET, record
        with zipfile.ZipFile(catalogue_build / record["path"]) as archive:
            scripts = [name for name in archive.namelist() if name.endswith(".js")]
            pages = [archive.read(name).decode() for name in archive.namelist() if name.endswith("index.html")]
        assert scripts == ["runtime/ccm.js"], record["path"]
        for page in pages:  # a cmi5 pathway has one page per module, each loading the shared script
            assert re.findall(r'<script src="([^"]+)"', page) in (["runtime/ccm.js"], ["../runtime/ccm.js"])


def test_a_module_package_leaves_out_the_pathway_menu_and_a_pathway_the_module_package(catalogue_build):
    with zipfile.ZipFile(catalogue_build / "web" / f"{MODULE}.zip") as archive:
        module_script = archive.read("runtime/ccm.js")
    with zipfile.ZipFile(catalogue_build / "web" / f"{LARGEST_PATHWAY}.zip") as archive:
        pathway_script = archive.read("runtime/ccm.js")
    assert b".startModule=" in module_script and b".startPathway=" not in module_script
    assert b".startPathway=" in pathway_script and b".startModule=" not in pathway_script


def test_the_bundle_is_the_same_bytes_whatever_the_hash_seed():
    """calmjs.parse picks the short names; a set iterated in hash order would change them from build to build."""
    code = (
        "import hashlib, sys; from ccm_scorm.render import runtime_script; "
        f"print(hashlib.sha256(runtime_script('cmi5', {SUPPORT_SCRIPTS!r})).hexdigest())"
    )
    digests = set()
    for seed in ("0", "4242"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        run = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, env=env, capture_output=True, text=True)
        assert run.returncode == 0, run.stderr
        digests.add(run.stdout.strip())
    assert len(digests) == 1


def test_minifying_each_script_alone_gives_the_minified_concatenation():
    """The bundle is made script by script (shared by every adapter's bundle); that must be what minifying the
    scripts as one program would give, names and all."""
    names = runtime_sources("cmi5", SUPPORT_SCRIPTS)
    whole = minify_print(es5("\n".join(runtime_source(name) for name in names)), obfuscate=True, drop_semi=True)
    bundle = runtime_script("cmi5", SUPPORT_SCRIPTS).decode()
    assert len(bundle) < 0.6 * sum(len(runtime_source(name)) for name in names)
    # drop_semi leaves out a script's last ";" before the next script's "}" only where there is one
    assert bundle.replace(";", "") == whole.replace(";", "")
    es5(bundle)  # one valid program


# ------------------------------------------------------------- before the runtime has started
def hold_the_runtime(page):
    """Every request for runtime/ccm.js waits until the test lets it go; returns the release function."""
    held = []
    page.route("**/runtime/ccm.js", lambda route: held.append(route))

    def release():
        assert held, "the page never asked for runtime/ccm.js"
        for route in held:
            route.continue_()

    return release


def open_static(page, url, control):
    page.goto(url, wait_until="commit")
    page.wait_for_selector(control, state="attached")
    page.wait_for_function("() => [...document.querySelectorAll('link[rel=stylesheet]')].every(l => l.sheet)")
    assert page.evaluate("() => !document.documentElement.classList.contains('ccm-ready')")


@pytest.mark.parametrize("kind", ["module", "pathway"])
def test_a_tap_before_the_runtime_has_started_finds_no_dead_control(page, tmp_path, http_server, kind):
    """On a slow phone the static page shows before the script arrives. Its buttons keep their place but show
    only once they work, so an early tap reaches nothing; what the learner is reading does not move."""
    page.set_viewport_size(PHONE)
    if kind == "module":
        index, control, heading = build(tmp_path / "m", adapter="standalone"), "#ccm-next", "#ccm-cover h1"
    else:
        index, control, heading = (
            build_pathway(tmp_path / "p", adapter="standalone"),
            "#ccm-menu-open-0",
            "#ccm-menu-title",
        )
    url = http_server(index.parent).url("index.html")
    release = hold_the_runtime(page)
    open_static(page, url, control)
    assert page.is_visible(heading)
    assert not page.is_visible(control), "a control that cannot work yet is shown"
    reading = page.locator(heading).bounding_box()
    box = page.locator(control).bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)  # the learner's early tap
    release()
    page.wait_for_selector("html.ccm-ready", state="attached")
    assert page.is_visible(control)
    assert page.locator(heading).bounding_box() == reading
    page.click(control)
    page.wait_for_function("() => document.activeElement.tagName === 'H1'")
    assert page.ccm_errors == []


def test_contents_links_take_no_tap_before_the_runtime_has_started(page, tmp_path, http_server):
    url = http_server(build(tmp_path / "m", adapter="standalone").parent).url("index.html")
    release = hold_the_runtime(page)
    open_static(page, url, "#ccm-toc-list a[data-view]")
    link = page.locator('#ccm-toc-list a[data-view="1"]')
    assert link.evaluate("a => getComputedStyle(a).pointerEvents") == "none"
    release()
    page.wait_for_selector("html.ccm-ready", state="attached")
    assert link.evaluate("a => getComputedStyle(a).pointerEvents") == "auto"
