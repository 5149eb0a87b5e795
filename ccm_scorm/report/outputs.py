"""Writing a Report: CSV files, JSON, an Excel workbook (one sheet per view) and the HTML report.

Writers go learner by learner, so even a large matrix is never held twice.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

from . import Report
from .errors import EXIT_WRITE, ReportError
from .matrix import BASIS_TEXT, SYMBOL

FORMATS = ("csv", "json", "xlsx", "html")
RULE_TEXT = {
    "any": "achieved when any module that evidences the competency was passed with the competency's own "
           "result at or above the module's pass mark (or, where the data has no result of the competency's "
           "own, with the module passed; the basis column says which)",
    "all": "achieved when every module mapped to the competency was passed for it (its own result at or "
           "above the pass mark, or the module passed where the data has no result of its own)",
}
DETAIL_HEADER = ["learner", "name", "email", "user_id", "competency", "competency_title", "status", "symbol",
                 "best_score", "latest_score", "first_achieved", "attempts", "modules", "basis", "sources"]


def _num(value: float | None):
    if value is None:
        return ""
    return int(value) if float(value).is_integer() else round(value, 2)


def detail_rows(report: Report):
    titles = {c.id: c.title for c in report.course.framework.competencies}
    for key in report.learner_keys():
        name, email, user_id = report.person(key)
        for cid, view in zip(report.catalogue.competency_ids, report.matrix.row(key)):
            yield [key, name, email, user_id, cid, titles[cid], view.status, view.symbol, _num(view.best),
                   _num(view.latest), view.first_achieved, view.attempts, " ".join(view.modules),
                   " ".join(view.basis), "; ".join(view.sources)]


def pathway_table(report: Report) -> tuple[list[str], list[list]]:
    header = ["pathway", "learner", "name", "state", "modules_left", "on_roster", "issued", "days_since_issue",
              "missing"]
    on_roster = {entry.key for entry in report.roster}
    rows = []
    for row in report.pathway_rows():
        rows.append([row.pathway_id, row.learner, report.person(row.learner)[0], row.state, " ".join(row.modules_left),
                     "yes" if row.learner in on_roster else "no", row.issued.isoformat() if row.issued else "",
                     "" if row.days_since_issue is None else row.days_since_issue, "yes" if row.missing else "no"])
    return header, rows


def notes_lines(report: Report) -> list[str]:
    notes = report.notes
    lines = [f"rule: {report.matrix.rule}: {RULE_TEXT[report.matrix.rule]}"]
    lines += [f"read {n} from {label}" for label, n in notes.read.items()]
    if notes.not_in_catalogue:
        total = sum(notes.not_in_catalogue.values())
        examples = ", ".join(list(notes.not_in_catalogue)[:5])
        lines.append(f"{total} statements or interactions were for activities not in the catalogue and were left out "
                     f"({len(notes.not_in_catalogue)} activities, e.g. {examples})")
    if notes.unknown_competencies:
        lines.append(f"{sum(notes.unknown_competencies.values())} competency results named competencies not in the "
                     f"framework and were left out: {', '.join(sorted(notes.unknown_competencies))}")
    lines += [f"{n} {reason} were left out" for reason, n in notes.skipped.items()]
    lines += notes.messages
    return lines


def _writer(path: Path):
    try:
        return open(path, "w", encoding="utf-8", newline="")
    except OSError as error:
        raise ReportError(f"cannot write {path}: {error.strerror or error} — check the folder is writable",
                          EXIT_WRITE) from None


def write_csv(report: Report, out: Path) -> list[Path]:
    paths = [out / "matrix.csv", out / "competencies.csv", out / "pathways.csv"]
    with _writer(paths[0]) as handle:
        writer = csv.writer(handle)
        writer.writerow(DETAIL_HEADER)
        writer.writerows(detail_rows(report))
    with _writer(paths[1]) as handle:
        writer = csv.writer(handle)
        summary = report.competency_summary()
        writer.writerow(["competency", "title", "learners", "achieved", "attempted", "not_started",
                         "percent_achieved", "modules"])
        for row in summary:
            writer.writerow([row["competency"], row["title"], row["learners"], row["achieved"], row["attempted"],
                             row["not_started"], row["percent_achieved"], " ".join(row["modules"])])
    with _writer(paths[2]) as handle:
        writer = csv.writer(handle)
        header, rows = pathway_table(report)
        writer.writerow(header)
        writer.writerows(rows)
    return paths


def write_json(report: Report, out: Path) -> list[Path]:
    path = out / "report.json"
    framework = report.course.framework
    with _writer(path) as handle:
        head = {
            "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "course": report.course.settings.title, "framework": {"id": framework.id, "version": framework.version},
            "rule": report.matrix.rule, "rule_text": RULE_TEXT[report.matrix.rule], "basis": BASIS_TEXT,
            "competencies": [{"id": c.id, "title": c.title, "iri": framework.competency_iri(c.id)}
                             for c in framework.competencies],
        }
        text = json.dumps(head, ensure_ascii=False, indent=1)
        handle.write(text[:-2] + ',\n "learners": [')
        first = True
        for key in report.learner_keys():
            name, email, user_id = report.person(key)
            cells = {}
            for cid, view in zip(report.catalogue.competency_ids, report.matrix.row(key)):
                cells[cid] = {"status": view.status, "best_score": view.best, "latest_score": view.latest,
                              "first_achieved": view.first_achieved or None, "attempts": view.attempts,
                              "modules": view.modules, "basis": view.basis, "sources": view.sources}
            item = {"learner": key, "name": name, "email": email, "user_id": user_id, "competencies": cells}
            handle.write(("\n  " if first else ",\n  ") + json.dumps(item, ensure_ascii=False))
            first = False
        header, rows = pathway_table(report)
        tail = {"competency_summary": report.competency_summary(),
                "pathways": [dict(zip(header, row)) for row in rows], "notes": notes_lines(report)}
        handle.write("\n ],\n" + json.dumps(tail, ensure_ascii=False, indent=1)[2:] + "\n")
    return [path]


def write_xlsx(report: Report, out: Path) -> list[Path]:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    path = out / "report.xlsx"
    book = openpyxl.Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet, names):
        row = []
        for name in names:
            cell = WriteOnlyCell(sheet, value=name)
            cell.font = bold
            row.append(cell)
        sheet.append(row)

    competencies = report.catalogue.competency_ids
    sheet = book.create_sheet("Matrix")
    sheet.freeze_panes = "C2"
    header(sheet, ["Learner", "Name"] + list(competencies))
    for key in report.learner_keys():
        sheet.append([key, report.person(key)[0]] +
                     [f"{view.symbol} {view.status}" for view in report.matrix.row(key)])
    sheet = book.create_sheet("Details")
    header(sheet, DETAIL_HEADER)
    for row in detail_rows(report):
        sheet.append(row)
    sheet = book.create_sheet("Competencies")
    header(sheet, ["Competency", "Title", "Learners", "Achieved", "Attempted", "Not started", "% achieved", "Modules"])
    for row in report.competency_summary():
        sheet.append([row["competency"], row["title"], row["learners"], row["achieved"], row["attempted"],
                      row["not_started"], row["percent_achieved"], " ".join(row["modules"])])
    sheet = book.create_sheet("Pathways")
    names, rows = pathway_table(report)
    header(sheet, names)
    for row in rows:
        sheet.append(row)
    sheet = book.create_sheet("Notes")
    header(sheet, ["Note"])
    for line in notes_lines(report) + [f"basis '{k}': {v}" for k, v in BASIS_TEXT.items()] + \
            [f"'{SYMBOL[s]}' = {s}" for s in SYMBOL]:
        sheet.append([line])
    try:
        book.save(path)
    except OSError as error:
        raise ReportError(f"cannot write {path}: {error.strerror or error}", EXIT_WRITE) from None
    return [path]


def write_html(report: Report, out: Path) -> list[Path]:
    from .html import render_html

    path = out / "report.html"
    with _writer(path) as handle:
        handle.write(render_html(report))
    return [path]


WRITERS = {"csv": write_csv, "json": write_json, "xlsx": write_xlsx, "html": write_html}


def write_outputs(report: Report, out: Path, formats) -> list[Path]:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ReportError(f"cannot create the output folder {out}: {error.strerror or error}", EXIT_WRITE) from None
    paths: list[Path] = []
    for name in formats:
        paths += WRITERS[name](report, out)
    return paths
