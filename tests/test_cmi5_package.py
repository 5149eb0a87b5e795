"""cmi5.xml: valid against the cmi5 CourseStructure.xsd (13.2.0.0-1), the framework's
competencies as course objectives referenced by the AU, moveOn and masteryScore from
the pass mark."""

from __future__ import annotations

import dataclasses
import zipfile

import pytest
from lxml import etree
from support.course_source import write_course

from ccm_scorm.build import build
from ccm_scorm.source import load_course
from ccm_scorm.targets import BuildOptions
from ccm_scorm.targets.cmi5 import cmi5_xml

NS = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"


@pytest.fixture(scope="module")
def schema(shared_dir):
    import xmlschema

    return xmlschema.XMLSchema(str(shared_dir / "schemas" / "cmi5" / "CourseStructure.xsd"))


def test_cmi5_xml_valid_with_competency_objectives_and_mastery(tmp_path, schema):
    """13.2.0.0-1, 13.1.3.0-1, 13.1.4.0-1, 3.0.0.0-1 (fully qualified IRIs)."""
    course = load_course(write_course(tmp_path))
    out = tmp_path / "out"
    build(course, ["cmi5"], out, BuildOptions())
    with zipfile.ZipFile(out / "cmi5" / "demo.zip") as archive:
        assert "cmi5.xml" in archive.namelist() and "index.html" in archive.namelist()
        text = archive.read("cmi5.xml")
    schema.validate(text.decode("utf-8"))
    root = etree.fromstring(text)
    course_el = root.find(f"{NS}course")
    assert course_el.get("id") == "https://ccm-scorm.example.org/test/module/demo/cmi5-course"
    objectives = root.findall(f"{NS}objectives/{NS}objective")
    assert [o.get("id") for o in objectives] == [
        "https://ccm-scorm.example.org/test/competency/ccm.communication",
        "https://ccm-scorm.example.org/test/competency/ccm.advocacy",
    ]
    assert [o.findtext(f"{NS}title/{NS}langstring") for o in objectives] == ["Communication", "Advocacy"]
    (au,) = root.findall(f"{NS}au")
    assert au.get("id") == "https://ccm-scorm.example.org/test/module/demo"
    assert au.get("moveOn") == "CompletedAndPassed"
    assert au.get("masteryScore") == "0.8"
    assert [o.get("idref") for o in au.findall(f"{NS}objectives/{NS}objective")] == [o.get("id") for o in objectives]
    assert au.findtext(f"{NS}url") == "index.html"
    ids = [course_el.get("id"), au.get("id")] + [o.get("id") for o in objectives]
    assert len(set(ids)) == len(ids)
    assert all(i.startswith("https://") for i in ids)


def test_module_without_quiz_moves_on_when_completed(tmp_path, schema):
    course = load_course(write_course(tmp_path))
    module = dataclasses.replace(course.module("demo"), questions=(), pass_mark=65)
    text = cmi5_xml(course, module)
    schema.validate(text.decode("utf-8"))
    au = etree.fromstring(text).find(f"{NS}au")
    assert au.get("moveOn") == "Completed"
    assert au.get("masteryScore") is None


@pytest.mark.parametrize("pass_mark, expected", [(80, "0.8"), (75, "0.75"), (100, "1"), (0, "0")])
def test_mastery_score_is_the_pass_mark(tmp_path, schema, pass_mark, expected):
    course = load_course(write_course(tmp_path))
    module = dataclasses.replace(course.module("demo"), pass_mark=pass_mark)
    text = cmi5_xml(course, module)
    schema.validate(text.decode("utf-8"))
    assert etree.fromstring(text).find(f"{NS}au").get("masteryScore") == expected
