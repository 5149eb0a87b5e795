"""The source schema: every key of every course file, declared once.

Each file kind (course.yaml, framework.yaml, module.yaml, quiz.yaml and its question
types, pathways/*.yaml) is a `Section` of `Key`s: name, kind, required or default,
bounds or allowed values, and a one-line description. The readers check keys against
it, the importers check imported questions against it, and `reference_markdown()`
writes docs/source-reference.md from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..model import CourseSettings, QuestionType
from .ids import AUTO_IDS

LMS_PROFILES = ("moodle", "esr", "generic")  # `lms:` and `ccm build --lms`; what each means: targets/lms_profiles.py
MAX_CHOICES = len(AUTO_IDS)  # options, pairs, items or matches in one question: one letter each


class Kind(StrEnum):
    """What a key's value must be, as the messages and the reference name it."""

    TEXT = "text"
    VERSION = "text (in quotes when it looks like a number)"
    WHOLE_NUMBER = "a whole number"
    TRUE_FALSE = "true or false"
    TEXTS = "a list of texts (or one text)"
    LIST = "a list of mappings"
    MAPPING = "a mapping"
    TEXT_OR_MAPPING = "text, or a mapping"


def _registered_targets() -> tuple[str, ...]:
    from ..targets import target_names

    return tuple(target_names())


@dataclass(frozen=True)
class Key:
    """One key of a YAML mapping."""

    name: str
    kind: Kind
    description: str
    required: bool = False
    default: Any = None
    default_described: str = ""  # for the reference, when the default is not a fixed value
    minimum: int | None = None  # the least value, or the fewest items of a list
    maximum: int | None = None  # the greatest value, or the most items of a list
    choices: tuple[str, ...] = ()
    choices_at_run_time: Callable[[], tuple[str, ...]] | None = None  # for values only known once installed
    choices_described: str = ""  # how the reference names run-time choices
    entries: Section | None = None  # the keys of each item (a list) or of the value (a mapping)

    def allowed_values(self) -> tuple[str, ...]:
        return self.choices_at_run_time() if self.choices_at_run_time else self.choices

    @property
    def least(self) -> int:
        """The minimum of a key that has one (a key without one is a mistake in this file)."""
        if self.minimum is None:
            raise ValueError(f"the key '{self.name}' has no minimum")
        return self.minimum

    @property
    def entry_keys(self) -> Section:
        if self.entries is None:
            raise ValueError(f"the key '{self.name}' declares no entries")
        return self.entries

    @property
    def most(self) -> int:
        if self.maximum is None:
            raise ValueError(f"the key '{self.name}' has no maximum")
        return self.maximum


