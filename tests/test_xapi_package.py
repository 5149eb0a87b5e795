"""The xAPI and cmi5 packages as files: tincan.xml, cmi5.xml against the XSD, the
catalogue building for both targets, and --lrs-auth refused with nothing written."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from support.course_source import write_course
from support.paths import REPO_ROOT

from ccm_scorm.build import build
from ccm_scorm.cli import main
from ccm_scorm.source import load_course
from ccm_scorm.targets import BuildOptions, BuildRefused, get_target

TINCAN = "{http://projecttincan.com/tincan.xsd}"


def course_json(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="ccm-course">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


@pytest.fixture
def built(tmp_path) -> Path:
    course = write_course(tmp_path)
    out = tmp_path / "out"
    build(load_course(course), ["xapi", "cmi5"], out, BuildOptions())
    return out


def test_xapi_zip_has_tincan_xml_with_the_module_activity(built):
    path = built / "xapi" / "demo.zip"
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        tincan = etree.fromstring(archive.read("tincan.xml"))  # well-formed or this raises
        html = archive.read("index.html").decode()
        script = archive.read("runtime/ccm.js").decode()
    assert {"tincan.xml", "index.html", "runtime/ccm.js", "assets/talk.png"} <= names
    activities = tincan.findall(f"{TINCAN}activities/{TINCAN}activity")
    assert len(activities) == 1
    activity = activities[0]
    assert activity.get("id") == "https://ccm-scorm.example.org/test/module/demo"
    assert activity.get("type") == "http://adlnet.gov/expapi/activities/module"
    assert activity.findtext(f"{TINCAN}name") == "Demo module"
    assert activity.find(f"{TINCAN}name").get("lang") == "en-GB"
    assert activity.findtext(f"{TINCAN}launch") == "index.html"
    data = course_json(html)
    assert data["adapter"] == "xapi"
    assert data["iri"] == activity.get("id")
    assert [c["iri"] for c in data["competencies"]] == [
        "https://ccm-scorm.example.org/test/competency/ccm.communication",
        "https://ccm-scorm.example.org/test/competency/ccm.advocacy",
    ]
    # the package may talk to the LRS it is launched with, and its one script has the outbox before the adapter
    assert "connect-src http: https:" in html
    assert html.count("<script src=") == 1 and 'src="runtime/ccm.js"' in html
    assert script.index(".Outbox=") < script.index("registerAdapter('xapi'")


def test_no_credential_or_endpoint_in_xapi_and_cmi5_packages(built):
    for target in ("xapi", "cmi5"):
        with zipfile.ZipFile(built / target / "demo.zip") as archive:
            for name in archive.namelist():
                text = archive.read(name).decode("utf-8", "replace")
                assert not re.search(r"Basic [A-Za-z0-9+/]{8,}=*", text), name
                assert "/xAPI/" not in text and "127.0.0.1" not in text, name


def test_lrs_auth_is_refused_by_the_cli_and_nothing_is_written(tmp_path):
    course = write_course(tmp_path)
    out = tmp_path / "out"
    for targets in (["xapi"], ["cmi5"], ["web", "xapi"]):
        args = ["build", str(course), "--out", str(out), "--lrs-auth", "Basic dXNlcjpwYXNz"]
        for target in targets:
            args += ["--target", target]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 3, result.output
        assert "refusing" in result.output and "LRS credential" in result.output
        assert "launch" in result.output and "docs/xapi-cmi5.md" in result.output
        assert not out.exists(), f"{targets}: something was written"


def test_targets_refuse_a_credential_directly(tmp_path):
    course = load_course(write_course(tmp_path))
    for name in ("xapi", "cmi5"):
        with pytest.raises(BuildRefused, match="Nothing was written"):
            get_target(name).check_options(BuildOptions(lrs_credential="k:s"))
        with pytest.raises(BuildRefused, match="Nothing was written"):
            build(course, [name], tmp_path / "out", BuildOptions(lrs_credential="k:s"))
        assert not (tmp_path / "out").exists()


def test_the_bundled_catalogue_builds_for_xapi_and_cmi5(tmp_path, shared_dir):
    import xmlschema

    schema = xmlschema.XMLSchema(str(shared_dir / "schemas" / "cmi5" / "CourseStructure.xsd"))
    course = load_course(REPO_ROOT / "modules")
    out = tmp_path / "out"
    build(course, ["xapi", "cmi5"], out, BuildOptions())
    for module in course.modules:
        with zipfile.ZipFile(out / "xapi" / f"{module.id}.zip") as archive:
            tincan = etree.fromstring(archive.read("tincan.xml"))
            ids = [a.get("id") for a in tincan.iter(f"{TINCAN}activity")]
            assert ids == [course.module_iri(module.id)]
        with zipfile.ZipFile(out / "cmi5" / f"{module.id}.zip") as archive:
            schema.validate(archive.read("cmi5.xml").decode("utf-8"))
