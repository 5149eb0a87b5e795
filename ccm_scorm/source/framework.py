"""Reading framework.yaml into the Framework model."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Competency, CrossReference, Domain, Framework
from .ids import check_id
from .problems import Problems
from .schema import COMPETENCY, CROSS_REFERENCE, DOMAIN, FRAMEWORK
from .yamlfile import Fields, load_yaml, read_section

_IRI = re.compile(r"^https?://[^\s/?#]+(/[^\s?#]*)?/$")


def read_framework(path: Path, problems: Problems) -> Framework | None:
    if not path.exists():
        problems.error(
            path,
            0,
            "the course has no framework.yaml",
            "add framework.yaml beside the module folders (see docs/authoring.md)",
        )
        return None
    data = load_yaml(path, problems)
    if data is None:
        return None
    fields = read_section(FRAMEWORK, data, path, 1, problems)
    if not fields.ok:
        return None
    framework_id = fields.value("id")
    if framework_id:
        check_id("framework", framework_id, problems, path, fields.key_line("id"))
    base_iri = fields.value("base_iri")
    if base_iri and not _IRI.match(base_iri):
        fields.error(
            "base_iri",
            f"base_iri '{base_iri}' is not an absolute web address ending in '/'",
            "write it like https://learning.example.org/ccm/",
        )
    domains: list[Domain] = []
    competencies: list[Competency] = []
    seen: dict[str, int] = {}
    for item, line in fields.items("domains"):
        domain = _read_domain(item, path, line, problems, competencies, seen)
        if domain:
            domains.append(domain)
    if fields.has("domains") and not competencies:
        fields.error("domains", "the framework has no competencies", "add competencies under a domain")
    return Framework(
        id=framework_id,
        title=fields.value("title"),
        version=fields.value("version"),
        description=fields.value("description"),
        provenance=fields.value("provenance"),
        base_iri=base_iri,
        audience=fields.value("audience"),
        domains=tuple(domains),
        competencies=tuple(competencies),
    )


def _read_domain(
    data, path: Path, line: int, problems: Problems, competencies: list[Competency], seen: dict[str, int]
) -> Domain | None:
    fields = read_section(DOMAIN, data, path, line, problems)
    if not fields.ok:
        return None
    domain_id = fields.value("id")
    if domain_id:
        _check_unique(domain_id, "domain", path, fields.key_line("id"), problems, seen)
    ids = []
    for item, item_line in fields.items("competencies"):
        competency = _read_competency(item, path, item_line, problems, domain_id)
        if competency is None:
            continue
        if _check_unique(competency.id, "competency", path, item_line, problems, seen):
            competencies.append(competency)
            ids.append(competency.id)
    return Domain(
        id=domain_id,
        title=fields.value("title"),
        description=fields.value("description"),
        competency_ids=tuple(ids),
        local=fields.value("local"),
    )


def _check_unique(identifier: str, kind: str, path: Path, line: int, problems: Problems, seen: dict[str, int]) -> bool:
    if not check_id(kind, identifier, problems, path, line):
        return False
    if identifier in seen:
        problems.error(
            path,
            line,
            f"the id '{identifier}' is used twice (first on line {seen[identifier]})",
            "give every domain and competency its own id",
        )
        return False
    seen[identifier] = line
    return True


def _read_competency(data, path: Path, line: int, problems: Problems, domain_id: str) -> Competency | None:
    fields = read_section(COMPETENCY, data, path, line, problems)
    if not fields.ok or not fields.value("id"):
        return None
    levels = _read_levels(fields)
    references = []
    for item, item_line in fields.items("cross_references"):
        reference = read_section(CROSS_REFERENCE, item, path, item_line, problems)
        if reference.ok:
            references.append(
                CrossReference(
                    framework=reference.value("framework"),
                    id=str(reference.data.get("id", "")).strip(),
                    title=reference.value("title"),
                )
            )
    return Competency(
        id=fields.value("id"),
        title=fields.value("title"),
        description=fields.value("description"),
        domain_id=domain_id,
        indicators=fields.value("indicators"),
        levels=levels,
        cross_references=tuple(references),
        provenance=fields.value("provenance"),
    )


def _read_levels(fields: Fields) -> tuple[tuple[str, str], ...]:
    levels = fields.mapping("levels")
    if levels is None:
        return ()
    if not isinstance(levels, dict):
        fields.error(
            "levels",
            "'levels' must map each level's name to its descriptor",
            "write one 'Level name: what it looks like' line per level",
        )
        return ()
    pairs = []
    for name, descriptor in levels.items():
        if not isinstance(descriptor, str):
            fields.error("levels", f"the descriptor of level '{name}' must be text", "write it as plain text")
            continue
        pairs.append((str(name), descriptor.strip()))
    return tuple(pairs)
