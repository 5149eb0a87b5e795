"""Reading Aiken question banks: a question, its options `A.` or `A)`, and `ANSWER: B`.

The question may run over several lines; a blank line or the ANSWER line ends it.
"""

from __future__ import annotations

import re
from pathlib import Path

from .bank import Bank, ImportedQuestion, Skipped, option, question_data
from .text import read_text

# As Moodle's reader: the space after "A)" or "A." may be left out ("A)text").
_OPTION = re.compile(r"^([A-Za-z])[.)][ \t]*(\S.*)$")
_ANSWER = re.compile(r"^ANSWER\s*:\s*(.*)$", re.IGNORECASE)


def read_aiken(path: Path, encoding: str | None = None) -> Bank:
    text, used = read_text(path, encoding)
    bank = Bank(path=path, encoding=used)
    for item in parse_aiken(text):
        if isinstance(item, Skipped):
            bank.skipped.append(item)
        else:
            bank.add(item)
    return bank


def parse_aiken(text: str) -> list[ImportedQuestion | Skipped]:
    results: list[ImportedQuestion | Skipped] = []
    start = 0
    prompt: list[str] = []
    options: list[tuple[str, str, int]] = []  # (letter, text, line)

    def reset():
        nonlocal start, prompt, options
        start, prompt, options = 0, [], []

    for number, raw in enumerate(text.split("\n"), start=1):
        line = raw.strip().lstrip("\ufeff")
        if not line:
            if options:
                results.append(
                    Skipped(
                        start,
                        "the question has no 'ANSWER:' line after its options",
                        "add e.g. 'ANSWER: B' after the last option",
                        error=True,
                    )
                )
                reset()
            continue
        answer = _ANSWER.match(line)
        if answer:
            results.append(_question(start or number, " ".join(prompt), options, answer.group(1).strip(), number))
            reset()
            continue
        found = _OPTION.match(line)
        if found and prompt:
            options.append((found.group(1).upper(), found.group(2).strip(), number))
            continue
        if options:  # text after the options: the option runs on, as Aiken files from Word often do
            letter, previous, where = options[-1]
            options[-1] = (letter, f"{previous} {line}", where)
            continue
        if not prompt:
            start = number
        prompt.append(line)
    if prompt or options:
        results.append(
            Skipped(start, "the question has no 'ANSWER:' line", "add e.g. 'ANSWER: B' after its options", error=True)
        )
    return results


def _question(line: int, prompt: str, options, answer: str, answer_line: int) -> ImportedQuestion | Skipped:
    if not prompt:
        return Skipped(
            answer_line,
            "an 'ANSWER:' line with no question before it",
            "write the question and its options above it",
            error=True,
        )
    if not options:
        return Skipped(
            line,
            "the question has no options before its 'ANSWER:' line",
            "write each option on its own line starting with its letter, e.g. 'A) text' or 'A. text'",
            error=True,
        )
    letters = [letter for letter, _, _ in options]
    if len(set(letters)) != len(letters):
        duplicate = next(letter for letter in letters if letters.count(letter) > 1)
        return Skipped(
            line, f"the option letter {duplicate} is used twice", "letter the options A, B, C… in order", error=True
        )
    chosen = [part.strip().upper() for part in re.split(r"[,\s]+", answer) if part.strip()]
    if not chosen:
        return Skipped(
            answer_line, "'ANSWER:' gives no letter", "write the right option's letter, e.g. ANSWER: B", error=True
        )
    unknown = [letter for letter in chosen if letter not in letters]
    if unknown:
        return Skipped(
            answer_line,
            f"the answer {unknown[0]} is not one of the options ({', '.join(letters)})",
            "give the letter of one of the options",
            error=True,
        )
    question_type = "single" if len(chosen) == 1 else "multiple"
    data = question_data(question_type, prompt, options=[option(text, letter in chosen) for letter, text, _ in options])
    notes = [] if len(chosen) == 1 else ["several answer letters: imported as a multiple response question"]
    return ImportedQuestion(line=line, data=data, notes=notes)
