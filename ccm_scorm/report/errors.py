"""The one exception `ccm report` raises for bad input: a message for people and an exit code."""

from __future__ import annotations

# Exit codes of `ccm report` (docs/report.md); 1-3 are shared with the other commands.
EXIT_SOURCE = 1  # the course source has errors
EXIT_USAGE = 2  # wrong use of the command (unknown module id, no input given...)
EXIT_WRITE = 3  # an output file could not be written
EXIT_INPUT = 4  # an input file is malformed or does not fit the course
EXIT_LRS = 5  # the LRS could not be read
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


class ReportError(Exception):
    """Bad input: `str(error)` says what is wrong and what to check; `exit_code` is for the CLI."""

    def __init__(self, message: str, exit_code: int = EXIT_INPUT):
        super().__init__(message)
        self.exit_code = exit_code
