"""SCORM manifests and packages: schema-valid (official XSDs in ../shared/schemas, read in place),
shaped the way Moodle's parser and ESR need, LMS profiles, schema_dir, build report, runtime size."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace

import pytest
from click.testing import CliRunner
from lxml import etree
from support.course_source import write_course
from support.paths import REPO_ROOT
from support.scorm_helpers import SCHEMAS, manifest_errors

from ccm_scorm.cli import main
from ccm_scorm.package import runtime_size
from ccm_scorm.render import RUNTIME_GZIP_BUDGET
from ccm_scorm.source import load_course
from ccm_scorm.targets import BuildOptions, BuildRefused, get_target

EDITION = {"scorm12": "12", "scorm2004": "2004"}
SCHEMAVERSION = {
    "scorm12": b"<schemaversion>1.2</schemaversion>",
    "scorm2004": b"<schemaversion>2004 4th Edition</schemaversion>",
}


@pytest.fixture(scope="module")
def test_course(tmp_path_factory):
    return load_course(write_course(tmp_path_factory.mktemp("manifest")))


@pytest.fixture(scope="module")
def bundled_course():
    return load_course(REPO_ROOT / "modules")


def packages(course, target, lms="generic"):
    return [get_target(target).build_module(course, module, BuildOptions(lms=lms)) for module in course.modules]


@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
@pytest.mark.parametrize("which", ["test_course", "bundled_course"])
def test_every_manifest_validates_against_the_official_schemas(target, which, request):
    course = request.getfixturevalue(which)
    assert course.modules
    for package in packages(course, target):
        manifest = package.files["imsmanifest.xml"]
        assert manifest_errors(manifest, EDITION[target]) == [], package.unit_id


@pytest.mark.parametrize("target", ["scorm12", "scorm2004"])
def test_manifest_shape_for_moodle_and_esr(target, test_course):
    package = get_target(target).build_module(test_course, test_course.module("demo"), BuildOptions())
    manifest = package.files["imsmanifest.xml"]
    assert manifest.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<manifest ')
    assert SCHEMAVERSION[target] in manifest  # exactly, no whitespace
    # literal prefixes: Moodle's parser is not namespace-aware
    assert b"<organizations " in manifest and b"<resource " in manifest
    if target == "scorm12":
        assert b'adlcp:scormtype="sco"' in manifest and b"<adlcp:masteryscore>80</adlcp:masteryscore>" in manifest
    else:
        assert b'adlcp:scormType="sco"' in manifest and b"<imsss:objectives>" in manifest
        assert b"mapInfo" not in manifest
    root = etree.fromstring(manifest)
    ns = {"cp": root.nsmap[None]}
    assert root.get("identifier") == "ccm-demo" and root.get("version") == "1.0.0"
    assert [t.text for t in root.iterfind(".//cp:title", ns)] == ["Demo module", "Demo module"]
    assert b"A module for tests." in manifest  # description from the source (LOM)
    items = root.findall(".//cp:item", ns)
    assert len(items) == 1 and items[0].get("identifier") == "ITEM-demo"  # one SCO
    listed = [f.get("href") for f in root.iterfind(".//cp:resource/cp:file", ns)]
    assert sorted(listed) == sorted(name for name in package.files if name != "imsmanifest.xml")
    assert listed[0] == "index.html" and "assets/talk.png" in listed and "runtime/ccm.js" in listed
    assert not any(name.endswith(".xsd") for name in package.files)  # schemas only on request
    assert package.lms == "moodle"
    assert set(package.runtime_files) == {name for name in package.files if name.startswith("runtime/")}


def test_2004_declares_only_the_pass_mark_objective(test_course):
    """Moodle gives the SCO a pass mark from every declared objective (1.0 when it has no
    measure, the last one winning), so only the primary objective is declared, with the pass
    mark; the competency objectives are the runtime's (tests/test_scorm_runtime.py)."""
    module = test_course.module("demo")
    manifest = get_target("scorm2004").build_module(test_course, module, BuildOptions()).files["imsmanifest.xml"]
    root = etree.fromstring(manifest)
    imsss = {"s": "http://www.imsglobal.org/xsd/imsss"}
    [objectives] = root.iterfind(".//s:objectives", imsss)
    [primary] = objectives
    assert primary.tag == "{http://www.imsglobal.org/xsd/imsss}primaryObjective"
    assert primary.get("objectiveID") == "demo" and primary.get("satisfiedByMeasure") == "true"
    assert primary.findtext("s:minNormalizedMeasure", namespaces=imsss) == "0.8"
    assert root.find(".//s:objective", imsss) is None


