"""The identifier rules of docs/authoring.md, in one place."""

from __future__ import annotations

import re

from .problems import Problems

# SCORM identifiers are printable ASCII without spaces; these rules are stricter so
# the same id is also safe in an IRI, a file name and a CSV cell.
_IRI_SAFE = (
    re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$"),
    "letters, digits and . _ : - only, starting with a letter or digit, at most 64 characters",
)
_SLUG = (
    re.compile(r"^[a-z][a-z0-9-]{0,39}$"),
    "lower-case letters, digits and - only, starting with a letter, at most 40 characters",
)
RULES = {
    "competency": _IRI_SAFE,
    "domain": _IRI_SAFE,
    "framework": _IRI_SAFE,
    "module": _SLUG,
    "pathway": _SLUG,
    "question": (
        re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,47}$"),
        "letters, digits, _ and - only, starting with a letter or digit, at most 48 characters",
    ),
    "option": (re.compile(r"^[a-z0-9]$"), "a single lower-case letter or digit"),
}

AUTO_IDS = "abcdefghijklmnopqrstuvwxyz0123456789"


def check_id(kind: str, value: str, problems: Problems, path, line: int) -> bool:
    pattern, rule = RULES[kind]
    if pattern.match(value):
        return True
    problems.error(path, line, f"the {kind} id '{value}' is not allowed", f"use {rule}")
    return False


def suggest_id(text: str) -> str:
    """A module-style id made from a title, for scaffolding and messages."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not slug or not slug[0].isalpha():
        slug = "m-" + slug
    return slug[:40].rstrip("-")
