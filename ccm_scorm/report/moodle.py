"""Moodle's SCORM report downloads (basic, interactions, objectives) and the gradebook export.

What Moodle 5.1 writes (mod/scorm/report/*/classes/report.php; docs/report.md): the "CSV"
download is tab separated; one row per user per attempt: Name, the identity fields the
site shows (Email address by default), Attempt, Started on, Last accessed on, Score,
then one column per SCO headed with its title (the basic report only with "Show
detailed report"), then the interactions report's `Question N` / `Response N` /
`Right answer N` / `Result N` columns (by default only `Response N`: no question ids)
or the objectives report's `<objective id> status` / `score` columns (empty in stock
4.3-5.1). Interactions and objectives cells are HTML-escaped; dates are localised
text in the site's time zone.

Each attempt's evidence is merged from every report that shows it (and from the live
site, moodle_ws.py) and judged in `finish()`: per try inside the attempt (the runtime's
`.a<N>` interaction ids), from the competency's own objective, its questions, or the
module's result, strongest first. Whatever cannot be used is counted in the notes.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from .catalogue import Catalogue
from .errors import EXIT_USAGE, ReportError
from .learners import Identity, LearnerResolver
from .matrix import Matrix, iso_utc
from .tables import read_table
from .verdicts import is_judged

FIXED_TAIL = ("Attempt", "Started on", "Last accessed on", "Score")
IDENTITY_COLUMNS = {"Email address": "email", "ID number": "user_id"}
INTERACTION = re.compile(r"^(Question|Response|Right answer|Result) (\d+)$")
OBJECTIVE = re.compile(r"^(\S+) (status|score)$")
GRADEBOOK_SCORM = re.compile(r"^SCORM package:\s*(.+?)\s*\((?:Real|Percentage|Letter)\)$")
GRADEBOOK_OTHER = re.compile(r"^(?!Course total)[^:]+:\s*(.+?)\s*\((?:Real|Percentage|Letter)\)$")
FINISHED = ("passed", "failed", "completed")

MISSING_OBJECTIVES = (
    "the objectives report has no values in {file} (a defect of stock Moodle 4.3-5.1's "
    "objectives report): competencies there rest on interactions or module results instead; "
    "--moodle-site reads them"
)
NO_QUESTION_IDS = (
    "answers in interactions reports downloaded without 'Show question text' (off by default), so "
    "without the question ids that tie them to competencies: turn on 'Show question text' and "
    "'Result' in the interactions report's options and download it again"
)
NO_RESULTS = (
    "answers whose right or wrong the interactions report does not hold ('Result' is off by default): "
    "turn on 'Result' in its options"
)
UNLISTED_OBJECTIVE = "objective records for competencies the activity's module does not list"
UNKNOWN_OBJECTIVE = "objective records whose id is neither a competency nor a module or pathway of the course"
UNKNOWN_GRADE = (
    "gradebook grades of SCORM activities that match no module or pathway (name them with "
    "--moodle-module 'ACTIVITY=ID')"
)


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


class ModuleMap:
    """Moodle activity (SCO title, gradebook column or file name) -> module or pathway id:
    --moodle-module first, then the titles and ids of the course's modules and pathways."""

    def __init__(self, catalogue: Catalogue, choices: tuple[str, ...] = ()):
        self.catalogue = catalogue
        self.units = {
            **{m.id: m.title for m in catalogue.modules},
            **{p.id: p.title for p in catalogue.pathways.values()},
        }
        self.default: str | None = None
        self.explicit: dict[str, str] = {}
        for choice in choices:
            title, sep, unit_id = choice.rpartition("=")
            unit_id = unit_id.strip()
            if unit_id not in self.units:
                raise ReportError(
                    f"--moodle-module {choice!r}: there is no module '{unit_id}' in the course, nor a "
                    f"pathway (modules and pathways: {', '.join(self.units)})",
                    EXIT_USAGE,
                )
            if sep:
                self.explicit[_norm(title)] = unit_id
            else:
                self.default = unit_id

    def find(self, activity: str, use_default: bool = True) -> tuple[str | None, str]:
        """(unit id or None, why not) for a Moodle activity or SCO title."""
        key = _norm(activity)
        if key in self.explicit:
            return self.explicit[key], ""
        if self.default and use_default:
            return self.default, ""
        exact = [u for u, title in self.units.items() if key in (_norm(title), _norm(u))]
        if len(exact) == 1:
            return exact[0], ""
        # A SCO title often adds to the module title ("Communication - SCORM 1.2").
        prefix = [u for u, title in self.units.items() if _norm(title) and (key + " ").startswith(_norm(title) + " ")]
        if len(prefix) == 1:
            return prefix[0], ""
        return None, "several modules match it" if len(exact) > 1 or len(prefix) > 1 else "no module title matches it"

    def module_for(self, activity: str, where: str) -> str:
        unit, why = self.find(activity)
        if unit is None:
            raise ReportError(
                f"{where}: cannot tell which module the Moodle activity {activity!r} is ({why}); "
                f"add --moodle-module '{activity}=MODULE_ID' (modules and pathways: "
                f"{', '.join(self.units)})",
                EXIT_USAGE,
            )
        return unit

    def unit_of_file(self, path: Path) -> str | None:
        """The unit a download's file name names: Moodle calls it '<course short name> <activity name>'."""
        for name in (path.name, path.stem):
            if _norm(name) in self.explicit:
                return self.explicit[_norm(name)]
        if self.default:
            return self.default
        # the text download's name ends "-<date>_<time>-tab_separated" (Moodle's csv_export_writer)
        stem = " " + _norm(re.sub(r"(-\d{8}_\d{4})?(-(tab|comma|semicolon|colon)_separated)?$", "", path.stem))
        found = {
            u for u, title in self.units.items() if any(t and stem.endswith(" " + t) for t in (_norm(title), _norm(u)))
        }
        return found.pop() if len(found) == 1 else None


