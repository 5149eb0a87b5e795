"""What `ccm framework export` and `ccm framework mapping` do, apart from parsing options (cli.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Callable

from ..source import SourceError, load_course
from .exports import FrameworkExportError, case_json, mapping_csv, markdown, moodle_csv

EXIT_SOURCE, EXIT_USAGE, EXIT_WRITE = 1, 2, 3


def _load(source: Path, echo):
    try:
        return load_course(source)
    except SourceError as error:
        for line in error.report(source, "nothing was exported"):
            echo(line, err=True)
        return None


def _write(text: str, out: Path | None, echo) -> int:
    if out is None:
        echo(text, nl=False)
        return 0
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        echo(f"error: cannot write {out}: {error.strerror or error} — check the folder is writable", err=True)
        return EXIT_WRITE
    echo(f"wrote {out}", err=True)
    return 0


def run_export(source: Path, fmt: str, out: Path | None, changed: str | None, echo: Callable) -> int:
    course = _load(source, echo)
    if course is None:
        return EXIT_SOURCE
    try:
        if fmt == "moodle-csv":
            text = moodle_csv(course.framework)
        elif fmt == "case-json":
            when = changed or dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S+00:00")
            text = case_json(course.framework, when, course.settings.publisher)
        else:
            text = markdown(course.framework)
    except FrameworkExportError as error:
        echo(f"error: {error}", err=True)
        return EXIT_SOURCE
    return _write(text, out, echo)


def run_mapping(source: Path, targets: tuple[str, ...], out: Path | None, echo: Callable) -> int:
    course = _load(source, echo)
    if course is None:
        return EXIT_SOURCE
    chosen = list(targets) or list(course.settings.default_targets)
    return _write(mapping_csv(course, chosen), out, echo)
