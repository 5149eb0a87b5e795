"""The self-contained HTML report a manager reads: a summary in words, two charts, the matrix, pathways.

Charts are SVG written by a Jinja template (templates/charts.svg.j2), autoescaped like every
other text, so a learner's name is only ever text: no library parses it as markup or maths.
The file needs nothing from anywhere else. Colour is never the only signal: every cell
carries a status word and symbol, the charts use hatching and dots as well as colour, and
each chart has a table with the same numbers.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from jinja2 import Environment, PackageLoader

from . import Report
from .matrix import ACHIEVED, ATTEMPTED, NOT_ASSESSED, NOT_STARTED, STATUSES, SYMBOL
from .wording import RULE_TEXT, notes_lines, number_text

# Okabe-Ito colours, safe for colour-blind readers; cell tints keep black text at AA contrast.
COLOURS = {"achieved": "#0072B2", "attempted": "#E69F00", "not-assessed": "#A6D8F5", "not-started": "#BBBBBB"}
STATUS_KEY = {ACHIEVED: "achieved", ATTEMPTED: "attempted", NOT_ASSESSED: "not-assessed", NOT_STARTED: "not-started"}
SORT_ORDER = {ACHIEVED: 3, ATTEMPTED: 2, NOT_ASSESSED: 1, NOT_STARTED: 0}
HEATMAP_LIMIT = 200  # learners drawn in the heat map; the table always has everyone
# What a cell's result rests on, in a manager's words (the ids are matrix.BASES, kept in the CSV and JSON).
BASIS_WORDS = {
    "objective": (
        "own quiz result",
        "the learner's recorded result for this competency (its quiz questions, reported by the LMS or the LRS)",
    ),
    "questions": ("from quiz answers", "worked out from the learner's answers to this competency's questions"),
    "module": (
        "module pass only",
        "only whether the learner passed the module: the data has no result for this competency itself",
    ),
    "started": ("started, nothing submitted", "the learner opened the module but submitted no answers yet"),
}

_environment = Environment(
    loader=PackageLoader("ccm_scorm.report", "templates"), autoescape=True, trim_blocks=False, lstrip_blocks=False
)


def whole_ticks(largest: int, most: int = 6) -> list[int]:
    """Axis values 0, step, 2 x step... reaching `largest`, the step 1, 2 or 5 x 10^n: counts are whole."""
    largest = max(largest, 1)
    magnitude = 1
    while True:
        for step in (magnitude, 2 * magnitude, 5 * magnitude):
            if math.ceil(largest / step) <= most:
                return list(range(0, math.ceil(largest / step) * step + 1, step))
        magnitude *= 10


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_geometry(summary: list[dict], total: int) -> dict:
    left, plot_width, bar_height, gap, top = 4, 400, 22, 50, 30
    ticks = whole_ticks(total)
    scale = plot_width / ticks[-1]
    rows = []
    for n, row in enumerate(summary):
        x, parts = left, []
        for kind in ("achieved", "attempted", "not-assessed", "not-started"):
            field = kind.replace("-", "_")
            width = row[field] * scale
            if row[field]:
                parts.append(
                    {
                        "kind": kind,
                        "x": round(x, 2),
                        "width": round(width, 2),
                        "count": row[field],
                        "show_count": width >= 22,
                    }
                )
            x += width
        rows.append({"label": shorten(row["title"], 50), "y": top + n * gap, "parts": parts})
    axis_y = top + len(summary) * gap - gap + bar_height + 6
    description = "; ".join(
        f"{row['title']}: {row['achieved']} achieved, {row['attempted']} attempted, "
        f"{row['not_assessed']} not assessed, {row['not_started']} not started"
        for row in summary
    )
    return {
        "width": left + plot_width + 20,
        "height": axis_y + 48,
        "left": left,
        "plot_width": plot_width,
        "top": top - 20,
        "axis_y": axis_y,
        "bar_height": bar_height,
        "rows": rows,
        "ticks": [{"value": t, "x": round(left + t * scale, 2)} for t in ticks],
        "description": f"{total} learners. {description}.",
    }


def heat_geometry(report: Report, keys: list[str]) -> dict:
    competencies = report.course.framework.competencies
    cell_width, cell_height, left, top = 34, 22, 190, 130
    rows = []
    for n, key in enumerate(keys[:HEATMAP_LIMIT]):
        cells = [
            {"x": left + i * cell_width, "kind": STATUS_KEY[view.status], "symbol": view.symbol}
            for i, view in enumerate(report.matrix.row(key))
        ]
        rows.append({"label": shorten(report.person(key)[0] or key, 26), "y": top + n * cell_height, "cells": cells})
    columns = [
        {"x": left + i * cell_width + cell_width / 2, "label": shorten(c.title, 24)} for i, c in enumerate(competencies)
    ]
    return {
        "width": left + len(competencies) * cell_width + 150,
        "height": top + len(rows) * cell_height + 10,
        "left": left,
        "top": top,
        "cell_width": cell_width,
        "cell_height": cell_height,
        "rows": rows,
        "columns": columns,
        "description": f"{len(rows)} learners by {len(competencies)} competencies; each cell shows "
        "✓ achieved, ◐ attempted, ○ not assessed or – not started, as the table below does.",
    }


def cell_view(view) -> dict:
    scores = ""
    if view.best is not None:
        scores = f"best {number_text(view.best)}, latest {number_text(view.latest)}"
    # The strongest evidence names the cell ("own quiz result" beats "module pass only").
    basis = BASIS_WORDS[view.basis[0]][0] if view.basis and view.status != NOT_STARTED else ""
    return {
        "key": STATUS_KEY[view.status],
        "order": SORT_ORDER[view.status],
        "symbol": view.symbol,
        "status": view.status,
        "scores": scores,
        "since": view.first_achieved[:10],
        "basis": basis,
    }


def summary_text(report: Report, summary: list[dict]) -> str:
    """One paragraph: how many learners, how many achieved each competency, what is missing."""
    total = len(report.matrix.learners)
    if not total:
        return "No learner has a result yet, and no roster lists anyone."
    rows = [report.matrix.row(key) for key in report.matrix.learners]
    complete = sum(1 for row in rows if all(view.status == ACHIEVED for view in row))
    idle = sum(1 for row in rows if all(view.status == NOT_STARTED for view in row))
    parts = [
        f"{total} {'learner' if total == 1 else 'learners'}; {complete} achieved every competency.",
        f"Achieved, out of {total}: " + ", ".join(f"{row['title']} {row['achieved']}" for row in summary) + ".",
    ]
    missing = []
    nobody = [row["title"] for row in summary if not row["achieved"]]
    if nobody:
        missing.append(f"nobody has achieved {', '.join(nobody)}")
    if idle:
        missing.append(f"{idle} {'learner has' if idle == 1 else 'learners have'} not started anything")
    if missing:
        parts.append("Still missing: " + "; ".join(missing) + ".")
    return " ".join(parts)


def pathway_sections(report: Report) -> list[dict]:
    """Each pathway with only its learners: on the roster for it, or with a module of it started."""
    assigned = {(entry.key, entry.pathway) for entry in report.roster}
    titles = {m.id: m.title for m in report.course.modules}
    sections: dict[str, dict[str, Any]] = {
        p.id: {"title": p.title, "rows": []}
        for p in report.course.pathways
        if not report.options.pathways or p.id in report.options.pathways
    }
    for row in report.pathway_rows():
        on_it = (row.learner, row.pathway_id) in assigned or (row.learner, "") in assigned
        if row.state == "not started" and not on_it:
            continue
        sections[row.pathway_id]["rows"].append(
            {
                "name": report.person(row.learner)[0] or row.learner,
                "state": row.state,
                "left": [titles.get(m, m) for m in row.modules_left] if row.state != "completed" else [],
                "issued": row.issued.isoformat() if row.issued else "",
                "days": "" if row.days_since_issue is None else row.days_since_issue,
                "missing": "yes" if row.missing else "",
            }
        )
    for section in sections.values():
        rows = section["rows"]
        done = sum(1 for r in rows if r["state"] == "completed")
        section["summary"] = (
            f"{len(rows)} {'learner' if len(rows) == 1 else 'learners'} on this pathway: {done} "
            f"completed, {sum(1 for r in rows if r['state'] == 'part-way')} part-way, "
            f"{sum(1 for r in rows if r['state'] == 'not started')} not started."
            if rows
            else "No learner is on this pathway yet."
        )
    return list(sections.values())


def render_html(report: Report) -> str:
    keys = report.learner_keys()
    framework = report.course.framework
    module_titles = {m.id: m.title for m in report.course.modules}
    summary = report.competency_summary()
    for row in summary:
        row["module_titles"] = [module_titles.get(m, m) for m in row["modules"]]
    learners = []
    for key in keys:
        name, email, _ = report.person(key)
        learners.append(
            {
                "name": name or key,
                "detail": email if name and email else "",
                "cells": [cell_view(view) for view in report.matrix.row(key)],
            }
        )
    statuses = [{"key": STATUS_KEY[s], "symbol": SYMBOL[s], "word": s} for s in STATUSES]
    return _environment.get_template("report.html.j2").render(
        lang=report.course.settings.language or "en-GB",
        title=report.course.settings.title,
        framework=framework,
        generated=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        rule_text=RULE_TEXT[report.matrix.rule],
        statuses=statuses,
        colours=COLOURS,
        summary_text=summary_text(report, summary),
        competencies=framework.competencies,
        learners=learners,
        summary=summary,
        bars=bar_geometry(summary, len(report.matrix.learners)),
        heat=heat_geometry(report, keys),
        heat_cut=len(keys) > HEATMAP_LIMIT,
        heat_limit=HEATMAP_LIMIT,
        pathways=pathway_sections(report),
        basis=list(BASIS_WORDS.values()),
        notes=notes_lines(report),
    )
