"""Reading Moodle GIFT question banks.

Supported: multiple choice with one right answer, multiple response (several answers
with positive `%weights%`), true/false, short answer, matching, per-answer `#`
feedback and `####` general feedback, `::names::`, `//` comments, `$CATEGORY:` lines,
the missing-word form (text after the answers), the escapes `\\~ \\= \\# \\{ \\} \\: \\\\ \\n`
and the `[html]`, `[markdown]`, `[plain]` and `[moodle]` text formats (converted to
plain text). Numeric and essay questions and descriptions are listed as not imported.

Lines starting `// ccm ` carry what GIFT cannot (see gift_export): the competency,
separate feedback for right and wrong answers, and short-text settings.
"""

from __future__ import annotations

import re
from pathlib import Path

from .bank import Bank, ImportedQuestion, Skipped, feedback_value, option, question_data, short_text_fields
from .text import collapse, html_to_text, markdown_to_text, read_text

# Escaped characters become private-use characters while the structure is read, and
# the characters themselves afterwards.
_ESCAPES = {
    "\\": "\ue000",
    "~": "\ue001",
    "=": "\ue002",
    "#": "\ue003",
    "{": "\ue004",
    "}": "\ue005",
    ":": "\ue006",
    "n": "\ue007",
}
_RESTORE = {placeholder: char for char, placeholder in _ESCAPES.items() if char != "n"}
_NEWLINE = "\ue007"
_FORMAT = re.compile(r"^\s*\[(html|markdown|plain|moodle)\]", re.IGNORECASE)
_WEIGHT = re.compile(r"^\s*%(-?\d+(?:\.\d+)?)%")
_LOOKS_HTML = re.compile(
    r"</?(p|br|b|i|u|em|strong|ul|ol|li|div|span|a|sub|sup|h[1-6]|img|table)\b[^>]*>", re.IGNORECASE
)
_META = re.compile(r"^\s*//\s*ccm\s+([a-z-]+)\s*:\s?(.*)$")
# As Moodle reads them (qformat_gift::extract_idnumber_and_tags_from_comment): `\]` is a ] inside.
_ID_NUMBER = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>`\x00-\x1f\x7f])+)\]")
META_KEYS = ("competency", "feedback-correct", "feedback-incorrect", "max-length", "case-sensitive")


def escape_line(line: str) -> str:
    out = []
    index = 0
    while index < len(line):
        char = line[index]
        if char == "\\" and index + 1 < len(line) and line[index + 1] in _ESCAPES:
            out.append(_ESCAPES[line[index + 1]])
            index += 2
        else:
            out.append(char)
            index += 1
    return "".join(out)


def _restore(text: str) -> str:
    for placeholder, char in _RESTORE.items():
        text = text.replace(placeholder, char)
    return text


def _unmeta(value: str) -> str:
    """Values of `// ccm` lines use the GIFT escapes too (a line break is \\n)."""
    return _restore(escape_line(value)).replace(_NEWLINE, "\n").strip()


def read_gift(path: Path, encoding: str | None = None) -> Bank:
    text, used = read_text(path, encoding)
    bank = Bank(path=path, encoding=used)
    for item in parse_gift(text):
        if isinstance(item, Skipped):
            bank.skipped.append(item)
        else:
            bank.add(item)
    return bank


def parse_gift(text: str) -> list[ImportedQuestion | Skipped]:
    results: list[ImportedQuestion | Skipped] = []
    category = ""
    block: list[tuple[int, str]] = []
    meta: dict[str, tuple[int, str]] = {}
    comments: list[str] = []

    def finish():
        nonlocal block, meta, comments
        if block:
            results.append(_with_id_and_tags(_parse_question(block, category, meta), "\n".join(comments)))
        block, meta, comments = [], {}, []

    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if number == 1:
            stripped = stripped.lstrip("\ufeff")
        if not stripped:
            finish()
            continue
        if stripped.startswith("//"):
            comments.append(stripped)
            found = _META.match(stripped)
            if found:
                key = found.group(1)
                if key in META_KEYS:
                    meta[key] = (number, _unmeta(found.group(2)))
                else:
                    results.append(
                        Skipped(
                            number, f"unknown '// ccm {key}:' line", f"use one of: {', '.join(META_KEYS)}", error=True
                        )
                    )
            continue
        if not block and stripped.upper().startswith("$CATEGORY:"):
            category = _category_name(stripped.split(":", 1)[1])
            continue
        block.append((number, line))
    finish()
    return results


