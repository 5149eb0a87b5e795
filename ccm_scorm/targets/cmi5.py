"""The cmi5 target: a zip with cmi5.xml at its root, imported into a cmi5 LMS or player.

cmi5.xml (valid against the cmi5 CourseStructure.xsd) holds one course with one AU
per module. The framework's competencies the module evidences are the course-level
objectives (ids: the framework's competency IRIs) and the AU refers to them. The
module's pass mark gives `masteryScore`; `moveOn` is CompletedAndPassed for a module
with a quiz and Completed for one without. The runtime does the whole cmi5 launch
(fetch, LMS.LaunchData, learner preferences, defined statements in order).
"""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from ..model import Course, Module
from . import register
from .base import BuildOptions, Package, Target
from .xapi_common import LAUNCH_FILE, SUPPORT_SCRIPTS, refuse_credentials, render_lrs_module, text_or

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


def cmi5_xml(course: Course, module: Module) -> bytes:
    language = course.settings.language
    framework = course.framework
    root = etree.Element(_q("courseStructure"), nsmap={None: CMI5_NS})
    course_element = etree.SubElement(root, _q("course"), id=course_id(course, module))
    _text(course_element, "title", module.title, language)
    _text(course_element, "description", text_or(module.summary, module.title), language)
    competency_ids = module.evidenced_competency_ids()
    if competency_ids:
        objectives = etree.SubElement(root, _q("objectives"))
        for competency_id in competency_ids:
            competency = framework.competency(competency_id)
            objective = etree.SubElement(objectives, _q("objective"), id=framework.competency_iri(competency_id))
            _text(objective, "title", competency.title, language)
            _text(objective, "description", text_or(competency.description, competency.title), language)
    attributes = {"id": au_id(course, module), "moveOn": move_on(module)}
    score = mastery_score(module)
    if score is not None:
        attributes["masteryScore"] = score
    attributes["launchMethod"] = "AnyWindow"
    au = etree.SubElement(root, _q("au"), attributes)
    _text(au, "title", module.title, language)
    _text(au, "description", text_or(module.summary, module.title), language)
    if competency_ids:
        references = etree.SubElement(au, _q("objectives"))
        for competency_id in competency_ids:
            etree.SubElement(references, _q("objective"), idref=framework.competency_iri(competency_id))
    url = etree.SubElement(au, _q("url"))
    url.text = LAUNCH_FILE
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


@register
class Cmi5Target(Target):
    name = "cmi5"
    title = "cmi5 (cmi5.xml; launched by a cmi5 LMS or player)"
    adapter = "cmi5"
    needs_network = True
    support_scripts = SUPPORT_SCRIPTS

    def check_options(self, options: BuildOptions) -> None:
        refuse_credentials(self.name, options)

    def build_module(self, course: Course, module: Module, options: BuildOptions) -> Package:
        refuse_credentials(self.name, options)
        files = render_lrs_module(course, module, self.adapter)
        files["cmi5.xml"] = cmi5_xml(course, module)
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
