"""The one exception hierarchy of the tool, and the exit statuses it carries (docs/cli.md).

Every error a command reports to its user is a `CcmError`: `str(error)` says what is wrong
and how to fix it, `exit_code` is the documented status the command line exits with. The
click layer (cli.py `_run`) catches `CcmError` once. A command that ran to the end but found
errors to list (`ccm validate`, a `ccm new` whose result does not validate) says so with its
`Outcome.exit_code` instead (ccm_scorm/commands/__init__.py).
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_SOURCE = 1  # problems in the course source or in a file given to the command
EXIT_USAGE = 2  # wrong use of the command
EXIT_WRITE = 3  # an output could not be written, or writing it was refused
EXIT_INPUT = 4  # a results file is malformed or does not fit the course (ccm report)
EXIT_REMOTE = 5  # the LRS or Moodle site could not be read safely (ccm report, ccm issue)
EXIT_STRICT = 6  # ccm report --strict: some evidence could not be used
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)


class CcmError(Exception):
    """A problem the user can fix; `exit_code` defaults to the class's own status."""

    exit_code = EXIT_SOURCE

    def __init__(self, message: str = "", exit_code: int | None = None):
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code

    def lines(self) -> list[str]:
        """What the command line prints on stderr for this error."""
        return [f"error: {self}"]


class SourceProblem(CcmError):
    exit_code = EXIT_SOURCE


class UsageProblem(CcmError):
    exit_code = EXIT_USAGE


class WriteProblem(CcmError):
    exit_code = EXIT_WRITE


class InputProblem(CcmError):
    exit_code = EXIT_INPUT


class RemoteProblem(CcmError):
    exit_code = EXIT_REMOTE
