"""What every importer produces, and the checks every imported question must pass before it is written."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model import QuestionType
from ..source.quiz import DEFAULT_MAX_LENGTH, MAX_LENGTH, match_texts_problem, pattern_length
from ..source.schema import list_key, type_key

MAX_SHORT_TEXT = MAX_LENGTH.most
_ENTRY_NOUN = {"options": "answers", "pairs": "pairs", "items": "items"}  # as a bank's author calls them


@dataclass
class ImportedQuestion:
    """One converted question. `data` holds the quiz.yaml fields except id and competency."""

    line: int  # where it starts in the bank
    data: dict
    title: str = ""  # the GIFT name, used for the id
    question_id: str = ""  # an id given in the bank (CSV 'id' column)
    competency: str = ""  # a competency given in the bank
    category: str = ""  # the GIFT category it was under
    notes: list[str] = field(default_factory=list)  # what changed in the conversion


@dataclass
class Skipped:
    """An item that was not imported: unsupported (a warning) or malformed (an error)."""

    line: int
    message: str
    fix: str = ""
    error: bool = False

    def describe(self, path: str) -> str:
        text = f"{path}:{self.line}: {'error' if self.error else 'not imported'}: {self.message}"
        return text + (f" — {self.fix}" if self.fix else "")


@dataclass
class Bank:
    path: Path
    encoding: str
    questions: list[ImportedQuestion] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def errors(self) -> list[Skipped]:
        return [item for item in self.skipped if item.error]

    @property
    def unsupported(self) -> list[Skipped]:
        return [item for item in self.skipped if not item.error]

    def add(self, question: ImportedQuestion) -> None:
        """Keep the question if it is complete; otherwise record why not, at its line."""
        problem = check_question(question.data)
        if problem:
            self.skipped.append(Skipped(question.line, problem[0], problem[1], error=True))
        else:
            self.questions.append(question)


def feedback_value(correct: str, incorrect: str):
    """quiz.yaml's feedback: one text when both are the same, else the mapping; None when there is none."""
    correct, incorrect = correct.strip(), incorrect.strip()
    if not correct and not incorrect:
        return None
    if correct == incorrect:
        return correct
    value = {}
    if correct:
        value["correct"] = correct
    if incorrect:
        value["incorrect"] = incorrect
    return value


def question_data(question_type: str, prompt: str, feedback=None, **fields) -> dict:
    data = {"type": question_type, "prompt": prompt}
    data.update({key: value for key, value in fields.items() if value is not None})
    if feedback is not None:
        data["feedback"] = feedback
    return data


def option(text: str, correct: bool = False, feedback: str = "") -> dict[str, str | bool]:
    entry: dict[str, str | bool] = {"text": text}
    if correct:
        entry["correct"] = True
    if feedback:
        entry["feedback"] = feedback
    return entry


def short_text_fields(answers: list[str], case_sensitive: bool = False, max_length: int | None = None) -> dict:
    longest = max((pattern_length(answer) for answer in answers), default=0)
    fields: dict = {"answers": answers}
    if case_sensitive:
        fields["case_sensitive"] = True
    if max_length is None and longest > DEFAULT_MAX_LENGTH:
        max_length = min(MAX_SHORT_TEXT, longest)
    if max_length is not None and max_length != DEFAULT_MAX_LENGTH:
        fields["max_length"] = max_length
    return fields


def check_question(data: dict) -> tuple[str, str] | None:
    """(message, fix) when the question would not pass `ccm validate`, else None."""
    if not data.get("prompt", "").strip():
        return "the question has no text", "write the question before its answers"
    kind = QuestionType(data["type"])
    problem = _count_problem(kind, data)
    if problem:
        return problem
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        options = data.get("options", [])
        if any(not entry["text"].strip() for entry in options):
            return "one of the answers is empty", "write the answer's text, or remove it"
        if not any(entry.get("correct") for entry in options):
            return "no answer is marked right", "mark the right answer"
    elif kind is QuestionType.MATCHING:
        pairs = data.get("pairs", [])
        if any(not pair["prompt"].strip() or not pair["match"].strip() for pair in pairs):
            return "a pair is missing one of its sides", "write both sides of every pair"
        matched = match_texts_problem([pair["match"] for pair in pairs], tuple(data.get("spares", ())))
        if matched:
            return matched[0], matched[1]
    elif kind is QuestionType.SHORT_TEXT:
        return _short_text_problem(data)
    return None


def _count_problem(kind: QuestionType, data: dict) -> tuple[str, str] | None:
    """Too few or too many options, pairs or items, by the schema's bounds for this question type."""
    declared = list_key(kind)
    if declared is None:
        return None
    count, noun = len(data.get(declared.name, [])), _ENTRY_NOUN[declared.name]
    if count < declared.least:
        if kind is QuestionType.MATCHING:
            return f"a matching question needs at least {declared.least} pairs", "add another pair"
        if kind is QuestionType.ORDERING:
            return f"an ordering question needs at least {declared.least} items", "add another item"
        plural = "s" if count != 1 else ""
        return f"the question has {count} answer{plural}; at least {declared.least} are needed", "add another answer"
    if count > declared.most:
        return f"the question has {count} {noun}; at most {declared.most} are allowed", "split it in two"
    return None


def _short_text_problem(data: dict) -> tuple[str, str] | None:
    answers = data.get("answers", [])
    if len(answers) < type_key(QuestionType.SHORT_TEXT, "answers").least:
        return "the question has no accepted answer", "give at least one accepted answer"
    longest = max(pattern_length(answer) for answer in answers)
    if longest > data.get("max_length", DEFAULT_MAX_LENGTH):
        return (
            f"an accepted answer is {longest} characters long, more than the limit",
            f"shorten it (at most {MAX_SHORT_TEXT} characters)",
        )
    return None
