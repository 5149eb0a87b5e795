"""Reading spreadsheets the way LMSs export them: tab or comma separated text, XLSX and ODS.

Every reader returns rows as lists of strings (numbers as their shortest text, empty
cells as ""), each with the line or row number a message should point at.
"""

from __future__ import annotations

import contextlib
import csv
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .errors import ReportError

csv.field_size_limit(16 * 1024 * 1024)


@contextlib.contextmanager
def open_text(path: Path) -> Iterator:
    """Open a UTF-8 text file; a missing file or bad encoding becomes a ReportError."""
    try:
        handle = open(path, encoding="utf-8-sig", newline="")
    except OSError as error:
        raise ReportError(f"{path}: cannot read this file: {error.strerror or error}") from None
    try:
        with handle:
            yield handle
    except UnicodeDecodeError as error:
        raise ReportError(f"{path}: not UTF-8 text (byte {error.start}): save or export it as UTF-8") from None


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def read_table(path: Path) -> list[tuple[int, list[str]]]:
    """(row number, cells) for every row of a .txt/.tsv/.csv, .xlsx or .ods file."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _read_xlsx(path)
    if suffix == ".ods":
        return _read_ods(path)
    return _read_delimited(path)


def _read_delimited(path: Path) -> list[tuple[int, list[str]]]:
    rows = []
    with open_text(path) as handle:
        first = handle.readline()
        handle.seek(0)
        # Moodle's "CSV" SCORM report download is tab separated; its gradebook export uses commas.
        delimiter = "\t" if "\t" in first else ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        try:
            for row in reader:
                rows.append((reader.line_num, [cell.strip() for cell in row]))
        except csv.Error as error:
            kind = "tab-separated" if delimiter == "\t" else "CSV"
            raise ReportError(f"{path}:{reader.line_num + 1}: malformed {kind} text: {error}") from None
    return rows


def _read_xlsx(path: Path) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReportError(f"{path}: not a readable Excel (.xlsx) workbook: {error}") from None
    try:
        sheet = book.active if book.active is not None else book.worksheets[0]
        return [
            (number, [cell_text(v) for v in row])
            for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
        ]
    finally:
        book.close()


def _read_ods(path: Path) -> list[tuple[int, list[str]]]:
    from odf import opendocument, table, teletype

    try:
        document = opendocument.load(str(path))
    except Exception as error:  # odfpy raises many kinds for a damaged file
        raise ReportError(f"{path}: not a readable OpenDocument spreadsheet (.ods): {error}") from None
    sheets = document.getElementsByType(table.Table)
    if not sheets:
        raise ReportError(f"{path}: the spreadsheet has no sheet")
    rows = []
    for number, row in enumerate(sheets[0].getElementsByType(table.TableRow), start=1):
        cells: list[str] = []
        for cell in row.childNodes:
            if getattr(cell, "qname", (None, None))[1] not in ("table-cell", "covered-table-cell"):
                continue
            try:
                repeat = int(cell.getAttribute("numbercolumnsrepeated") or 1)
                kind = cell.getAttribute("valuetype")
                if kind in ("float", "percentage", "currency"):
                    text = cell_text(float(cell.getAttribute("value")))
                else:
                    text = teletype.extractText(cell).strip()
            except (TypeError, ValueError, OverflowError):  # a hand-edited file: "1e999" repeats, "x" values
                raise ReportError(
                    f"{path}: row {number}: a cell that is not what OpenDocument allows "
                    "(a repeat count or a number that cannot be read): export it again"
                ) from None
            cells.extend([text] * min(max(repeat, 1), 1024))
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append((number, cells))
    return rows
