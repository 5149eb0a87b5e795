"""The balanced draw, as the runtime makes it (`drawOf` in runtime/state.js; docs/runtime.md, "Verdicts").

An attempt of a module that draws first gives each competency its quiz is on (in the runtime's
order: the module's competencies, primary first, then any other a question names) its minimum,
the `JUDGE_AT` questions the verdict rule needs (all of its questions when it has fewer), as long
as that minimum still fits in the draw count; then it fills the count at random from the rest.
So a competency whose minimum fits is judged in every attempt. Python needs the rule twice:
`ccm validate` warns about a competency whose minimum does not fit, and state_size.py takes the
longest draw an attempt can make.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Module, Question
from ..report.verdicts import JUDGE_AT


def asked_per_attempt(module: Module) -> int:
    """Questions an attempt asks (scoring.js `perAttempt`)."""
    return min(module.questions_per_attempt, len(module.questions))


def minimums(module: Module) -> dict[str, int]:
    """Each competency the quiz has questions on, in the runtime's order, with the questions a draw owes it."""
    counts = dict.fromkeys(module.evidenced_competency_ids(), 0)
    for question in module.questions:
        counts[question.competency_id] += 1
    return {competency: min(JUDGE_AT, count) for competency, count in counts.items() if count}


def guaranteed(module: Module) -> dict[str, int]:
    """The competencies every attempt gives their minimum: in order, each whose minimum still fits the count."""
    left, given = asked_per_attempt(module), {}
    for competency, need in minimums(module).items():
        if need <= left:
            given[competency] = need
            left -= need
    return given


def longest_draw(module: Module, length: Callable[[Question], int]) -> list[int]:
    """The bank indexes of a draw the runtime can make whose questions are the longest by `length`: each
    guaranteed competency's longest questions, then the longest of the rest (the whole bank without a draw)."""
    questions = module.questions
    ranked = sorted(range(len(questions)), key=lambda i: -length(questions[i]))
    chosen = [
        index
        for competency, need in guaranteed(module).items()
        for index in [i for i in ranked if questions[i].competency_id == competency][:need]
    ]
    rest = [i for i in ranked if i not in chosen]
    return sorted(chosen + rest[: asked_per_attempt(module) - len(chosen)])
