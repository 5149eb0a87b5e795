"""imsmanifest.xml for SCORM 1.2 and SCORM 2004 4th Edition, built with lxml.

What the LMSs need (../shared/reference/lms-facts.md):
- Moodle's parser is not namespace-aware: it matches literal tag names, so the IMS CP
  elements use the default namespace and the others exactly the prefixes `adlcp`,
  `imsss`, `adlnav` and `adlseq`.
- The edition is read from `<schemaversion>` by an anchored match: exactly `1.2` or
  `2004 4th Edition`, nothing around it.
- One SCO per module, and one per pathway (the module menu runtime: every module of the
  pathway inside the one SCO). Identifiers are derived from the module or pathway id only
  (pathways: `ccm-pathway-<id>`…), so they stay the same from one version to the next (ESR
  and Moodle key learner records on them); the version is in the manifest's `version` attribute.
- No global objectives (`imsss:mapInfo`): Moodle does not keep them.
- SCORM 2004 declares one objective at most, the primary objective carrying a module's pass
  mark: Moodle takes a pass mark from every declared objective (see manifest_scorm2004).

The schema files themselves are never shipped unless the user points the build at their
own copy (`BuildOptions.schema_dir`): the IMS distribution notice asks redistributors to
register with IMS.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from ..model import Course, Module, Pathway
from .base import BuildRefused

XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_NS = "http://www.w3.org/XML/1998/namespace"

SCORM12 = "1.2"
SCORM2004 = "2004 4th Edition"


@dataclass(frozen=True)
class Edition:
    schemaversion: str
    namespaces: dict[str | None, str]  # prefix (None = default) -> namespace
    schema_locations: tuple[tuple[str, str], ...]  # (namespace, file)
    lom_namespace: str
    lom_location: str
    schema_files: tuple[str, ...]  # what a user's schema folder must provide
    schema_subdir: str  # the folder name used in ../shared/schemas (accepted inside schema_dir)


IMSCP12 = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP12 = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD12 = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"

IMSCP = "http://www.imsglobal.org/xsd/imscp_v1p1"
ADLCP = "http://www.adlnet.org/xsd/adlcp_v1p3"
ADLSEQ = "http://www.adlnet.org/xsd/adlseq_v1p3"
ADLNAV = "http://www.adlnet.org/xsd/adlnav_v1p3"
IMSSS = "http://www.imsglobal.org/xsd/imsss"
LOM = "http://ltsc.ieee.org/xsd/LOM"

EDITIONS = {
    SCORM12: Edition(
        schemaversion=SCORM12,
        namespaces={None: IMSCP12, "adlcp": ADLCP12, "imsmd": IMSMD12, "xsi": XSI},
        schema_locations=(
            (IMSCP12, "imscp_rootv1p1p2.xsd"),
            (ADLCP12, "adlcp_rootv1p2.xsd"),
            (IMSMD12, "imsmd_rootv1p2p1.xsd"),
        ),
        lom_namespace=IMSMD12,
        lom_location="imsmd_rootv1p2p1.xsd",
        schema_files=("imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd"),
        schema_subdir="scorm12",
    ),
    SCORM2004: Edition(
        schemaversion=SCORM2004,
        namespaces={
            None: IMSCP,
            "adlcp": ADLCP,
            "adlseq": ADLSEQ,
            "adlnav": ADLNAV,
            "imsss": IMSSS,
            "lom": LOM,
            "xsi": XSI,
        },
        schema_locations=(
            (IMSCP, "imscp_v1p1.xsd"),
            (ADLCP, "adlcp_v1p3.xsd"),
            (ADLSEQ, "adlseq_v1p3.xsd"),
            (ADLNAV, "adlnav_v1p3.xsd"),
            (IMSSS, "imsss_v1p0.xsd"),
        ),
        lom_namespace=LOM,
        lom_location="",
        schema_files=(
            "imscp_v1p1.xsd",
            "adlcp_v1p3.xsd",
            "adlseq_v1p3.xsd",
            "adlnav_v1p3.xsd",
            "imsss_v1p0.xsd",
            "imsss_v1p0auxresource.xsd",
            "imsss_v1p0control.xsd",
            "imsss_v1p0delivery.xsd",
            "imsss_v1p0limit.xsd",
            "imsss_v1p0objective.xsd",
            "imsss_v1p0random.xsd",
            "imsss_v1p0rollup.xsd",
            "imsss_v1p0seqrule.xsd",
            "imsss_v1p0util.xsd",
            "xml.xsd",
            "XMLSchema.dtd",
            "datatypes.dtd",
        ),
        schema_subdir="scorm2004-4th",
    ),
}

MANIFEST_NAME = "imsmanifest.xml"


@dataclass(frozen=True)
class Unit:
    """What a manifest says about one module or one pathway (one SCO either way)."""

    id: str
    kind: str  # "module" | "pathway"
    version: str
    title: str
    summary: str
    iri: str
    has_quiz: bool
    pass_mark: int | None  # None: no mastery score (a pathway is passed when every module is)
    competency_ids: tuple[str, ...]


def unit_of(course: Course, unit: Module | Pathway) -> Unit:
    if isinstance(unit, Pathway):
        modules = [course.module(module_id) for module_id in unit.module_ids]
        return Unit(
            unit.id,
            "pathway",
            unit.version,
            unit.title,
            unit.description,
            course.pathway_iri(unit.id),
            any(module.has_quiz for module in modules),
            None,
            course.pathway_competency_ids(unit.id),
        )
    return Unit(
        unit.id,
        "module",
        unit.version,
        unit.title,
        unit.summary,
        course.module_iri(unit.id),
        unit.has_quiz,
        unit.pass_mark,
        unit.evidenced_competency_ids(),
    )


def identifiers(unit: Module | Pathway | Unit) -> dict[str, str]:
    """The manifest's identifiers: xs:ID-safe (ids are [a-z][a-z0-9-]*) and stable across versions.

    A pathway's carry "pathway-" so that a pathway and a module of the same id stay apart in an LMS.
    """
    name = f"pathway-{unit.id}" if isinstance(unit, Pathway) or getattr(unit, "kind", "") == "pathway" else unit.id
    return {
        "manifest": f"ccm-{name}",
        "organization": f"ORG-{name}",
        "item": f"ITEM-{name}",
        "resource": f"RES-{name}",
    }


def primary_objective_id(unit: Module | Pathway | Unit) -> str:
    """The 2004 primary objective: the module (or pathway) itself; competencies get objectives of their own."""
    return unit.id


def _sub(
    parent: etree._Element, namespace: str, tag: str, text: str | None = None, **attributes: str
) -> etree._Element:
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def _content_files(files: dict[str, bytes]) -> list[str]:
    """Every file of the SCO (the manifest and any schema files are not part of it), index.html first."""
    names = sorted(name for name in files if name != MANIFEST_NAME)
    if "index.html" in names:
        names.remove("index.html")
        names.insert(0, "index.html")
    return names


def _lom(parent: etree._Element, edition: Edition, course: Course, module: Unit) -> None:
    """A small inline LOM record: title, description and language (Moodle ignores it; ESR and others show it)."""
    ns = edition.lom_namespace
    language = course.settings.language
    lom = _sub(parent, ns, "lom")
    general = _sub(lom, ns, "general")
    if edition.schemaversion == SCORM12:
        title = _sub(general, ns, "title")
        _sub(title, ns, "langstring", module.title, **{f"{{{XML_NS}}}lang": language})
        _sub(general, ns, "language", language)
        if module.summary:
            description = _sub(general, ns, "description")
            _sub(description, ns, "langstring", module.summary, **{f"{{{XML_NS}}}lang": language})
    else:
        identifier = _sub(general, ns, "identifier")
        _sub(identifier, ns, "catalog", "URI")
        _sub(identifier, ns, "entry", module.iri)
        title = _sub(general, ns, "title")
        _sub(title, ns, "string", module.title, language=language)
        _sub(general, ns, "language", language)
        if module.summary:
            description = _sub(general, ns, "description")
            _sub(description, ns, "string", module.summary, language=language)
        lifecycle = _sub(lom, ns, "lifeCycle")
        version = _sub(lifecycle, ns, "version")
        _sub(version, ns, "string", module.version, language=language)


def _root(edition: Edition, module: Unit, include_lom_location: bool) -> etree._Element:
    ids = identifiers(module)
    nsmap = dict(edition.namespaces)
    locations = list(edition.schema_locations)
    if not include_lom_location:
        locations = [pair for pair in locations if pair[0] != edition.lom_namespace]
    root = etree.Element(f"{{{nsmap[None]}}}manifest", nsmap=nsmap)
    root.set("identifier", ids["manifest"])
    root.set("version", module.version)
    root.set(f"{{{XSI}}}schemaLocation", " ".join(f"{ns} {path}" for ns, path in locations))
    return root


def _metadata(root: etree._Element, edition: Edition, course: Course, module: Unit) -> None:
    cp = root.nsmap[None]
    metadata = _sub(root, cp, "metadata")
    _sub(metadata, cp, "schema", "ADL SCORM")
    _sub(metadata, cp, "schemaversion", edition.schemaversion)  # exactly, no whitespace: Moodle's anchored match
    _lom(metadata, edition, course, module)


def _organization_item(root: etree._Element, cp: str, ids: dict[str, str], title: str) -> etree._Element:
    """The one organization with its one item (the SCO), both titled; returns the item."""
    organizations = _sub(root, cp, "organizations", default=ids["organization"])
    organization = _sub(organizations, cp, "organization", identifier=ids["organization"])
    _sub(organization, cp, "title", title)
    item = _sub(organization, cp, "item", identifier=ids["item"], identifierref=ids["resource"], isvisible="true")
    _sub(item, cp, "title", title)
    return item


def _sco_resource(root: etree._Element, cp: str, scorm_type: str, ids: dict[str, str], files: dict[str, bytes]) -> None:
    """The SCO's resource, launched from index.html, listing every content file of the package."""
    resources = _sub(root, cp, "resources")
    resource = _sub(resources, cp, "resource", identifier=ids["resource"], type="webcontent", href="index.html")
    resource.set(scorm_type, "sco")
    for name in _content_files(files):
        _sub(resource, cp, "file", href=name)


