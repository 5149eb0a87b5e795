"""Question banks in and out: Moodle GIFT, Aiken and CSV into quiz.yaml, and quiz.yaml back out to GIFT.

Every reader returns a `Bank`: the questions it could convert, each with the line it
came from, and every item it could not, also with its line, so nothing is dropped
without the author being told. `quiz_writer` gives the questions ids and a competency
and writes them into a module's quiz.yaml.
"""

from __future__ import annotations

from pathlib import Path

from .bank import Bank, ImportedQuestion, Skipped

FORMATS = ("gift", "aiken", "csv")


def read_bank(kind: str, path: Path, encoding: str | None = None) -> Bank:
    """Read the question bank in `path`; `kind` is one of FORMATS. Raises OSError when unreadable."""
    from . import aiken, csv_bank, gift

    reader = {"gift": gift.read_gift, "aiken": aiken.read_aiken, "csv": csv_bank.read_csv}[kind]
    return reader(path, encoding)


__all__ = ["Bank", "FORMATS", "ImportedQuestion", "Skipped", "read_bank"]