def test_2004_module_without_quiz_declares_no_objective(test_course):
    module = replace(test_course.module("demo"), questions=())
    assert not module.has_quiz
    manifest = get_target("scorm2004").build_module(test_course, module, BuildOptions()).files["imsmanifest.xml"]
    assert b"imsss:sequencing" not in manifest and b"Objective" not in manifest
    assert manifest_errors(manifest, EDITION["scorm2004"]) == []


def test_identifiers_are_stable_across_versions(test_course):
    module = test_course.module("demo")
    for target in ("scorm12", "scorm2004"):
        one = etree.fromstring(
            get_target(target).build_module(test_course, module, BuildOptions()).files["imsmanifest.xml"]
        )
        two = etree.fromstring(
            get_target(target)
            .build_module(test_course, replace(module, version="2.0.0"), BuildOptions())
            .files["imsmanifest.xml"]
        )
        ids = lambda root: [e.get("identifier") for e in root.iter() if e.get("identifier")]  # noqa: E731
        assert ids(one) == ids(two) and two.get("version") == "2.0.0"


def test_esr_refuses_scorm2004_and_takes_scorm12(test_course):
    module = test_course.module("demo")
    with pytest.raises(BuildRefused, match="SCORM 1.2"):
        get_target("scorm2004").build_module(test_course, module, BuildOptions(lms="esr"))
    assert get_target("scorm12").build_module(test_course, module, BuildOptions(lms="esr")).lms == "esr"


def test_moodle_lint_warns_about_scorm2004(test_course):
    module = test_course.module("demo")
    warnings = get_target("scorm2004").lint(test_course, module, BuildOptions(lms="moodle"))
    assert any("Moodle calls SCORM 2004 unsupported" in w for w in warnings)
    assert not any("mapInfo" in w for w in warnings)  # our manifests have none
    assert get_target("scorm12").lint(test_course, module, BuildOptions(lms="moodle")) == []
    assert get_target("scorm2004").lint(test_course, module, BuildOptions(lms="generic")) == []
    from ccm_scorm.targets.scorm_manifest import ignored_by_moodle

    with_map = b'<m xmlns:imsss="http://www.imsglobal.org/xsd/imsss"><imsss:mapInfo targetObjectiveID="g"/></m>'
    assert ignored_by_moodle(with_map) == ["global objectives (imsss:mapInfo): Moodle does not save them"]


def test_schema_dir_puts_the_users_schema_files_in_the_package(test_course, tmp_path):
    module = test_course.module("demo")
    package = get_target("scorm12").build_module(test_course, module, BuildOptions(values={"schema_dir": SCHEMAS}))
    assert {"imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"} <= set(package.files)
    package = get_target("scorm2004").build_module(
        test_course, module, BuildOptions(values={"schema_dir": SCHEMAS / "scorm2004-4th"})
    )
    assert {"imscp_v1p1.xsd", "imsss_v1p0objective.xsd", "xml.xsd"} <= set(package.files)
    listed = etree.fromstring(package.files["imsmanifest.xml"]).iterfind(".//{*}file")
    assert not any(f.get("href").endswith(".xsd") for f in listed)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BuildRefused, match="imscp_rootv1p1p2.xsd"):
        get_target("scorm12").build_module(test_course, module, BuildOptions(values={"schema_dir": empty}))


def test_cli_build_writes_zips_and_the_report(tmp_path):
    source = write_course(tmp_path)
    out = tmp_path / "packages_out"
    result = CliRunner().invoke(
        main,
        ["build", str(source), "--target", "scorm12", "--target", "scorm2004", "--out", str(out), "--lms", "moodle"],
    )
    assert result.exit_code == 0, result.output
    assert "Moodle calls SCORM 2004 unsupported" in result.output
    for target in ("scorm12", "scorm2004"):
        with zipfile.ZipFile(out / target / "demo.zip") as archive:
            names = archive.namelist()
            assert "imsmanifest.xml" in names and "index.html" in names
            manifest = archive.read("imsmanifest.xml")
        assert manifest_errors(manifest, EDITION[target]) == []
    report = json.loads((out / "build-report.json").read_text())
    rows = {(p["target"], p["id"]): p for p in report["packages"]}
    assert rows[("scorm12", "demo")]["lms"] == "moodle" and rows[("scorm2004", "demo")]["lms"] == "moodle"
    assert rows[("scorm12", "demo")]["runtime_gzip_bytes"] <= RUNTIME_GZIP_BUDGET
    refused = CliRunner().invoke(
        main, ["build", str(source), "--target", "scorm2004", "--out", str(out), "--lms", "esr"]
    )
    assert refused.exit_code == 3 and "SCORM 1.2" in refused.output


def test_runtime_stays_small(test_course):
    for target in ("scorm12", "scorm2004"):
        package = get_target(target).build_module(test_course, test_course.module("demo"), BuildOptions())
        raw, gzipped = runtime_size(package)
        assert gzipped <= 30 * 1024, (target, raw, gzipped)
