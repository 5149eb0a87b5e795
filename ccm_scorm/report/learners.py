"""Matching learners across sources: by email, LMS user id, name, or an explicit mapping file.

Every source describes a learner with whatever it has (an xAPI actor's mbox or account,
a Moodle row's name and email, a roster line). `LearnerResolver.key` turns that into
the one key the matrix is indexed by, so the same person from the LRS and from Moodle
lands in one row.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from .errors import ReportError
from .tables import open_text

MATCH_KEYS = ("email", "id", "name")


@dataclass
class Identity:
    """What one source says about a learner; every field may be empty."""

    email: str = ""
    user_id: str = ""
    name: str = ""

    def identifiers(self) -> list[str]:
        out = []
        if self.email:
            out += [self.email.strip().lower(), "mailto:" + self.email.strip().lower()]
        if self.user_id:
            out.append(self.user_id.strip())
        if self.name:
            out.append(self.name.strip())
        return out


def _norm_name(name: str) -> str:
    return " ".join(name.split()).casefold()


class LearnerResolver:
    """Turns identities into matrix keys and keeps each learner's best-known name, email and id."""

    def __init__(self, match: str = "email", mapping: dict[str, str] | None = None):
        if match not in MATCH_KEYS:
            raise ReportError(f"unknown learner key '{match}': use one of {', '.join(MATCH_KEYS)}", 2)
        self.match = match
        self.mapping = mapping or {}
        self.people: dict[str, list[str]] = {}  # key -> [name, email, user id]
        self.unmatched = 0

    def key(self, who: Identity) -> str | None:
        if self.mapping:
            for identifier in who.identifiers():
                hit = self.mapping.get(identifier) or self.mapping.get(identifier.casefold())
                if hit:
                    return self._remember(hit, who)
        if self.match == "email":
            # Someone with no email (a volunteer issued a link by id) is matched by their id.
            value = who.email.strip().lower() or who.user_id.strip()
        elif self.match == "id":
            value = who.user_id.strip()
        else:
            value = _norm_name(who.name)
        if not value:
            self.unmatched += 1
            return None
        return self._remember(value, who)

    def _remember(self, key: str, who: Identity) -> str:
        person = self.people.get(key)
        if person is None:
            self.people[key] = [who.name.strip(), who.email.strip().lower(), who.user_id.strip()]
        else:
            for i, value in enumerate((who.name.strip(), who.email.strip().lower(), who.user_id.strip())):
                if value and not person[i]:
                    person[i] = value
        return key


def read_mapping(path: Path) -> dict[str, str]:
    """A CSV with the columns `identifier` and `learner`: any identifier seen in a source
    (email, LMS user id, xAPI account name, name) -> the learner's key in the report."""
    mapping: dict[str, str] = {}
    with open_text(path) as handle:
        reader = csv.DictReader(handle)
        fields = [f.strip().lower() for f in (reader.fieldnames or [])]
        if "identifier" not in fields or "learner" not in fields:
            raise ReportError(
                f"{path}:1: a learner mapping file needs the columns 'identifier' and 'learner' "
                f"(found: {', '.join(reader.fieldnames or []) or 'no header'})"
            )
        try:
            for row in reader:
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k}
                if row.get("identifier") and row.get("learner"):
                    mapping[row["identifier"]] = row["learner"]
                    mapping[row["identifier"].casefold()] = row["learner"]
                elif any(row.values()):
                    raise ReportError(f"{path}:{reader.line_num}: a mapping row needs both an identifier and a learner")
        except csv.Error as error:
            raise ReportError(f"{path}:{reader.line_num}: malformed CSV: {error}") from None
    return mapping


@dataclass
class RosterEntry:
    key: str
    name: str
    issued: dt.date | None
    pathway: str = ""


ROSTER_NAME = ("name", "full name", "learner", "learner name")
ROSTER_EMAIL = ("email", "email address", "e-mail", "mail")
ROSTER_ID = ("id", "user id", "userid", "username", "lms id", "id number", "employee number")
ROSTER_DATE = ("issued", "issued on", "issue date", "start", "start date", "started", "assigned", "date")
ROSTER_PATHWAY = ("pathway", "pathway id")


def _parse_date(text: str) -> dt.date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return None


def read_roster(path: Path, resolver: LearnerResolver, pathway_ids: set[str]) -> list[RosterEntry]:
    """A CSV of who should take the training: name, email or id, optional issued/start date and pathway."""
    entries = []
    with open_text(path) as handle:
        reader = csv.reader(handle)
        try:
            header = next(reader, None)
            if not header:
                raise ReportError(f"{path}:1: the roster is empty; it needs a header row (name, email or id, issued)")
            names = [h.strip().lower().replace("_", " ") for h in header]

            def col(options):
                """The column of the first option present, so an issue date wins over a start date."""
                return next((names.index(option) for option in options if option in names), None)

            c_name, c_email, c_id, c_date, c_path = (
                col(ROSTER_NAME),
                col(ROSTER_EMAIL),
                col(ROSTER_ID),
                col(ROSTER_DATE),
                col(ROSTER_PATHWAY),
            )
            if c_email is None and c_id is None and c_name is None:
                raise ReportError(
                    f"{path}:1: the roster needs a 'name', 'email' or 'id' column (found: {', '.join(header)})"
                )
            for row in reader:
                if not any(cell.strip() for cell in row):
                    continue

                def get(i, row=row):
                    return row[i].strip() if i is not None and i < len(row) else ""

                who = Identity(email=get(c_email), user_id=get(c_id), name=get(c_name))
                key = resolver.key(who)
                if key is None:
                    raise ReportError(
                        f"{path}:{reader.line_num}: this roster row has no {resolver.match} "
                        f"to match learners by (use --match or --learner-map)"
                    )
                issued = None
                if get(c_date):
                    issued = _parse_date(get(c_date))
                    if issued is None:
                        raise ReportError(
                            f"{path}:{reader.line_num}: cannot read the date '{get(c_date)}' "
                            "(use YYYY-MM-DD or DD/MM/YYYY)"
                        )
                pathway = get(c_path)
                if pathway and pathway not in pathway_ids:
                    raise ReportError(
                        f"{path}:{reader.line_num}: unknown pathway '{pathway}' "
                        f"(the course has: {', '.join(sorted(pathway_ids)) or 'none'})"
                    )
                entries.append(RosterEntry(key, who.name, issued, pathway))
        except csv.Error as error:
            raise ReportError(f"{path}:{reader.line_num}: malformed CSV: {error}") from None
    return entries
