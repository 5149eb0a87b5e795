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
from pathlib import Path
from typing import Iterable, Iterator

from .catalogue import Catalogue
from .errors import ReportError
from .learners import Identity, LearnerResolver
from .matrix import Matrix, iso_utc

ADL = "http://adlnet.gov/expapi/verbs/"
RESULT_VERBS = {ADL + "passed", ADL + "failed", ADL + "completed"}
ANSWERED = ADL + "answered"
STARTED_VERBS = {ADL + v for v in ("initialized", "resumed", "experienced", "attempted", "launched",
                                   "progressed", "terminated", "suspended")} | {
    "http://adlnet.gov/expapi/verbs/launched", "https://w3id.org/xapi/adl/verbs/satisfied"}
VOIDED = ADL + "voided"
XAPI_VERSION = "1.0.3"


def _score(result: dict) -> float | None:
    score = result.get("score")
    if not isinstance(score, dict):
        return None
    try:
        if "scaled" in score and score["scaled"] is not None:
            return round(float(score["scaled"]) * 100, 2)
        if "raw" in score and score["raw"] is not None:
            raw = float(score["raw"])
            low, high = float(score.get("min", 0) or 0), score.get("max")
            if high is not None and float(high) > low:
                return round((raw - low) / (float(high) - low) * 100, 2)
            return raw
    except (TypeError, ValueError):
        return None
    return None


