"""`ccm preview`: the course as learners see it, rebuilt on every save, until Ctrl+C."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from . import Outcome


def preview(source: Path, port: int, target: str | None, open_browser: bool, say: Callable[[str], None]) -> Outcome:
    """Serve the preview; it runs until stopped, so what it has to say goes to `say` as it happens."""
    from ..preview import run_preview

    return Outcome(exit_code=run_preview(source, port=port, target=target, open_browser=open_browser, echo=say))
