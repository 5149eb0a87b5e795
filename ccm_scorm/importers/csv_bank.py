"""Reading questions from a spreadsheet saved as CSV (the layout is in docs/importing.md).

One row per question, with a header row naming the columns in any order. Commas,
semicolons or tabs may separate the cells (Excel uses semicolons in much of Europe and
tabs for "Unicode text").
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ..source.problems import did_you_mean
from .bank import Bank, ImportedQuestion, Skipped, feedback_value, option, question_data, short_text_fields
from .text import read_text

TYPES = ("single", "multiple", "true-false", "short-text", "matching", "ordering")
# Column name -> the names a spreadsheet may use for it.
COLUMNS = {
    "id": ("id", "question id"),
    "type": ("type", "question type"),
    "competency": ("competency",),
    "prompt": ("prompt", "question", "question text"),
    "answer": ("answer", "answers", "correct", "right answer"),
    "feedback": ("feedback",),
    "feedback correct": ("feedback correct", "correct feedback", "feedback right"),
    "feedback incorrect": ("feedback incorrect", "incorrect feedback", "feedback wrong"),
    "max length": ("max length",),
    "case sensitive": ("case sensitive",),
}
_ALIASES = {alias: name for name, aliases in COLUMNS.items() for alias in aliases}
_OPTION = re.compile(r"^(?:option )?([a-z]|\d{1,2})$")
_OPTION_FEEDBACK = re.compile(r"^(?:option )?(?:feedback (?:option )?([a-z]|\d{1,2})|([a-z]|\d{1,2}) feedback)$")
_TRUE = ("true", "t", "yes", "y")
_FALSE = ("false", "f", "no", "n")


def _index(label: str) -> int:
    return int(label) if label.isdigit() else ord(label) - ord("a") + 1


def _letter(index: int) -> str:
    return chr(ord("A") + index - 1) if index <= 26 else str(index)


def normalise(header: str) -> str:
    return re.sub(r"[\s_\-:]+", " ", header.strip().lower().lstrip("\ufeff")).strip()


def read_csv(path: Path, encoding: str | None = None) -> Bank:
    text, used = read_text(path, encoding)
    bank = Bank(path=path, encoding=used)
    for item in parse_csv(text):
        if isinstance(item, Skipped):
            bank.skipped.append(item)
        else:
            bank.add(item)
    return bank


def parse_csv(text: str) -> list[ImportedQuestion | Skipped]:
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = next(reader)
    except StopIteration:
        return [
            Skipped(
                1, "the file is empty", "put a header row first (prompt, type, A, B, C, answer, feedback)", error=True
            )
        ]
    except csv.Error as error:
        return [Skipped(reader.line_num or 1, f"the header row cannot be read ({error})", "", error=True)]
    columns, problems = _columns(header)
    if problems:
        return list(problems)
    results: list[ImportedQuestion | Skipped] = []
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            results.append(Skipped(start, f"the row cannot be read ({error})", "check its quotes", error=True))
            break
        if any(cell.strip() for cell in row):
            cells: dict[str, str] = {}
            for position, cell in enumerate(row):
                column = columns[position] if position < len(columns) else None
                if column and cell.strip():
                    cells[column] = cell.strip().replace("\r\n", "\n")
            if len(row) > len(columns) and any(cell.strip() for cell in row[len(columns) :]):
                results.append(
                    Skipped(
                        start,
                        f"the row has {len(row)} cells but the header names {len(columns)}",
                        "give every filled column a header, or check for a stray separator",
                        error=True,
                    )
                )
            else:
                results.append(_row(cells, start))
        start = reader.line_num + 1
    return results


def _columns(header: list[str]) -> tuple[list[str | None], list[Skipped]]:
    columns: list[str | None] = []
    problems = []
    known = sorted(set(_ALIASES) | {"a", "b", "c", "feedback a"})
    for position, raw in enumerate(header, start=1):
        name = normalise(raw)
        if not name:
            columns.append(None)
            continue
        if name in _ALIASES:
            columns.append(_ALIASES[name])
        elif option_column := _OPTION.match(name):
            columns.append(f"option {_index(option_column.group(1))}")
        elif feedback_column := _OPTION_FEEDBACK.match(name):
            columns.append(f"feedback {_index(feedback_column.group(1) or feedback_column.group(2))}")
        else:
            problems.append(
                Skipped(
                    1,
                    f"unknown column '{raw.strip()}' (column {position})",
                    did_you_mean(name, known, "column"),
                    error=True,
                )
            )
            columns.append(None)
    if "prompt" not in columns and not problems:
        problems.append(
            Skipped(1, "there is no 'prompt' column", "name the column holding the questions 'prompt'", error=True)
        )
    duplicates = [name for name in columns if name and columns.count(name) > 1]
    if duplicates:
        problems.append(Skipped(1, f"the column '{duplicates[0]}' is given twice", "keep one of them", error=True))
    return columns, problems


def _row(cells: dict[str, str], line: int) -> ImportedQuestion | Skipped:
    def error(message: str, fix: str = "") -> Skipped:
        return Skipped(line, message, fix, error=True)

    prompt = cells.get("prompt", "")
    if not prompt:
        return error("the row has no prompt", "write the question in the 'prompt' column")
    options = {int(key.split()[1]): value for key, value in cells.items() if key.startswith("option ")}
    option_feedback = {
        int(key.split()[1]): value
        for key, value in cells.items()
        if key.startswith("feedback ") and key.split()[1].isdigit()
    }
    answer = cells.get("answer", "")
    question_type = cells.get("type", "").lower().replace(" ", "-").replace("_", "-")
    aliases = {
        "true/false": "true-false",
        "truefalse": "true-false",
        "tf": "true-false",
        "short-answer": "short-text",
        "shortanswer": "short-text",
        "short": "short-text",
        "multiple-choice": "single",
        "choice": "single",
        "multiple-response": "multiple",
        "match": "matching",
        "order": "ordering",
    }
    question_type = aliases.get(question_type, question_type)
    if question_type and question_type not in TYPES:
        return error(f"unknown question type '{cells['type']}'", did_you_mean(question_type, TYPES))
    if not question_type:
        question_type = _infer_type(options, answer)
        if not question_type:
            return error(
                "the question type cannot be worked out from the row",
                "fill in the 'type' column (single, multiple, true-false, short-text, matching, ordering)",
            )
    general = cells.get("feedback", "")
    feedback = feedback_value(cells.get("feedback correct", general), cells.get("feedback incorrect", general))
    orphan = sorted(set(option_feedback) - set(options))
    if orphan and question_type in ("single", "multiple"):
        return error(
            f"there is feedback for option {_letter(orphan[0])} but no option {_letter(orphan[0])}",
            "fill in the option, or move the feedback to the right column",
        )
    if question_type in ("single", "multiple"):
        chosen = []
        for token in (part for part in re.split(r"[,;\s]+", answer) if part):
            key = token.lower()
            if not _OPTION.match(key):
                return error(
                    f"'{token}' in the answer column is not an option letter",
                    "give the letters of the right options, e.g. B or A, C",
                )
            chosen.append(_index(key))
        if not chosen:
            return error("the answer column is empty", "give the letter of the right option, e.g. B")
        missing = [index for index in chosen if index not in options]
        if missing:
            return error(f"the answer {_letter(missing[0])} names an empty option", "fill in that option's column")
        if question_type == "single" and len(chosen) > 1:
            return error(
                f"{len(chosen)} right answers in a single-choice question",
                "give one letter, or set the type to multiple",
            )
        data = question_data(
            question_type,
            prompt,
            feedback,
            options=[
                option(options[index], index in chosen, option_feedback.get(index, "")) for index in sorted(options)
            ],
        )
    elif question_type == "true-false":
        value = answer.lower()
        if value not in _TRUE + _FALSE:
            return error(f"a true/false answer must be true or false, not '{answer}'", "write true or false")
        data = question_data("true-false", prompt, feedback, answer=value in _TRUE)
    elif question_type == "short-text":
        accepted = [part.strip() for part in answer.split("|") if part.strip()]
        case = cells.get("case sensitive", "false").lower()
        if case not in _TRUE + _FALSE:
            return error(f"'case sensitive' must be true or false, not '{cells['case sensitive']}'", "")
        max_length = cells.get("max length")
        if max_length is not None and not max_length.isdigit():
            return error(f"'max length' must be a whole number, not '{max_length}'", "write e.g. 40")
        data = question_data(
            "short-text",
            prompt,
            feedback,
            **short_text_fields(accepted, case in _TRUE, int(max_length) if max_length else None),
        )
    elif question_type == "matching":
        pairs = []
        for index in sorted(options):
            if "->" not in options[index]:
                return error(
                    f"option {_letter(index)} of a matching question has no '->'", "write each pair as: prompt -> match"
                )
            left, right = (part.strip() for part in options[index].split("->", 1))
            pairs.append({"prompt": left, "match": right})
        data = question_data("matching", prompt, feedback, pairs=pairs)
    else:
        data = question_data(
            "ordering", prompt, feedback, items=[{"text": options[index]} for index in sorted(options)]
        )
    return ImportedQuestion(
        line=line, data=data, question_id=cells.get("id", ""), competency=cells.get("competency", "")
    )


def _infer_type(options: dict[int, str], answer: str) -> str:
    if answer.lower() in ("true", "false", "t", "f") and not options:
        return "true-false"
    if options and all("->" in text for text in options.values()):
        return "matching"
    if options and answer:
        return "multiple" if len([part for part in re.split(r"[,;\s]+", answer) if part]) > 1 else "single"
    if answer and not options:
        return "short-text"
    return ""
