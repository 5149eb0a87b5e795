"""Problems found in the source: each names the file, line and column, what is wrong and how to fix it."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SourceProblem


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int  # 1-based; 0 when the problem is about the file as a whole
    column: int  # 1-based; 0 when unknown
    message: str
    fix: str = ""
    severity: str = "error"  # "error" | "warning"

    @property
    def location(self) -> str:
        location = self.file
        if self.line:
            location += f":{self.line}"
            if self.column:
                location += f":{self.column}"
        return location

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.fix:
            text += f" — {self.fix}"
        return text

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "severity": self.severity,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass
class Problems:
    """Collects every problem of one run, so that `ccm validate` can report them all at once."""

    root: Path
    items: list[Problem] = field(default_factory=list)

    def display_path(self, path: Path | str) -> str:
        path = Path(path)
        try:
            return path.relative_to(self.root.parent).as_posix()
        except ValueError:
            return path.as_posix()

    def course_path(self, path: Path | str) -> str:
        """`path` relative to the folder holding the course, however the course folder was named (relative or not)."""
        path = Path(path).absolute()
        for candidate in (path, path.parent.resolve() / path.name):
            try:
                return candidate.relative_to(self.root.parent).as_posix()
            except ValueError:
                continue
        return path.as_posix()

    def error(self, path: Path | str, line: int, message: str, fix: str = "", column: int = 0) -> None:
        self.items.append(Problem(self.display_path(path), line, column, message, fix, "error"))

    def warning(self, path: Path | str, line: int, message: str, fix: str = "", column: int = 0) -> None:
        self.items.append(Problem(self.display_path(path), line, column, message, fix, "warning"))

    @property
    def errors(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "error")

    @property
    def warnings(self) -> list[Problem]:
        return sorted(p for p in self.items if p.severity == "warning")


def nearest(word: str, choices) -> str | None:
    matches = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, choices, what: str = "") -> str:
    """A fix text suggesting the nearest valid choice, or listing the valid ones."""
    choices = sorted(choices)
    suggestion = nearest(word, choices)
    if suggestion:
        return f"did you mean '{suggestion}'?"
    if len(choices) <= 12:
        return f"use one of: {', '.join(choices)}" if choices else f"define the {what} first"
    return f"check the spelling against the {what} ids" if what else "check the spelling"


class SourceError(SourceProblem):
    """The source has errors; `problems` holds all of them."""

    def __init__(self, problems: Problems):
        self.problems = problems
        count = len(problems.errors)
        super().__init__(f"{count} error{'s' if count != 1 else ''} in the course source")

    def report(self, source, consequence: str) -> list[str]:
        """Every error, then one line saying what was not done and how to see every problem."""
        return [str(problem) for problem in self.problems.errors] + [
            f"{self}; {consequence}. Run 'ccm validate {source}' for the full list."
        ]
