"""`ccm issue`: give each volunteer on a roster a personal launch link and a printable handout.

Everything is checked before anything is written: a roster with a problem, an
unknown pathway or a credential that could read the LRS leaves the output folder
as it was.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import segno

from ..model import Course
from ..package import write_atomically
from ..render import template
from .links import (CREDENTIAL_VARIABLE, CredentialError, actor_for, basic_auth, check_write_only, launch_link,
                    new_registration, normalise_endpoint)
from .roster import RosterError, Volunteer, mark_issued, read_roster, roster_rows

HANDOUTS_NAME = "handouts.html"
ROSTER_NAME = "roster-issued.csv"


@dataclass
class IssueResult:
    handouts: Path
    roster: Path
    issued: list[Volunteer] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Handout:
    volunteer: Volunteer
    link: str
    qr_svg: str


def qr_svg(text: str) -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, scale=4, border=2)
    return buffer.getvalue().decode("utf-8")


def issue(course: Course, roster_path: Path, pathway_id: str, endpoint: str, launch_url: str, credential: str | None,
          out_dir: Path, today: date | None = None, check_credential: bool = True) -> IssueResult:
    try:
        pathway = course.pathway(pathway_id)
    except KeyError:
        known = ", ".join(p.id for p in course.pathways) or "none"
        raise ValueError(f"unknown pathway '{pathway_id}' — the course has: {known}") from None
    if not credential:
        raise CredentialError(f"set {CREDENTIAL_VARIABLE} to a write-only LRS credential ('username:password'); "
                              "see docs/volunteer-induction.md for how to create one")
    endpoint = normalise_endpoint(endpoint)
    auth = basic_auth(credential)
    volunteers = read_roster(roster_path)
    warnings = []
    if check_credential:
        warning = check_write_only(endpoint, auth)
        if warning:
            warnings.append(warning)
    today = today or date.today()
    handouts, issued = [], []
    for volunteer in volunteers:
        registration = volunteer.registration if volunteer.pathway == pathway.id and volunteer.registration \
            else new_registration()
        volunteer = mark_issued(volunteer, pathway.id, registration, today)
        link = launch_link(launch_url, endpoint, auth, actor_for(volunteer, course.base_iri), registration,
                           course.pathway_iri(pathway.id))
        handouts.append(_Handout(volunteer, link, qr_svg(link)))
        issued.append(volunteer)
    modules = [course.module(module_id) for module_id in pathway.module_ids]
    html = template("handouts.html.j2").render(
        lang=course.settings.language, pathway=pathway, volunteers=handouts, issued_on=today.isoformat(),
        endpoint=endpoint, roster_name=ROSTER_NAME, organisation=course.settings.organisation.name,
        module_count=len(modules), typical_minutes=round(sum(m.minutes for m in modules) / max(len(modules), 1)),
    )
    handouts_path, roster_out = out_dir / HANDOUTS_NAME, out_dir / ROSTER_NAME
    write_atomically(handouts_path, html.encode("utf-8"))
    write_atomically(roster_out, roster_rows([(h.volunteer, h.link) for h in handouts]).encode("utf-8"))
    return IssueResult(handouts=handouts_path, roster=roster_out, issued=issued, warnings=warnings)


__all__ = ["CREDENTIAL_VARIABLE", "CredentialError", "IssueResult", "RosterError", "issue"]
