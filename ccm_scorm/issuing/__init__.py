"""`ccm issue`: give each volunteer on a roster a personal launch link and a printable handout.

Everything is checked before anything is written: a roster with a problem, an unknown
pathway, an unsafe address or a credential the LRS did not show to be write-only leaves
the output folder as it was. Issuing again into the same folder keeps every volunteer
already issued there (their registration, code and link) and only adds the new ones.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

import segno
from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import Course
from ..package import write_atomically
from .links import (
    CREDENTIAL_VARIABLE,
    CredentialError,
    actor_for,
    basic_auth,
    check_launch_url,
    check_write_only,
    launch_link,
    new_code,
    new_registration,
    normalise_endpoint,
    short_link,
)
from .roster import RosterError, Volunteer, mark_issued, read_roster, roster_rows

HANDOUTS_NAME = "handouts.html"
ROSTER_NAME = "roster-issued.csv"
GO_FOLDER = "go"  # one small page per volunteer; uploaded beside the package's index.html


@dataclass
class IssueResult:
    handouts: Path
    roster: Path
    go_folder: Path
    issued: list[Volunteer] = field(default_factory=list)
    kept: list[Volunteer] = field(default_factory=list)  # already issued in this folder, left as they were
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Handout:
    volunteer: Volunteer
    link: str  # the full launch link
    short: str  # what the QR code holds
    qr_svg: str


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("ccm_scorm.issuing", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


def qr_svg(text: str) -> str:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="svg", xmldecl=False, svgns=True, scale=4, border=2)
    return buffer.getvalue().decode("utf-8")


def issue(
    course: Course,
    roster_path: Path,
    pathway_id: str,
    endpoint: str,
    launch_url: str,
    credential: str | None,
    out_dir: Path,
    today: date | None = None,
    check_credential: bool = True,
    insecure: bool = False,
) -> IssueResult:
    """Check everything, then write handouts.html, roster-issued.csv and go/<code>.html into `out_dir`."""
    pathway = _pathway(course, pathway_id)
    if not credential:
        raise CredentialError(
            f"set {CREDENTIAL_VARIABLE} to a write-only LRS credential ('username:password'); "
            "see docs/volunteer-induction.md for how to create one"
        )
    endpoint = normalise_endpoint(endpoint, insecure)
    check_launch_url(launch_url)
    _check_out_dir(out_dir)
    auth = basic_auth(credential)
    volunteers = read_roster(roster_path)
    earlier = _already_issued(out_dir, pathway.id)
    if check_credential:
        check_write_only(endpoint, auth, insecure=insecure)
    today_text = (today or date.today()).isoformat()
    issued, kept = [], []
    for volunteer in volunteers:
        before = earlier.pop(volunteer.key, None)
        if before is not None:
            kept.append(before)
        else:
            issued.append(_new_issue(volunteer, pathway.id, today_text))
    kept.extend(earlier.values())  # issued here before but not on this roster: still printed, still kept
    everyone = kept + issued
    handouts = [_handout(course, v, pathway, endpoint, auth, launch_url) for v in everyone]
    _write(out_dir, course, pathway, handouts, endpoint, today_text, check_credential)
    warnings = [] if check_credential else [_unchecked_warning()]
    return IssueResult(
        handouts=out_dir / HANDOUTS_NAME,
        roster=out_dir / ROSTER_NAME,
        go_folder=out_dir / GO_FOLDER,
        issued=issued,
        kept=kept,
        warnings=warnings,
    )


def _pathway(course: Course, pathway_id: str):
    try:
        return course.pathway(pathway_id)
    except KeyError:
        known = ", ".join(p.id for p in course.pathways) or "none"
        raise ValueError(f"unknown pathway '{pathway_id}' — the course has: {known}") from None


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise ValueError(
            f"--out {out_dir} is a file, not a folder: give a folder for the handouts and roster "
            "(it is made if it does not exist)"
        )


def _already_issued(out_dir: Path, pathway_id: str) -> dict[str, Volunteer]:
    """Volunteers an earlier `ccm issue` into this folder gave this pathway, by key."""
    path = out_dir / ROSTER_NAME
    if not path.is_file():
        return {}
    try:
        earlier = read_roster(path)
    except RosterError as error:
        advice = (
            f"{path} was written by an earlier ccm issue and cannot be read any more: move it away to "
            "issue afresh (its links stay valid), or issue into another --out"
        )
        raise RosterError([*error.messages, advice]) from None
    return {v.key: v for v in earlier if v.pathway == pathway_id and v.registration and v.code}


def _new_issue(volunteer: Volunteer, pathway_id: str, today: str) -> Volunteer:
    reuse = volunteer.pathway == pathway_id and volunteer.registration  # a re-printed issued roster
    return mark_issued(
        volunteer,
        pathway_id,
        volunteer.registration if reuse else new_registration(),
        (volunteer.code if reuse and volunteer.code else new_code()),
        today,
    )


def _handout(course: Course, volunteer: Volunteer, pathway, endpoint: str, auth: str, launch_url: str) -> _Handout:
    link = launch_link(
        launch_url,
        endpoint,
        auth,
        actor_for(volunteer, course.base_iri),
        volunteer.registration,
        course.pathway_iri(pathway.id),
    )
    short = short_link(launch_url, volunteer.code)
    try:
        picture = qr_svg(short)
    except segno.DataOverflowError:
        raise ValueError(
            f"--launch-url is too long for a QR code ({len(short)} characters with the volunteer's "
            "code): publish the package at a shorter address"
        ) from None
    return _Handout(volunteer, link, short, picture)


def _unchecked_warning() -> str:
    return (
        "the credential was not checked (--unchecked): if it can read the LRS, every volunteer holding a link "
        "can read everybody's records; check it and issue again without --unchecked"
    )


def _write(
    out_dir: Path, course: Course, pathway, handouts: list[_Handout], endpoint: str, today: str, checked: bool
) -> None:
    modules = [course.module(module_id) for module_id in pathway.module_ids]
    html = (
        _templates()
        .get_template("handouts.html.j2")
        .render(
            lang=course.settings.language,
            pathway=pathway,
            volunteers=handouts,
            issued_on=today,
            endpoint=endpoint,
            roster_name=ROSTER_NAME,
            organisation=course.settings.organisation.name,
            module_count=len(modules),
            typical_minutes=round(sum(m.minutes for m in modules) / max(len(modules), 1)),
            unchecked=None if checked else _unchecked_warning(),
            go_folder=GO_FOLDER,
            t=course.settings.messages.text,
        )
    )
    go_page = _templates().get_template("go.html.j2")
    for handout in handouts:
        page = go_page.render(
            lang=course.settings.language, title=pathway.title, link=handout.link, t=course.settings.messages.text
        )
        write_atomically(out_dir / GO_FOLDER / f"{handout.volunteer.code}.html", page.encode("utf-8"))
    write_atomically(out_dir / ROSTER_NAME, roster_rows([(h.volunteer, h.link) for h in handouts]).encode("utf-8"))
    write_atomically(out_dir / HANDOUTS_NAME, html.encode("utf-8"))


__all__ = ["CREDENTIAL_VARIABLE", "CredentialError", "IssueResult", "RosterError", "issue"]
