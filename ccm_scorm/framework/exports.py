"""The framework as a Moodle competency framework import file, IMS CASE 1.0 JSON and Markdown;
and which package evidences which competencies, as CSV.

All exports are deterministic: the same source gives the same bytes (CASE identifiers
are uuid5 of the framework's base IRI and ids; its dates come from `changed`).
"""

from __future__ import annotations

import csv
import html
import io
import json
import uuid

from ..errors import SourceProblem
from ..model import Competency, Course, Framework
from ..spreadsheet import safe_row
from ..targets.base import course_unit_id

EXPORT_FORMATS = ("moodle-csv", "case-json", "markdown")

# Moodle's own export header (tool_lpimportcsv: framework_importer::list_required_headers, English strings).
MOODLE_HEADER = [
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
]
MOODLE_SCALE = "Not yet competent,Competent"
MOODLE_SCALE_CONFIG = '[{"scaleid":"2"},{"id":2,"scaledefault":1,"proficient":1}]'
MOODLE_TAXONOMY = "domain,competency"
MOODLE_IDNUMBER_MAX = 100
MOODLE_SHORTNAME_MAX = 100


class FrameworkExportError(SourceProblem):
    """The framework cannot be exported in this format as it stands (message says why and what to change)."""


def _competency_html(competency: Competency) -> str:
    parts = [f"<p>{html.escape(competency.description)}</p>"]
    if competency.indicators:
        parts.append(
            "<p>Indicators:</p><ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in competency.indicators) + "</ul>"
        )
    if competency.levels:
        parts.append(
            "<dl>"
            + "".join(f"<dt>{html.escape(n)}</dt><dd>{html.escape(d)}</dd>" for n, d in competency.levels)
            + "</dl>"
        )
    if competency.cross_references:
        refs = "; ".join(
            f"{html.escape(r.framework)} {html.escape(r.id)}" + (f" ({html.escape(r.title)})" if r.title else "")
            for r in competency.cross_references
        )
        parts.append(f"<p>Cross-references: {refs}</p>")
    return "".join(parts)


def moodle_csv(framework: Framework) -> str:
    """Site administration > Competencies > Import competency framework: the 14-column CSV."""
    for identifier in [framework.id] + [d.id for d in framework.domains] + [c.id for c in framework.competencies]:
        if len(identifier) > MOODLE_IDNUMBER_MAX:
            raise FrameworkExportError(
                f"the id {identifier!r} is longer than Moodle's {MOODLE_IDNUMBER_MAX} "
                "characters for an id number: shorten it in framework.yaml"
            )
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MOODLE_HEADER)
    description = (
        f"<p>{html.escape(framework.description)}</p><p>Source: {html.escape(framework.provenance)}</p>"
        f"<p>Version {html.escape(framework.version)}.</p>"
    )
    writer.writerow(
        safe_row(
            [
                "",
                framework.id,
                framework.title[:MOODLE_SHORTNAME_MAX],
                description,
                "1",
                MOODLE_SCALE,
                MOODLE_SCALE_CONFIG,
                "",
                "",
                "",
                "",
                "",
                "1",
                MOODLE_TAXONOMY,
            ]
        )
    )
    for domain in framework.domains:
        writer.writerow(
            safe_row(
                ["", domain.id, domain.title[:MOODLE_SHORTNAME_MAX], f"<p>{html.escape(domain.description)}</p>", "1"]
                + [""] * 9
            )
        )
        for cid in domain.competency_ids:
            competency = framework.competency(cid)
            writer.writerow(
                safe_row(
                    [
                        domain.id,
                        competency.id,
                        competency.title[:MOODLE_SHORTNAME_MAX],
                        _competency_html(competency),
                        "1",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                        "",
                    ]
                )
            )
    return buffer.getvalue()


def _uuid(framework: Framework, kind: str, identifier: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"{framework.base_iri}{kind}/{identifier}"))


