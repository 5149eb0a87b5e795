"""xAPI pathway packages: tincan.xml lists the pathway and its modules; launched in Chromium
against Ralph, every statement lands under the launch's actor and registration, a module's
statements are grouped under the pathway (contextActivities.grouping, type course) and keep
the module as object or parent, and the pathway's result is one statement, sent once."""

from __future__ import annotations

import json
import urllib.parse
import uuid

from lxml import etree
from support.paths import REPO_ROOT
from support.pathway_course import RIGHT_FIRST, RIGHT_SECOND, make_pathway_course
from support.pathway_learner import STARTED, do_module
from support.scorm_helpers import unzip

from ccm_scorm.package import runtime_size, zip_bytes
from ccm_scorm.render import RUNTIME_GZIP_BUDGET
from ccm_scorm.source import load_course
from ccm_scorm.targets import BuildOptions, get_target

TINCAN = "{http://projecttincan.com/tincan.xsd}"
COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
ACTOR = {"objectType": "Agent", "name": "Jane Doe", "mbox": "mailto:jane.pathway@example.org"}


def test_tincan_xml_of_the_bundled_pathways_lists_the_pathway_then_its_modules():
    course = load_course(REPO_ROOT / "modules")
    for pathway in course.pathways:
        package = get_target("xapi").build_pathway(course, pathway, BuildOptions())
        assert package.unit_kind == "pathway" and "index.html" in package.files
        root = etree.fromstring(package.files["tincan.xml"])  # well-formed
        activities = root.findall(f"{TINCAN}activities/{TINCAN}activity")
        assert [(a.get("id"), a.get("type")) for a in activities] == (
            [(course.pathway_iri(pathway.id), COURSE_TYPE)]
            + [(course.module_iri(m), MODULE_TYPE) for m in pathway.module_ids]
        )
        assert activities[0].findtext(f"{TINCAN}name") == pathway.title
        assert activities[0].findtext(f"{TINCAN}launch") == "index.html"
        assert all(a.find(f"{TINCAN}launch") is None for a in activities[1:])
        data = package.files["index.html"].decode()
        script = package.files["runtime/ccm.js"]
        assert '"kind":"pathway"' in data and b"registerAdapter('xapi'" in script and b".startPathway=" in script
        assert runtime_size(package)[1] <= RUNTIME_GZIP_BUDGET


def launch_url(site, ralph, registration, activity_id) -> str:
    return (
        site
        + "index.html?"
        + urllib.parse.urlencode(
            {
                "endpoint": ralph.url,
                "auth": ralph.write_only_auth_header,
                "actor": json.dumps(ACTOR),
                "registration": registration,
                "activity_id": activity_id,
            }
        )
    )


def closed(page, timeout=30_000):
    page.wait_for_function(
        "() => ['closed', 'kept'].includes(document.documentElement.dataset.ccmSession)", timeout=timeout
    )
    assert page.evaluate("() => document.documentElement.dataset.ccmSession") == "closed", page.inner_text(
        "#ccm-notices"
    )


def verb(statement) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[-1]


def test_pathway_statements_in_ralph(page, tmp_path, http_server, ralph, validate_statement):
    course, pathway = make_pathway_course(logo=False)
    package = get_target("xapi").build_pathway(course, pathway, BuildOptions())
    site = http_server(unzip(zip_bytes(package.files), tmp_path / "pkg"))
    pathway_iri = course.pathway_iri(pathway.id)
    registration = str(uuid.uuid4())
    url = launch_url(site, ralph, registration, pathway_iri)
    page.goto(url)
    page.wait_for_function(STARTED)
    do_module(page, 0, RIGHT_FIRST)
    do_module(page, 1, RIGHT_SECOND)
    page.get_by_role("button", name="Finish for now").click()
    closed(page)
    # a second session: the menu, review a finished module, finish; no second pathway result
    page.goto(url)
    page.wait_for_function(STARTED)
    assert page.inner_text("#ccm-menu-status-1") == "Passed"
    page.click("#ccm-menu-open-0")
    page.wait_for_selector("#ccm-pages section")
    page.click("a[data-menu]")
    page.get_by_role("button", name="Finish for now").click()
    closed(page)  # the LRS acknowledged terminated, sent after every other statement: it has them all

    statements = ralph.statements(registration=registration)
    assert statements
    assert validate_statement(statements) == []
    modules = {course.module_iri(m): m for m in pathway.module_ids}
    for s in statements:
        assert s["actor"]["mbox"] == ACTOR["mbox"]
        assert s["context"]["registration"] == registration
        if s["object"]["id"] == pathway_iri:
            assert s["object"]["definition"]["type"] == COURSE_TYPE
            continue
        ca = s["context"]["contextActivities"]
        assert [(a["id"], a["definition"]["type"]) for a in ca["grouping"]] == [(pathway_iri, COURSE_TYPE)], s
        module = s["object"]["id"] if s["object"]["id"] in modules else ca["parent"][0]["id"]
        assert module in modules, s
        if s["object"]["id"] not in modules:
            assert s["object"]["id"].startswith(module + "/")
    on_pathway = [verb(s) for s in statements if s["object"]["id"] == pathway_iri]
    # Ralph returns the newest first
    assert sorted(on_pathway) == sorted(["initialized", "passed", "terminated", "resumed", "terminated"])
    [result] = [s for s in statements if s["object"]["id"] == pathway_iri and verb(s) == "passed"]
    assert result["result"]["success"] is True and result["result"]["completion"] is True
    assert result["result"]["score"] == {"scaled": 1, "raw": 100, "min": 0, "max": 100}
    per_module = {(verb(s), s["object"]["id"]) for s in statements if s["object"]["id"] in modules}
    assert per_module == {(v, m) for v in ("completed", "passed") for m in modules}
    answered = [s["object"]["id"].rsplit("/", 1)[-1] for s in statements if verb(s) == "answered"]
    assert sorted(answered) == sorted(["q01-open", "q06-term", "k1-tell", "k2-who"])
    # Ralph has no State API (404), and its CORS rules refuse the preflight of a conditional PUT (then a
    # plain PUT gets 404/405): the adapter keeps the state on the device instead
    assert [
        e
        for e in page.ccm_errors
        if "/activities/state" not in e or not ("404" in e or "405" in e or "CORS" in e or "ERR_FAILED" in e)
    ] == []
