"""The answer key as the page carries it (docs/runtime.md, "What a package can and cannot hide").

Nothing in the page says in plain text which answer is right. With `show_answers` (the default)
each question's key is scrambled with a keystream seeded by the question's IRI and unscrambled by
the runtime (render/runtime/answer-key.js) when the learner checks that question. With
`show_answers: false` the page holds only a salted hash of each right response part, which the
runtime compares with the hash of the learner's answer; the key itself is in no decodable form.
The lists a key refers to (ordering items, matching targets) are shipped in a scrambled order.

Both sides must compute the same bytes: the hash runs over UTF-16 code units, as JavaScript's
charCodeAt gives them, and text is normalised as scoring.js's normaliseText does.
"""

from __future__ import annotations

import base64
import json
import re
import unicodedata

from ..model import Question, QuestionType

MASK = 0xFFFFFFFF
# JavaScript's \s (ECMAScript WhiteSpace and LineTerminator), which normaliseText trims and collapses
JS_SPACE = "[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
_SPACES = re.compile(JS_SPACE + "+")
_EDGES = re.compile(f"^{JS_SPACE}+|{JS_SPACE}+$")


def _imul(a: int, b: int) -> int:
    return (a * b) & MASK


def _mix(h: int) -> int:
    """A 32-bit finaliser, so that every input bit reaches every output bit."""
    h ^= h >> 16
    h = _imul(h, 0x85EBCA6B)
    h ^= h >> 13
    h = _imul(h, 0xC2B2AE35)
    return h ^ (h >> 16)


def _lanes(text: str) -> tuple[int, int]:
    data = text.encode("utf-16-le")
    a, b = 0x811C9DC5, 0x3C6EF372
    for i in range(0, len(data), 2):
        unit = data[i] | data[i + 1] << 8
        a = _imul(a ^ unit, 0x01000193)
        b = _imul(b ^ unit, 0x5BD1E995)
    return _mix(a ^ _mix(b)), _mix(b)


def digest(text: str) -> str:
    """64 bits as 16 hex digits (answer-key.js `hash`)."""
    a, b = _lanes(text)
    return f"{a:08x}{b:08x}"


def salted(salt: str, part: str) -> str:
    return digest(salt + "\n" + part)