@dataclass
class Attempt:
    """One Moodle attempt of one activity (a module or a pathway), merged from every report that shows it."""

    key: str
    unit_id: str
    number: int
    when: str | None = None
    score: float | None = None
    status: str | None = None
    # try inside the attempt -> module -> competency -> [right, answered]
    tries: dict[int, dict[str, dict[str, list[int]]]] = field(default_factory=dict)
    objectives: dict[str, tuple[str, float | None]] = field(default_factory=dict)  # competency -> (status, score)
    unit_objective: tuple[str, float | None] | None = None  # the package's primary objective (SCORM 2004)
    started: set[str] = field(default_factory=set)  # modules with answers that could not be judged
    sources: int = 0


@dataclass
class Layout:
    """Where things are in one SCORM report download."""

    kind: str
    identity: dict[str, int]  # "email" / "user_id" -> column
    attempt: int  # the Attempt column; Started on, Last accessed on and Score follow it
    scos: list[tuple[int, str]]  # (column, SCO title)
    interactions: dict[str, dict[str, int]]  # N -> {"Question": column, "Response": ..., "Result": ...}
    objectives: dict[str, dict[str, int]]  # objective id -> {"status": column, "score": column}


def report_layout(path: Path, line: int, header: list[str], is_sco_title=lambda h: True) -> Layout:
    """The columns of a SCORM report download. `is_sco_title(h)`: whether a header after the first SCO
    column may be another SCO's title; the objectives report without "Show objective score" heads its
    columns with the bare objective id, where the others have "<id> status" and "<id> score"."""
    if not header or header[0] != "Name" or "Attempt" not in header:
        raise ReportError(
            f"{path}:{line}: not a Moodle SCORM report or gradebook export: the columns should start "
            f"Name, Email address, {', '.join(FIXED_TAIL)} (found: {', '.join(header[:6]) or 'nothing'})"
        )
    at = header.index("Attempt")
    if tuple(header[at : at + 4]) != FIXED_TAIL:
        raise ReportError(
            f"{path}:{line}: not a Moodle SCORM report: after 'Attempt' it should have "
            f"{', '.join(FIXED_TAIL[1:])} (found: {', '.join(header[at + 1 : at + 4])})"
        )
    identity = {IDENTITY_COLUMNS[h]: i for i, h in enumerate(header[1:at], 1) if h in IDENTITY_COLUMNS}
    scos: list[tuple[int, str]] = []
    interactions: dict[str, dict[str, int]] = {}
    objectives: dict[str, dict[str, int]] = {}
    for i in range(at + 4, len(header)):
        h = header[i]
        match = INTERACTION.match(h)
        if match:
            interactions.setdefault(match.group(2), {})[match.group(1)] = i
            continue
        match = OBJECTIVE.match(h)
        if match and scos:  # objective columns follow the SCO columns
            objectives.setdefault(match.group(1), {})[match.group(2)] = i
            continue
        if scos and (objectives or (not h.split(" ")[1:] and not is_sco_title(h))):
            objectives.setdefault(h, {})["status"] = i
            continue
        if interactions or objectives:
            raise ReportError(
                f"{path}:{line}: the column {h!r} comes after the report's question or objective "
                "columns, where Moodle puts none: check the file is a Moodle download, unedited"
            )
        scos.append((i, h))
    kind = "interactions" if interactions else "objectives" if objectives else "basic"
    return Layout(kind, identity, at, scos, interactions, objectives)


