"""The learner-facing strings: the shipped catalogue of the course's language, checked -> Messages.

Every string a learner sees (buttons, headings, status lines, results, the certificate) comes from
a catalogue in `ccm_scorm/render/messages/<language>/<area>.yaml`; the key used in code is
`<area>.<name>`. English (UK) is the reference: a key it has and the chosen language lacks is an
error, so a Welsh module never shows an English string. A course can override or complete its
language's strings in `messages/<language>.yaml` at the course root (docs/languages.md).
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from ruamel.yaml.comments import CommentedMap

from ..model import Messages, PluralForms
from .problems import Problems, did_you_mean
from .yamlfile import load_yaml

REFERENCE = "en-GB"
# The shipped catalogues, by language tag, with the plural rule each uses (model.plural_category).
SHIPPED = {"en-GB": "en", "cy": "cy"}
CATEGORIES = {"en": ("one", "other"), "cy": ("zero", "one", "two", "few", "many", "other")}
COURSE_FOLDER = "messages"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")

Entries = dict[str, str | PluralForms]


def catalogue_folder(language: str) -> Path:
    return Path(str(resources.files("ccm_scorm.render").joinpath("messages", language)))


def shipped_language(tag: str) -> str | None:
    """The shipped catalogue for a language tag: exact (any case), else by its primary subtag (en-US -> en-GB)."""
    by_lower = {name.lower(): name for name in SHIPPED}
    if tag.lower() in by_lower:
        return by_lower[tag.lower()]
    primary = tag.split("-", 1)[0].lower()
    return next((name for name in SHIPPED if name.split("-", 1)[0].lower() == primary), None)


def shipped_messages(language: str = REFERENCE) -> Messages:
    """A shipped catalogue as it is, for a course built in code rather than read from a folder."""
    problems = Problems(root=catalogue_folder(language))
    entries, _ = _read_catalogue(language, SHIPPED[language], problems)
    if problems.errors:
        raise ValueError(f"the shipped {language} messages are broken: {problems.errors[0]}")
    return Messages(language, SHIPPED[language], tuple(entries.items()))


def read_messages(language: str, root: Path, course_file: Path, line: int, problems: Problems) -> Messages:
    """The course's learner strings, every key of the English (UK) catalogue present (else an error)."""
    reference, _ = _read_catalogue(REFERENCE, "en", problems)
    shipped = shipped_language(language)
    override_path = root / COURSE_FOLDER / f"{language}.yaml"
    if shipped is None and not override_path.exists():
        problems.error(
            course_file,
            line,
            f"ccm has no learner messages in '{language}'",
            f"use one of {', '.join(SHIPPED)}, or write {COURSE_FOLDER}/{language}.yaml (see docs/languages.md)",
        )
        return Messages(REFERENCE, "en", tuple(reference.items()))
    rule = SHIPPED[shipped] if shipped else "en"
    entries, where = _read_catalogue(shipped, rule, problems) if shipped else ({}, {})
    if override_path.exists():
        overrides = _read_flat(override_path, rule, problems)
        for key in sorted(set(overrides) - set(reference)):
            problems.error(
                override_path,
                overrides[key][1],
                f"there is no learner message '{key}'",
                did_you_mean(key, reference, "message"),
            )
        entries.update({key: value for key, (value, _) in overrides.items() if key in reference})
        where.update({key: (override_path, line) for key, (_, line) in overrides.items()})
    missing_in = override_path if override_path.exists() or not shipped else catalogue_folder(shipped)
    _check_complete(reference, entries, where, missing_in, problems)
    return Messages(language, rule, tuple((key, entries[key]) for key in reference if key in entries))


def _check_complete(reference: Entries, entries: Entries, where: dict, missing_in: Path, problems: Problems) -> None:
    """Every English key translated, with no placeholder the English does not give; `missing_in` is
    the course's messages file, or the shipped catalogue's folder."""
    for key, english in reference.items():
        if key not in entries:
            area = key.split(".", 1)[0]
            path = missing_in / f"{area}.yaml" if missing_in.is_dir() else missing_in
            problems.error(
                path,
                0,
                f"the learner message '{key}' has no translation",
                f"add it (in English: {_first_text(english)!r})",
            )
            continue
        extra = _placeholders(entries[key]) - _placeholders(english)
        if extra:
            path, line = where.get(key, (missing_in, 0))
            problems.error(
                path,
                line,
                f"the message '{key}' uses {{{', '.join(sorted(extra))}}}, which it is not given",
                f"use only {_placeholder_list(english)}",
            )


def _read_catalogue(language: str, rule: str, problems: Problems) -> tuple[Entries, dict]:
    """A shipped catalogue: every `<area>.yaml` of its folder, keys prefixed by the area."""
    entries: Entries = {}
    where: dict = {}
    for path in sorted(catalogue_folder(language).glob("*.yaml")):
        data = load_yaml(path, problems)
        if not isinstance(data, CommentedMap):
            continue
        for key, (value, line) in _entries(data, f"{path.stem}.", rule, path, problems).items():
            entries[key] = value
            where[key] = (path, line)
    return entries, where


def _read_flat(path: Path, rule: str, problems: Problems) -> dict[str, tuple[str | PluralForms, int]]:
    data = load_yaml(path, problems)
    if not isinstance(data, CommentedMap):
        if data is not None:
            problems.error(path, 1, "the messages file is not a mapping", "write one `area.name: text` per line")
        return {}
    return _entries(data, "", rule, path, problems)


def _entries(
    data: CommentedMap, prefix: str, rule: str, path: Path, problems: Problems
) -> dict[str, tuple[str | PluralForms, int]]:
    """The checked messages of one file, by `prefix` + key, with their lines (a bad one reported and left out)."""
    found = {}
    for name, value in data.items():
        key, line = f"{prefix}{name}", data.lc.key(name)[0] + 1
        checked = _value(value, rule, path, line, key, problems)
        if checked is not None:
            found[key] = (checked, line)
    return found


def _value(value: object, rule: str, path: Path, line: int, key: str, problems: Problems) -> str | PluralForms | None:
    if isinstance(value, str):
        return value
    allowed = CATEGORIES[rule]
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        unknown = sorted(set(map(str, value)) - set(allowed))
        if unknown or "other" not in value:
            problems.error(
                path,
                line,
                f"the message '{key}' has plural forms {', '.join(map(str, value))}",
                f"use {', '.join(allowed)} (with 'other' always)",
            )
            return None
        return tuple((category, value[category]) for category in allowed if category in value)
    problems.error(path, line, f"the message '{key}' is not text", "write it as text, or as plural forms")
    return None


def _placeholders(value: str | PluralForms) -> set[str]:
    texts = [value] if isinstance(value, str) else [text for _, text in value]
    return {name for text in texts for name in _PLACEHOLDER.findall(text)}


def _placeholder_list(value: str | PluralForms) -> str:
    names = sorted(_placeholders(value))
    return ", ".join("{" + name + "}" for name in names) if names else "no {placeholders}"


def _first_text(value: str | PluralForms) -> str:
    return value if isinstance(value, str) else dict(value)["other"]