def _time(statement: dict) -> str | None:
    text = statement.get("timestamp") or statement.get("stored")
    if not isinstance(text, str):
        return None
    try:
        return iso_utc(dt.datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def _identity(actor) -> Identity | None:
    if not isinstance(actor, dict) or actor.get("objectType") == "Group":
        return None
    who = Identity(name=str(actor.get("name") or ""))
    mbox = actor.get("mbox")
    if isinstance(mbox, str) and mbox.lower().startswith("mailto:"):
        who.email = mbox[7:]
    account = actor.get("account")
    if isinstance(account, dict) and account.get("name"):
        who.user_id = str(account["name"])
    elif actor.get("mbox_sha1sum"):
        who.user_id = str(actor["mbox_sha1sum"])
    elif actor.get("openid"):
        who.user_id = str(actor["openid"])
    return who


def _activities(context: dict, kind: str) -> list[str]:
    found = (context.get("contextActivities") or {}).get(kind) or []
    if isinstance(found, dict):
        found = [found]
    return [a["id"] for a in found if isinstance(a, dict) and isinstance(a.get("id"), str)]


class StatementReader:
    """Feeds statements into a Matrix, one at a time, keeping nothing per statement."""

    def __init__(self, catalogue: Catalogue, matrix: Matrix, resolver: LearnerResolver):
        self.catalogue, self.matrix, self.resolver = catalogue, matrix, resolver
        self.notes = matrix.notes
        self._cache: dict[str, str | None] = {}

    def read(self, statements: Iterable[dict], label: str) -> int:
        bit = self.matrix.source(label)
        n = 0
        for statement in statements:
            n += 1
            self.one(statement, bit)
        self.notes.count(self.notes.read, label, n)
        return n

    def one(self, statement, bit: int, only_module: str | None = None) -> None:
        notes = self.notes
        if not isinstance(statement, dict):
            notes.count(notes.skipped, "not a statement object")
            return
        verb = (statement.get("verb") or {}).get("id") if isinstance(statement.get("verb"), dict) else None
        obj = statement.get("object") if isinstance(statement.get("object"), dict) else {}
        object_id = obj.get("id") if isinstance(obj.get("id"), str) else ""
        if verb == VOIDED or obj.get("objectType") in ("StatementRef", "SubStatement", "Agent", "Group"):
            notes.count(notes.skipped, "voiding or non-activity statements")
            return
        context = statement.get("context") if isinstance(statement.get("context"), dict) else {}
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
        result = statement.get("result") if isinstance(statement.get("result"), dict) else {}
        is_module_object = object_id == self.catalogue.course.module_iri(module_id) or \
            self.catalogue.module_of_activity(object_id) is None
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
            account = actor.get("account")
            ident = actor.get("mbox") or (f"{account.get('homePage')}|{account.get('name')}"
                                          if isinstance(account, dict) else None)
            if ident is not None and isinstance(ident, str):
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
        own = {}
        for name, value in (result.get("extensions") or {}).items():
            if name.endswith("competency-results") and isinstance(value, list):
                for item in value:
                    if not isinstance(item, dict):
                        continue
                    cid = item.get("competency")
                    if cid not in self.catalogue.competency_index:
                        cid = self.catalogue.competency_by_iri.get(item.get("id"))
                    if cid is None:
                        self.notes.count(self.notes.unknown_competencies, str(item.get("competency") or item.get("id")))
                        continue
                    own[cid] = item
        listed = self._context_competencies(context) or list(self.catalogue.module_competencies[module.id])
        for cid in dict.fromkeys(list(own) + listed):
            item = own.get(cid)
            if item is not None:
                status = item.get("status")
                try:
                    own_score = float(item["score"]) if item.get("score") is not None else None
                except (TypeError, ValueError):
                    own_score = None
                if status in ("passed", "failed"):
                    passed = status == "passed"
                elif own_score is not None:
                    passed = own_score >= module.pass_mark
                else:  # completed without a score: no question of the attempt evidenced it
                    passed = module_passed
                self.matrix.verdict(key, module.id, cid, passed, own_score, when, 0, bit, "objective")
            else:
                self.matrix.verdict(key, module.id, cid, module_passed, None, when, 0, bit, "module")


# ---------------------------------------------------------------------- files
def iter_statement_file(path: Path) -> Iterator[dict]:
    """Statements from a JSON array, an LRS answer ({"statements": [...]}) or JSON Lines, streamed."""
    try:
        handle = open(path, "rb")
    except OSError as error:
        raise ReportError(f"{path}: cannot read this file: {error.strerror or error}") from None
    with handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        handle.seek(0)
        if head.startswith(b"[") or (head.startswith(b"{") and b'"statements"' in head[:200]
                                     and b"\n{" not in head):
            yield from _iter_json_array(handle, path, "item" if head.startswith(b"[") else "statements.item")
        else:
            yield from _iter_json_lines(handle, path)


class _Counting:
    """A binary reader that remembers how many bytes ijson has taken (to place a parse error)."""

    def __init__(self, handle):
        self.handle, self.taken = handle, 0

    def read(self, size=-1):
        data = self.handle.read(size)
        self.taken += len(data)
        return data


def _iter_json_array(handle, path: Path, prefix: str) -> Iterator[dict]:
    import ijson

    counting = _Counting(handle)
    try:
        for item in ijson.items(counting, prefix, use_float=True):
            yield item
    except ijson.JSONError as error:
        raise ReportError(f"{path}:{_line_at(path, error, counting.taken)}: malformed JSON: "
                          f"{_first_line(error)}") from None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _line_at(path: Path, error: Exception, taken: int) -> str:
    """The line of a parse error: yajl quotes the text before the error (newlines as spaces) with a
    caret under it; find that text in what the parser had read."""
    import re

    lines = str(error).split("\n")
    try:
        with open(path, "rb") as handle:
            data = handle.read(taken)
    except OSError:
        return "?"
    if len(lines) >= 3 and "^" in lines[2]:
        context = lines[1][:lines[2].index("^") + 1].rstrip()
        tail = "".join(context.split())[-20:]
        if tail:
            pattern = r"\s*".join(re.escape(ch) for ch in tail).encode()
            hits = list(re.finditer(pattern, data))
            if hits:
                return str(data.count(b"\n", 0, hits[-1].end()) + 1)
    return str(data.count(b"\n") + 1)


def _iter_json_lines(handle, path: Path) -> Iterator[dict]:
    for number, raw in enumerate(handle, start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            statement = json.loads(line)
        except ValueError as error:
            message = getattr(error, "msg", str(error))
            column = getattr(error, "colno", None)
            where = f"{path}:{number}" + (f":{column}" if column else "")
            raise ReportError(f"{where}: malformed JSON: {message} (a statements file is a JSON array "
                              "or one statement per line)") from None
        if isinstance(statement, list):
            yield from statement
        else:
            yield statement
