"""Cells that a spreadsheet will show as text and never run as a formula.

Every CSV or XLSX cell the tool writes from outside data (learner names, emails, ids,
titles, anything read from a roster, a statement or an export) goes through `safe_cell`.
OWASP's CSV-injection guidance: a cell that begins with `=`, `+`, `-`, `@`, a tab or a
carriage return may be read as a formula by Excel, LibreOffice or Google Sheets, so it is
prefixed with a single quote, which they show as text. Numbers the tool computed itself
(scores, counts) are not outside data and stay numbers.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: object) -> object:
    """`value` unchanged unless it is text a spreadsheet could run; then the same text, quoted."""
    if isinstance(value, str) and value.lstrip(" ").startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