@dataclass(frozen=True)
class Section:
    """One YAML mapping: a whole file, or a mapping inside one."""

    what: str  # how messages name it: "the module", "a question"
    title: str  # how the reference names it
    description: str
    keys: tuple[Key, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(key.name for key in self.keys if key.required)

    def __getitem__(self, name: str) -> Key:
        for key in self.keys:
            if key.name == name:
                return key
        raise KeyError(name)


def _id(what: str, required: bool = True) -> Key:
    return Key("id", Kind.TEXT, f"the {what}'s id (see Identifiers in authoring.md)", required=required)


_COURSE_DEFAULTS = CourseSettings()

ORGANISATION = Section(
    "the organisation",
    "organisation",
    "who publishes the course, shown on the packages' pages",
    (
        Key("name", Kind.TEXT, "the organisation's name"),
        Key("logo", Kind.TEXT, "an image, relative to the course folder (e.g. assets/logo.png)"),
    ),
)
THEME = Section(
    "the theme",
    "theme",
    "the learners' pages' colour and header logo (authoring.md, Theme)",
    (
        Key("primary_colour", Kind.TEXT, "buttons, links and the header, as #rrggbb; at least 4.5:1 against white"),
        Key("logo", Kind.TEXT, "the header's image, in the course folder", default_described="organisation.logo"),
    ),
)
COURSE = Section(
    "the course file",
    "course.yaml",
    "optional settings for the whole course, at the course root",
    (
        Key("title", Kind.TEXT, "the catalogue's title", default=_COURSE_DEFAULTS.title),
        Key("publisher", Kind.TEXT, "who publishes the packages"),
        Key("language", Kind.TEXT, "the language tag of the learners' pages", default=_COURSE_DEFAULTS.language),
        Key("base_iri", Kind.TEXT, "the root of activity ids", default_described="the framework's base_iri"),
        Key(
            "targets",
            Kind.TEXTS,
            "the formats `ccm build` makes when no --target is given",
            default=_COURSE_DEFAULTS.default_targets,
            choices_at_run_time=_registered_targets,
            choices_described="the registered targets (docs/targets.md)",
        ),
        Key(
            "lms",
            Kind.TEXT,
            "the LMS profile for the build's checks",
            default=_COURSE_DEFAULTS.lms,
            choices=LMS_PROFILES,
        ),
        Key("organisation", Kind.MAPPING, "the publishing organisation", entries=ORGANISATION),
        Key("theme", Kind.MAPPING, "the learners' pages' colour and logo", entries=THEME),
    ),
)

CROSS_REFERENCE = Section(
    "a cross-reference",
    "cross-reference",
    "the same competency in another framework",
    (
        Key("framework", Kind.TEXT, "the other framework's name", required=True),
        Key("id", Kind.TEXT, "the competency's id there", required=True),
        Key("title", Kind.TEXT, "the competency's title there"),
    ),
)
COMPETENCY = Section(
    "a competency",
    "competency",
    "one competency of a domain",
    (
        _id("competency"),
        Key("title", Kind.TEXT, "the competency's title", required=True),
        Key("description", Kind.TEXT, "what the competency is", required=True),
        Key("indicators", Kind.TEXTS, "what a learner who has it does"),
        Key("levels", Kind.MAPPING, "each level's name mapped to its descriptor"),
        Key("cross_references", Kind.LIST, "the same competency in other frameworks", entries=CROSS_REFERENCE),
        Key("provenance", Kind.TEXT, "where the competency comes from"),
    ),
)
DOMAIN = Section(
    "a domain",
    "domain",
    "a group of competencies",
    (
        _id("domain"),
        Key("title", Kind.TEXT, "the domain's title", required=True),
        Key("description", Kind.TEXT, "what the domain covers"),
        Key("local", Kind.TRUE_FALSE, "true for a domain that is not part of the framework proper", default=False),
        Key("competencies", Kind.LIST, "the domain's competencies", required=True, entries=COMPETENCY),
    ),
)
FRAMEWORK = Section(
    "the framework",
    "framework.yaml",
    "the competency framework, at the course root",
    (
        _id("framework"),
        Key("title", Kind.TEXT, "the framework's title", required=True),
        Key("version", Kind.VERSION, "the framework's version", required=True),
        Key("description", Kind.TEXT, "what the framework is for"),
        Key("provenance", Kind.TEXT, "where the framework comes from"),
        Key("base_iri", Kind.TEXT, "an absolute web address ending in '/', the root of activity ids", required=True),
        Key("audience", Kind.TEXTS, "who the framework is for"),
        Key("domains", Kind.LIST, "the framework's domains", required=True, entries=DOMAIN),
    ),
)

DRAW = Section(
    "the draw",
    "draw",
    "how many questions each attempt asks",
    (
        Key("count", Kind.WHOLE_NUMBER, "questions per attempt, at most the quiz's", required=True, minimum=1),
        Key("shuffle", Kind.TRUE_FALSE, "ask them in a random order", default=True),
    ),
)
COVER = Section(
    "the cover image",
    "cover",
    "the picture on the module's first view",
    (
        Key("image", Kind.TEXT, "an image in the module's assets/ folder", required=True),
        Key("alt", Kind.TEXT, "what the picture shows, for learners who cannot see it", required=True),
    ),
)
MODULE = Section(
    "the module",
    "module.yaml",
    "one module, in its own folder beside pages/ and quiz.yaml",
    (
        _id("module"),
        Key("version", Kind.VERSION, "the module's version", required=True),
        Key("title", Kind.TEXT, "the module's title", required=True),
        Key("summary", Kind.TEXT, "one or two sentences shown before the module starts"),
        Key(
            "competencies",
            Kind.TEXTS,
            "the framework's competencies it covers; the first is the primary",
            required=True,
            minimum=1,
        ),
        Key("audience", Kind.TEXTS, "who the module is for"),
        # a module longer than a working day is a typing slip, and learners would see it
        Key("minutes", Kind.WHOLE_NUMBER, "how long a learner takes", minimum=1, maximum=480),
        Key("outcomes", Kind.TEXTS, "what a learner can do afterwards"),
        Key("cover", Kind.MAPPING, "a picture for the module's first view", entries=COVER),
        Key("pass_mark", Kind.WHOLE_NUMBER, "the percentage that passes the quiz", default=80, minimum=0, maximum=100),
        # more than 100 is "unlimited" in practice: write 0
        Key("attempts", Kind.WHOLE_NUMBER, "quiz attempts allowed; 0 for unlimited", default=0, minimum=0, maximum=100),
        Key("draw", Kind.MAPPING, "ask a random selection of the questions", entries=DRAW),
        Key("show_answers", Kind.TRUE_FALSE, "feedback shows right answers; false for a summative quiz", default=True),
    ),
)

PAGE = Section(
    "the page's front matter",
    "pages/*.md front matter",
    "optional keys at the top of a page, between two '---' lines",
    (
        Key(
            "competencies",
            Kind.TEXTS,
            "the module's competencies this page covers: a failed quiz links to it for them",
            minimum=1,
        ),
    ),
)

PATHWAY = Section(
    "the pathway",
    "pathways/*.yaml",
    "modules taken in order, one file per pathway",
    (
        _id("pathway"),
        Key("version", Kind.VERSION, "the pathway's version", default="1.0.0"),
        Key("title", Kind.TEXT, "the pathway's title", required=True),
        Key("description", Kind.TEXT, "what the pathway is for"),
        Key("audience", Kind.TEXTS, "who the pathway is for"),
        Key("modules", Kind.TEXTS, "the module ids in the order learners take them", required=True, minimum=1),
    ),
)

FEEDBACK = Section(
    "the feedback",
    "feedback",
    "feedback that differs for right and wrong answers",
    (
        Key("correct", Kind.TEXT, "shown after a right answer"),
        Key("incorrect", Kind.TEXT, "shown after a wrong answer"),
    ),
)
QUIZ = Section(
    "the quiz",
    "quiz.yaml",
    "the module's questions, beside module.yaml",
    (Key("questions", Kind.LIST, "the questions (keys below, by type)", required=True),),
)
QUESTION = Section(
    "a question",
    "question (every type)",
    "the keys every question takes",
    (
        _id("question"),
        Key("type", Kind.TEXT, "the question type", required=True, choices=tuple(t.value for t in QuestionType)),
        Key(
            "competency", Kind.TEXT, "the competency it evidences", default_described="the module's primary competency"
        ),
        Key("prompt", Kind.TEXT, "the question; one starting TODO is a placeholder", required=True),
        Key("feedback", Kind.TEXT_OR_MAPPING, "why the right answer is right", entries=FEEDBACK),
        Key("idnumber", Kind.TEXT, "the question's id in a Moodle question bank"),
        Key("tags", Kind.TEXTS, "tags for a Moodle question bank"),
    ),
)

OPTION = Section(
    "an item of 'options'",
    "option",
    "one answer to choose",
    (
        Key("id", Kind.TEXT, "its letter", default_described="a, b, c… by position"),
        Key("text", Kind.TEXT, "the answer", required=True),
        Key("correct", Kind.TRUE_FALSE, "true for a right answer", default=False),
        Key("feedback", Kind.TEXT, "shown when it is chosen"),
    ),
)
PAIR = Section(
    "an item of 'pairs'",
    "pair",
    "a prompt and its match",
    (
        Key("id", Kind.TEXT, "its letter", default_described="a, b, c… by position"),
        Key("prompt", Kind.TEXT, "the left side", required=True),
        Key("match", Kind.TEXT, "the right side", required=True),
    ),
)
ORDERED_ITEM = Section(
    "an item of 'items'",
    "ordering item",
    "one step, listed in the right order",
    (
        Key("id", Kind.TEXT, "its letter", default_described="a, b, c… by position"),
        Key("text", Kind.TEXT, "the step", required=True),
    ),
)


def _choices(description: str) -> Key:
    return Key("options", Kind.LIST, description, required=True, minimum=2, maximum=MAX_CHOICES, entries=OPTION)


QUESTION_TYPES: dict[QuestionType, tuple[Key, ...]] = {
    QuestionType.SINGLE: (_choices("the answers; exactly one has correct: true"),),
    QuestionType.MULTIPLE: (_choices("the answers; one or more have correct: true"),),
    QuestionType.TRUE_FALSE: (Key("answer", Kind.TRUE_FALSE, "whether the statement is true", required=True),),
    QuestionType.MATCHING: (
        Key(
            "pairs", Kind.LIST, "prompts and their matches", required=True, minimum=2, maximum=MAX_CHOICES, entries=PAIR
        ),
        Key("spares", Kind.TEXTS, "wrong matches to choose from as well"),
    ),
    QuestionType.ORDERING: (
        Key(
            "items",
            Kind.LIST,
            "the steps in the right order",
            required=True,
            minimum=2,
            maximum=MAX_CHOICES,
            entries=ORDERED_ITEM,
        ),
    ),
    QuestionType.SHORT_TEXT: (
        Key("answers", Kind.TEXTS, "accepted answers; * matches any characters", required=True, minimum=1),
        Key("case_sensitive", Kind.TRUE_FALSE, "whether capitals must match", default=False),
        Key(
            "max_length", Kind.WHOLE_NUMBER, "the longest answer a learner can type", default=60, minimum=1, maximum=200
        ),
    ),
}


def type_keys(question_type: QuestionType) -> tuple[str, ...]:
    """The keys a question of this type takes beyond the common ones."""
    return tuple(key.name for key in QUESTION_TYPES[question_type])


def type_key(question_type: QuestionType | str, name: str) -> Key:
    for key in QUESTION_TYPES[QuestionType(question_type)]:
        if key.name == name:
            return key
    raise KeyError(name)


def list_key(question_type: QuestionType | str) -> Key | None:
    """The list of options, pairs or items a question of this type chooses from, if it has one."""
    return next((key for key in QUESTION_TYPES[QuestionType(question_type)] if key.kind is Kind.LIST), None)


QUESTION_KEYS = tuple(dict.fromkeys(QUESTION.names + sum((type_keys(t) for t in QuestionType), ())))
FILES = (COURSE, FRAMEWORK, MODULE, PAGE, QUIZ, PATHWAY)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _need(key: Key) -> str:
    if key.required:
        return "required"
    if key.default_described:
        return f"default: {key.default_described}"
    if key.default is None or key.default == "":
        return "optional"
    default = key.default
    if isinstance(default, bool):
        shown = str(default).lower()
    elif isinstance(default, tuple):
        shown = ", ".join(default)
    else:
        shown = str(default)
    return f"default: {shown}"


def _allowed(key: Key) -> str:
    parts = []
    if key.choices:
        parts.append("one of " + ", ".join(f"`{choice}`" for choice in key.choices))
    if key.choices_described:
        parts.append(key.choices_described)
    counted = key.kind in (Kind.LIST, Kind.TEXTS)
    if key.minimum is not None and key.maximum is not None:
        parts.append(f"{key.minimum}–{key.maximum}" + (" items" if counted else ""))
    elif key.minimum is not None:
        parts.append(f"at least {key.minimum}" + (" item" if counted and key.minimum == 1 else ""))
    if key.entries is not None:
        parts.append(f"keys: see {key.entries.title}")
    return "; ".join(parts)


def _table(section: Section) -> list[str]:
    lines = ["| Key | Value | Required or default | Allowed | What it is |", "|---|---|---|---|---|"]
    for key in section.keys:
        cells = (f"`{key.name}`", key.kind.value, _need(key), _allowed(key), key.description)
        lines.append("| " + " | ".join(_cell(cell) for cell in cells) + " |")
    return lines


def _nested(section: Section, seen: set[str]) -> list[Section]:
    """The sections inside `section`, depth first, each once."""
    found = []
    for key in section.keys:
        inner = key.entries
        if inner is not None and inner.title not in seen:
            seen.add(inner.title)
            found.append(inner)
            found.extend(_nested(inner, seen))
    return found


def _block(heading: str, section: Section) -> list[str]:
    return [heading, "", section.description[0].upper() + section.description[1:] + ".", "", *_table(section), ""]


def reference_markdown() -> str:
    """docs/source-reference.md, from the declarations above (tests/test_source_reference.py keeps them equal)."""
    lines = [
        "# Source file reference",
        "",
        "Every key of every course file: its value, whether it is required (or its default), the values",
        "or bounds `ccm validate` allows, and what it is for. How to write each file, with examples:",
        "[authoring.md](authoring.md). A key not listed here is an error.",
        "",
        "<!-- Generated from ccm_scorm/source/schema.py: python3 -c 'from ccm_scorm.source.schema import",
        'reference_markdown as r; print(r(), end="")\' > docs/source-reference.md -->',
        "",
    ]
    seen: set[str] = set()
    for section in FILES:
        lines += _block(f"## `{section.title}`", section)
        if section is QUIZ:
            lines += _block("### Every question", QUESTION)
            for question_type, keys in QUESTION_TYPES.items():
                typed = Section("", question_type.value, f"the keys of a `type: {question_type.value}` question", keys)
                lines += _block(f"### `type: {question_type.value}`", typed)
                for inner in _nested(typed, seen):
                    lines += _block(f"#### `{inner.title}`", inner)
            inner_of: tuple[Section, ...] = (QUESTION,)
        else:
            inner_of = (section,)
        for outer in inner_of:
            for inner in _nested(outer, seen):
                lines += _block(f"### `{inner.title}`", inner)
    return "\n".join(lines).rstrip("\n") + "\n"
