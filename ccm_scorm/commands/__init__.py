"""One module per `ccm` command: each takes plain values, returns an `Outcome` and raises `CcmError`.

The click layer (cli.py) parses the options, calls the command and prints what it returns; it
also prints every `CcmError` the same way. A command never prints and never exits. Warnings go
to the `ccm_scorm` logger (`log`), which the command line shows as `warning: ...` on stderr.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import EXIT_OK, EXIT_SOURCE, CcmError
from ..source import SourceError, load_course

log = logging.getLogger("ccm_scorm")

DEFAULT_SOURCE = "modules"  # the course folder every command reads unless given another


@dataclass
class Outcome:
    """What a command has to show: stderr lines, stdout lines or text, and the --json form."""

    exit_code: int = EXIT_OK
    out: list[str] = field(default_factory=list)  # stdout lines (text form)
    err: list[str] = field(default_factory=list)  # stderr lines, in both forms
    text_err: list[str] = field(default_factory=list)  # stderr lines of the text form only
    data: dict = field(default_factory=dict)  # the --json form
    text: str | None = None  # printed as it is, e.g. an export sent to stdout
    ascii_json: bool = False  # --json escapes non-ASCII characters (ccm build's report)


class Failed(CcmError):
    """A failure whose lines are worded already; `outcome` is what was found before it (e.g. for --json)."""

    def __init__(self, lines: list[str], exit_code: int, outcome: Outcome | None = None):
        super().__init__(lines[-1] if lines else "", exit_code)
        self._lines = lines
        self.outcome = outcome

    def lines(self) -> list[str]:
        return self._lines


def load(source: Path, consequence: str):
    """The course in `source`, or `Failed` listing its errors and saying what was not done."""
    try:
        return load_course(source)
    except SourceError as error:
        raise Failed(error.report(source, consequence), EXIT_SOURCE) from None


def count(number: int, singular: str, plural: str = "") -> str:
    """`1 module`, `3 modules`."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"