def _with_id_and_tags(item: ImportedQuestion | Skipped, comments: str) -> ImportedQuestion | Skipped:
    """Moodle keeps `[id:…]` and `[tag:…]` written in a question's comments as its ID number and tags."""
    if isinstance(item, Skipped):
        return item
    idnumber = _ID_NUMBER.search(comments)
    if idnumber:
        item.data["idnumber"] = idnumber.group(1).replace("\\]", "]").strip()
    tags = [tag.replace("\\]", "]").strip() for tag in _TAG.findall(comments)]
    if tags:
        item.data["tags"] = tags
    return item


def _category_name(raw: str) -> str:
    parts = [part for part in raw.strip().split("/") if part]
    if parts and parts[0].startswith("$") and parts[0].endswith("$"):
        parts = parts[1:]
    if parts and parts[0].lower() == "top":
        parts = parts[1:]
    return "/".join(parts)


class _Malformed(Exception):
    def __init__(self, line: int, message: str, fix: str = ""):
        super().__init__(message)
        self.line, self.message, self.fix = line, message, fix


class _Unsupported(_Malformed):
    pass


def _parse_question(block: list[tuple[int, str]], category: str, meta: dict) -> ImportedQuestion | Skipped:
    first = block[0][0]
    text = "\n".join(escape_line(line) for _, line in block)

    def line_at(position: int) -> int:
        return first + text.count("\n", 0, position)

    try:
        return _convert(text, first, line_at, category, meta)
    except _Unsupported as problem:
        return Skipped(problem.line, problem.message, problem.fix, error=False)
    except _Malformed as problem:
        return Skipped(problem.line, problem.message, problem.fix, error=True)


def _convert(text: str, first: int, line_at, category: str, meta: dict) -> ImportedQuestion:
    position = len(text) - len(text.lstrip())
    title = ""
    if text.startswith("::", position):
        end = text.find("::", position + 2)
        if end < 0:
            raise _Malformed(
                first,
                "the question name is not closed with '::'",
                "write the name as ::name:: before the question (or \\: for a colon in it)",
            )
        title = collapse(_restore(text[position + 2 : end]))
        position = end + 2
    found = _FORMAT.match(text[position:])
    text_format = "moodle"
    if found:
        text_format = found.group(1).lower()
        position += found.end()
    opening = text.find("{", position)
    if opening < 0:
        raise _Unsupported(
            first,
            "a description (text without an answer block {…}) is not a question",
            "put it on a page of the module instead",
        )
    closing = text.find("}", opening)
    if closing < 0:
        raise _Malformed(
            line_at(opening),
            "the answers opened with '{' are not closed with '}'",
            "add the closing '}' (write \\{ for a brace that is part of the text)",
        )
    nested = text.find("{", opening + 1, closing)
    if nested >= 0:
        raise _Malformed(line_at(nested), "a '{' inside the answers", "write \\{ for a brace that is part of the text")
    after = text[closing + 1 :]
    if "{" in after or "}" in after:
        where = closing + 1 + min(i for i in (after.find("{"), after.find("}")) if i >= 0)
        raise _Malformed(
            line_at(where),
            "more than one answer block in one question (embedded answers, 'Cloze', are not GIFT)",
            "split it into separate questions, each with one {…}",
        )
    notes: list[str] = []
    before = text[position:opening]
    prompt = _text(before, text_format, notes)
    if after.strip():  # the missing-word form: the answers stand for a blank in the sentence
        prompt = f"{prompt} _____ {_text(after, text_format, notes)}".strip()
    answer_line = line_at(opening)
    data, more_notes = _answers(text[opening + 1 : closing], text_format, answer_line, prompt, meta)
    question = ImportedQuestion(line=first, data=data, title=title, category=category, notes=notes + more_notes)
    if "competency" in meta:
        question.competency = meta["competency"][1]
    return question