def manifest_scorm12(course: Course, unit: Module | Pathway, files: dict[str, bytes]) -> bytes:
    """SCORM 1.2: one item, one SCO resource; a module with a quiz declares its pass mark as masteryscore.

    A pathway declares none: it is passed when every module is, which no single score threshold says.
    """
    edition = EDITIONS[SCORM12]
    module = unit_of(course, unit)
    ids = identifiers(module)
    root = _root(edition, module, include_lom_location=True)
    _metadata(root, edition, course, module)
    item = _organization_item(root, IMSCP12, ids, module.title)
    if module.pass_mark is not None and module.has_quiz:
        # With Moodle's mastery override (on by default) LMSFinish sets passed/failed from score.raw
        # against this: the same rule the runtime applies, so the two always agree.
        _sub(item, ADLCP12, "masteryscore", str(module.pass_mark))
    _sco_resource(root, IMSCP12, f"{{{ADLCP12}}}scormtype", ids, files)
    return _serialise(root)


def manifest_scorm2004(course: Course, unit: Module | Pathway, files: dict[str, bytes]) -> bytes:
    """SCORM 2004: one item; a module with a quiz declares its pass mark on a primary objective, and
    nothing else does.

    The LMS gives the SCO `cmi.scaled_passing_score` from the primary objective's
    minNormalizedMeasure when that objective is satisfiedByMeasure (SCORM 2004 RTE,
    cmi.scaled_passing_score); the runtime uses it as the pass mark. Moodle reads a measure from
    every declared objective instead, 1.0 where none is given, the last one winning: any other
    declared objective (a competency, or a primary objective without a measure) would make the
    pass mark 100 %. So competency objectives are not declared; the runtime creates them by id at
    launch (the SCO may add objectives). A pathway and a module without a quiz declare none: a
    pathway is passed when every module is, by each module's own pass mark.
    """
    edition = EDITIONS[SCORM2004]
    module = unit_of(course, unit)
    ids = identifiers(module)
    root = _root(edition, module, include_lom_location=False)
    _metadata(root, edition, course, module)
    item = _organization_item(root, IMSCP, ids, module.title)
    if module.pass_mark is not None and module.has_quiz:
        _pass_mark_objective(item, module)
    _sco_resource(root, IMSCP, f"{{{ADLCP}}}scormType", ids, files)
    return _serialise(root)


