"""Moodle's SCORM report downloads (basic, interactions, objectives) and the gradebook export.

Format facts (../shared/fixtures/moodle/README.md): the "CSV" download is tab separated;
one row per user per attempt, then one column per SCO headed with the SCO title;
interactions and objectives cells are HTML-escaped; dates are localised text in the
site's time zone; stock Moodle 4.3-5.1 leaves the objectives report's values out; the
interactions report carries only interaction ids and is empty for SCORM 2004.

So each attempt's competencies are judged from, in order: the objective's own values
(when the export has them), the interactions resolved through the course source, and
the module's pass/fail. The matrix records which one each verdict rests on.
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

FIXED_COLUMNS = ("Name", "Email address", "Attempt", "Started on", "Last accessed on", "Score")
QUESTION = re.compile(r"^Question (\d+)$")
RESULT = re.compile(r"^Result (\d+)$")
OBJECTIVE = re.compile(r"^(.+) (status|score)$")
GRADEBOOK_SCORM = re.compile(r"^SCORM package:\s*(.+?)\s*\((?:Real|Percentage|Letter)\)$")
MISSING_OBJECTIVES = ("the objectives report has no values in {file} (a defect of stock Moodle 4.3-5.1's "
                      "objectives report): competencies there rest on interactions or module results instead")


def _norm(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.casefold()).split())


class ModuleMap:
    """Moodle activity (SCO title or gradebook column) -> module id: --moodle-module, then titles."""

    def __init__(self, catalogue: Catalogue, choices: tuple[str, ...] = ()):
        self.catalogue = catalogue
        self.default: str | None = None
        self.explicit: dict[str, str] = {}
        for choice in choices:
            title, sep, module_id = choice.rpartition("=")
            module_id = module_id.strip()
            if module_id not in catalogue.module_index:
                raise ReportError(f"--moodle-module {choice!r}: there is no module '{module_id}' in the course "
                                  f"(modules: {', '.join(catalogue.module_index)})", EXIT_USAGE)
            if sep:
                self.explicit[_norm(title)] = module_id
            else:
                self.default = module_id

    def module_for(self, activity: str, where: str) -> str:
        key = _norm(activity)
        if key in self.explicit:
            return self.explicit[key]
        if self.default:
            return self.default
        modules = self.catalogue.modules
        exact = [m.id for m in modules if key in (_norm(m.title), _norm(m.id))]
        if len(exact) == 1:
            return exact[0]
        # A SCO title often adds to the module title ("Communication - SCORM 1.2").
        prefix = [m.id for m in modules if _norm(m.title) and (key + " ").startswith(_norm(m.title) + " ")]
        if len(prefix) == 1:
            return prefix[0]
        why = "several modules match it" if len(exact) > 1 or len(prefix) > 1 else "no module title matches it"
        raise ReportError(f"{where}: cannot tell which module the Moodle activity {activity!r} is ({why}); "
                          f"add --moodle-module '{activity}=MODULE_ID' (modules: {', '.join(self.catalogue.module_index)})",
                          EXIT_USAGE)


@dataclass
class Attempt:
    """One Moodle attempt of one activity, merged from every report that shows it."""

    key: str
    module_id: str
    number: int
    when: str | None = None
    score: float | None = None
    status: str | None = None
    questions: dict[str, list[int]] = field(default_factory=dict)  # competency -> [right, answered]
    objectives: dict[str, tuple[str, float | None]] = field(default_factory=dict)
    sources: int = 0
    label: str = ""


class MoodleReader:
    def __init__(self, catalogue: Catalogue, matrix: Matrix, resolver: LearnerResolver,
                 module_map: ModuleMap, timezone: str = "Europe/London"):
        self.catalogue, self.matrix, self.resolver, self.module_map = catalogue, matrix, resolver, module_map
        try:
            self.zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ReportError(f"unknown time zone {timezone!r}: give the Moodle site's zone, e.g. Europe/London",
                              EXIT_USAGE) from None
        self.attempts: dict[tuple, Attempt] = {}
        self.grades: list[tuple[str, str, float, int]] = []  # key, module, grade, source bit

    # ------------------------------------------------------------------ reading
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
        if tuple(header[:6]) != FIXED_COLUMNS:
            raise ReportError(f"{path}:{line}: not a Moodle SCORM report or gradebook export: the first columns "
                              f"should be {', '.join(FIXED_COLUMNS)} (found: {', '.join(header[:6]) or 'nothing'})")
        extra = header[6:]
        first_q = next((i for i, h in enumerate(extra) if QUESTION.match(h)), None)
        first_o = next((i for i, h in enumerate(extra) if OBJECTIVE.match(h) and not QUESTION.match(h)), None)
        if first_q is not None:
            kind, sco_count = "interactions", first_q
        elif first_o is not None:
            kind, sco_count = "objectives", first_o
        else:
            kind, sco_count = "basic", len(extra)
        if sco_count < 1:
            raise ReportError(f"{path}:{line}: no SCO column after '{FIXED_COLUMNS[-1]}'")
        if kind == "objectives":
            self._check_objective_ids(path, line, extra[sco_count:])
        sco_titles = extra[:sco_count]
        modules = [self.module_map.module_for(title, f"{path}:{line}") for title in sco_titles]
        bit = self.matrix.source(f"Moodle {kind} report {path.name}")
        objective_rows = objective_values = attempts_seen = interactions_seen = 0
        for number, cells in rows[1:]:
            if not any(cells):
                continue
            if kind != "basic":
                cells = [html.unescape(c) for c in cells]
            cells += [""] * (len(header) - len(cells))
            who = Identity(name=cells[0], email=cells[1])
            key = self.resolver.key(who)
            if key is None:
                raise ReportError(f"{path}:{number}: this row has no {self.resolver.match} to match the learner by; "
                                  f"Moodle's SCORM reports carry name and email: use --match email or --learner-map")
            self.matrix.learner(key)
            attempt_text = cells[2]
            if attempt_text in ("-", ""):
                continue  # enrolled, never launched
            try:
                attempt_no = int(float(attempt_text))
            except ValueError:
                raise ReportError(f"{path}:{number}: the Attempt column holds {attempt_text!r}, not a number") from None
            when = self._date(cells[4], path, number) or self._date(cells[3], path, number)
            attempts_seen += 1
            for offset, (title, module_id) in enumerate(zip(sco_titles, modules)):
                attempt = self._attempt(key, module_id, title, attempt_no)
                attempt.sources |= bit
                if when and (attempt.when is None or when > attempt.when):
                    attempt.when = when
                self._sco_cell(attempt, cells[6 + offset], cells[5] if len(sco_titles) == 1 else "")
                if kind == "interactions":
                    interactions_seen += self._interactions(attempt, header, cells, path, number)
                elif kind == "objectives":
                    objective_rows += 1
                    objective_values += self._objectives(attempt, header, cells)
        self.matrix.notes.count(self.matrix.notes.read, f"Moodle {kind} report {path.name}", len(rows) - 1)
        if kind == "interactions" and attempts_seen and not interactions_seen:
            self.matrix.notes.say(f"the interactions report {path.name} lists no interactions (Moodle's interactions "
                                  "report is always empty for SCORM 2004 activities): competencies there rest on "
                                  "objectives or module results instead")
        if kind == "objectives" and objective_rows and not objective_values:
            self.matrix.notes.say(MISSING_OBJECTIVES.format(file=path.name))
        return kind

    def _check_objective_ids(self, path: Path, line: int, headers: list[str]) -> None:
        for h in headers:
            match = OBJECTIVE.match(h)
            if match and match.group(1) not in self.catalogue.competency_index:
                raise ReportError(f"{path}:{line}: the objectives report names the unknown competency id "
                                  f"{match.group(1)!r} (column {h!r}); the course's competencies are "
                                  f"{', '.join(self.catalogue.competency_ids)}: check the report belongs to this course")

    def _attempt(self, key: str, module_id: str, title: str, number: int) -> Attempt:
        ident = (key, module_id, title, number)
        attempt = self.attempts.get(ident)
        if attempt is None:
            attempt = self.attempts[ident] = Attempt(key, module_id, number, label=title)
        return attempt

    def _date(self, text: str, path: Path, number: int) -> str | None:
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
        self.matrix.notes.say(f"{path.name}: dates like {text!r} could not be read (only English date formats "
                              "are known); those attempts have no date")
        return None

    @staticmethod
    def _number(text: str) -> float | None:
        try:
            return float(text)
        except ValueError:
            return None

    def _sco_cell(self, attempt: Attempt, cell: str, overall: str) -> None:
        # Basic report: "52/100"; the others: "52"; the status text when there is no score.
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

    def _interactions(self, attempt: Attempt, header: list[str], cells: list[str], path: Path, number: int) -> int:
        seen = 0
        for i, h in enumerate(header):
            match = QUESTION.match(h)
            if not match or not cells[i]:
                continue
            n = match.group(1)
            seen += 1
            result_col = header.index(f"Result {n}") if f"Result {n}" in header else None
            result = cells[result_col].strip().lower() if result_col is not None else ""
            hit = self.catalogue.resolve_interaction(cells[i], attempt.module_id)
            if hit is None:
                self.matrix.notes.count(self.matrix.notes.not_in_catalogue, f"interaction {cells[i]}")
                continue
            if hit[0] != attempt.module_id:
                self.matrix.notes.count(self.matrix.notes.not_in_catalogue,
                                        f"interaction {cells[i]} (from module {hit[0]}, not {attempt.module_id})")
                continue
            tally = attempt.questions.setdefault(hit[2], [0, 0])
            tally[1] += 1
            if result == "correct" or (self._number(result) or 0) > 0:
                tally[0] += 1
        return seen

    def _objectives(self, attempt: Attempt, header: list[str], cells: list[str]) -> int:
        found = 0
        for i, h in enumerate(header):
            match = OBJECTIVE.match(h)
            if not match or match.group(2) != "status" or match.group(1) not in self.catalogue.competency_index:
                continue
            status = cells[i].strip().lower()
            score_col = header.index(f"{match.group(1)} score") if f"{match.group(1)} score" in header else None
            score = self._number(cells[score_col]) if score_col is not None and cells[score_col] else None
            if status or score is not None:
                found += 1
                attempt.objectives[match.group(1)] = (status, score)
        return found

    def _gradebook(self, path: Path, header: list[str], rows) -> None:
        columns = []
        for i, h in enumerate(header):
            match = GRADEBOOK_SCORM.match(h)
            if match:
                columns.append((i, self.module_map.module_for(match.group(1), f"{path}:1")))
        if not columns:
            raise ReportError(f"{path}:1: this gradebook export has no 'SCORM package: ... (Real)' column; "
                              "export the SCORM activities' grades as real values")
        bit = self.matrix.source(f"Moodle gradebook {path.name}")
        c_email = header.index("Email address") if "Email address" in header else None
        c_id = header.index("ID number") if "ID number" in header else None
        for number, cells in rows:
            if not any(cells):
                continue
            cells = cells + [""] * (len(header) - len(cells))
            who = Identity(name=f"{cells[0]} {cells[1]}".strip(), email=cells[c_email] if c_email is not None else "",
                           user_id=cells[c_id] if c_id is not None else "")
            key = self.resolver.key(who)
            if key is None:
                raise ReportError(f"{path}:{number}: this row has no {self.resolver.match} to match the learner by")
            self.matrix.learner(key)
            for i, module_id in columns:
                grade = self._number(cells[i])
                if grade is not None:
                    self.grades.append((key, module_id, grade, bit))
        self.matrix.notes.count(self.matrix.notes.read, f"Moodle gradebook {path.name}", len(rows))

    # ------------------------------------------------------------------ verdicts
    def finish(self) -> None:
        """Turn the merged attempts and grades into verdicts."""
        for attempt in self.attempts.values():
            module = self.catalogue.module(attempt.module_id)
            if attempt.status in ("passed", "failed"):
                module_passed = attempt.status == "passed"
            elif attempt.score is not None and module.has_quiz:
                module_passed = attempt.score >= module.pass_mark
            else:
                module_passed = not module.has_quiz and attempt.status == "completed"
            self.matrix.module_result(attempt.key, module.id, module_passed)
            for cid in self.catalogue.module_competencies[module.id]:
                if cid in attempt.objectives:
                    status, score = attempt.objectives[cid]
                    if status in ("passed", "failed"):
                        passed = status == "passed"
                    elif score is not None:
                        passed = score >= module.pass_mark
                    elif status == "completed":
                        passed = module_passed
                    else:
                        passed = False
                    basis = "objective"
                elif cid in attempt.questions:
                    right, answered = attempt.questions[cid]
                    score = round(100 * right / answered, 2)
                    passed, basis = score >= module.pass_mark, "questions"
                else:
                    score, passed, basis = None, module_passed, "module"
                self.matrix.verdict(attempt.key, module.id, cid, passed, score, attempt.when, attempt.number,
                                    attempt.sources, basis)
        for key, module_id, grade, bit in self.grades:
            module = self.catalogue.module(module_id)
            passed = grade >= module.pass_mark if module.has_quiz else grade > 0
            self.matrix.module_result(key, module_id, passed)
            for cid in self.catalogue.module_competencies[module_id]:
                self.matrix.verdict(key, module_id, cid, passed, None, None, 0, bit, "module")
        self.attempts.clear()
        self.grades.clear()
