"""The xAPI target: a zip with tincan.xml at its root, launched against an LRS.

One activity per module, its id the module's IRI (from the framework's base IRI, or
the course file's). The launcher appends endpoint, auth, actor, registration and
activity_id to the launch URL; no LRS credential is ever written into a package.

A pathway is one package too: the pathway runtime (a module menu) with the same adapter;
tincan.xml lists the pathway as the launchable course activity (its IRI) and each module
as an activity of its own. Statements about a module carry the pathway in
context.contextActivities.grouping; the pathway's own result is a statement on it.
"""

from __future__ import annotations

from lxml import etree

from ..model import Course, Module, Pathway
from .base import BuildOptions, Package
from .xapi_common import LAUNCH_FILE, LrsTarget, render_lrs_pathway, text_or

TINCAN_NS = "http://projecttincan.com/tincan.xsd"
MODULE_ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/module"
COURSE_ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/course"


def _activity(
    activities: etree._Element, language: str, iri: str, kind: str, title: str, description: str, launch: bool
) -> None:
    activity = etree.SubElement(activities, f"{{{TINCAN_NS}}}activity", id=iri, type=kind)
    fields = [("name", title), ("description", text_or(description, title))] + (
        [("launch", LAUNCH_FILE)] if launch else []
    )
    for tag, text in fields:
        element = etree.SubElement(activity, f"{{{TINCAN_NS}}}{tag}", lang=language)
        element.text = text


def _tincan() -> tuple[etree._Element, etree._Element]:
    root = etree.Element(f"{{{TINCAN_NS}}}tincan", nsmap={None: TINCAN_NS})
    return root, etree.SubElement(root, f"{{{TINCAN_NS}}}activities")


def tincan_xml(course: Course, module: Module) -> bytes:
    root, activities = _tincan()
    _activity(
        activities,
        course.settings.language,
        course.module_iri(module.id),
        MODULE_ACTIVITY_TYPE,
        module.title,
        module.summary,
        launch=True,
    )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def tincan_pathway_xml(course: Course, pathway: Pathway) -> bytes:
    """The pathway first (the course activity that is launched), then each module, in order."""
    root, activities = _tincan()
    language = course.settings.language
    _activity(
        activities,
        language,
        course.pathway_iri(pathway.id),
        COURSE_ACTIVITY_TYPE,
        pathway.title,
        pathway.description,
        launch=True,
    )
    for module_id in pathway.module_ids:
        module = course.module(module_id)
        _activity(
            activities,
            language,
            course.module_iri(module.id),
            MODULE_ACTIVITY_TYPE,
            module.title,
            module.summary,
            launch=False,
        )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


class XapiTarget(LrsTarget):
    name = "xapi"
    title = "xAPI (tincan.xml; launched against an LRS)"
    label = "xAPI"
    launch = "xapi"
    position = 40
    adapter = "xapi"
    credential_at_launch = (
        "Give the LRS endpoint and credential at launch time instead: the launcher (your LRS's launch link, "
        "or Moodle's mod_tincanlaunch) appends endpoint=, auth= and actor= to the launch URL. Use a "
        "statements-write-only key there."
    )
    manifest_name = "tincan.xml"
    module_manifest = staticmethod(tincan_xml)

    def build_pathway(self, course: Course, pathway: Pathway, options: BuildOptions) -> Package:
        """The pathway runtime with the xAPI adapter; tincan.xml lists the pathway and its modules."""
        files = render_lrs_pathway(course, pathway, self.adapter)
        files["tincan.xml"] = tincan_pathway_xml(course, pathway)
        return self.package(course, pathway, files)
