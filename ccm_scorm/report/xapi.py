"""xAPI statements -> verdicts: from a file (JSON array or JSON Lines) or an LRS, streamed.

What the runtime sends (ccm_scorm/render/runtime/adapter-xapi.js, outbox.js):
- `passed` / `failed` on the module activity (`Course.module_iri`) at each submission, with
  result.score and the per-competency outcome in the result extension
  `<...>/competency-results` ([{id: competency IRI, competency, score, status}]);
- `completed` (first submission of a launch, or a module without a quiz);
- `answered` on each question activity (`Course.question_iri`) with result.success;
- `initialized`, `resumed`, `experienced`, `terminated` while the learner works.
Every statement lists its competencies as contextActivities.other (type objective).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from pathlib import Path

from .catalogue import Catalogue
from .errors import ReportError
from .learners import Identity, LearnerResolver
from .matrix import Matrix, iso_utc
from .verdicts import NOT_ASSESSED, is_judged

ADL = "http://adlnet.gov/expapi/verbs/"
RESULT_VERBS = {ADL + "passed", ADL + "failed", ADL + "completed"}
ANSWERED = ADL + "answered"
STARTED_VERBS = {
    ADL + v
    for v in ("initialized", "resumed", "experienced", "attempted", "launched", "progressed", "terminated", "suspended")
} | {"http://adlnet.gov/expapi/verbs/launched", "https://w3id.org/xapi/adl/verbs/satisfied"}
VOIDED = ADL + "voided"
XAPI_VERSION = "1.0.3"


def _text(value) -> str:
    """A field that must be a string: itself, or "" for anything else (a list, a number, a map)."""
    return value if isinstance(value, str) else ""


def _map(value) -> dict:
    return value if isinstance(value, dict) else {}


def _number(value) -> float | None:
    """A finite number (a numeric string is accepted too); None for anything else, NaN, inf or out of range."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = float(value)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _score(result: dict) -> float | None:
    score = _map(result.get("score"))
    scaled = _number(score.get("scaled"))
    if scaled is not None:
        return _finite(round(scaled * 100, 2))
    raw = _number(score.get("raw"))
    if raw is None:
        return None
    low, high = _number(score.get("min")) or 0.0, _number(score.get("max"))
    if high is not None and high > low:
        return _finite(round((raw - low) / (high - low) * 100, 2))
    return raw


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def _time(statement: dict) -> str | None:
    text = _text(statement.get("timestamp")) or _text(statement.get("stored"))
    if not text:
        return None
    try:
        return iso_utc(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except (ValueError, OverflowError):
        return None


def _identity(actor) -> Identity | None:
    if not isinstance(actor, dict) or actor.get("objectType") == "Group":
        return None
    who = Identity(name=_text(actor.get("name")))
    mbox = _text(actor.get("mbox"))
    if mbox.lower().startswith("mailto:"):
        who.email = mbox[7:]
    account = _map(actor.get("account"))
    who.user_id = _text(account.get("name")) or _text(actor.get("mbox_sha1sum")) or _text(actor.get("openid"))
    return who


def _activities(context: dict, kind: str) -> list[str]:
    found = _map(context.get("contextActivities")).get(kind) or []
    if isinstance(found, dict):
        found = [found]
    if not isinstance(found, list):
        return []
    return [a["id"] for a in found if isinstance(a, dict) and isinstance(a.get("id"), str)]


UNUSABLE_EXAMPLES = 5  # statements named in the notes per reason; the rest are counted


class StatementReader:
    """Feeds statements into a Matrix, one at a time, keeping nothing per statement."""

    def __init__(self, catalogue: Catalogue, matrix: Matrix, resolver: LearnerResolver):
        self.catalogue, self.matrix, self.resolver = catalogue, matrix, resolver
        self.notes = matrix.notes
        self._cache: dict[str, str | None] = {}
        self._examples: dict[str, int] = {}

    def read(self, statements: Iterable[dict], label: str) -> int:
        """Read every statement; `statements` may say where the current one is (a StatementFile does)."""
        bit = self.matrix.source(label)
        n = 0

        def where() -> str:  # asked only for a statement that cannot be used
            return getattr(statements, "where", "") or f"{label}, statement {n}"

        for statement in statements:
            n += 1
            self.one(statement, bit, where=where)
        self.notes.count(self.notes.read, label, n)
        return n

    def one(self, statement, bit: int, only_module: str | None = None, where: str | Callable[[], str] = "") -> None:
        """One statement into the matrix; one that cannot be used is counted and named in the notes
        (`where`: the place to name, or a function that tells it)."""
        if isinstance(statement, Unusable):
            self.unusable(statement.why, statement.where)
            return
        if not isinstance(statement, dict):
            self.unusable("not a statement object", where)
            return
        try:
            self._use(statement, bit, only_module)
        except (TypeError, ValueError, KeyError, AttributeError, OverflowError, RecursionError) as error:
            # A shape no check above foresaw: never fatal for the whole report.
            self.unusable(f"a field of an unexpected type ({type(error).__name__})", _statement_id(statement) or where)

    def unusable(self, why: str, where: str | Callable[[], str]) -> None:
        notes = self.notes
        notes.count(notes.skipped, f"statements that could not be used ({why})")
        seen = self._examples.get(why, 0)
        self._examples[why] = seen + 1
        place = where() if callable(where) else where
        if seen < UNUSABLE_EXAMPLES and place:
            notes.say(f"statement not used ({why}): {place}")

    def _use(self, statement: dict, bit: int, only_module: str | None) -> None:
        notes = self.notes
        verb = _text(_map(statement.get("verb")).get("id"))
        obj = _map(statement.get("object"))
        object_id = _text(obj.get("id"))
        if verb == VOIDED or obj.get("objectType") in ("StatementRef", "SubStatement", "Agent", "Group"):
            notes.count(notes.skipped, "voiding or non-activity statements")
            return
        context = _map(statement.get("context"))
        module_id = self.catalogue.module_of_activity(object_id)
        if module_id is None:
            for parent in _activities(context, "parent") + _activities(context, "grouping"):
                module_id = self.catalogue.module_of_activity(parent)
                if module_id:
                    break
        if module_id is None:
            if self.catalogue.is_pathway_activity(object_id):
                notes.count(notes.skipped, "pathway statements (pathway progress is computed from modules)")
            else:
                notes.count(notes.not_in_catalogue, object_id or "(no object id)")
            return
        if only_module is not None and module_id != only_module:
            return  # another module's query returns it
        key = self._learner(statement.get("actor"))
        if key is None:
            notes.count(notes.skipped, f"statements without a learner {self.resolver.match}")
            return
        module = self.catalogue.module(module_id)
        result = _map(statement.get("result"))
        is_module_object = (
            object_id == self.catalogue.course.module_iri(module_id)
            or self.catalogue.module_of_activity(object_id) is None
        )
        if verb in RESULT_VERBS and is_module_object:
            if verb == ADL + "completed" and module.has_quiz:
                # The runtime sends `completed` before `passed`/`failed` for the same submission.
                self.matrix.started(key, module_id, self.catalogue.module_competencies[module_id], bit)
                return
            self._result(key, module, verb, result, context, statement, bit)
        elif verb == ANSWERED:
            hit = self.catalogue.question_of_activity(object_id)
            comps = [hit[2]] if hit else self._context_competencies(context)
            self.matrix.started(key, module_id, comps, bit)
        else:
            self.matrix.started(key, module_id, (), bit)

    def _learner(self, actor) -> str | None:
        """The learner key of an actor; cached by the actor's identifier, so the cache grows with learners only."""
        if isinstance(actor, dict):
            account = _map(actor.get("account"))
            ident = _text(actor.get("mbox")) or (
                f"{_text(account.get('homePage'))}|{_text(account.get('name'))}" if account else ""
            )
            if ident:
                hit = self._cache.get(ident)
                if hit is not None or ident in self._cache:
                    return hit
                who = _identity(actor)
                key = self._cache[ident] = self.resolver.key(who) if who else None
                return key
        who = _identity(actor)
        return self.resolver.key(who) if who else None

    def _context_competencies(self, context: dict) -> list[str]:
        out = []
        for iri in _activities(context, "other"):
            cid = self.catalogue.competency_by_iri.get(iri)
            if cid:
                out.append(cid)
        return out

    def _own_results(self, result: dict) -> dict[str, dict]:
        """competency id -> its entry in the competency-results extension (entries of the wrong shape skipped)."""
        own = {}
        for name, value in _map(result.get("extensions")).items():
            if not (isinstance(name, str) and name.endswith("competency-results") and isinstance(value, list)):
                continue
            for item in value:
                if not isinstance(item, dict):
                    continue
                cid: str | None = _text(item.get("competency"))
                if cid not in self.catalogue.competency_index:
                    cid = self.catalogue.competency_by_iri.get(_text(item.get("id")))
                if cid is None:
                    label = _text(item.get("competency")) or _text(item.get("id")) or "(no competency named)"
                    self.notes.count(self.notes.unknown_competencies, label[:200])
                    continue
                own[cid] = item
        return own

    def _result(self, key, module, verb, result, context, statement, bit) -> None:
        when = _time(statement)
        score = _score(result)
        if verb == ADL + "passed":
            module_passed = True
        elif verb == ADL + "failed":
            module_passed = False
        else:
            module_passed = not module.has_quiz or (score is not None and score >= module.pass_mark)
        self.matrix.module_result(key, module.id, module_passed)
        own = self._own_results(result)
        listed = self._context_competencies(context) or list(self.catalogue.module_competencies[module.id])
        for cid in dict.fromkeys(list(own) + listed):
            item = own.get(cid)
            if item is not None and not self._judged(module.id, cid, item):
                self.matrix.not_assessed(key, module.id, cid, bit, "objective")
            elif item is not None:
                status = _text(item.get("status"))
                own_score = _number(item.get("score"))
                if status in ("passed", "failed"):
                    passed = status == "passed"
                elif own_score is not None:
                    passed = own_score >= module.pass_mark
                else:  # completed without a score: no question of the attempt evidenced it
                    passed = module_passed
                self.matrix.verdict(key, module.id, cid, passed, own_score, when, 0, bit, "objective")
            else:
                self.matrix.verdict(key, module.id, cid, module_passed, None, when, 0, bit, "module")

    def _judged(self, module_id: str, cid: str, item: dict) -> bool:
        """Whether a competency-results entry judges its competency (verdicts.py): not when it says
        not-assessed, asked too few questions, or (runtimes before the rule) has no score although
        the module's bank has questions on it."""
        in_bank = self.catalogue.in_bank(module_id, cid)
        if _text(item.get("status")) == NOT_ASSESSED:
            return False
        asked = _number(item.get("asked"))
        if asked is not None:
            return is_judged(int(asked), in_bank) or not in_bank
        return (
            not in_bank or _number(item.get("score")) is not None or _text(item.get("status")) in ("passed", "failed")
        )


def _statement_id(statement: dict) -> str:
    ident = _text(statement.get("id"))
    return f"statement id {ident[:100]}" if ident else ""


class Unusable:
    """Stands in for a statement a file holds but that cannot be parsed into one (too deep, too large)."""

    def __init__(self, why: str, where: str):
        self.why, self.where = why, where


# ---------------------------------------------------------------------- files
MAX_STATEMENT = 16 * 1024 * 1024  # bytes: no xAPI statement is near this; past it the file is malformed
CHUNK = 1024 * 1024


def _parse_int(text: str):
    # Python refuses to turn more than 4300 digits into an int; such a number is no score anyway.
    return int(text) if len(text) <= 300 else float(text)


_FAST = json.JSONDecoder()  # the C scanner's fast path; _DECODER only where it refuses a number
_DECODER = json.JSONDecoder(parse_int=_parse_int)
_LRS_ANSWER = re.compile(r'\{(?:\s*"more"\s*:\s*"(?:[^"\\]|\\.)*"\s*,)?\s*"statements"\s*:\s*\[')
_SEPARATOR = re.compile(r"[\s,]*")


def _skip_separators(text: str, position: int) -> int:
    """The position after any spaces and commas from `position` (the pattern matches the empty string too)."""
    found = _SEPARATOR.match(text, position)
    return found.end() if found else position


class StatementFile:
    """Statements from a JSON array, an LRS answer ({"statements": [...]}) or JSON Lines, streamed.
    `where` names the statement last given (file:line)."""

    def __init__(self, path: Path):
        self.path = path
        self._line: Callable[[], int] = lambda: 0  # the line of the statement last given

    @property
    def where(self) -> str:
        line = self._line()
        return f"{self.path}:{line}" if line else ""

    def __iter__(self) -> Iterator:
        path = self.path
        try:
            handle = open(path, encoding="utf-8-sig", newline="")
        except OSError as error:
            raise ReportError(f"{path}: cannot read this file: {error.strerror or error}") from None
        with handle:
            try:
                head = handle.read(4096)
                rest = head.lstrip(" \t\r\n")
                if rest.startswith("[") or (
                    rest.startswith("{") and '"statements"' in rest[:200] and "\n{" not in rest
                ):
                    yield from self._json_array(handle, head)
                else:
                    handle.seek(0)
                    yield from self._json_lines(handle)
            except UnicodeDecodeError as error:
                raise ReportError(
                    f"{path}: not UTF-8 text (byte {error.start} of a block): save or export it as UTF-8"
                ) from None

    def _json_array(self, handle, text: str) -> Iterator:
        """Items of the file's top-level array, decoded one at a time from a sliding buffer."""
        buffer = _Buffer(handle, text)
        text = buffer.text
        opening = _LRS_ANSWER.match(text) if text.startswith("{") else None
        if text.startswith("{") and opening is None:
            raise ReportError(
                f'{self.path}:1: an LRS answer must begin with "statements" (or "more" then '
                '"statements"); save the statements as a JSON array or JSON Lines instead'
            )
        position = opening.end() if opening else 1
        while True:
            position = _skip_separators(buffer.text, position)
            if position >= len(buffer.text) and buffer.more(position):
                position = 0
                continue
            if buffer.text.startswith("]", position):
                return
            if position >= len(buffer.text):
                raise ReportError(
                    f"{self.path}:{buffer.line(position)}: the JSON array is not closed: the file is cut short"
                )
            try:
                item, end = _FAST.raw_decode(buffer.text, position)
            except json.JSONDecodeError as error:
                if len(buffer.text) - position < MAX_STATEMENT and buffer.more(position):
                    position = 0  # the item runs on past the buffer: read more and decode it again
                    continue
                raise ReportError(f"{self.path}:{buffer.line(error.pos)}: malformed JSON: {error.msg}") from None
            except RecursionError:
                raise ReportError(
                    f"{self.path}:{buffer.line(position)}: JSON nested too deeply to be a statement: "
                    "check this is a statements export"
                ) from None
            except ValueError:  # an integer of more than 4300 digits, which Python refuses to read
                item, end = _DECODER.raw_decode(buffer.text, position)
            self._line = partial(buffer.line, position)
            yield item
            position = end

    def _json_lines(self, handle) -> Iterator:
        path = self.path
        for number, raw in enumerate(handle, start=1):
            line = raw.strip()
            if not line:
                continue
            self._line = partial(int, number)
            try:
                statement = json.loads(line)
            except json.JSONDecodeError as error:
                where = f"{path}:{number}" + (f":{error.colno}" if error.colno else "")
                raise ReportError(
                    f"{where}: malformed JSON: {error.msg} (a statements file is a JSON array "
                    "or one statement per line)"
                ) from None
            except RecursionError:
                yield Unusable("JSON nested too deeply to be a statement", self.where)
                continue
            except ValueError:  # an integer of more than 4300 digits, which Python refuses to read
                statement = _DECODER.decode(line)
            if isinstance(statement, list):
                yield from statement
            else:
                yield statement


class _Buffer:
    """The part of a file being decoded, and the line numbers in it (counted once, as the buffer moves on)."""

    def __init__(self, handle, head: str):
        self.handle = handle
        self.text = head.lstrip(" \t\r\n")
        self.lines = head.count("\n", 0, len(head) - len(self.text))  # newlines before the counted point
        self.counted = 0
        self.at_end = False

    def more(self, keep_from: int) -> bool:
        """Drop the text before `keep_from` and read on; False at the end of the file."""
        if self.at_end:
            return False
        chunk = self.handle.read(max(CHUNK, len(self.text) - keep_from))
        if not chunk:
            self.at_end = True
            return False
        self.line(keep_from)
        self.text, self.counted = self.text[keep_from:] + chunk, 0
        return True

    def line(self, position: int) -> int:
        """The file's line number at `position` (positions only move forward between calls)."""
        if position >= self.counted:
            self.lines += self.text.count("\n", self.counted, position)
            self.counted = position
            return self.lines + 1
        return self.lines - self.text.count("\n", position, self.counted) + 1


def iter_statement_file(path: Path) -> StatementFile:
    return StatementFile(path)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
