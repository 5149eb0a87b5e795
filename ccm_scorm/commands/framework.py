"""`ccm framework export` and `ccm framework mapping`: the competency framework as files for other systems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import WriteProblem
from . import Outcome, load

NOTHING_EXPORTED = "nothing was exported"


def export_framework(source: Path, fmt: str, out: Path | None, changed: str | None) -> Outcome:
    """The framework as moodle-csv, case-json or markdown; `changed` is CASE's lastChangeDateTime (default: now)."""
    from ..framework.exports import case_json, markdown, moodle_csv

    course = load(source, NOTHING_EXPORTED)
    if fmt == "moodle-csv":
        text = moodle_csv(course.framework)
    elif fmt == "case-json":
        when = changed or dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S+00:00")
        text = case_json(course.framework, when, course.settings.publisher)
    else:
        text = markdown(course.framework)
    return _written(text, out)


def mapping(source: Path, targets: tuple[str, ...], out: Path | None) -> Outcome:
    """Which package evidences which competencies, as CSV."""
    from ..framework.exports import mapping_csv

    course = load(source, NOTHING_EXPORTED)
    return _written(mapping_csv(course, list(targets) or list(course.settings.default_targets)), out)


def _written(text: str, out: Path | None) -> Outcome:
    if out is None:
        return Outcome(text=text)
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise WriteProblem(f"cannot write {out}: {error.strerror or error} — check the folder is writable") from None
    return Outcome(err=[f"wrote {out}"])
