"""Words and numbers every output shares (the rule, the notes, a score as text); imported by
outputs.py and html.py alike, so neither imports the other's internals."""

from __future__ import annotations

import math

from . import Report

RULE_TEXT = {
    "any": "achieved when any module that evidences the competency was passed with the competency's own "
    "result at or above the module's pass mark (or, where the data has no result of the competency's "
    "own, with the module passed; the basis column says which)",
    "all": "achieved when every module mapped to the competency was passed for it (its own result at or "
    "above the pass mark, or the module passed where the data has no result of its own)",
}


def number_text(value: float | None):
    """A score as a spreadsheet shows it: whole numbers without ".0", "" for none (or a non-finite value)."""
    if value is None or not math.isfinite(value):
        return ""
    return int(value) if float(value).is_integer() else round(value, 2)


def finite_or_none(value: float | None) -> float | None:
    return value if value is not None and math.isfinite(value) else None


def notes_lines(report: Report) -> list[str]:
    notes = report.notes
    lines = [f"rule: {report.matrix.rule}: {RULE_TEXT[report.matrix.rule]}"]
    lines += [f"read {n} from {label}" for label, n in notes.read.items()]
    if notes.not_in_catalogue:
        total = sum(notes.not_in_catalogue.values())
        examples = ", ".join(list(notes.not_in_catalogue)[:5])
        lines.append(
            f"{total} statements or interactions were for activities not in the catalogue and were left out "
            f"({len(notes.not_in_catalogue)} activities, e.g. {examples})"
        )
    if notes.unknown_competencies:
        lines.append(
            f"{sum(notes.unknown_competencies.values())} competency results named competencies not in the "
            f"framework and were left out: {', '.join(sorted(notes.unknown_competencies))}"
        )
    lines += [f"{n} {reason} were left out" for reason, n in notes.skipped.items()]
    lines += notes.messages
    return lines
