"""Measured facts about the content: reading level, length and quiz size per module."""

from __future__ import annotations

from dataclasses import dataclass

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
    if not text.strip():
        return 0.0
    textstat.set_lang("en_GB")
    return round(float(textstat.flesch_kincaid_grade(text)), 1)


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
