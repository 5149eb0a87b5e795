"""Reading quiz.yaml into Questions, checking every question has a right answer among its options."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TypedDict

from ..model import Item, Option, Pair, Question, QuestionType
from .ids import AUTO_IDS, check_id
from .problems import Problems, did_you_mean
from .schema import FEEDBACK, MAX_CHOICES, QUESTION, QUESTION_KEYS, QUIZ, type_key, type_keys
from .yamlfile import Fields, load_yaml, read_section

COMMON_KEYS = QUESTION.names
MAX_LENGTH = type_key(QuestionType.SHORT_TEXT, "max_length")
DEFAULT_MAX_LENGTH: int = MAX_LENGTH.default
PLACEHOLDER = "TODO"


class _TypeFields(TypedDict, total=False):
    """The Question fields one type's reader fills in (the schema's QUESTION_TYPES says which)."""

    options: tuple[Option, ...]
    answer: bool
    pairs: tuple[Pair, ...]
    spares: tuple[str, ...]
    items: tuple[Item, ...]
    answers: tuple[str, ...]
    case_sensitive: bool
    max_length: int


def read_quiz(
    path: Path,
    problems: Problems,
    primary_competency: str,
    module_competencies: tuple[str, ...],
    known_competencies: frozenset[str] | None,
) -> tuple[Question, ...]:
    data = load_yaml(path, problems)
    if data is None:
        return ()
    quiz = read_section(QUIZ, data, path, 1, problems)
    questions: list[Question] = []
    seen: dict[str, int] = {}
    for item, line in quiz.items("questions"):
        question = _read_question(item, path, line, problems, primary_competency)
        if question is None:
            continue
        _check_question_competency(question, item, path, line, problems, module_competencies, known_competencies)
        if not (question.feedback_correct or question.feedback_incorrect) and not question.placeholder:
            problems.warning(
                path,
                line,
                f"the question '{question.id}' has no feedback",
                "add 'feedback:' saying why the right answer is right",
            )
        if question.placeholder:
            problems.warning(
                path,
                line,
                f"the question '{question.id}' is still a placeholder",
                "write the real prompt, options and feedback",
            )
        if question.id in seen:
            problems.error(
                path,
                line,
                f"the question id '{question.id}' is used twice (first on line {seen[question.id]})",
                "give every question in the module its own id",
            )
            continue
        seen[question.id] = line
        questions.append(question)
    return tuple(questions)


def _check_question_competency(
    question: Question,
    data,
    path: Path,
    line: int,
    problems: Problems,
    module_competencies: tuple[str, ...],
    known: frozenset[str] | None,
) -> None:
    competency = question.competency_id
    if not competency or not (isinstance(data, dict) and "competency" in data):
        return  # the module's own competency, checked (and reported once) in module.yaml
    where = _line_of(data, "competency", line)
    if known is not None and competency not in known:
        problems.error(
            path, where, f"unknown competency '{competency}'", did_you_mean(competency, known, "framework's competency")
        )
    elif competency not in module_competencies:
        problems.warning(
            path,
            where,
            f"the question '{question.id}' evidences '{competency}', which the module does not list",
            "add it to the module's competencies, unless it is meant as a cross-link",
        )


def _line_of(data, key: str, fallback: int) -> int:
    try:
        return data.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return fallback


def _read_question(data, path: Path, line: int, problems: Problems, primary_competency: str) -> Question | None:
    fields = read_section(QUESTION, data, path, line, problems, allowed=QUESTION_KEYS)
    if not fields.ok:
        return None
    question_id = fields.value("id")
    if question_id and not check_id("question", question_id, problems, path, fields.key_line("id")):
        question_id = ""
    type_name = fields.value("type")
    try:
        question_type = QuestionType(type_name)
    except ValueError:
        if type_name:
            fields.error(
                "type", f"unknown question type '{type_name}'", did_you_mean(type_name, QUESTION["type"].choices)
            )
        return None
    own_keys = type_keys(question_type)
    for key in fields.data:
        if key in QUESTION_KEYS and key not in COMMON_KEYS and key not in own_keys:
            fields.error(
                key,
                f"'{key}' does not belong in a {question_type.value} question",
                f"a {question_type.value} question takes {', '.join(own_keys)}",
            )
    feedback_correct, feedback_incorrect = _read_feedback(fields)
    prompt = fields.value("prompt")
    competency_id = fields.value("competency") or primary_competency
    idnumber = fields.value("idnumber")
    tags = fields.value("tags")
    specific = _READERS[question_type](fields, question_type)
    if specific is None or not question_id:
        return None
    return Question(
        id=question_id,
        type=question_type,
        prompt=prompt,
        competency_id=competency_id,
        feedback_correct=feedback_correct,
        feedback_incorrect=feedback_incorrect,
        placeholder=prompt.startswith(PLACEHOLDER),
        idnumber=idnumber,
        tags=tags,
        **specific,
    )


def _read_feedback(fields: Fields) -> tuple[str, str]:
    feedback = fields.mapping("feedback")
    if feedback is None:
        return "", ""
    if isinstance(feedback, str):
        return feedback.strip(), feedback.strip()
    parts = read_section(FEEDBACK, feedback, fields.path, fields.key_line("feedback"), fields.problems)
    return parts.value("correct"), parts.value("incorrect")


def _labelled(fields: Fields, question_type: QuestionType, key: str) -> list[tuple[str, Fields]] | None:
    """The items under `key`, each with its id (given, or a, b, c… by position)."""
    declared = type_key(question_type, key)
    minimum, what, entry_section = declared.least, key, declared.entry_keys
    entries = fields.items(key)
    if not fields.has(key):
        fields.error(None, f"the question has no '{key}'", f"add at least {minimum} {what}")
        return None
    if len(entries) < minimum:
        fields.error(key, f"the question needs at least {minimum} {what}, not {len(entries)}", f"add more {what}")
        return None
    if len(entries) > declared.most:
        fields.error(
            key,
            f"the question has {len(entries)} {what}; at most {declared.most} are allowed",
            "split it into two questions",
        )
        return None
    labelled: list[tuple[str, Fields]] = []
    seen: set[str] = set()
    for index, (item, line) in enumerate(entries):
        entry = read_section(entry_section, item, fields.path, line, fields.problems)
        if not entry.ok:
            return None
        item_id = str(entry.data.get("id", AUTO_IDS[index])).strip()
        if not check_id("option", item_id, fields.problems, fields.path, entry.key_line("id")):
            return None
        if item_id in seen:
            entry.error("id", f"the id '{item_id}' is used twice in this question", "give each its own letter")
            return None
        seen.add(item_id)
        labelled.append((item_id, entry))
    return labelled


def _read_choices(fields: Fields, question_type: QuestionType) -> _TypeFields | None:
    labelled = _labelled(fields, question_type, "options")
    if labelled is None:
        return None
    options = tuple(
        Option(id=i, text=entry.value("text"), correct=entry.value("correct"), feedback=entry.value("feedback"))
        for i, entry in labelled
    )
    right = sum(option.correct for option in options)
    if right == 0:
        fields.error("options", "no option is marked right", "add 'correct: true' to the right option")
        return None
    if question_type is QuestionType.SINGLE and right > 1:
        fields.error(
            "options",
            f"{right} options are marked right in a single-choice question",
            "mark only one, or make it 'type: multiple'",
        )
        return None
    return {"options": options}


def _read_true_false(fields: Fields, question_type: QuestionType) -> _TypeFields | None:
    if "answer" not in fields.data:
        fields.error(None, "the question has no 'answer'", "add 'answer: true' or 'answer: false'")
        return None
    answer = fields.data.get("answer")
    if not isinstance(answer, bool):
        fields.error("answer", f"'answer' must be true or false, not '{answer}'", "write answer: true or answer: false")
        return None
    return {"answer": answer}


def _read_matching(fields: Fields, question_type: QuestionType) -> _TypeFields | None:
    labelled = _labelled(fields, question_type, "pairs")
    if labelled is None:
        return None
    pairs = tuple(Pair(id=i, prompt=entry.value("prompt"), match=entry.value("match")) for i, entry in labelled)
    spares = tuple(spare for spare in fields.texts("spares") if spare)
    problem = match_texts_problem([pair.match for pair in pairs], spares)
    if problem:
        fields.error("spares" if problem[2] else "pairs", problem[0], problem[1])
        return None
    return {"pairs": pairs, "spares": spares}


def match_texts_problem(matches: list[str], spares: tuple[str, ...]) -> tuple[str, str, bool] | None:
    """(message, fix, about the spares) when the learner could not tell the match texts apart.

    Pairs may share a match text (the same answer for two prompts); texts that differ only
    in capitals, and spares that repeat a match, would look the same on screen."""
    by_folded: dict[str, str] = {}
    for text in matches:
        if by_folded.setdefault(text.casefold(), text) != text:
            return (
                f"the matches '{by_folded[text.casefold()]}' and '{text}' differ only in capitals, so the learner "
                "cannot tell them apart",
                "write them the same if they are the same answer, else make them different",
                False,
            )
    seen: set[str] = set()
    for spare in spares:
        if spare.casefold() in by_folded or spare.casefold() in seen:
            return (f"the spare '{spare}' repeats a match", "list each spare once and only if no pair uses it", True)
        seen.add(spare.casefold())
    if len(by_folded) + len(seen) > MAX_CHOICES:
        return (
            f"the question offers {len(by_folded) + len(seen)} matches; at most {MAX_CHOICES} are allowed",
            "split it into two questions",
            bool(spares),
        )
    return None


def _read_ordering(fields: Fields, question_type: QuestionType) -> _TypeFields | None:
    labelled = _labelled(fields, question_type, "items")
    if labelled is None:
        return None
    return {"items": tuple(Item(id=i, text=entry.value("text")) for i, entry in labelled)}


def _read_short_text(fields: Fields, question_type: QuestionType) -> _TypeFields | None:
    answers = tuple(answer for answer in fields.texts("answers") if answer)
    if not answers:
        fields.error(
            "answers" if fields.has("answers") else None,
            "the question has no accepted answer",
            "add 'answers: [first accepted answer, another]'",
        )
        return None
    max_length = fields.integer("max_length", DEFAULT_MAX_LENGTH)
    if not MAX_LENGTH.least <= max_length <= MAX_LENGTH.most:
        fields.error(
            "max_length",
            f"max_length {max_length} is outside {MAX_LENGTH.least}–{MAX_LENGTH.most}",
            "use a length such as 40",
        )
        return None
    too_long = [answer for answer in answers if pattern_length(answer) > max_length]
    if too_long:
        fields.error(
            "answers",
            f"the accepted answer '{too_long[0]}' is longer than max_length ({max_length})",
            "raise max_length or shorten the answer",
        )
        return None
    return {"answers": answers, "case_sensitive": fields.boolean("case_sensitive"), "max_length": max_length}


def pattern_length(answer: str) -> int:
    """The length of the shortest response an accepted answer matches: a `*` (any characters) counts as none."""
    return len(re.sub(r"(?<!\\)\*", "", answer).replace("\\*", "*"))


_READERS = {
    QuestionType.SINGLE: _read_choices,
    QuestionType.MULTIPLE: _read_choices,
    QuestionType.TRUE_FALSE: _read_true_false,
    QuestionType.MATCHING: _read_matching,
    QuestionType.ORDERING: _read_ordering,
    QuestionType.SHORT_TEXT: _read_short_text,
}
