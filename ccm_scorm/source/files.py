"""Opening source files safely: a symlink loop, a named pipe or a device is reported, never read (a pipe
would block `ccm validate` for ever)."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from .problems import Problems


def not_a_regular_file(path: Path) -> tuple[str, str] | None:
    """(message, fix) when `path` is not an ordinary file that can be read without blocking, else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "the file is a link that leads back to itself (a loop)", "replace the link with the real file"
        if error.errno == errno.ENOENT and os.path.islink(path):
            return "the file is a link to a file that does not exist", "replace the link with the real file"
        return f"cannot read the file ({error.strerror})", "check that it exists and is readable"
    if stat.S_ISREG(mode):
        return None
    kind = (
        "a folder"
        if stat.S_ISDIR(mode)
        else "a named pipe"
        if stat.S_ISFIFO(mode)
        else "a socket"
        if stat.S_ISSOCK(mode)
        else "a device"
    )
    return f"this is {kind}, not an ordinary file", "replace it with an ordinary file, or remove it"


def check_regular_file(path: Path, problems: Problems, line: int = 0) -> bool:
    """True when `path` can be read; otherwise records why not against it and returns False."""
    problem = not_a_regular_file(path)
    if problem:
        problems.error(path, line, *problem)
    return problem is None
