"""Reading a coordinator's roster: one volunteer a row, every problem named by its row."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

from ..errors import SourceProblem
from ..importers.text import EncodingError, decode
from ..spreadsheet import FORMULA_TRIGGERS, safe_row

# Columns the roster may have; `ccm issue` adds the last five when it writes the roster back.
NAME, EMAIL, ID, START = "name", "email", "id", "start_date"
PATHWAY, REGISTRATION, ISSUED, CODE, LINK = "pathway", "registration", "issued_on", "code", "launch_link"
ISSUED_COLUMNS = (NAME, EMAIL, ID, START, PATHWAY, REGISTRATION, ISSUED, CODE, LINK)
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+$")
_SHORT_YEAR = re.compile(r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{2}$")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_SHORT_YEAR_FORMATS = ("%d/%m/%y", "%d-%m-%y", "%d.%m.%y")
_DELIMITERS = (",", ";", "\t")  # Excel saves with ';' where the decimal mark is ','; tab from "Text (Tab delimited)"
MAX_NAME = 200  # characters: fits a handout line and any LRS's actor name
MAX_EMAIL = 254  # the longest address mail allows


@dataclass(frozen=True)
class Volunteer:
    row: int  # line number in the file, for messages
    name: str
    email: str = ""
    id: str = ""
    start_date: str = ""  # ISO date, or empty
    pathway: str = ""
    registration: str = ""
    issued_on: str = ""
    code: str = ""

    @property
    def key(self) -> str:
        return self.email.lower() if self.email else self.id


@dataclass
class RosterProblems:
    path: Path
    messages: list[str] = field(default_factory=list)

    def add(self, row: int, message: str) -> None:
        self.messages.append(f"{self.path.name}:{row}: {message}")


class RosterError(SourceProblem):
    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__("\n".join(messages))


def read_roster(path: Path) -> list[Volunteer]:
    """All volunteers in the roster, or RosterError listing every problem (by file and line)."""
    problems = RosterProblems(path)
    try:
        text, _encoding = decode(path.read_bytes())
    except EncodingError as error:
        raise RosterError([f"{path.name}: {error} — in Excel use 'Save as: CSV UTF-8'"]) from None
    except OSError as error:
        raise RosterError([f"{path}: cannot read the roster ({error.strerror})"]) from None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    rows = list(csv.reader(lines, delimiter=_delimiter(lines[0])))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise RosterError(
            [
                f"{path.name}:1: the roster has no header row — the first line must name the columns: "
                "name, email, id, start_date"
            ]
        )
    header = [cell.strip().lower().replace(" ", "_") for cell in rows[0]]
    _check_header(header, problems)
    if problems.messages:
        raise RosterError(problems.messages)
    volunteers = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        volunteer = _read_row(number, header, cells, problems)
        if volunteer:
            volunteers.append(volunteer)
    _check_duplicates(volunteers, problems)
    if not volunteers and not problems.messages:
        problems.add(2, "the roster has no volunteers — add one row per volunteer below the header")
    if problems.messages:
        raise RosterError(problems.messages)
    return volunteers


def _delimiter(header_line: str) -> str:
    """The separator the header row uses most: comma, semicolon or tab."""
    return max(_DELIMITERS, key=header_line.count) if any(d in header_line for d in _DELIMITERS) else ","


def _check_header(header: list[str], problems: RosterProblems) -> None:
    if NAME not in header:
        problems.add(1, "the roster has no 'name' column — add a column headed name")
    if EMAIL not in header and ID not in header:
        problems.add(1, "the roster needs an 'email' or an 'id' column to tell volunteers apart — add one")
    seen = set()
    for column in header:
        if column and column in seen:
            problems.add(1, f"the column '{column}' appears twice — keep one")
        seen.add(column)


def _unquoted(cell: str) -> str:
    """A cell as written before `safe_cell` quoted it (a roster `ccm issue` wrote, read again)."""
    cell = cell.strip()
    return cell[1:] if cell.startswith("'") and cell[1:].lstrip(" ").startswith(FORMULA_TRIGGERS) else cell


def _read_row(number: int, header: list[str], cells: list[str], problems: RosterProblems) -> Volunteer | None:
    values = {column: (_unquoted(cells[index]) if index < len(cells) else "") for index, column in enumerate(header)}
    if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header) :]):
        problems.add(
            number,
            f"the row has {len(cells)} cells but the header names {len(header)} columns — "
            "check for a stray comma, or put text with commas in quotes",
        )
        return None
    ok = True
    if not values.get(NAME):
        problems.add(number, "the name is empty — write the volunteer's name")
        ok = False
    elif len(values[NAME]) > MAX_NAME:
        problems.add(
            number,
            f"the name is {len(values[NAME]):,} characters long; a name can have up to {MAX_NAME} — "
            "shorten it (perhaps the cells of this line ran together)",
        )
        ok = False
    email, identifier = values.get(EMAIL, ""), values.get(ID, "")
    if email and (len(email) > MAX_EMAIL or not _EMAIL.match(email)):
        problems.add(number, f"'{email}' is not an email address — correct it, or leave it empty and give an id")
        ok = False
    if not email and not identifier:
        problems.add(
            number,
            "the row has neither an email nor an id — give one so the volunteer's results can be matched to them",
        )
        ok = False
    start = _parse_date(values.get(START, ""))
    if start is None:
        problems.add(
            number, f"the start date '{values.get(START)}' is not a date — write it as 2026-11-24 or 24/11/2026"
        )
        ok = False
    if not ok:
        return None
    return Volunteer(
        row=number,
        name=values[NAME],
        email=email,
        id=identifier,
        start_date=start or "",
        pathway=values.get(PATHWAY, ""),
        registration=values.get(REGISTRATION, ""),
        issued_on=values.get(ISSUED, ""),
        code=values.get(CODE, ""),
    )


def _parse_date(text: str) -> str | None:
    """ISO form of the date, '' for no date, None when it cannot be read."""
    if not text:
        return ""
    for form in _SHORT_YEAR_FORMATS if _SHORT_YEAR.match(text) else _DATE_FORMATS:
        try:
            return datetime.strptime(text, form).date().isoformat()
        except ValueError:
            continue
    return None


def _check_duplicates(volunteers: list[Volunteer], problems: RosterProblems) -> None:
    first: dict[str, int] = {}
    for volunteer in volunteers:
        for label, value in (("email", volunteer.email.lower()), ("id", volunteer.id)):
            if not value:
                continue
            key = f"{label}:{value}"
            if key in first:
                problems.add(
                    volunteer.row,
                    f"the {label} '{value}' is also on line {first[key]} — each volunteer "
                    "needs their own, or their results would be mixed up",
                )
            else:
                first[key] = volunteer.row


def mark_issued(volunteer: Volunteer, pathway: str, registration: str, code: str, issued_on: str) -> Volunteer:
    return replace(volunteer, pathway=pathway, registration=registration, code=code, issued_on=issued_on)


def roster_rows(volunteers: list[tuple[Volunteer, str]]) -> str:
    """The roster CSV `ccm issue` writes back: the volunteer's columns plus what was issued."""
    from io import StringIO

    out = StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ISSUED_COLUMNS)
    for volunteer, link in volunteers:
        writer.writerow(
            safe_row(
                [
                    volunteer.name,
                    volunteer.email,
                    volunteer.id,
                    volunteer.start_date,
                    volunteer.pathway,
                    volunteer.registration,
                    volunteer.issued_on,
                    volunteer.code,
                    link,
                ]
            )
        )
    return out.getvalue()