def _text(raw: str, text_format: str, notes: list[str]) -> str:
    own = _FORMAT.match(raw)
    if own:
        text_format = own.group(1).lower()
        raw = raw[own.end() :]
    raw = _restore(raw)
    if text_format == "moodle" and _LOOKS_HTML.search(raw):
        text_format = "html"  # Moodle shows tags in its auto-format as HTML, so read them as HTML
    if text_format == "html":
        converted, more = html_to_text(raw)
        notes.extend(more)
    elif text_format == "markdown":
        converted, more = markdown_to_text(raw)
        notes.extend(more)
    else:
        converted = collapse(raw)
    converted = re.sub(r"[ \t]*\ue007[ \t]*", "\n", converted)
    return converted.strip()


def _join(*texts: str) -> str:
    return " ".join(text for text in texts if text)


def _answers(block: str, text_format: str, line: int, prompt: str, meta: dict) -> tuple[dict, list[str]]:
    """The question's answers, typed the way Moodle's GIFT reader types them (question/format/gift)."""
    notes: list[str] = []
    general = ""
    body, separator, general_raw = block.rpartition("####")
    if separator:
        general = _text(general_raw, text_format, notes)
    else:
        body = block
    body = body.strip()
    if not body:
        raise _Unsupported(
            line,
            "essay questions (an empty answer block {}) are not supported: "
            "learners' writing cannot be marked automatically",
            "leave the question out, or make it a short answer with accepted answers {=…}",
        )
    if body.startswith("#"):
        raise _Unsupported(
            line,
            "numeric questions ({#…}) are not supported",
            "make it a short answer question listing the accepted numbers, e.g. {=3 =three}",
        )
    if "~" in body:
        return _choice(body, text_format, line, prompt, general, meta, notes), notes
    if "=" in body and "->" in body:
        return _matching(_split(body, "="), text_format, line, prompt, general, meta, notes), notes
    hash_at = body.find("#")
    if (body[:hash_at].strip() if hash_at > 0 else body) in ("T", "TRUE", "F", "FALSE"):
        return _true_false(body, text_format, prompt, general, meta, notes), notes
    return _short_answer(_split(body, "="), text_format, line, prompt, general, meta, notes), notes


def _split(body: str, separator: str) -> list[str]:
    """Moodle's split of an answer block: on the separator, an empty text before the first one dropped."""
    answers = [answer.strip() for answer in body.split(separator)]
    return answers[1:] if not answers[0] else answers


def _weighed(answer: str, default: float) -> tuple[float, str, str]:
    """(weight in percent, answer text, feedback) of one answer without its = or ~ marker."""
    found = _WEIGHT.match(answer)
    weight = float(found.group(1)) if found else default
    text, _, feedback = (answer[found.end() :] if found else answer).partition("#")
    return weight, text, feedback


def _true_false(body: str, text_format: str, prompt: str, general: str, meta: dict, notes: list[str]) -> dict:
    parts = body.split("#", 2)
    wrong = _text(parts[1], text_format, notes) if len(parts) > 1 else ""
    right = _text(parts[2], text_format, notes) if len(parts) > 2 else ""
    answer = parts[0].strip() in ("T", "TRUE")
    feedback = _feedback(meta, _join(right, general), _join(wrong, general))
    return question_data("true-false", prompt, feedback, answer=answer)


def _feedback(meta: dict, correct: str, incorrect: str):
    if "feedback-correct" in meta or "feedback-incorrect" in meta:
        correct = meta.get("feedback-correct", (0, correct))[1]
        incorrect = meta.get("feedback-incorrect", (0, incorrect))[1]
    return feedback_value(correct, incorrect)


def _percent(weight: float) -> str:
    return f"{weight:g}%"


def _choice(body, text_format, line, prompt, general, meta, notes) -> dict:
    one_right = "=" in body  # Moodle: single choice when any answer is marked =, else multiple response
    answers = _split(body.replace("=", "~="), "~")
    if len(answers) < 2:
        raise _Malformed(line, "a multiple choice question needs at least 2 answers", "add another ~answer")
    scored = []
    for answer in answers:
        if answer.startswith("="):
            answer_text, _, feedback = answer[1:].partition("#")
            weight = 100.0
        else:
            weight, answer_text, feedback = _weighed(answer, 0.0)
        scored.append((weight, _text(answer_text, text_format, notes), _text(feedback, text_format, notes)))
    if one_right:
        question_type, options = "single", _single_choice(scored, line, notes)
    else:
        question_type, options = "multiple", _multiple_response(scored, line, notes)
    return question_data(question_type, prompt, _feedback(meta, general, general), options=options)


