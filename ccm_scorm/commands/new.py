"""`ccm new course|module|pathway`: a new unit with placeholders, checked at once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import click

from ..errors import EXIT_OK, EXIT_SOURCE, EXIT_WRITE
from . import Failed, Outcome


def new_course(folder: Path, title: str | None) -> Outcome:
    from .. import scaffold

    return _created(lambda: scaffold.new_course(folder, title))


def new_module(
    source: Path, module_id: str | None, title: str | None, competencies: tuple[str, ...], yes: bool
) -> Outcome:
    from .. import scaffold

    return _created(lambda: scaffold.new_module(source, module_id, title, competencies, yes))


def new_pathway(
    source: Path, pathway_id: str | None, title: str | None, module_ids: tuple[str, ...], yes: bool
) -> Outcome:
    from .. import scaffold

    return _created(lambda: scaffold.new_pathway(source, pathway_id, title, module_ids, yes))


def _created(create: Callable) -> Outcome:
    try:
        created = create()
    except click.Abort:  # the author answered a question with Ctrl-C or Ctrl-D
        raise Failed(["\nnothing was created"], EXIT_WRITE) from None
    return Outcome(
        exit_code=EXIT_SOURCE if created.errors else EXIT_OK,
        err=[str(problem) for problem in created.errors + created.warnings],
        out=[
            f"created {created.path}",
            *(f"  {path}" for path in created.files),
            "Replace every TODO, then run 'ccm validate'.",
        ],
    )