class MoodleReader:
    def __init__(
        self,
        catalogue: Catalogue,
        matrix: Matrix,
        resolver: LearnerResolver,
        module_map: ModuleMap,
        timezone: str = "Europe/London",
    ):
        self.catalogue, self.matrix, self.resolver, self.module_map = catalogue, matrix, resolver, module_map
        self.notes = matrix.notes
        try:
            self.zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ReportError(
                f"unknown time zone {timezone!r}: give the Moodle site's zone, e.g. Europe/London", EXIT_USAGE
            ) from None
        self.attempts: dict[tuple, Attempt] = {}
        self.grades: list[tuple[str, str, float, int]] = []  # key, unit, grade, source bit
        self._dates: dict[str, str | None] = {}

    # ------------------------------------------------------------------ reading files
    def read(self, path: Path) -> str:
        """Read one export; returns what kind of export it was."""
        rows = read_table(path)
        if not rows:
            raise ReportError(f"{path}: the file is empty")
        line, header = rows[0]
        header = [html.unescape(h) for h in header]
        if "First name" in header and "Last name" in header:
            self._gradebook(path, header, rows[1:])
            return "gradebook"
        layout = report_layout(path, line, header, self._may_be_sco_title)
        units = self._units(path, line, layout)
        bit = self.matrix.source(f"Moodle {layout.kind} report {path.name}")
        seen = {"attempts": 0, "questions": 0, "objective values": 0}
        for number, cells in rows[1:]:
            if any(cells):
                self._report_row(path, number, layout, units, bit, cells + [""] * (len(header) - len(cells)), seen)
        self.notes.count(self.notes.read, f"Moodle {layout.kind} report {path.name}", len(rows) - 1)
        self._report_notes(path, layout, seen)
        return layout.kind

    def _may_be_sco_title(self, header: str) -> bool:
        """A header that is an objective id of the course, or names no module or pathway, is no SCO's title."""
        if header in self.catalogue.competency_index or header in self.module_map.units:
            return False
        return self.module_map.find(header, use_default=False)[0] is not None

    def _units(self, path: Path, line: int, layout: Layout) -> list[str]:
        if layout.scos:
            return [self.module_map.module_for(title, f"{path}:{line}") for _, title in layout.scos]
        unit = self.module_map.unit_of_file(path)
        if unit is None:
            raise ReportError(
                f"{path}:{line}: this basic report has no SCO column (Moodle adds it only with the "
                "report option 'Show detailed report'), so it does not say which activity it is: "
                "download it again with that option on, or name the module with --moodle-module "
                f"'{path.name}=MODULE_ID'",
                EXIT_USAGE,
            )
        return [unit]

    def _report_row(
        self, path: Path, number: int, layout: Layout, units: list[str], bit: int, cells: list[str], seen: dict
    ) -> None:
        if layout.kind != "basic":
            cells = [html.unescape(c) for c in cells]
        identity = {name: cells[i] for name, i in layout.identity.items()}
        key = self.resolver.key(Identity(name=cells[0], **identity))
        if key is None:
            raise ReportError(
                f"{path}:{number}: this row has no {self.resolver.match} to match the learner by; "
                f"Moodle's SCORM reports carry name and email: use --match email or --learner-map"
            )
        self.matrix.learner(key)
        at = layout.attempt
        if cells[at] in ("-", ""):
            return  # enrolled, never launched
        try:
            attempt_no = int(float(cells[at]))
        except (ValueError, OverflowError):  # "nan", "1e999"
            raise ReportError(f"{path}:{number}: the Attempt column holds {cells[at]!r}, not a number") from None
        when = self._date(cells[at + 2], path) or self._date(cells[at + 1], path)
        seen["attempts"] += 1
        columns = layout.scos or [(at + 3, "")]
        for (column, title), unit in zip(columns, units, strict=True):
            attempt = self.attempt(key, unit, title, attempt_no, bit, when)
            self._sco_cell(attempt, cells[column], cells[at + 3] if len(columns) == 1 else "")
            if layout.interactions:
                seen["questions"] += self._interactions(attempt, layout, cells, path)
            if layout.objectives:
                seen["objective values"] += self._objective_cells(attempt, layout, cells)

    def _report_notes(self, path: Path, layout: Layout, seen: dict) -> None:
        if (
            layout.kind == "interactions"
            and seen["attempts"]
            and not seen["questions"]
            and any("Question" in columns for columns in layout.interactions.values())
        ):
            self.notes.say(
                f"the interactions report {path.name} lists no interactions (Moodle's interactions "
                "report is always empty for SCORM 2004 activities): competencies there rest on "
                "objectives or module results instead; --moodle-site reads them"
            )
        questions = [columns for columns in layout.interactions.values() if "Question" in columns]
        if layout.interactions and not questions:
            self.notes.say(
                f"{path.name}: the interactions report was downloaded without 'Show question text' (off "
                "by default), so it cannot tell which question an answer is: turn on 'Show question "
                "text' and 'Result' in its options"
            )
        elif questions and not any("Result" in columns for columns in questions):
            self.notes.say(
                f"{path.name}: the interactions report was downloaded without 'Result' (off by default), "
                "so it cannot tell right answers from wrong: turn on 'Result' in its options"
            )
        if layout.kind == "objectives" and seen["attempts"] and not seen["objective values"]:
            self.notes.say(MISSING_OBJECTIVES.format(file=path.name))
        if layout.kind == "basic" and not layout.scos:
            self.notes.say(
                f"{path.name} is a basic report without 'Show detailed report': only each attempt's "
                "overall score is in it"
            )

    def attempt(self, key: str, unit_id: str, activity: str, number: int, source_bit: int, when: str | None) -> Attempt:
        """The attempt `number` by `key` of the Moodle activity `activity` (its SCO title; "" when the
        download does not say) of `unit_id`, noting one more source and its latest time."""
        ident = (key, unit_id, number, activity)
        attempt = self.attempts.get(ident)
        if attempt is None:
            attempt = self.attempts[ident] = Attempt(key, unit_id, number)
        attempt.sources |= source_bit
        if when and (attempt.when is None or when > attempt.when):
            attempt.when = when
        return attempt

    def _date(self, text: str, path: Path) -> str | None:
        if text not in self._dates:  # a report's dates repeat (minutes)
            self._dates[text] = self._parse_date(text, path)
        return self._dates[text]

    def _parse_date(self, text: str, path: Path) -> str | None:
        text = text.strip()
        if not text or text == "-":
            return None
        body = re.sub(r"^[^\d,]+,\s*", "", text)  # drop the weekday
        for fmt in ("%d %B %Y, %I:%M %p", "%d %B %Y, %H:%M", "%d/%m/%Y, %H:%M", "%d/%m/%Y %H:%M"):
            try:
                local = dt.datetime.strptime(body, fmt).replace(tzinfo=self.zone)
                return iso_utc(local)
            except ValueError:
                pass
        self.notes.say(
            f"{path.name}: dates like {text!r} could not be read (only English date formats "
            "are known); those attempts have no date"
        )
        return None

    @staticmethod
    def _number(text: str) -> float | None:
        try:
            return float(text)
        except (TypeError, ValueError):
            return None

    def _sco_cell(self, attempt: Attempt, cell: str, overall: str) -> None:
        # "52/100" (a raw score and its maximum), "52", or the status text when there is no score.
        match = re.match(r"^\s*(-?\d+(?:\.\d+)?)\s*(?:/\s*(\d+(?:\.\d+)?))?\s*$", cell)
        if match:
            value = float(match.group(1))
            if match.group(2) and float(match.group(2)) > 0:
                value = value / float(match.group(2)) * 100
            attempt.score = value if attempt.score is None else max(attempt.score, value)
        elif cell and cell.lower() not in ("-", "not attempted"):
            attempt.status = cell.strip().lower()
        elif attempt.score is None and self._number(overall) is not None:
            attempt.score = self._number(overall)

    def _interactions(self, attempt: Attempt, layout: Layout, cells: list[str], path: Path) -> int:
        seen = 0
        for columns in layout.interactions.values():
            question = cells[columns["Question"]].strip() if "Question" in columns else ""
            response = cells[columns["Response"]].strip() if "Response" in columns else ""
            if not question:
                if response:
                    self.notes.drop(NO_QUESTION_IDS, path.name)
                continue
            seen += 1
            result = cells[columns["Result"]].strip() if "Result" in columns else None
            self.answer(attempt, question, result, path.name)
        return seen

    def answer(self, attempt: Attempt, interaction_id: str, result: str | None, where: str) -> None:
        """One interaction of an attempt: its id and result ("correct", "wrong", a number...; None unknown)."""
        modules = self.catalogue.unit_modules(attempt.unit_id)
        hit = self.catalogue.resolve_interaction(interaction_id, modules[0] if len(modules) == 1 else None)
        if hit is None:
            self.notes.count(self.notes.not_in_catalogue, f"interaction {interaction_id}")
            return
        if hit[0] not in modules:
            self.notes.count(
                self.notes.not_in_catalogue,
                f"interaction {interaction_id} (from module {hit[0]}, not {attempt.unit_id})",
            )
            return
        if result is None:
            attempt.started.add(hit[0])
            self.notes.drop(NO_RESULTS, where)
            return
        tally = (
            attempt.tries.setdefault(self.catalogue.try_of(interaction_id), {})
            .setdefault(hit[0], {})
            .setdefault(hit[2], [0, 0])
        )
        tally[1] += 1
        result = result.lower()
        if result == "correct" or (self._number(result) or 0) > 0:
            tally[0] += 1

    def _objective_cells(self, attempt: Attempt, layout: Layout, cells: list[str]) -> int:
        found = 0
        for objective_id, columns in layout.objectives.items():
            status = cells[columns["status"]].strip().lower() if "status" in columns else ""
            score = self._number(cells[columns["score"]]) if "score" in columns and cells[columns["score"]] else None
            if status or score is not None:
                found += 1
                self.objective(attempt, objective_id, status, score)
        return found

    def objective(self, attempt: Attempt, objective_id: str, status: str, score: float | None) -> None:
        """One objective record of an attempt: a competency's, or the package's own (its module or pathway)."""
        unit = attempt.unit_id
        if objective_id == unit or objective_id in self.catalogue.unit_modules(unit):
            attempt.unit_objective = (status, score)
        elif objective_id in self.catalogue.competency_index:
            listed = any(
                objective_id in self.catalogue.module_competencies[m] for m in self.catalogue.unit_modules(unit)
            )
            if listed:
                attempt.objectives[objective_id] = (status, score)
            else:
                self.notes.drop(UNLISTED_OBJECTIVE, f"{objective_id} in {unit}")
        else:
            self.notes.drop(UNKNOWN_OBJECTIVE, objective_id)

    def _gradebook(self, path: Path, header: list[str], rows) -> None:
        columns, unknown = [], []
        for i, h in enumerate(header):
            match = GRADEBOOK_SCORM.match(h)
            if not match:
                if GRADEBOOK_OTHER.match(h):
                    self.notes.say(f"{path.name}: the gradebook column {h!r} is not a SCORM activity and was not read")
                continue
            unit, _ = self.module_map.find(match.group(1))
            if unit:
                columns.append((i, unit))
            else:
                unknown.append((i, match.group(1)))
                self.notes.say(
                    f"{path.name}: the gradebook column {h!r} matches no module or pathway of the course "
                    f"and was skipped (name it with --moodle-module '{match.group(1)}=ID')"
                )
        if not columns and not unknown:
            raise ReportError(
                f"{path}:1: this gradebook export has no 'SCORM package: ... (Real)' column; "
                "export the SCORM activities' grades as real values"
            )
        bit = self.matrix.source(f"Moodle gradebook {path.name}")
        c_email = header.index("Email address") if "Email address" in header else None
        c_id = header.index("ID number") if "ID number" in header else None
        for number, cells in rows:
            if not any(cells):
                continue
            cells = cells + [""] * (len(header) - len(cells))
            who = Identity(
                name=f"{cells[0]} {cells[1]}".strip(),
                email=cells[c_email] if c_email is not None else "",
                user_id=cells[c_id] if c_id is not None else "",
            )
            key = self.resolver.key(who)
            if key is None:
                raise ReportError(f"{path}:{number}: this row has no {self.resolver.match} to match the learner by")
            self.matrix.learner(key)
            for i, unit in columns:
                grade = self._number(cells[i])
                if grade is not None:
                    self.grades.append((key, unit, grade, bit))
            for i, name in unknown:
                if self._number(cells[i]) is not None:
                    self.notes.drop(UNKNOWN_GRADE, name)
        self.notes.count(self.notes.read, f"Moodle gradebook {path.name}", len(rows))

    # ------------------------------------------------------------------ verdicts
    def finish(self) -> None:
        """Turn the merged attempts and grades into verdicts."""
        named = {ident[:3]: attempt for ident, attempt in self.attempts.items() if ident[3]}
        for ident, attempt in self.attempts.items():
            if not ident[3] and ident[:3] in named:
                # a basic report without SCO columns shows the same attempt as a report that names it
                named[ident[:3]].sources |= attempt.sources
                continue
            self._judge(attempt)
        for key, unit, grade, bit in self.grades:
            self._judge_grade(key, unit, grade, bit)
        self.attempts.clear()
        self.grades.clear()

    def _status(self, attempt: Attempt) -> str | None:
        if attempt.status in FINISHED or attempt.unit_objective is None:
            return attempt.status
        return attempt.unit_objective[0] or attempt.status

    def _module_passed(self, attempt: Attempt, module_id: str) -> bool | None:
        """Whether the attempt passed a module of its unit; None when the data cannot tell."""
        module = self.catalogue.module(module_id)
        status = self._status(attempt)
        best_try = self._best_try(attempt, module_id)
        if best_try is not None and best_try >= module.pass_mark:
            return True
        if attempt.unit_id == module_id:
            if status in ("passed", "failed"):
                return status == "passed"
            if attempt.score is not None and module.has_quiz:
                return attempt.score >= module.pass_mark
            if status == "completed" or not module.has_quiz:
                return status == "completed"
            return False if best_try is not None or status else None
        # A module of a pathway: the pathway is passed once every module is; a score or a final
        # status means every module was finished (pathway-result comes after the last one).
        if status == "passed":
            return True
        finished = status in FINISHED or attempt.score is not None
        if best_try is not None:
            return False
        if not module.has_quiz:
            return True if finished else None
        return None

    def _best_try(self, attempt: Attempt, module_id: str) -> float | None:
        scores = []
        for modules in attempt.tries.values():
            tallies = modules.get(module_id)
            if tallies:
                right = sum(t[0] for t in tallies.values())
                answered = sum(t[1] for t in tallies.values())
                scores.append(100 * right / answered)
        return max(scores) if scores else None

    def _judge(self, attempt: Attempt) -> None:
        unit_modules = self.catalogue.unit_modules(attempt.unit_id)
        passes = {m: self._module_passed(attempt, m) for m in unit_modules}
        for module_id, passed in passes.items():
            if passed is not None:
                self.matrix.module_result(attempt.key, module_id, passed)
        competencies = dict.fromkeys(c for m in unit_modules for c in self.catalogue.module_competencies[m])
        for cid in competencies:
            modules = [m for m in unit_modules if cid in self.catalogue.module_competencies[m]]
            self._competency(attempt, cid, modules, passes)

    def _competency(self, attempt: Attempt, cid: str, modules: list[str], passes: dict) -> None:
        """Verdicts on one competency in one attempt: one per try its questions were answered in; the
        competency's own objective stands for the last try (the runtime writes it on each submission)."""
        objective = attempt.objectives.get(cid)
        answered = any(cid in attempt.tries[t].get(m, {}) for t in attempt.tries for m in modules)
        if objective and answered and not (objective[0] in FINISHED or objective[1] is not None):
            objective = None  # an objective without a result yet says less than the answers
        order = attempt.number * 1000
        judged = set()
        for module_id in modules:
            module = self.catalogue.module(module_id)
            tries = [t for t in sorted(attempt.tries) if cid in attempt.tries[t].get(module_id, {})]
            for t in tries[:-1] if objective else tries:
                right, asked = attempt.tries[t][module_id][cid]
                if not is_judged(asked, self.catalogue.in_bank(module_id, cid)):
                    self.matrix.not_assessed(attempt.key, module_id, cid, attempt.sources, "questions")
                    continue
                try_score = round(100 * right / asked, 2)
                self._verdict(attempt, module_id, cid, try_score >= module.pass_mark, try_score, order + t, "questions")
            if tries:
                judged.add(module_id)
        if objective and self._unjudged(objective, cid, modules):
            for module_id in modules:
                if passes[module_id] is not None:
                    self.matrix.not_assessed(attempt.key, module_id, cid, attempt.sources, "objective")
                else:
                    self.matrix.started(attempt.key, module_id, (cid,), attempt.sources)
            return
        if objective:
            status, score = objective
            last = order + max(attempt.tries or [1])
            for i, module_id in enumerate(modules):
                passed = self._objective_passed(status, score, module_id, passes[module_id])
                self._verdict(attempt, module_id, cid, passed, score, last, "objective", counts=i == 0)
            return
        for module_id in modules:
            if module_id in judged:
                continue
            if passes[module_id] is not None:
                self._verdict(attempt, module_id, cid, passes[module_id], None, order, "module")
            elif module_id in attempt.started or attempt.unit_id != module_id:
                self.matrix.started(attempt.key, module_id, (cid,), attempt.sources)
            else:
                self._verdict(attempt, module_id, cid, False, None, order, "module")

    def _unjudged(self, objective: tuple[str, float | None], cid: str, modules: list[str]) -> bool:
        """An objective still incomplete (or unknown) without a score, of a competency the modules' quizzes
        ask about: the runtime leaves so a competency its attempts did not judge (verdicts.py)."""
        status, score = objective
        return status not in FINISHED and score is None and all(self.catalogue.in_bank(m, cid) for m in modules)

    def _objective_passed(self, status: str, score: float | None, module_id: str, module_passed: bool | None) -> bool:
        module = self.catalogue.module(module_id)
        if status in ("passed", "failed"):
            return status == "passed"
        if score is not None:
            return score >= module.pass_mark
        if status == "completed":
            return bool(module_passed) or not module.has_quiz
        return False

    def _verdict(
        self,
        attempt: Attempt,
        module_id: str,
        cid: str,
        passed: bool,
        score: float | None,
        order: int,
        basis: str,
        counts: bool = True,
    ) -> None:
        self.matrix.verdict(
            attempt.key, module_id, cid, passed, score, attempt.when, order, attempt.sources, basis, counts=counts
        )

    def _judge_grade(self, key: str, unit: str, grade: float, bit: int) -> None:
        if unit in self.catalogue.pathways:
            modules = self.catalogue.unit_modules(unit)
            for module_id in modules:
                self.matrix.started(key, module_id, self.catalogue.module_competencies[module_id], bit)
            self.notes.say(
                f"a gradebook grade of the pathway {unit} cannot tell which of its modules were "
                "passed: its learners count as having started them"
            )
            return
        module = self.catalogue.module(unit)
        passed = grade >= module.pass_mark if module.has_quiz else grade > 0
        self.matrix.module_result(key, unit, passed)
        for cid in self.catalogue.module_competencies[unit]:
            self.matrix.verdict(key, unit, cid, passed, None, None, 0, bit, "module")
