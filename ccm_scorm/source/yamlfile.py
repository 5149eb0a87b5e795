"""Reading YAML with line numbers, and checking mappings against the keys they may have.

ruamel.yaml's round-trip loader keeps the line and column of every key and item, so
every message can point at the exact place. Values of the wrong type are reported
and replaced by a default, so one run finds every problem instead of stopping at the
first.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .files import check_regular_file
from .problems import Problems, did_you_mean
from .yaml_messages import explain

if TYPE_CHECKING:
    from .schema import Section

_MISSING = object()


def load_yaml(path: Path, problems: Problems) -> Any:
    """The document in `path`, or None (with a problem recorded) when it cannot be read."""
    if not check_regular_file(path, problems):
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.error(
            path,
            0,
            f"the file is not UTF-8 text ({error.reason} at byte {error.start})",
            "save it as UTF-8 in your editor",
        )
        return None
    except OSError as error:
        problems.error(path, 0, f"cannot read the file ({error.strerror})", "check that it exists and is readable")
        return None
    errors_before = len(problems.errors)
    document = parse_yaml(text, path, problems)
    if document is None and len(problems.errors) == errors_before:
        problems.error(path, 0, "the file is empty", "write its keys (see docs/authoring.md), or delete the file")
    return document


def parse_yaml(text: str, path: Path, problems: Problems) -> Any:
    """The YAML document `text` (read from `path`, for the messages), or None: empty, or with a problem recorded."""
    too_deep = _too_deep_line(text)
    if too_deep:
        problems.error(
            path,
            too_deep,
            f"the lists or mappings here nest more than {MAX_DEPTH} levels deep",
            "write it as a flat list of keys; no course file needs more than a few levels",
        )
        return None
    yaml = YAML(typ="rt", pure=True)
    try:
        document = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        column = mark.column + 1 if mark else 0
        what = (error.problem or error.context or "invalid YAML").strip()
        if "duplicate key" in what:
            problems.error(path, line, f"YAML syntax error: {what}", "give each key once", column)
            return None
        context = error.context_mark
        context_at = (context.line + 1, context.column + 1) if context else (0, 0)
        explained = explain(text, error.problem or "", error.context or "", line, context_at)
        if explained:
            problems.error(path, explained.line, explained.message, explained.fix, explained.column)
        else:
            problems.error(path, line, f"YAML syntax error: {what}", _yaml_fix(what, text, line), column)
        return None
    except YAMLError as error:
        problems.error(path, 0, f"YAML syntax error: {str(error).strip()}", "check the indentation and quotes")
        return None
    except RecursionError:
        problems.error(
            path,
            _deepest_line(text),
            "the file nests lists or mappings thousands of levels deep",
            "write it as a flat list of keys; no course file needs more than a few levels",
        )
        return None
    return document


_LIST_DASHES = re.compile(r"(?:- +)*")
MAX_DEPTH = 100  # the YAML parser slows with the square of the depth (11 s at 12,000 brackets)


def _list_dashes(content: str) -> int:
    """How many "- " list markers open a line (the pattern matches every line, with none at the least)."""
    dashes = _LIST_DASHES.match(content)
    return len(dashes.group(0).split()) if dashes else 0


def _too_deep_line(text: str) -> int:
    """The first line where lists and mappings nest deeper than MAX_DEPTH, or 0: by indentation, and by
    [ and { outside quotes."""
    depth = 0
    quote = ""
    indents: list[int] = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.lstrip(" ")
        if content and not content.startswith("#") and not depth:
            indent = len(line) - len(content)
            while indents and indents[-1] >= indent:
                indents.pop()
            indents.append(indent)
            if len(indents) + _list_dashes(content) > MAX_DEPTH:
                return number
        for char in line:
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"":
                quote = char
            elif char == "#":
                break
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return number
            elif char in "]}":
                depth = max(0, depth - 1)
        quote = "" if quote == "'" else quote  # a ' in plain text (don't) ends with its line
    return 0


def _deepest_line(text: str) -> int:
    """The line where the nesting is deepest (by brackets and indentation), for a file too deep to parse."""
    deepest, where, depth = -1, 1, 0
    for number, line in enumerate(text.splitlines(), start=1):
        depth += line.count("[") + line.count("{") - line.count("]") - line.count("}")
        level = depth + len(line) - len(line.lstrip(" -"))
        if level > deepest:
            deepest, where = level, number
    return where


def _yaml_fix(what: str, text: str, line: int) -> str:
    if "tab" in what:
        return "indent with spaces, not tabs"
    lines = text.splitlines()
    this_line = lines[line - 1] if 0 < line <= len(lines) else ""
    if "mapping values are not allowed" in what and this_line.count(": ") + this_line.rstrip().endswith(":") > 1:
        return "put text that contains ': ' in quotes"
    return "check the indentation, quotes and brackets on this line and the one before"


def _line_of_item(container: Any, index: int, fallback: int) -> int:
    try:
        return container.lc.item(index)[0] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        return fallback


def _line_of_key(mapping: Any, key: str, fallback: int) -> int:
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return fallback


class Fields:
    """One YAML mapping with a fixed set of keys; reads typed values and reports what is wrong."""

    def __init__(
        self,
        data: Any,
        path: Path,
        line: int,
        problems: Problems,
        *,
        what: str,
        allowed: tuple[str, ...],
        required: tuple[str, ...] = (),
        section: Section | None = None,
    ):
        self.section = section  # the schema's declaration of these keys, for `value`
        self.path = path
        self.problems = problems
        self.what = what
        self.line = line
        self.ok = isinstance(data, dict)
        self.data: dict = data if self.ok else {}
        if not self.ok:
            problems.error(
                path,
                line,
                f"{what} must be a mapping of keys to values, not {_kind(data)}",
                "write it as 'key: value' lines",
            )
            return
        if isinstance(data, CommentedMap) and data.lc.line is not None:
            self.line = data.lc.line + 1
        for key in self.data:
            if not isinstance(key, str) or key not in allowed:
                self.problems.error(
                    path, self.key_line(key), f"unknown key '{key}' in {what}", did_you_mean(str(key), allowed)
                )
        for key in required:
            if key not in self.data:
                self.problems.error(path, self.line, f"{what} has no '{key}'", f"add '{key}:'")

    def key_line(self, key: Any) -> int:
        return _line_of_key(self.data, key, self.line)

    def value(self, key: str) -> Any:
        """The value of `key`, read as the schema declares it: its kind, and its default when it is missing."""
        from .schema import Kind

        if self.section is None:
            raise ValueError(f"{self.what} was not read with a schema section, so '{key}' has no declaration")
        declared = self.section[key]
        default = declared.default
        if declared.kind is Kind.TEXT:
            return self.text(key, default or "")
        if declared.kind is Kind.VERSION:
            return self.version(key) or default or ""
        if declared.kind is Kind.WHOLE_NUMBER:
            return self.integer(key, default or 0)
        if declared.kind is Kind.TRUE_FALSE:
            return self.boolean(key, bool(default))
        if declared.kind is Kind.TEXTS:
            return self.texts(key)
        raise ValueError(f"'{key}' is {declared.kind.value}: read it with items() or mapping()")

    def has(self, key: str) -> bool:
        return key in self.data

    def _get(self, key: str, expected: tuple[type, ...], kind: str, default: Any) -> Any:
        value = self.data.get(key, _MISSING)
        if value is _MISSING or value is None:
            return default
        if isinstance(value, bool) and bool not in expected:
            ok = False
        else:
            ok = isinstance(value, expected)
        if not ok:
            self.problems.error(
                self.path,
                self.key_line(key),
                f"'{key}' in {self.what} must be {kind}, not {_kind(value)}",
                _type_fix(key, kind, value),
            )
            return default
        return value

    def text(self, key: str, default: str = "") -> str:
        value = self._get(key, (str,), "text", None)
        if value is None:
            return default
        return str(value).strip()

    def version(self, key: str = "version") -> str:
        value = self.data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            self.problems.error(
                self.path,
                self.key_line(key),
                f"'{key}' must be text in quotes, because YAML would read {value!r} as a number",
                f'write {key}: "{value}"',
            )
            return str(value)
        return self.text(key)

    def integer(self, key: str, default: int = 0) -> int:
        return int(self._get(key, (int,), "a whole number", default))

    def boolean(self, key: str, default: bool = False) -> bool:
        return bool(self._get(key, (bool,), "true or false", default))

    def texts(self, key: str) -> tuple[str, ...]:
        """A list of texts; a single text is accepted as a list of one."""
        value = self.data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value.strip(),)
        if not isinstance(value, list):
            self.problems.error(
                self.path,
                self.key_line(key),
                f"'{key}' in {self.what} must be a list of texts, not {_kind(value)}",
                f"write it as '{key}: [first, second]' or one '- item' per line",
            )
            return ()
        items = []
        for index, item in enumerate(value):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                items.append(str(item).strip())
            else:
                self.problems.error(
                    self.path,
                    self.item_line(key, index),
                    f"item {index + 1} of '{key}' must be text, not {_kind(item)}",
                    "write it as plain text (in quotes if it contains ': ')",
                )
        return tuple(items)

    def items(self, key: str) -> list[tuple[Any, int]]:
        """The items of a list with their line numbers."""
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.error(
                self.path,
                self.key_line(key),
                f"'{key}' in {self.what} must be a list, not {_kind(value)}",
                "write one '- item' per line",
            )
            return []
        return [(item, self.item_line(key, index)) for index, item in enumerate(value)]

    def item_line(self, key: str, index: int) -> int:
        return _line_of_item(self.data.get(key), index, self.key_line(key))

    def mapping(self, key: str) -> Any:
        return self.data.get(key)

    def error(self, key: str | None, message: str, fix: str = "") -> None:
        line = self.key_line(key) if key else self.line
        self.problems.error(self.path, line, message, fix)

    def warning(self, key: str | None, message: str, fix: str = "") -> None:
        line = self.key_line(key) if key else self.line
        self.problems.warning(self.path, line, message, fix)


def read_section(
    section: Section, data: Any, path: Path, line: int, problems: Problems, allowed: tuple[str, ...] = ()
) -> Fields:
    """`data` read as the schema's `section`: its keys allowed (or `allowed`), its required keys reported if missing."""
    return Fields(
        data,
        path,
        line,
        problems,
        what=section.what,
        allowed=allowed or section.names,
        required=section.required,
        section=section,
    )


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (CommentedSeq, list)):
        return "a list"
    if isinstance(value, (CommentedMap, dict)):
        return "a mapping"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ('{value[:40]}')"
    return type(value).__name__


def _type_fix(key: str, kind: str, value: Any) -> str:
    if kind == "text" and isinstance(value, (bool, int, float)):
        return f'put the value in quotes: {key}: "{str(value).lower() if isinstance(value, bool) else value}"'
    if kind == "a whole number":
        return f"write a number without quotes or %, e.g. {key}: 80"
    if kind == "true or false":
        return f"write {key}: true or {key}: false"
    return f"write {key} as {kind}"
