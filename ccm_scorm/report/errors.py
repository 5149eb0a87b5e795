"""The one exception `ccm report` raises for bad input: a message for people and an exit code."""

from __future__ import annotations

# The exit statuses live in ccm_scorm/errors.py (docs/cli.md); these names are the ones report/ uses.
from ..errors import EXIT_INPUT, EXIT_INTERRUPTED, EXIT_SOURCE, EXIT_USAGE, EXIT_WRITE, InputProblem
from ..errors import EXIT_REMOTE as EXIT_LRS

__all__ = ["EXIT_INPUT", "EXIT_INTERRUPTED", "EXIT_LRS", "EXIT_SOURCE", "EXIT_USAGE", "EXIT_WRITE", "ReportError"]


class ReportError(InputProblem):
    """Bad input: `str(error)` says what is wrong and what to check; `exit_code` is for the CLI."""

    def __init__(self, message: str, exit_code: int = EXIT_INPUT):
        super().__init__(message, exit_code)
