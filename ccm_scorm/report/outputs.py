"""Writing a Report: CSV files, JSON, an Excel workbook (one sheet per view) and the HTML report.

Writers go learner by learner, so even a large matrix is never held twice. Every file is
first written under a temporary name in the output folder; only when all of them are
complete are they renamed into place, so a full disk or Ctrl-C never leaves a half-written
report (and earlier outputs in the folder stay as they were). Every CSV and XLSX cell goes
through `safe_cell`: a learner called `=HYPERLINK(...)` is text, never a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import json
import os
from pathlib import Path

from ..spreadsheet import safe_row
from . import Report
from .errors import EXIT_WRITE, ReportError
from .html import render_html
from .matrix import BASIS_TEXT, SYMBOL
from .wording import RULE_TEXT, finite_or_none, notes_lines, number_text

FORMATS = ("csv", "json", "xlsx", "html")
__all__ = ["FORMATS", "notes_lines", "write_outputs"]
DETAIL_HEADER = [
    "learner",
    "name",
    "email",
    "user_id",
    "competency",
    "competency_title",
    "status",
    "symbol",
    "best_score",
    "latest_score",
    "first_achieved",
    "attempts",
    "modules",
    "basis",
    "sources",
]


def detail_rows(report: Report):
    titles = {c.id: c.title for c in report.course.framework.competencies}
    for key in report.learner_keys():
        name, email, user_id = report.person(key)
        for cid, view in zip(report.catalogue.competency_ids, report.matrix.row(key), strict=True):
            yield [
                key,
                name,
                email,
                user_id,
                cid,
                titles[cid],
                view.status,
                view.symbol,
                number_text(view.best),
                number_text(view.latest),
                view.first_achieved,
                view.attempts,
                " ".join(view.modules),
                " ".join(view.basis),
                "; ".join(view.sources),
            ]


def pathway_table(report: Report) -> tuple[list[str], list[list]]:
    header = [
        "pathway",
        "learner",
        "name",
        "state",
        "modules_left",
        "on_roster",
        "issued",
        "days_since_issue",
        "missing",
    ]
    on_roster = {entry.key for entry in report.roster}
    rows = []
    for row in report.pathway_rows():
        rows.append(
            [
                row.pathway_id,
                row.learner,
                report.person(row.learner)[0],
                row.state,
                " ".join(row.modules_left),
                "yes" if row.learner in on_roster else "no",
                row.issued.isoformat() if row.issued else "",
                "" if row.days_since_issue is None else row.days_since_issue,
                "yes" if row.missing else "no",
            ]
        )
    return header, rows


class Staging:
    """The report's files, written to temporary names in the output folder and renamed into place together."""

    def __init__(self, out: Path):
        self.out = out
        self.files: list[tuple[Path, Path]] = []  # (temporary, final)
        self.writing: Path | None = None

    def open(self, name: str, binary: bool = False):
        final = self.out / name
        temporary = self.out / f".{name}.{os.getpid()}.part"
        self.files.append((temporary, final))
        self.writing = final
        if binary:
            return open(temporary, "wb")
        return open(temporary, "w", encoding="utf-8", newline="")

    def commit(self) -> list[Path]:
        # A rename onto a regular file cannot fail halfway; onto a folder it can: refuse before any rename.
        for _, final in self.files:
            if final.exists() and not final.is_file():
                self.writing = final
                raise IsADirectoryError(errno.EISDIR, "a folder or special file is in the way", str(final))
        for temporary, final in self.files:
            self.writing = final
            os.replace(temporary, final)
        return [final for _, final in self.files]

    def discard(self) -> None:
        for temporary, _ in self.files:
            try:
                temporary.unlink()
            except OSError:
                pass  # never created, or already renamed


def write_csv(report: Report, stage: Staging) -> None:
    with stage.open("matrix.csv") as handle:
        writer = csv.writer(handle)
        writer.writerow(DETAIL_HEADER)
        writer.writerows(safe_row(row) for row in detail_rows(report))
    with stage.open("competencies.csv") as handle:
        writer = csv.writer(handle)
        writer.writerow(COMPETENCY_HEADER)
        writer.writerows(safe_row(row) for row in competency_rows(report))
    with stage.open("pathways.csv") as handle:
        writer = csv.writer(handle)
        header, rows = pathway_table(report)
        writer.writerow(header)
        writer.writerows(safe_row(row) for row in rows)


COMPETENCY_HEADER = [
    "competency",
    "title",
    "learners",
    "achieved",
    "attempted",
    "not_assessed",
    "not_started",
    "percent_achieved",
    "modules",
]


