"""What `ccm report` does, apart from parsing its options (cli.py): load, read, write, tell."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

from ..source import SourceError, load_course
from . import ReportOptions, build_report
from .errors import EXIT_INTERRUPTED, EXIT_SOURCE, ReportError
from .outputs import FORMATS, notes_lines, write_outputs
from .lrs import lrs_auth_from_environment


def run_report(source: Path, options: ReportOptions, out: Path, formats: tuple[str, ...],
               echo: Callable[..., None], prompt: Callable[[str], str] | None = None, quiet: bool = False) -> int:
    """Run the report; returns the exit code. `echo(text, err=False)` prints."""
    try:
        course = load_course(source)
    except SourceError as error:
        for line in error.report(source, "no report was made"):
            echo(line, err=True)
        return EXIT_SOURCE
    if options.lrs_url and not options.lrs_auth:
        options.lrs_auth = lrs_auth_from_environment()
        if not options.lrs_auth and prompt is not None and sys.stdin.isatty():
            secret = prompt("LRS credentials (key:secret, or an Authorization header value)")
            from .lrs import lrs_auth_from_environment as from_env

            options.lrs_auth = from_env({"CCM_LRS_AUTH": secret})
    try:
        report = build_report(course, options)
        paths = write_outputs(report, out, formats or FORMATS)
    except ReportError as error:
        echo(f"error: {error}", err=True)
        return error.exit_code
    except KeyboardInterrupt:
        echo("interrupted; the report was not written", err=True)
        return EXIT_INTERRUPTED
    for line in notes_lines(report)[1:]:
        echo(f"note: {line}", err=True)
    if options.pathways and not quiet:
        for line in pathway_lines(report):
            echo(line)
    if not quiet:
        summary = report.competency_summary()
        echo(f"{len(report.matrix.learners)} learners x {len(summary)} competencies "
             f"(rule '{report.matrix.rule}'); wrote {', '.join(str(p) for p in paths)}")
    return 0


def pathway_lines(report) -> list[str]:
    """Who has completed each chosen pathway, who is part-way (and what is left), who has not started."""
    lines = []
    for row in report.pathway_rows():
        name = report.person(row.learner)[0] or row.learner
        since = f", issued {row.days_since_issue} days ago" if row.days_since_issue is not None else ""
        left = f" ({len(row.modules_left)} left: {', '.join(row.modules_left)})" if row.state == "part-way" else ""
        lines.append(f"{row.pathway_id}: {name} — {row.state}{left}{since}")
    return lines