def _pass_mark_objective(item: etree._Element, module: Unit) -> None:
    """The module's primary objective, satisfied by a score at or above the pass mark. No mapInfo:
    Moodle does not keep global objectives."""
    sequencing = _sub(item, IMSSS, "sequencing")
    objectives = _sub(sequencing, IMSSS, "objectives")
    primary = _sub(
        objectives, IMSSS, "primaryObjective", objectiveID=primary_objective_id(module), satisfiedByMeasure="true"
    )
    _sub(primary, IMSSS, "minNormalizedMeasure", _decimal((module.pass_mark or 0) / 100))


def _decimal(value: float) -> str:
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text or "0"


def _serialise(root: etree._Element) -> bytes:
    # The declaration is written by hand so that it has the usual double quotes.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(
        root, xml_declaration=False, encoding="UTF-8", pretty_print=True
    )


def schema_files(schema_dir: Path | None, schemaversion: str) -> dict[str, bytes]:
    """The user's own copy of the edition's schema files, to ship at the package root; {} without one.

    `schema_dir` may hold the files directly or in a `scorm12` / `scorm2004-4th` subfolder.
    """
    if schema_dir is None:
        return {}
    edition = EDITIONS[schemaversion]
    folder = Path(schema_dir)
    if (folder / edition.schema_subdir).is_dir():
        folder = folder / edition.schema_subdir
    required = edition.schema_files[:3] if schemaversion == SCORM12 else edition.schema_files[:5]
    missing = [name for name in required if not (folder / name).is_file()]
    if missing:
        raise BuildRefused(
            f"the schema folder {folder} does not hold the SCORM {schemaversion} schema files "
            f"({', '.join(missing)} missing); point --schema-dir at a folder with "
            f"{', '.join(edition.schema_files)} (or a '{edition.schema_subdir}' subfolder), "
            "or leave --schema-dir out: packages work without them"
        )
    return {name: (folder / name).read_bytes() for name in edition.schema_files if (folder / name).is_file()}


def ignored_by_moodle(manifest: bytes) -> list[str]:
    """SCORM 2004 manifest features Moodle does not implement, found in a manifest (for the moodle lint)."""
    root = etree.fromstring(manifest)
    checks = (
        (f"{{{IMSSS}}}mapInfo", "global objectives (imsss:mapInfo): Moodle does not save them"),
        (f"{{{IMSSS}}}sequencingRules", "sequencing rules: Moodle does not sequence"),
        (f"{{{IMSSS}}}rollupRules", "rollup rules: Moodle does not roll up"),
        (f"{{{IMSSS}}}controlMode", "sequencing control modes: Moodle shows its own table of contents"),
        (f"{{{ADLNAV}}}presentation", "navigation presentation (adlnav): Moodle ignores it"),
    )
    return [message for tag, message in checks if root.find(f".//{tag}") is not None]