def case_json(framework: Framework, changed: str, publisher: str = "") -> str:
    """IMS CASE 1.0 CFPackage: CFDocument, CFItems (domains and competencies), CFAssociations (isChildOf)."""
    doc_id = _uuid(framework, "framework", framework.id)
    doc_uri = f"{framework.base_iri}framework/{framework.id}"
    doc_link = {"title": framework.title, "identifier": doc_id, "uri": doc_uri}
    document = {
        "identifier": doc_id,
        "uri": doc_uri,
        "creator": publisher or framework.title,
        "title": framework.title,
        "lastChangeDateTime": changed,
        "officialSourceURL": framework.base_iri,
        "version": framework.version,
        "description": framework.description,
        "notes": framework.provenance,
        "language": "en",
        "adoptionStatus": "Draft",
        "subject": list(framework.audience),
    }
    items, associations, links = [], [], {}
    for domain in framework.domains:
        item = {
            "identifier": _uuid(framework, "domain", domain.id),
            "uri": f"{framework.base_iri}domain/{domain.id}",
            "CFDocumentURI": doc_link,
            "fullStatement": domain.description,
            "abbreviatedStatement": domain.title,
            "humanCodingScheme": domain.id,
            "CFItemType": "Domain",
            "lastChangeDateTime": changed,
        }
        items.append(item)
        links[domain.id] = {"title": domain.title, "identifier": item["identifier"], "uri": item["uri"]}
    for competency in framework.competencies:
        notes = competency.provenance
        if competency.indicators:
            notes = "Indicators: " + " | ".join(competency.indicators) + (f"\n{notes}" if notes else "")
        if competency.cross_references:
            notes += (
                ("\n" if notes else "")
                + "Cross-references: "
                + "; ".join(f"{r.framework} {r.id}" for r in competency.cross_references)
            )
        item = {
            "identifier": _uuid(framework, "competency", competency.id),
            "uri": framework.competency_iri(competency.id),
            "CFDocumentURI": doc_link,
            "fullStatement": competency.description,
            "abbreviatedStatement": competency.title,
            "humanCodingScheme": competency.id,
            "CFItemType": "Competency",
            "lastChangeDateTime": changed,
        }
        if notes:
            item["notes"] = notes
        items.append(item)
        links[competency.id] = {"title": competency.title, "identifier": item["identifier"], "uri": item["uri"]}

    def associate(origin: dict, destination: dict, sequence: int) -> dict:
        identifier = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{origin['uri']}#isChildOf#{destination['uri']}"))
        return {
            "identifier": identifier,
            "uri": f"{framework.base_iri}association/{identifier}",
            "CFDocumentURI": doc_link,
            "associationType": "isChildOf",
            "sequenceNumber": sequence,
            "originNodeURI": origin,
            "destinationNodeURI": destination,
            "lastChangeDateTime": changed,
        }

    for n, domain in enumerate(framework.domains, start=1):
        associations.append(associate(links[domain.id], doc_link, n))
        for m, cid in enumerate(domain.competency_ids, start=1):
            associations.append(associate(links[cid], links[domain.id], m))
    package = {"CFDocument": document, "CFItems": items, "CFAssociations": associations}
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def markdown(framework: Framework) -> str:
    lines = [
        f"# {_md(framework.title)}",
        "",
        f"Version {framework.version}. {_md(framework.description)}",
        "",
        f"Source: {_md(framework.provenance)}",
        "",
    ]
    for domain in framework.domains:
        lines += [
            f"## {_md(domain.title)} (`{domain.id}`)" + (" — local addition" if domain.local else ""),
            "",
            _md(domain.description),
            "",
            "| Id | Competency | Description | Indicators |",
            "| --- | --- | --- | --- |",
        ]
        for cid in domain.competency_ids:
            c = framework.competency(cid)
            indicators = "<br>".join(f"• {_md(i)}" for i in c.indicators)
            lines.append(f"| `{c.id}` | {_md(c.title)} | {_md(c.description)} | {indicators} |")
        lines.append("")
    return "\n".join(lines)


MAPPING_HEADER = [
    "package",
    "target",
    "module_id",
    "module_title",
    "version",
    "competency_id",
    "competency_title",
    "competency_iri",
    "primary",
    "evidenced_by",
    "activity_iri",
    "pathways",
]


def mapping_csv(course: Course, targets: list[str]) -> str:
    """One row per package and competency it evidences; package paths as `ccm build` writes them
    (`<target>/<module>.zip`; a target that makes no package per module, such as the Moodle
    course backup, names its whole-course package). `evidenced_by` says whether the module lists
    the competency or only one of its questions names it (a cross-link)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(MAPPING_HEADER)
    framework = course.framework
    for target in targets:
        archive = _archive(target)
        for module in course.modules:
            pathways = " ".join(p.id for p in course.pathways if module.id in p.module_ids)
            package = f"{target}/{module.id if _builds_modules(target) else course_unit_id(course)}.{archive}"
            for cid in module.evidenced_competency_ids():
                how = "module" if cid in module.competency_ids else "question"
                writer.writerow(
                    safe_row(
                        [
                            package,
                            target,
                            module.id,
                            module.title,
                            module.version,
                            cid,
                            framework.competency(cid).title,
                            framework.competency_iri(cid),
                            "yes" if cid == module.primary_competency_id else "no",
                            how,
                            course.module_iri(module.id),
                            pathways,
                        ]
                    )
                )
        if not _builds_pathways(target):
            continue
        modules = {m.id: m for m in course.modules}
        for pathway in course.pathways:
            seen: list[str] = []
            for mid in pathway.module_ids:
                for cid in modules[mid].evidenced_competency_ids() if mid in modules else ():
                    if cid not in seen:
                        seen.append(cid)
            for cid in seen:
                writer.writerow(
                    safe_row(
                        [
                            f"{target}/{pathway.id}.{archive}",
                            target,
                            "",
                            pathway.title,
                            "",
                            cid,
                            framework.competency(cid).title,
                            framework.competency_iri(cid),
                            "no",
                            "pathway",
                            course.pathway_iri(pathway.id),
                            pathway.id,
                        ]
                    )
                )
    return buffer.getvalue()


def _archive(target_name: str) -> str:
    from ..targets import get_target

    try:
        return get_target(target_name).archive
    except KeyError:
        return "zip"


def _builds_modules(target_name: str) -> bool:
    """Whether this target makes one package per module (a Moodle course backup holds them all)."""
    from ..targets import get_target

    try:
        return get_target(target_name).capabilities.modules
    except KeyError:
        return True


def _builds_pathways(target_name: str) -> bool:
    """Whether this target packages pathways as well as modules (its capabilities say)."""
    from ..targets import get_target

    try:
        return get_target(target_name).capabilities.pathways
    except KeyError:
        return False