def competency_rows(report: Report):
    for row in report.competency_summary():
        yield [
            row["competency"],
            row["title"],
            row["learners"],
            row["achieved"],
            row["attempted"],
            row["not_assessed"],
            row["not_started"],
            row["percent_achieved"],
            " ".join(row["modules"]),
        ]


def write_json(report: Report, stage: Staging) -> None:
    framework = report.course.framework
    with stage.open("report.json") as handle:
        head = {
            "generated": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "course": report.course.settings.title,
            "framework": {"id": framework.id, "version": framework.version},
            "rule": report.matrix.rule,
            "rule_text": RULE_TEXT[report.matrix.rule],
            "basis": BASIS_TEXT,
            "competencies": [
                {"id": c.id, "title": c.title, "iri": framework.competency_iri(c.id)} for c in framework.competencies
            ],
        }
        text = json.dumps(head, ensure_ascii=False, indent=1)
        handle.write(text[:-2] + ',\n "learners": [')
        first = True
        for key in report.learner_keys():
            name, email, user_id = report.person(key)
            cells = {}
            for cid, view in zip(report.catalogue.competency_ids, report.matrix.row(key), strict=True):
                cells[cid] = {
                    "status": view.status,
                    "best_score": finite_or_none(view.best),
                    "latest_score": finite_or_none(view.latest),
                    "first_achieved": view.first_achieved or None,
                    "attempts": view.attempts,
                    "modules": view.modules,
                    "basis": view.basis,
                    "sources": view.sources,
                }
            item = {"learner": key, "name": name, "email": email, "user_id": user_id, "competencies": cells}
            handle.write(("\n  " if first else ",\n  ") + json.dumps(item, ensure_ascii=False))
            first = False
        header, rows = pathway_table(report)
        tail = {
            "competency_summary": report.competency_summary(),
            "pathways": [dict(zip(header, row, strict=True)) for row in rows],
            "notes": notes_lines(report),
        }
        handle.write("\n ],\n" + json.dumps(tail, ensure_ascii=False, indent=1)[2:] + "\n")


def write_xlsx(report: Report, stage: Staging) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)

    def cells(sheet, values, font=None) -> list:
        """Text cells typed as strings (never formulas, whatever they hold); numbers stay numbers."""
        row = []
        for value in safe_row(values):
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"
            if font is not None:
                cell.font = font
            row.append(cell)
        return row

    def sheet_of(title: str, header: list[str], rows) -> None:
        sheet = book.create_sheet(title)
        sheet.append(cells(sheet, header, bold))
        for row in rows:
            sheet.append(cells(sheet, row))

    matrix = book.create_sheet("Matrix")
    matrix.freeze_panes = "C2"
    matrix.append(cells(matrix, ["Learner", "Name"] + list(report.catalogue.competency_ids), bold))
    for key in report.learner_keys():
        matrix.append(
            cells(
                matrix,
                [key, report.person(key)[0]] + [f"{view.symbol} {view.status}" for view in report.matrix.row(key)],
            )
        )
    sheet_of("Details", DETAIL_HEADER, detail_rows(report))
    sheet_of(
        "Competencies",
        ["Competency", "Title", "Learners", "Achieved", "Attempted", "Not started", "% achieved", "Modules"],
        competency_rows(report),
    )
    sheet_of("Pathways", *pathway_table(report))
    notes = (
        notes_lines(report)
        + [f"basis '{k}': {v}" for k, v in BASIS_TEXT.items()]
        + [f"'{SYMBOL[s]}' = {s}" for s in SYMBOL]
    )
    sheet_of("Notes", ["Note"], ([line] for line in notes))
    with stage.open("report.xlsx", binary=True) as handle:
        book.save(handle)


def write_html(report: Report, stage: Staging) -> None:
    with stage.open("report.html") as handle:
        handle.write(render_html(report))


WRITERS = {"csv": write_csv, "json": write_json, "xlsx": write_xlsx, "html": write_html}


def write_outputs(report: Report, out: Path, formats) -> list[Path]:
    """Write every chosen format; all files appear together or none does (ReportError, exit 3)."""
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportError(f"cannot create the output folder {out}: {error.strerror or error}", EXIT_WRITE) from None
    stage = Staging(out)
    try:
        for name in formats:
            WRITERS[name](report, stage)
        return stage.commit()
    except OSError as error:
        stage.discard()
        raise ReportError(_write_failure(stage.writing or out, error), EXIT_WRITE) from None
    except BaseException:
        stage.discard()
        raise


def _write_failure(path: Path, error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        advice = "the disk is full: free some space or choose another --out folder"
    elif error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = "the folder is not writable: choose another --out folder or change its permissions"
    else:
        advice = "check the --out folder"
    return f"cannot write {path}: {error.strerror or error}; the report was not written ({advice})"
