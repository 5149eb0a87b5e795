"""cmi5 pathway packages: one course, a block for the pathway, one AU per module (valid
against the cmi5 CourseStructure.xsd), each AU launching its module's own content from
`<module id>/index.html`; one AU launched through the test cmi5 launcher in front of Ralph."""

from __future__ import annotations

import re

import pytest
from lxml import etree
from support.cmi5_launcher import SESSION_EXT, Cmi5Launcher
from support.paths import REPO_ROOT
from support.pathway_course import RIGHT_SECOND, make_pathway_course
from support.scorm_helpers import read_pages, take_quiz, unzip

from ccm_scorm.package import runtime_size, zip_bytes
from ccm_scorm.source import load_course
from ccm_scorm.targets import BuildOptions, get_target

NS = "{https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd}"


@pytest.fixture(scope="module")
def schema(shared_dir):
    import xmlschema

    return xmlschema.XMLSchema(str(shared_dir / "schemas" / "cmi5" / "CourseStructure.xsd"))


def competencies_of(course, module_ids):
    out = []
    for module_id in module_ids:
        out += [c for c in course.module(module_id).evidenced_competency_ids() if c not in out]
    return out


def test_bundled_pathways_cmi5_xml_valid_block_of_aus(schema):
    course = load_course(REPO_ROOT / "modules")
    framework = course.framework
    for pathway in course.pathways:
        package = get_target("cmi5").build_pathway(course, pathway, BuildOptions())
        assert package.unit_kind == "pathway" and package.unit_id == pathway.id
        text = package.files["cmi5.xml"]
        schema.validate(text.decode("utf-8"))
        root = etree.fromstring(text)
        assert root.find(f"{NS}course").get("id") == course.pathway_iri(pathway.id) + "/cmi5-course"
        assert root.findtext(f"{NS}course/{NS}title/{NS}langstring") == pathway.title
        objectives = [o.get("id") for o in root.findall(f"{NS}objectives/{NS}objective")]
        assert objectives == [framework.competency_iri(c) for c in competencies_of(course, pathway.module_ids)]
        assert root.findall(f"{NS}au") == []  # every AU is in the pathway's block
        [block] = root.findall(f"{NS}block")
        assert block.get("id") == course.pathway_iri(pathway.id)
        aus = block.findall(f"{NS}au")
        assert [au.get("id") for au in aus] == [course.module_iri(m) for m in pathway.module_ids]
        for au, module_id in zip(aus, pathway.module_ids, strict=False):
            module = course.module(module_id)
            assert au.findtext(f"{NS}url") == f"{module_id}/index.html"
            assert au.get("moveOn") == ("CompletedAndPassed" if module.has_quiz else "Completed")
            if module.has_quiz:
                assert float(au.get("masteryScore")) == module.pass_mark / 100
            refs = [o.get("idref") for o in au.findall(f"{NS}objectives/{NS}objective")]
            assert refs == [framework.competency_iri(c) for c in module.evidenced_competency_ids()]
            assert f"{module_id}/index.html" in package.files
        # one shared runtime at the root, referenced from each module's folder
        assert sorted(package.runtime_files) == sorted(p for p in package.files if p.startswith("runtime/"))
        assert not any("/runtime/" in p for p in package.files)
        assert runtime_size(package)[1] <= 30 * 1024  # the per-package runtime budget (gzip)


def referenced_files(html: str) -> list[str]:
    """Files a module's index.html loads (scripts, styles, images, the logo in the course data)."""
    refs = re.findall(r'(?:src|href)="([^"#][^"]*)"', html) + re.findall(r'"logo":"([^"]+)"', html)
    return [r for r in refs if not r.startswith(("http:", "https:", "data:", "mailto:"))]


def test_one_au_launched_through_the_cmi5_launcher(page, tmp_path, http_server, ralph):
    course, pathway = make_pathway_course()  # with the organisation's logo
    package = get_target("cmi5").build_pathway(course, pathway, BuildOptions())
    folder = unzip(zip_bytes(package.files), tmp_path / "pkg")
    for module_id in pathway.module_ids:  # every file a module page loads is in the zip, one folder up or down
        html = (folder / module_id / "index.html").read_text(encoding="utf-8")
        for ref in referenced_files(html):
            assert (folder / module_id / ref).resolve().is_file(), (module_id, ref)
    module = course.module("keeping-safe")
    au_id = course.module_iri(module.id)
    lms = Cmi5Launcher(http_server(folder), ralph, au_id, preferences={"languagePreference": "en-GB"})
    launch = lms.launch(mastery_score=module.pass_mark / 100)
    url = launch.url.replace("/index.html?", f"/{module.id}/index.html?", 1)
    page.goto(url)
    # the launch (fetch, launch data, preferences, State, what the registration holds) is done and the
    # controls are bound: before that the page is its static HTML and a click does nothing
    page.wait_for_selector("html.ccm-ready", state="attached")
    page.wait_for_selector("#ccm-next:not([hidden]), #ccm-quiz:not([hidden])", state="attached")
    read_pages(page)
    take_quiz(page, {q.id: r for q, r in zip(module.questions, RIGHT_SECOND, strict=False)})
    page.click("button[data-action=exit]")
    # Finish is over once the LMS acknowledged terminated, sent last after everything else
    page.wait_for_function(
        "() => ['closed', 'kept'].includes(document.documentElement.dataset.ccmSession)", timeout=30_000
    )
    assert page.evaluate("() => document.documentElement.dataset.ccmSession") == "closed"
    sent = [
        s
        for r in lms.received
        for s in r.statements
        if s.get("context", {}).get("extensions", {}).get(SESSION_EXT) == launch.session_id
    ]
    mine = {s["id"]: s for s in sent}
    assert len(mine) == len(sent), "a statement was sent twice"
    verbs = [s["verb"]["id"].rsplit("/", 1)[-1] for s in sent]
    assert verbs[0] == "initialized" and verbs[-1] == "terminated"
    assert [v for v in verbs if v in ("initialized", "completed", "passed", "failed", "terminated")] == [
        "initialized",
        "completed",
        "passed",
        "terminated",
    ]
    for s in mine.values():
        assert s["context"]["registration"] == launch.registration
        assert au_id in [a["id"] for a in s["context"]["contextActivities"]["grouping"]]
    passed = [s for s in mine.values() if s["verb"]["id"].endswith("/passed")][0]
    assert passed["object"]["id"] == launch.activity_id
    assert passed["result"]["score"]["scaled"] == 1
    # a first launch finds no saved state document (404): nothing else may fail to load
    assert [e for e in page.ccm_errors if "404" not in e or "/lrs/activities/state" not in e] == []
