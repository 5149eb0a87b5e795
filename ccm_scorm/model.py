"""The immutable course model: what the source loader produces and every target reads.

Nothing here knows about files, YAML or output formats. Every object is a frozen
dataclass holding tuples, so a model can be shared between targets (and threads)
without anyone changing it underneath another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true-false"
    MATCHING = "matching"
    ORDERING = "ordering"
    SHORT_TEXT = "short-text"


@dataclass(frozen=True)
class CrossReference:
    framework: str
    id: str
    title: str = ""


@dataclass(frozen=True)
class Competency:
    id: str
    title: str
    description: str
    domain_id: str
    indicators: tuple[str, ...] = ()
    levels: tuple[tuple[str, str], ...] = ()  # (level name, descriptor)
    cross_references: tuple[CrossReference, ...] = ()
    provenance: str = ""


@dataclass(frozen=True)
class Domain:
    id: str
    title: str
    description: str
    competency_ids: tuple[str, ...]
    # A local domain holds additions that are not part of the framework proper
    # (e.g. safeguarding awareness for a volunteer induction).
    local: bool = False


@dataclass(frozen=True)
class Framework:
    id: str
    title: str
    version: str
    description: str
    provenance: str
    base_iri: str
    audience: tuple[str, ...]
    domains: tuple[Domain, ...]
    competencies: tuple[Competency, ...]

    def competency(self, competency_id: str) -> Competency:
        for competency in self.competencies:
            if competency.id == competency_id:
                return competency
        raise KeyError(competency_id)

    def domain(self, domain_id: str) -> Domain:
        for domain in self.domains:
            if domain.id == domain_id:
                return domain
        raise KeyError(domain_id)

    def competency_iri(self, competency_id: str) -> str:
        return f"{self.base_iri}competency/{competency_id}"


@dataclass(frozen=True)
class Image:
    """An image a page uses: its path inside the module folder and the bytes to package."""

    path: str  # POSIX path relative to the module folder, always under assets/
    data: bytes


@dataclass(frozen=True)
class Page:
    id: str  # from the file name, e.g. "03-listening"
    title: str
    html: str  # rendered, sanitised body (author HTML is never passed through)
    text: str  # plain text, for reading-level measures and search
    images: tuple[Image, ...] = ()
    competency_ids: tuple[str, ...] = ()  # from the page's front matter: what it covers (docs/authoring.md)
    # The same body with its images under the module's folder (`<module id>/assets/…`), for a package
    # that holds several modules in one page (a pathway's); the same as `html` when not given.
    folder_html: str | None = None

    def __post_init__(self) -> None:
        if self.folder_html is None:
            object.__setattr__(self, "folder_html", self.html)


@dataclass(frozen=True)
class Option:
    id: str
    text: str
    correct: bool = False
    feedback: str = ""


@dataclass(frozen=True)
class Pair:
    """A matching pair: the learner matches `prompt` (source) to `match` (target)."""

    id: str
    prompt: str
    match: str


@dataclass(frozen=True)
class Item:
    """An ordering item; a question's items are held in their correct order."""

    id: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    prompt: str
    competency_id: str
    options: tuple[Option, ...] = ()  # single, multiple
    answer: bool | None = None  # true-false
    pairs: tuple[Pair, ...] = ()  # matching; two pairs may share a match text
    spares: tuple[str, ...] = ()  # matching: match texts no prompt goes with (distractors)
    items: tuple[Item, ...] = ()  # ordering, in the correct order
    answers: tuple[str, ...] = ()  # short-text: accepted answers
    case_sensitive: bool = False  # short-text
    max_length: int = 0  # short-text: longest response the learner may type
    feedback_correct: str = ""
    feedback_incorrect: str = ""
    placeholder: bool = False  # written by `ccm new`, still to be replaced
    idnumber: str = ""  # the question's Moodle ID number ([id:…] in GIFT), kept for the way back
    tags: tuple[str, ...] = ()  # Moodle question tags ([tag:…] in GIFT)

    @property
    def has_shared_or_spare_matches(self) -> bool:
        return bool(self.spares) or len({pair.match for pair in self.pairs}) < len(self.pairs)


@dataclass(frozen=True)
class Draw:
    count: int
    shuffle: bool = True


