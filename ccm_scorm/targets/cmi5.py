"""The cmi5 target: a zip with cmi5.xml at its root, imported into a cmi5 LMS or player.

cmi5.xml (valid against the cmi5 CourseStructure.xsd) holds one course with one AU
per module. The framework's competencies the module evidences are the course-level
objectives (ids: the framework's competency IRIs) and the AU refers to them. The
module's pass mark gives `masteryScore`; `moveOn` is CompletedAndPassed for a module
with a quiz and Completed for one without. The runtime does the whole cmi5 launch
(fetch, LMS.LaunchData, learner preferences, defined statements in order).

A pathway is one course with one block (the pathway) holding one AU per module, in the
pathway's order. The objectives (every competency of the pathway's modules) are declared
once at course level; each AU refers to its own module's and keeps its module's moveOn and
masteryScore. Each AU launches its module's own content, `<module id>/index.html`: the
ordinary module runtime with the cmi5 adapter (the LMS sequences the AUs, so no module menu).
The modules share one copy of the runtime and the organisation's files at the zip root.
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from ..model import Course, Module, Pathway
from .base import BuildOptions, Package
from .xapi_common import LAUNCH_FILE, LrsTarget, render_lrs_module, text_or

CMI5_NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def _q(tag: str) -> str:
    return f"{{{CMI5_NS}}}{tag}"


def _text(parent: etree._Element, tag: str, text: str, language: str) -> None:
    element = etree.SubElement(parent, _q(tag))
    langstring = etree.SubElement(element, _q("langstring"), lang=language)
    langstring.text = text


def au_id(course: Course, module: Module) -> str:
    """The AU's publisher id: the module's IRI, as in every other package."""
    return course.module_iri(module.id)


def course_id(course: Course, module: Module) -> str:
    return f"{course.module_iri(module.id)}/cmi5-course"


def move_on(module: Module) -> str:
    return "CompletedAndPassed" if module.has_quiz else "Completed"


def mastery_score(module: Module) -> str | None:
    if not module.has_quiz:
        return None
    return format(Decimal(module.pass_mark) / Decimal(100), "f").rstrip("0").rstrip(".") or "0"


def _objectives(course: Course, parent: etree._Element, competency_ids: tuple[str, ...]) -> None:
    """The course-level objectives: one per competency, its id the framework's competency IRI."""
    if not competency_ids:
        return
    language = course.settings.language
    framework = course.framework
    objectives = etree.SubElement(parent, _q("objectives"))
    for competency_id in competency_ids:
        competency = framework.competency(competency_id)
        objective = etree.SubElement(objectives, _q("objective"), id=framework.competency_iri(competency_id))
        _text(objective, "title", competency.title, language)
        _text(objective, "description", text_or(competency.description, competency.title), language)


def _references(course: Course, parent: etree._Element, competency_ids: tuple[str, ...]) -> None:
    if competency_ids:
        references = etree.SubElement(parent, _q("objectives"))
        for competency_id in competency_ids:
            etree.SubElement(references, _q("objective"), idref=course.framework.competency_iri(competency_id))


def cmi5_xml(course: Course, module: Module) -> bytes:
    language = course.settings.language
    root = etree.Element(_q("courseStructure"), nsmap={None: CMI5_NS})
    course_element = etree.SubElement(root, _q("course"), id=course_id(course, module))
    _text(course_element, "title", module.title, language)
    _text(course_element, "description", text_or(module.summary, module.title), language)
    _objectives(course, root, module.evidenced_competency_ids())
    _au(course, root, module, LAUNCH_FILE)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def pathway_course_id(course: Course, pathway: Pathway) -> str:
    return f"{course.pathway_iri(pathway.id)}/cmi5-course"


def pathway_block_id(course: Course, pathway: Pathway) -> str:
    """The block is the pathway itself: its id is the pathway's IRI, as in the xAPI and SCORM packages."""
    return course.pathway_iri(pathway.id)


def pathway_launch_file(module: Module) -> str:
    return f"{module.id}/{LAUNCH_FILE}"


def cmi5_pathway_xml(course: Course, pathway: Pathway) -> bytes:
    """One course, one block (the pathway), one AU per module in the pathway's order."""
    language = course.settings.language
    description = text_or(pathway.description, pathway.title)
    root = etree.Element(_q("courseStructure"), nsmap={None: CMI5_NS})
    course_element = etree.SubElement(root, _q("course"), id=pathway_course_id(course, pathway))
    _text(course_element, "title", pathway.title, language)
    _text(course_element, "description", description, language)
    competency_ids = course.pathway_competency_ids(pathway.id)
    _objectives(course, root, competency_ids)
    block = etree.SubElement(root, _q("block"), id=pathway_block_id(course, pathway))
    _text(block, "title", pathway.title, language)
    _text(block, "description", description, language)
    _references(course, block, competency_ids)
    for module_id in pathway.module_ids:
        module = course.module(module_id)
        _au(course, block, module, pathway_launch_file(module))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _au(course: Course, parent: etree._Element, module: Module, url_text: str) -> None:
    language = course.settings.language
    attributes = {"id": au_id(course, module), "moveOn": move_on(module)}
    score = mastery_score(module)
    if score is not None:
        attributes["masteryScore"] = score
    attributes["launchMethod"] = "AnyWindow"
    au = etree.SubElement(parent, _q("au"), attributes)
    _text(au, "title", module.title, language)
    _text(au, "description", text_or(module.summary, module.title), language)
    _references(course, au, module.evidenced_competency_ids())
    url = etree.SubElement(au, _q("url"))
    url.text = url_text


class Cmi5Target(LrsTarget):
    name = "cmi5"
    title = "cmi5 (cmi5.xml; launched by a cmi5 LMS or player)"
    label = "cmi5"
    launch = "cmi5"
    position = 50
    adapter = "cmi5"
    credential_at_launch = (
        "A cmi5 LMS or player gives each launch its own short-lived token through the 'fetch' URL it adds "
        "to the launch link, so the package needs no credential at all."
    )
    manifest_name = "cmi5.xml"
    module_manifest = staticmethod(cmi5_xml)

    def build_pathway(self, course: Course, pathway: Pathway, options: BuildOptions) -> Package:
        """cmi5.xml with a block of one AU per module; each module's content in `<module id>/`."""
        files: dict[str, bytes] = {"cmi5.xml": cmi5_pathway_xml(course, pathway)}
        for module_id in pathway.module_ids:
            files.update(render_lrs_module(course, course.module(module_id), self.adapter, folder=module_id))
        return self.package(course, pathway, files)