def _single_choice(scored, line, notes) -> list[dict]:
    full = [entry for entry in scored if entry[0] >= 99.99]
    if len(full) > 1:
        raise _Unsupported(
            line,
            f"{len(full)} answers are each fully right (any one of them scores): ccm "
            "questions have one right answer, or several that must all be chosen",
            "keep one = answer, or give each right answer a share such as ~%50%",
        )
    right = full[0]
    for weight, answer_text, _ in scored:
        if 0 < weight < 99.99:
            notes.append(f"'{answer_text}' earned {_percent(weight)} partial credit in Moodle; here it is wrong")
    return [option(entry[1], entry is right, entry[2]) for entry in scored]


def _multiple_response(scored, line, notes) -> list[dict]:
    positive = [weight for weight, _, _ in scored if weight > 0]
    if not positive:
        raise _Malformed(
            line,
            "no answer is marked right",
            "mark the right answer with = (or ~%50% for each of several right answers)",
        )
    total = sum(positive)
    if abs(total - 100) > 1:
        notes.append(f"the right answers' weights add up to {_percent(total)}, not 100%")
    if max(positive) - min(positive) > 0.01:
        shares = ", ".join(f"'{text}' {_percent(weight)}" for weight, text, _ in scored if weight > 0)
        notes.append(f"Moodle gave the right answers different shares ({shares}); here each must be chosen")
    return [option(answer_text, weight > 0, feedback) for weight, answer_text, feedback in scored]


def _short_answer(answers, text_format, line, prompt, general, meta, notes) -> dict:
    accepted = []
    right_feedback = []
    catch_all = ""
    for answer in answers:
        weight, answer_text, feedback = _weighed(answer, 100.0)
        answer_text = _text(answer_text, text_format, notes)
        feedback = _text(feedback, text_format, notes)
        if weight >= 99.99:
            accepted.append(answer_text)
            if feedback:
                right_feedback.append(feedback)
        elif answer_text == "*" and weight <= 0:
            catch_all = feedback  # Moodle's "any other answer": its feedback is the feedback for a wrong answer
        elif weight > 0:
            notes.append(
                f"the answer '{answer_text}' earned {_percent(weight)} partial credit; "
                "it was left out (only fully right answers are accepted)"
            )
        else:
            notes.append(
                f"the wrong answer '{answer_text}' and its feedback were left out: every answer not "
                "accepted is wrong here"
            )
    if not accepted:
        raise _Malformed(
            line,
            "the short answer question has no fully right answer",
            "mark one answer with = and no weight (or %100%)",
        )
    if right_feedback:
        notes.append("feedback for particular answers was joined into the feedback for a right answer")
    case_sensitive = meta.get("case-sensitive", (0, "false"))[1].lower() == "true"
    max_length = None
    if "max-length" in meta:
        number, value = meta["max-length"]
        if not value.isdigit():
            raise _Malformed(number, f"'// ccm max-length:' must be a whole number, not '{value}'", "write e.g. 40")
        max_length = int(value)
    feedback = _feedback(meta, _join(*dict.fromkeys(right_feedback), general), _join(catch_all, general))
    return question_data("short-text", prompt, feedback, **short_text_fields(accepted, case_sensitive, max_length))


def _matching(answers, text_format, line, prompt, general, meta, notes) -> dict:
    if len(answers) < 2:
        raise _Malformed(line, "a matching question needs at least 2 pairs", "add another =prompt -> match")
    pairs, spares = [], []
    for answer_text in answers:
        if "->" not in answer_text:
            raise _Malformed(
                line,
                f"the matching answer '{_restore(answer_text).strip()[:40]}' has no '->'",
                "write each pair as =prompt -> match",
            )
        left, right = answer_text.split("->", 1)
        left, right = _text(left, text_format, notes), collapse(_restore(right).replace(_NEWLINE, " "))
        if left:
            pairs.append({"prompt": left, "match": right})
        elif right not in spares and right not in [pair["match"] for pair in pairs]:
            spares.append(right)  # Moodle's extra answer, matching no prompt
    return question_data("matching", prompt, _feedback(meta, general, general), pairs=pairs, spares=spares or None)