@dataclass(frozen=True)
class Module:
    id: str
    version: str
    title: str
    summary: str
    competency_ids: tuple[str, ...]  # first is the primary competency
    audience: tuple[str, ...]
    minutes: int
    outcomes: tuple[str, ...]
    pass_mark: int  # percent
    attempts: int  # 0 means unlimited
    pages: tuple[Page, ...]
    questions: tuple[Question, ...]
    draw: Draw | None = None
    source_dir: str = ""  # for messages only; targets never read from it
    cover: Image | None = None  # the cover view's image (module.yaml `cover:`), under assets/
    cover_alt: str = ""
    show_answers: bool = True  # feedback shows the right answer; False ships only hashes of it (docs/runtime.md)

    @property
    def primary_competency_id(self) -> str:
        return self.competency_ids[0]

    @property
    def has_quiz(self) -> bool:
        return bool(self.questions)

    @property
    def questions_per_attempt(self) -> int:
        return self.draw.count if self.draw else len(self.questions)

    def evidenced_competency_ids(self) -> tuple[str, ...]:
        """The module's competencies followed by any other competency a question names."""
        ordered = list(self.competency_ids)
        for question in self.questions:
            if question.competency_id not in ordered:
                ordered.append(question.competency_id)
        return tuple(ordered)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


@dataclass(frozen=True)
class Pathway:
    id: str
    title: str
    description: str
    audience: tuple[str, ...]
    module_ids: tuple[str, ...]
    version: str = "1.0.0"


@dataclass(frozen=True)
class Organisation:
    name: str = ""
    logo: Image | None = None


@dataclass(frozen=True)
class Theme:
    """The course's look (course.yaml `theme:`): a primary colour (#rrggbb, checked against white) and a header logo."""

    primary_colour: str = ""
    logo: Image | None = None


PluralForms = tuple[tuple[str, str], ...]  # (CLDR plural category, text), e.g. (("one", ...), ("other", ...))
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def plural_category(rule: str, n: int) -> str:
    """The CLDR plural category of `n` for integers (the runtime's base.js has the same rules)."""
    if rule == "cy":
        return {0: "zero", 1: "one", 2: "two", 3: "few", 6: "many"}.get(n, "other")
    return "one" if n == 1 else "other"


@dataclass(frozen=True)
class Messages:
    """The learner-facing strings of one language (docs/languages.md).

    Each entry is a key ("quiz.check") and either a text with {name} placeholders or, for a text
    that depends on a count, its plural forms chosen by the value `n`.
    """

    language: str = "en-GB"
    plural_rule: str = "en"
    entries: tuple[tuple[str, str | PluralForms], ...] = ()

    def text(self, key: str, **values: object) -> str:
        found = dict(self.entries).get(key)
        if found is None:
            raise KeyError(f"no learner message '{key}'")
        if not isinstance(found, str):
            forms = dict(found)
            category = plural_category(self.plural_rule, int(values.get("n", 0)))  # type: ignore[call-overload]
            found = forms.get(category, forms["other"])
        return _PLACEHOLDER.sub(lambda match: str(values.get(match.group(1), match.group(0))), found)

    def as_json(self) -> dict[str, str | dict[str, str]]:
        return {key: value if isinstance(value, str) else dict(value) for key, value in self.entries}


@dataclass(frozen=True)
class CourseSettings:
    """The optional course file at the source root."""

    title: str = "Course catalogue"
    publisher: str = ""
    language: str = "en-GB"
    base_iri: str = ""  # overrides the framework's base IRI for activity ids
    default_targets: tuple[str, ...] = ("web", "scorm12", "scorm2004", "xapi", "cmi5")
    lms: str = "moodle"
    organisation: Organisation = field(default_factory=Organisation)
    messages: Messages = field(default_factory=Messages)  # filled by the source reader from the catalogue
    theme: Theme = field(default_factory=Theme)


@dataclass(frozen=True)
class Course:
    settings: CourseSettings
    framework: Framework
    modules: tuple[Module, ...]
    pathways: tuple[Pathway, ...]

    @property
    def base_iri(self) -> str:
        return self.settings.base_iri or self.framework.base_iri

    def module(self, module_id: str) -> Module:
        for module in self.modules:
            if module.id == module_id:
                return module
        raise KeyError(module_id)

    def pathway(self, pathway_id: str) -> Pathway:
        for pathway in self.pathways:
            if pathway.id == pathway_id:
                return pathway
        raise KeyError(pathway_id)

    def pathway_competency_ids(self, pathway_id: str) -> tuple[str, ...]:
        """Every competency the pathway's modules evidence, in module order, each once."""
        ordered: list[str] = []
        for module_id in self.pathway(pathway_id).module_ids:
            ordered.extend(c for c in self.module(module_id).evidenced_competency_ids() if c not in ordered)
        return tuple(ordered)

    def module_iri(self, module_id: str) -> str:
        return f"{self.base_iri}module/{module_id}"

    def question_iri(self, module_id: str, question_id: str) -> str:
        return f"{self.base_iri}module/{module_id}/question/{question_id}"

    def pathway_iri(self, pathway_id: str) -> str:
        return f"{self.base_iri}pathway/{pathway_id}"
