"""The learner x competency matrix, built incrementally from attempt verdicts.

Memory grows with learners x competencies (one small Cell each), never with the
number of statements or rows read: every source turns what it reads into verdicts
("in this attempt of module M, competency C was passed/not passed, with score S, at
time T, on this basis") and forgets it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .catalogue import Catalogue

RULES = ("any", "all")
DEFAULT_RULE = "any"

# What a cell's verdicts rest on, strongest first.
BASES = ("objective", "questions", "module", "started")
BASIS_TEXT = {
    "objective": "the competency's own recorded result (SCORM objective, xAPI competency result)",
    "questions": "the learner's answers to the competency's questions, resolved through the course source",
    "module": "the module's pass/fail only: the competency's own result is not in the data",
    "started": "the learner started the module but no result was submitted",
}
ACHIEVED = "achieved"
ATTEMPTED = "attempted, not yet achieved"
# Every attempt asked too few of the competency's questions to judge it (verdicts.py): not failed.
NOT_ASSESSED = "not assessed"
NOT_STARTED = "not started"
STATUSES = (ACHIEVED, ATTEMPTED, NOT_ASSESSED, NOT_STARTED)
SYMBOL = {ACHIEVED: "✓", ATTEMPTED: "◐", NOT_ASSESSED: "○", NOT_STARTED: "–"}


class Cell:
    __slots__ = (
        "first_pass",
        "passed",
        "attempts",
        "best",
        "latest_key",
        "latest",
        "bases",
        "sources",
        "modules",
        "module_pass",
        "judged",
    )

    def __init__(self):
        self.first_pass: str | None = None  # earliest known time of a passing verdict
        self.passed = False
        self.attempts = 0
        self.best: float | None = None
        self.latest_key: tuple = ()
        self.latest: float | None = None
        self.bases = 0  # bit set over BASES
        self.sources = 0  # bit set over Matrix.sources
        self.modules = 0  # bit set over the catalogue's modules
        self.module_pass: dict[int, str] | None = None  # module index -> earliest pass time ("" unknown)
        self.judged = False  # a verdict, not only "started" or "not assessed" records


class Learner:
    __slots__ = ("cells", "modules")

    def __init__(self):
        self.cells: dict[int, Cell] = {}
        self.modules: dict[int, int] = {}  # module index -> 1 started/attempted, 2 passed or completed


@dataclass
class CellView:
    status: str
    best: float | None
    latest: float | None
    first_achieved: str
    attempts: int
    modules: list[str]
    sources: list[str]
    basis: list[str]

    @property
    def symbol(self) -> str:
        return SYMBOL[self.status]

    def evidence(self) -> str:
        if self.status == NOT_STARTED:
            return ""
        parts = [f"modules: {', '.join(self.modules)}"]
        if self.attempts:
            parts.append(f"{self.attempts} attempt{'s' if self.attempts != 1 else ''}")
        parts.append(f"basis: {', '.join(self.basis)}")
        parts.append(f"sources: {'; '.join(self.sources)}")
        return "; ".join(parts)


def iso_utc(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Notes:
    """Counts and messages about what was read, for the report and the terminal."""

    read: dict[str, int] = field(default_factory=dict)  # source label -> statements / rows read
    not_in_catalogue: dict[str, int] = field(default_factory=dict)  # activity id -> count
    unknown_competencies: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> count
    messages: list[str] = field(default_factory=list)
    # What could not be used although it was evidence: reason -> [count, up to 5 examples, more?].
    # Turned into messages by `close()`; `--strict` makes any of them an error.
    unused: dict[str, list] = field(default_factory=dict)

    def drop(self, reason: str, example: str = "", n: int = 1) -> None:
        """Count `n` records that were read but could not be used, for `reason` (a plural noun phrase)."""
        entry = self.unused.setdefault(reason, [0, [], False])
        entry[0] += n
        if example and example not in entry[1]:
            if len(entry[1]) < 5:
                entry[1].append(example)
            else:
                entry[2] = True  # more examples than shown

    def count(self, table: dict[str, int], key: str, n: int = 1) -> None:
        table[key] = table.get(key, 0) + n

    def say(self, message: str) -> None:
        if message not in self.messages:
            self.messages.append(message)

    def unused_lines(self) -> list[str]:
        lines = []
        for reason, (n, examples, more) in self.unused.items():
            shown = f": {', '.join(examples)}{', …' if more else ''}" if examples else ""
            lines.append(f"{n} {reason}{shown}")
        return lines

    def close(self) -> None:
        """Add what was left unused to the messages (once every source is read)."""
        for line in self.unused_lines():
            self.say(line)

    def problems(self) -> list[str]:
        """What `--strict` refuses: evidence left unused, activities and competencies not in the course."""
        lines = self.unused_lines()
        # statements the xAPI reader could not use (voided and pathway statements are skipped by design)
        lines += [
            f"{n} {reason}"
            for reason, n in self.skipped.items()
            if "could not be used" in reason or "without a learner" in reason
        ]
        if self.not_in_catalogue:
            lines.append(
                f"{sum(self.not_in_catalogue.values())} records for activities not in the course "
                f"(e.g. {', '.join(list(self.not_in_catalogue)[:3])})"
            )
        if self.unknown_competencies:
            lines.append(
                f"{sum(self.unknown_competencies.values())} results for competencies not in the framework "
                f"({', '.join(sorted(self.unknown_competencies)[:3])})"
            )
        return lines


class Matrix:
    def __init__(self, catalogue: Catalogue, rule: str = DEFAULT_RULE):
        if rule not in RULES:
            raise ValueError(rule)
        self.catalogue = catalogue
        self.rule = rule
        self.learners: dict[str, Learner] = {}
        self.sources: list[str] = []
        self._source_bits: dict[str, int] = {}
        self.notes = Notes()

    def source(self, label: str) -> int:
        bit = self._source_bits.get(label)
        if bit is None:
            bit = self._source_bits[label] = 1 << len(self.sources)
            self.sources.append(label)
        return bit

    def learner(self, key: str) -> Learner:
        record = self.learners.get(key)
        if record is None:
            record = self.learners[key] = Learner()
        return record

    # ------------------------------------------------------------------ input
    def verdict(
        self,
        key: str,
        module_id: str,
        competency_id: str,
        passed: bool,
        score: float | None,
        when: str | None,
        attempt: int,
        source_bit: int,
        basis: str,
        counts: bool = True,
    ) -> None:
        """One attempt's outcome for one competency. `when` is an ISO UTC time or None; `attempt`
        orders attempts with the same time. `counts=False`: the same attempt, seen again for
        another module (a pathway's competency evidenced by several of its modules)."""
        record = self.learner(key)
        c = self.catalogue.competency_index[competency_id]
        m = self.catalogue.module_index[module_id]
        cell = record.cells.get(c)
        if cell is None:
            cell = record.cells[c] = Cell()
        if counts:
            cell.attempts += 1
        cell.judged = True
        cell.bases |= 1 << BASES.index(basis)
        cell.sources |= source_bit
        cell.modules |= 1 << m
        if score is not None:
            if cell.best is None or score > cell.best:
                cell.best = score
            order = (when or "", attempt)
            if cell.latest is None or order >= cell.latest_key:
                cell.latest_key, cell.latest = order, score
        if passed:
            cell.passed = True
            if when and (cell.first_pass is None or when < cell.first_pass):
                cell.first_pass = when
            if cell.module_pass is None:
                cell.module_pass = {}
            before = cell.module_pass.get(m)
            if before is None or (when and (not before or when < before)):
                cell.module_pass[m] = when or ""

    def started(self, key: str, module_id: str, competency_ids, source_bit: int) -> None:
        """The learner started a module (launched it, answered a question) without a result yet."""
        record = self.learner(key)
        m = self.catalogue.module_index[module_id]
        if m not in record.modules:
            record.modules[m] = 1
        for competency_id in competency_ids:
            if competency_id in self.catalogue.competency_index:
                self._touch(record, m, competency_id, source_bit, "started")

    def not_assessed(self, key: str, module_id: str, competency_id: str, source_bit: int, basis: str) -> None:
        """An attempt of the module that asked too few of the competency's questions to judge it
        (verdicts.is_judged): neither passed nor failed. Any judged attempt, earlier or later, wins."""
        record = self.learner(key)
        self._touch(record, self.catalogue.module_index[module_id], competency_id, source_bit, basis).attempts += 1

    def _touch(self, record: Learner, m: int, competency_id: str, source_bit: int, basis: str) -> Cell:
        c = self.catalogue.competency_index[competency_id]
        cell = record.cells.get(c)
        if cell is None:
            cell = record.cells[c] = Cell()
        cell.bases |= 1 << BASES.index(basis)
        cell.sources |= source_bit
        cell.modules |= 1 << m
        return cell

    def module_result(self, key: str, module_id: str, passed: bool) -> None:
        record = self.learner(key)
        m = self.catalogue.module_index[module_id]
        record.modules[m] = max(record.modules.get(m, 0), 2 if passed else 1)

    # ------------------------------------------------------------------ views
    def cell(self, key: str, competency_id: str) -> CellView:
        record = self.learners.get(key)
        c = self.catalogue.competency_index[competency_id]
        cell = record.cells.get(c) if record else None
        if cell is None:
            return CellView(NOT_STARTED, None, None, "", 0, [], [], [])
        modules = [m.id for i, m in enumerate(self.catalogue.modules) if cell.modules >> i & 1]
        sources = [label for i, label in enumerate(self.sources) if cell.sources >> i & 1]
        basis = [b for i, b in enumerate(BASES) if cell.bases >> i & 1]
        if self.rule == "any":
            achieved = cell.passed
            first = cell.first_pass or ""
        else:
            wanted = [self.catalogue.module_index[mid] for mid in self.catalogue.mapped[competency_id]]
            passes = cell.module_pass or {}
            achieved = bool(wanted) and all(m in passes for m in wanted)
            times = [passes[m] for m in wanted if m in passes]
            first = max(times) if achieved and all(times) else ""
        status = ACHIEVED if achieved else ATTEMPTED if cell.judged or not cell.attempts else NOT_ASSESSED
        return CellView(status, cell.best, cell.latest, first, cell.attempts, modules, sources, basis)

    def row(self, key: str) -> list[CellView]:
        return [self.cell(key, cid) for cid in self.catalogue.competency_ids]

    def module_status(self, key: str, module_id: str) -> int:
        record = self.learners.get(key)
        return record.modules.get(self.catalogue.module_index[module_id], 0) if record else 0
