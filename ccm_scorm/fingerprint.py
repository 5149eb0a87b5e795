"""What a package's fingerprint is made of: every byte that can change the package.

A build skips a package whose fingerprint matches the last build's, so anything left out here is a
package that silently stays stale. Paths are never fingerprinted by name: a folder counts by every
file in it (subfolders too), a file by its bytes; and the toolkit counts by every file of this package
(code, templates, runtime), not only by its version number.
"""

from __future__ import annotations

import dataclasses
import hashlib
from functools import lru_cache
from pathlib import Path

PACKAGE_ROOT = Path(__file__).resolve().parent
CATALOGUE = "catalogue"  # the bundled course: a source like any other, fingerprinted as a course, not as the toolkit


def value_fingerprint(value: object) -> object:
    """`value` with every path replaced by what it holds, for repr() in a fingerprint."""
    if isinstance(value, Path):
        return path_contents(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (
            type(value).__name__,
            tuple((f.name, value_fingerprint(getattr(value, f.name))) for f in dataclasses.fields(value)),
        )
    if isinstance(value, (tuple, list)):
        return tuple(value_fingerprint(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((repr(key), value_fingerprint(item)) for key, item in value.items()))
    return value


def path_contents(path: Path) -> tuple:
    """A file's bytes, or every file under a folder with its path inside it; a missing path is 'missing'."""
    if path.is_file():
        return ("file", path.read_bytes())
    if path.is_dir():
        return (
            "folder",
            tuple(
                (file.relative_to(path).as_posix(), file.read_bytes())
                for file in sorted(path.rglob("*"))
                if file.is_file()
            ),
        )
    return ("missing", str(path))


@lru_cache(maxsize=1)
def toolkit_fingerprint() -> str:
    """Every file of this installed ccm-scorm (but the bundled catalogue): its code, templates and runtime all
    shape the packages."""
    digest = hashlib.sha256()
    for file in sorted(PACKAGE_ROOT.rglob("*")):
        relative = file.relative_to(PACKAGE_ROOT)
        if (
            not file.is_file()
            or relative.parts[0] == CATALOGUE
            or "__pycache__" in relative.parts
            or file.suffix == ".pyc"
        ):
            continue
        digest.update(f"{relative.as_posix()}\0".encode())
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
