"""`ccm report`: load the course, read the results, write the report files, and tell."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from ..report import ReportOptions, build_report
from ..report.lrs import lrs_auth_from_environment
from ..report.outputs import FORMATS, notes_lines, write_outputs
from . import Outcome, load

INTERRUPTED = "interrupted; the report was not written"


def make_report(
    source: Path,
    options: ReportOptions,
    out: Path,
    formats: tuple[str, ...],
    prompt: Callable[[str], str] | None = None,
    quiet: bool = False,
) -> Outcome:
    """Write the report files; `prompt(text)` asks for the LRS credential when none is set and stdin is a terminal."""
    course = load(source, "no report was made")
    if options.lrs_url and not options.lrs_auth:
        options.lrs_auth = lrs_auth_from_environment()
        if not options.lrs_auth and prompt is not None and sys.stdin.isatty():
            secret = prompt("LRS credentials (key:secret, or an Authorization header value)")
            options.lrs_auth = lrs_auth_from_environment({"CCM_LRS_AUTH": secret})
    report = build_report(course, options)
    paths = write_outputs(report, out, formats or FORMATS)
    outcome = Outcome(err=[f"note: {line}" for line in notes_lines(report)[1:]])
    if quiet:
        return outcome
    if options.pathways:
        outcome.out.extend(pathway_lines(report))
    summary = report.competency_summary()
    outcome.out.append(
        f"{len(report.matrix.learners)} learners x {len(summary)} competencies "
        f"(rule '{report.matrix.rule}'); wrote {', '.join(str(p) for p in paths)}"
    )
    return outcome


def pathway_lines(report) -> list[str]:
    """Who has completed each chosen pathway, who is part-way (and what is left), who has not started."""
    lines = []
    for row in report.pathway_rows():
        name = report.person(row.learner)[0] or row.learner
        since = f", issued {row.days_since_issue} days ago" if row.days_since_issue is not None else ""
        left = f" ({len(row.modules_left)} left: {', '.join(row.modules_left)})" if row.state == "part-way" else ""
        lines.append(f"{row.pathway_id}: {name} — {row.state}{left}{since}")
    return lines
