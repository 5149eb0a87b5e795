"""Turning YAML parser errors into what an author can act on.

ruamel.yaml reports where it gave up ("expected <block end>, but found '<block mapping start>'"), which
is often a line after the real mistake and always in parser terms. When it fails, the lines up to that
point are read again for the usual causes, in the order an author would look: a tab, a quote never
closed, a line that lines up with nothing above it, a line indented under a key that already has its value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_KEY = re.compile(
    r"""^(?P<indent>\ *)(?P<dash>-\ +)?
                      (?P<key>"[^"]*"|'[^']*'|[^\s#'"\-][^:#]*?|-[^\s:#][^:#]*?)   # quoted, plain, or -plain
                      :(?:\s+(?P<value>.*)|$)""",
    re.VERBOSE,
)
_ITEM = re.compile(r"^(?P<indent> *)- +(?P<value>.*)$")
_BLOCK_SCALAR = re.compile(r"^[|>][-+0-9]*\s*(#.*)?$")


@dataclass(frozen=True)
class Explained:
    line: int
    column: int
    message: str
    fix: str


@dataclass
class _Level:
    column: int
    line: int
    name: str  # what lines up at this column, for the message


def explain(text: str, problem: str, context: str, problem_line: int, context_at: tuple[int, int]) -> Explained | None:
    """What went wrong in words an author understands, or None when the parser's own words must do.

    `context_at` is the (line, column) where the parser's context began, both 1-based (0 when unknown)."""
    lines = text.splitlines()
    last = min(max(problem_line, 1), len(lines))
    tab = _first_tab(lines, last)
    if tab:
        return tab
    context_line, context_column = context_at
    if "quoted scalar" in context and 0 < context_line <= len(lines):
        quote = lines[context_line - 1][context_column - 1 : context_column] or '"'
        return Explained(
            context_line, context_column, f"the quote {quote} opened here is never closed", f"end the text with {quote}"
        )
    if "found character" in problem and "cannot start any token" in problem:
        return None
    return _indentation(lines, last) or _colon_in_value(lines, last, problem)


def _colon_in_value(lines: list[str], last: int, problem: str) -> Explained | None:
    key = _KEY.match(lines[last - 1]) if lines else None
    value = (key.group("value") or "") if key else ""
    if "mapping values are not allowed" not in problem or not key or ": " not in value + " ":
        return None
    name = key.group("key")
    return Explained(
        last,
        len(key.group("indent")) + 1,
        f"the value of '{name}' has ': ' in it, which YAML reads as another key",
        f'put the value in quotes: {name}: "{value.strip()}"',
    )


def _first_tab(lines: list[str], last: int) -> Explained | None:
    for number, line in enumerate(lines[:last], start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent:
            return Explained(
                number,
                indent.index("\t") + 1,
                "this line is indented with a tab",
                "indent with spaces only (YAML does not allow tabs); most editors can be set "
                "to type spaces for the Tab key",
            )
    return None


def _indentation(lines: list[str], last: int) -> Explained | None:
    levels = [_Level(0, 0, "the keys at the start of the file")]
    opens = False  # the previous line ends with 'key:' or '- ', so the next may be indented further
    valued: tuple[int, str] | None = None  # (line, key) of the previous line when it had its value
    block_indent = None  # inside a | or > text block: lines indented more than this belong to it
    for number, line in enumerate(lines[:last], start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if indent > block_indent:
                continue
            block_indent = None
        key, item = _KEY.match(line), _ITEM.match(line)
        structural = bool(key or item)
        if indent > levels[-1].column:
            if not opens:
                if structural and valued:
                    return Explained(
                        number,
                        indent + 1,
                        f"this line is indented more than line {valued[0]}, but "
                        f"'{valued[1]}' on line {valued[0]} already has its value",
                        f"line it up with '{valued[1]}' ({_spaces(levels[-1].column)}), or, if the "
                        "text goes on from the line above, put all of it in quotes",
                    )
                continue  # the text of the line above goes on (allowed in YAML)
            levels.append(_Level(indent, number, _name(line)))
        elif indent < levels[-1].column:
            while levels and levels[-1].column > indent:
                levels.pop()
            if not levels or levels[-1].column != indent:
                return _lines_up_with_nothing(number, indent, lines, number)
        elif opens and not item:
            levels[-1] = levels[-1]  # an empty value ('key:' followed by a key at the same column) is allowed
        opens, valued = False, None
        if key:
            value = (key.group("value") or "").strip()
            if key.group("dash"):
                _push_item_content(levels, indent, key, number)
            if not value or value.startswith("#"):
                opens = True
            elif _BLOCK_SCALAR.match(value):
                block_indent = indent
            else:
                valued = (number, key.group("key").strip("'\""))
        elif item:
            value = item.group("value").strip()
            opens = not value
    return None


def _push_item_content(levels: list[_Level], indent: int, key: re.Match, number: int) -> None:
    """'- key: value' starts a mapping whose other keys line up with 'key', two or more columns in."""
    column = indent + len(key.group("dash"))
    if levels[-1].column < indent:
        levels.append(_Level(indent, number, "the '- ' items"))
    levels.append(_Level(column, number, f"'{key.group('key')}'"))


def _lines_up_with_nothing(number: int, indent: int, lines: list[str], last: int) -> Explained:
    candidates = _columns_above(lines, last)
    nearest = sorted(candidates.items(), key=lambda item: (abs(item[0] - indent), -item[1][0]))[:2]
    choices = " or ".join(
        f"{_spaces(column)} to line up with {name} on line {line}" for column, (line, name) in sorted(nearest)
    )
    return Explained(
        number,
        indent + 1,
        f"this line is indented by {_spaces(indent)}, which lines up with nothing above it",
        f"indent it by {choices}",
    )


def _columns_above(lines: list[str], last: int) -> dict[int, tuple[int, str]]:
    """For each column a key or item starts at above `last`, the nearest line that does and what it is."""
    columns: dict[int, tuple[int, str]] = {}
    for number, line in enumerate(lines[: last - 1], start=1):
        key, item = _KEY.match(line), _ITEM.match(line)
        if key:
            columns[len(key.group("indent")) + len(key.group("dash") or "")] = (number, f"'{key.group('key')}'")
        if item:
            columns[len(item.group("indent"))] = (number, "the '- ' item")
    return columns


def _name(line: str) -> str:
    key = _KEY.match(line)
    return f"'{key.group('key')}'" if key else "the line"


def _spaces(count: int) -> str:
    return "no spaces" if count == 0 else f"{count} space{'s' if count != 1 else ''}"
