"""The xAPI target: a zip with tincan.xml at its root, launched against an LRS.

One activity per module, its id the module's IRI (from the framework's base IRI, or
the course file's). The launcher appends endpoint, auth, actor, registration and
activity_id to the launch URL; no LRS credential is ever written into a package.
"""

from __future__ import annotations

from lxml import etree

from ..model import Course, Module
from . import register
from .base import BuildOptions, Package, Target
from .xapi_common import LAUNCH_FILE, SUPPORT_SCRIPTS, refuse_credentials, render_lrs_module, text_or

TINCAN_NS = "http://projecttincan.com/tincan.xsd"
MODULE_ACTIVITY_TYPE = "http://adlnet.gov/expapi/activities/module"


def tincan_xml(course: Course, module: Module) -> bytes:
    language = course.settings.language
    root = etree.Element(f"{{{TINCAN_NS}}}tincan", nsmap={None: TINCAN_NS})
    activities = etree.SubElement(root, f"{{{TINCAN_NS}}}activities")
    activity = etree.SubElement(activities, f"{{{TINCAN_NS}}}activity",
                                id=course.module_iri(module.id), type=MODULE_ACTIVITY_TYPE)
    for tag, text in (("name", module.title), ("description", text_or(module.summary, module.title)),
                      ("launch", LAUNCH_FILE)):
        element = etree.SubElement(activity, f"{{{TINCAN_NS}}}{tag}", lang=language)
        element.text = text
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@register
class XapiTarget(Target):
    name = "xapi"
    title = "xAPI (tincan.xml; launched against an LRS)"
    adapter = "xapi"
    needs_network = True
    support_scripts = SUPPORT_SCRIPTS

    def check_options(self, options: BuildOptions) -> None:
        refuse_credentials(self.name, options)

    def build_module(self, course: Course, module: Module, options: BuildOptions) -> Package:
        refuse_credentials(self.name, options)
        files = render_lrs_module(course, module, self.adapter)
        files["tincan.xml"] = tincan_xml(course, module)
        return Package(
            target=self.name,
            unit_id=module.id,
            unit_kind="module",
            version=module.version,
            title=module.title,
            files=files,
            competency_ids=module.evidenced_competency_ids(),
            runtime_files=tuple(path for path in files if path.startswith("runtime/")),
            lms="",
        )