def scramble(salt: str, data: object) -> str:
    """`data` as ASCII JSON, each byte XORed with a keystream seeded by `salt`, in base64 (answer-key.js `decode`)."""
    raw = json.dumps(data, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    state = _lanes(salt)[0]
    out = bytearray()
    for byte in raw:
        state = (_imul(state, 1664525) + 1013904223) & MASK
        out.append(byte ^ (state >> 24))
    return base64.b64encode(bytes(out)).decode("ascii")


def shuffled(salt: str, things: list, name) -> list:
    """`things` in an order fixed by the salt and each thing's name, never their own order (when more than one)."""
    order = sorted(things, key=lambda thing: salted(salt, name(thing)))
    if len(order) > 1 and order == things:
        order = order[1:] + order[:1]
    return order


def normalise_text(text: str, case_sensitive: bool) -> str:
    """scoring.js normaliseText: NFC, JavaScript trim, runs of white space as one space, lower case."""
    text = _SPACES.sub(" ", _EDGES.sub("", unicodedata.normalize("NFC", text)))
    return text if case_sensitive else text.lower()


def _literal(answer: str) -> str | None:
    """A short-text answer as the learner would type it, or None for a pattern with a wildcard (scoring.js)."""
    return None if "*" in answer.replace("\\*", "") else answer.replace("\\*", "*")


def _choice(question: Question, iri: str, show: bool) -> tuple[dict, dict, list[str]]:
    options = [{"id": o.id, "text": o.text, "feedback": o.feedback} for o in question.options]
    right = [o.id for o in question.options if o.correct]
    return {"options": options}, {"correct": right}, right


def _true_false(question: Question, iri: str, show: bool) -> tuple[dict, dict, list[str]]:
    return {}, {"correct": question.answer}, ["true" if question.answer else "false"]


def _matching(question: Question, iri: str, show: bool) -> tuple[dict, dict, list[str]]:
    targets, target_of = match_targets(question)
    shipped = shuffled(iri, targets, lambda target: target["text"])
    # Without show_answers no id may tie a target to its pair: the targets are named by their place.
    name = {t["id"]: t["id"] if show else f"t{n}" for n, t in enumerate(shipped, 1)}
    public = {
        "pairs": [{"id": p.id, "prompt": p.prompt} for p in question.pairs],
        "targets": [{"text": t["text"]} if show else {"id": name[t["id"]], "text": t["text"]} for t in shipped],
    }
    right = {"ids": [t["id"] for t in shipped], "to": [target_of[p.id] for p in question.pairs]}
    return public, right, [f"{p.id}.{name[target_of[p.id]]}" for p in question.pairs]


def _ordering(question: Question, iri: str, show: bool) -> tuple[dict, dict, list[str]]:
    order = [i.id for i in question.items]
    public = {"items": [{"id": i.id, "text": i.text} for i in shuffled(iri, list(question.items), lambda i: i.id)]}
    return public, {"order": order}, [f"{place}.{item_id}" for place, item_id in enumerate(order)]


def _short_text(question: Question, iri: str, show: bool) -> tuple[dict, dict, list[str]]:
    public: dict[str, object] = {"caseSensitive": question.case_sensitive, "maxLength": question.max_length}
    literal = [_literal(a) for a in question.answers]
    wild = [a for a, text in zip(question.answers, literal, strict=True) if text is None]
    if wild and not show:
        public["wild"] = scramble(iri, wild)  # a pattern cannot be hashed: docs/runtime.md says so
    parts = sorted({normalise_text(text, question.case_sensitive) for text in literal if text is not None})
    return public, {"answers": list(question.answers)}, parts


_FIELDS = {
    QuestionType.SINGLE: _choice,
    QuestionType.MULTIPLE: _choice,
    QuestionType.TRUE_FALSE: _true_false,
    QuestionType.MATCHING: _matching,
    QuestionType.ORDERING: _ordering,
    QuestionType.SHORT_TEXT: _short_text,
}


def question_fields(question: Question, iri: str, show: bool) -> dict[str, object]:
    """The question's type-specific fields of the course JSON: what the learner sees, and the key as `key`
    (scrambled) or `hashes` (without show_answers)."""
    public, right, parts = _FIELDS[question.type](question, iri, show)
    if show:
        public["key"] = scramble(iri, right)
    else:
        public["hashes"] = [salted(iri, part) for part in parts]
    return public


def match_targets(question: Question) -> tuple[list[dict[str, str]], dict[str, str]]:
    """A matching question's choices, each once ({id, text}, spares last), and each pair's right one by pair id.

    A match text is named by the first pair it belongs to; spares are spare1, spare2... (ids no pair has)."""
    target_of: dict[str, str] = {}
    first: dict[str, str] = {}
    for pair in question.pairs:
        target_of[pair.id] = first.setdefault(pair.match, pair.id)
    targets = [{"id": target_id, "text": text} for text, target_id in first.items()]
    taken = {pair.id for pair in question.pairs}
    spare_ids = (f"spare{number}" for number in range(1, len(taken) + len(question.spares) + 2))
    for text in question.spares:
        targets.append({"id": next(i for i in spare_ids if i not in taken), "text": text})
    return targets, target_of


def unscramble(salt: str, text: str) -> object:
    """The inverse of `scramble` (for tests and tools: the runtime has its own, answer-key.js `decode`)."""
    state = _lanes(salt)[0]
    out = bytearray()
    for byte in base64.b64decode(text):
        state = (_imul(state, 1664525) + 1013904223) & MASK
        out.append(byte ^ (state >> 24))
    return json.loads(out.decode("ascii"))
