"""Writing a module's questions as Moodle GIFT, so a bank can go to Moodle's question bank and back.

Each question is named with its id (`::id::`), so importing the file again keeps the
ids. What GIFT cannot hold goes on `// ccm …` comment lines just above the question,
which Moodle ignores and `ccm import gift` reads: a competency other than the module's
primary one, different feedback for right and wrong answers (except true/false, which
GIFT can say itself), and short-text settings. Ordering questions have no GIFT form and
are listed as not exported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Module, Question, QuestionType
from ..source.quiz import DEFAULT_MAX_LENGTH
from .gift import _LOOKS_HTML

_SPECIAL = {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:", "\n": "\\n"}


@dataclass
class Export:
    text: str
    exported: list[str] = field(default_factory=list)
    not_exported: list[tuple[str, str]] = field(default_factory=list)  # (question id, why)
    notes: list[tuple[str, str]] = field(default_factory=list)  # (question id, what Moodle will do differently)


def escape(text: str) -> str:
    return "".join(_SPECIAL.get(char, char) for char in text.replace("\r", ""))


def _weight(share: float) -> str:
    return f"{share:.5f}".rstrip("0").rstrip(".")


# Moodle's question import accepts only the fractions of its grade list (question_bank::fraction_options_full);
# equal shares are in it for up to 10 right answers.
MOST_RIGHT_ANSWERS = 20


def right_shares(count: int) -> list[float]:
    """Percent for each of `count` right answers, from Moodle's grade list, adding up to 100."""
    if count <= 10:
        return [100 / count] * count
    return [10.0] * (20 - count) + [5.0] * (2 * count - 20)  # the only list values that can add up to 100


def export_module(module: Module) -> Export:
    lines = [
        f"// {module.title} ({module.id} {module.version}), written by ccm export gift.",
        "// Lines starting '// ccm' keep what GIFT cannot hold; Moodle ignores them.",
        "",
    ]
    result = Export(text="")
    for question in module.questions:
        if question.type is QuestionType.ORDERING:
            result.not_exported.append((question.id, "ordering questions have no GIFT form"))
            continue
        right = sum(option.correct for option in question.options)
        if question.type is QuestionType.MULTIPLE and right > MOST_RIGHT_ANSWERS:
            result.not_exported.append(
                (
                    question.id,
                    f"it has {right} right answers; Moodle's grades cannot "
                    f"share a question between more than {MOST_RIGHT_ANSWERS}",
                )
            )
            continue
        lines.extend(_question(question, module, result))
        lines.append("")
        result.exported.append(question.id)
    result.text = "\n".join(lines)
    return result


def _meta(key: str, value: str) -> str:
    return f"// ccm {key}: {escape(value)}"


def _question(question: Question, module: Module, result: Export) -> list[str]:
    lines = []
    if question.idnumber or question.tags:
        marks = ([f"[id:{_bracketed(question.idnumber)}]"] if question.idnumber else []) + [
            f"[tag:{_bracketed(tag)}]" for tag in question.tags
        ]
        lines.append("// " + " ".join(marks))
    if question.competency_id != module.primary_competency_id:
        lines.append(_meta("competency", question.competency_id))
    correct, incorrect = question.feedback_correct, question.feedback_incorrect
    general = ""
    if question.type is not QuestionType.TRUE_FALSE:
        if correct == incorrect:
            general = correct
        else:
            if correct:
                lines.append(_meta("feedback-correct", correct))
            if incorrect:
                lines.append(_meta("feedback-incorrect", incorrect))
            result.notes.append(
                (
                    question.id,
                    "its feedback for right and wrong answers differs, which GIFT "
                    "cannot hold: it is on '// ccm' lines, so Moodle shows only per-answer feedback",
                )
            )
    if question.type is QuestionType.SHORT_TEXT:
        if question.max_length != DEFAULT_MAX_LENGTH:
            lines.append(_meta("max-length", str(question.max_length)))
        if question.case_sensitive:
            lines.append(_meta("case-sensitive", "true"))
            result.notes.append((question.id, "Moodle's GIFT import makes short answers case-insensitive"))
    # Text that looks like HTML would be read as HTML by Moodle (and by ccm): say it is plain.
    texts = [
        question.prompt,
        *(o.text for o in question.options),
        *(o.feedback for o in question.options),
        *question.answers,
        *(p.prompt for p in question.pairs),
        *(p.match for p in question.pairs),
        correct,
        incorrect,
    ]
    plain = "[plain]" if question.prompt.lstrip().startswith("[") or any(_LOOKS_HTML.search(t) for t in texts) else ""
    head = f"::{escape(question.id)}:: {plain}{escape(question.prompt)}"
    tail = f"\t####{escape(general)}" if general else ""
    if question.type is QuestionType.TRUE_FALSE:
        answer = "TRUE" if question.answer else "FALSE"
        if correct == incorrect:
            body = f"{answer}####{escape(correct)}" if correct else answer
        else:
            body = f"{answer}#{escape(incorrect)}#{escape(correct)}"
        lines.append(f"{head} {{{body}}}")
        return lines
    lines.append(head + " {")
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        shares = iter(right_shares(sum(option.correct for option in question.options)))
        if question.type is QuestionType.MULTIPLE and sum(option.correct for option in question.options) > 10:
            result.notes.append(
                (
                    question.id,
                    "Moodle's grades cannot share it equally between more than 10 right "
                    "answers: some are worth 10% and some 5%",
                )
            )
        for option in question.options:
            if question.type is QuestionType.SINGLE:
                marker = "=" if option.correct else "~"
            else:
                marker = f"~%{_weight(next(shares))}%" if option.correct else "~%-100%"
            feedback = f"#{escape(option.feedback)}" if option.feedback else ""
            lines.append(f"\t{marker}{escape(option.text)}{feedback}")
    elif question.type is QuestionType.SHORT_TEXT:
        for answer in question.answers:
            lines.append(f"\t={escape(answer)}")
    elif question.type is QuestionType.MATCHING:
        if len(question.pairs) < 3:
            result.notes.append(
                (question.id, f"Moodle needs at least 3 pairs in a matching question; this has {len(question.pairs)}")
            )
        for pair in question.pairs:
            lines.append(f"\t={escape(pair.prompt)} -> {escape(pair.match)}")
        for spare in question.spares:
            lines.append(f"\t= -> {escape(spare)}")
    if tail:
        lines.append(tail)
    lines.append("}")
    return lines


def _bracketed(text: str) -> str:
    return text.replace("]", "\\]")
