"""A small in-memory Learning Record Store for the preview (never a real LRS).

It keeps what the xAPI and cmi5 runtimes send so that the inspector can show it:
statements (POST/PUT/GET), State API documents (GET/PUT/POST/DELETE; for cmi5 the
LMS.LaunchData document is made by the preview, as a cmi5 LMS would), the Agent
Profile (cmi5LearnerPreferences: 404, so the runtime uses its defaults) and a cmi5
fetch URL that answers {"auth-token": ...}. Nothing is checked beyond what keeps it
from crashing: this is a preview, not a conformance test.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

XAPI_VERSION = "1.0.3"
LAUNCH_DATA = "LMS.LaunchData"
LEARNER_PREFERENCES = "cmi5LearnerPreferences"
DEFAULT_PREFERENCES = {"languagePreference": "en-GB", "audioPreference": "on"}
SESSION_EXTENSION = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
STATEMENT_LIMIT = 5000  # the oldest go first: a long preview session never fills the memory


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass
class LrsAnswer:
    status: int
    body: bytes = b""
    content_type: str = "application/json"


def _json(status: int, data) -> LrsAnswer:
    return LrsAnswer(status, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _error(status: int, message: str) -> LrsAnswer:
    return _json(status, {"error": message})


@dataclass
class PreviewLrs:
    statements: list[dict] = field(default_factory=list)
    documents: dict[tuple, tuple[bytes, str]] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # registration -> cmi5 session id
    forgotten: set[str] = field(default_factory=set)  # registrations reset: late statements for them are dropped
    revision: int = 0  # goes up on every change, so that the inspector knows when to look again
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(default_factory=threading.Condition)
    # launch_data(activity_id, registration, session_id) -> dict or None (set by the server)
    launch_data: Callable[[str, str, str], dict | None] | None = None

    def _touch(self) -> None:
        self.revision += 1
        with self.changed:
            self.changed.notify_all()

    # --------------------------------------------------------- dispatch
    def handle(self, method: str, resource: str, query: dict[str, str], body: bytes) -> LrsAnswer:
        try:
            if resource == "statements":
                return self._statements(method, query, body)
            if resource == "activities/state":
                return self._state(method, query, body)
            if resource in ("agents/profile", "activities/profile"):
                if method != "GET":
                    return LrsAnswer(204)
                if resource == "agents/profile" and query.get("profileId") == LEARNER_PREFERENCES:
                    return _json(200, DEFAULT_PREFERENCES)  # what a cmi5 LMS gives a learner who set none
                return _error(404, "no profile document in the preview")
            if resource == "fetch":
                return self._fetch(method, query)
            if resource == "about":
                return _json(200, {"version": [XAPI_VERSION]})
            return _error(404, f"the preview LRS has no resource '{resource}'")
        except (ValueError, TypeError, KeyError) as error:
            return _error(400, f"the preview LRS could not read the request: {error}")

    # --------------------------------------------------------- statements
    def _statements(self, method: str, query: dict[str, str], body: bytes) -> LrsAnswer:
        if method == "GET" and query.get("statementId"):
            with self.lock:
                found = [s for s in self.statements if s.get("id") == query["statementId"]]
            return _json(200, found[0]) if found else _error(404, "no statement with that id")
        if method == "GET":
            return _json(200, {"statements": self.find(query), "more": ""})
        if method not in ("POST", "PUT"):
            return _error(405, "statements: use GET, POST or PUT")
        data = json.loads(body.decode("utf-8") or "null")
        items = data if isinstance(data, list) else [data]
        if not items or not all(isinstance(item, dict) for item in items):
            return _error(400, "send a statement object or a non-empty list of them")
        if method == "PUT":
            if len(items) != 1:
                return _error(400, "PUT takes one statement")
            items[0].setdefault("id", query.get("statementId") or str(uuid.uuid4()))
        ids = []
        with self.lock:
            known = {s.get("id") for s in self.statements}
            stamp = now()
            for item in items:
                item.setdefault("id", str(uuid.uuid4()))
                ids.append(item["id"])
                if item["id"] in known:
                    continue  # a resend after a lost answer: the same statement once
                if (item.get("context") or {}).get("registration") in self.forgotten:
                    continue  # sent by a learner page closed just before its progress was reset
                item.setdefault("timestamp", stamp)
                item["stored"] = stamp
                item.setdefault("version", XAPI_VERSION)
                self.statements.append(item)
                known.add(item["id"])
            del self.statements[:-STATEMENT_LIMIT]
            self._touch()
        return LrsAnswer(204) if method == "PUT" else _json(200, ids)

    def find(self, query: dict[str, str]) -> list[dict]:
        """Statements in the order stored, filtered by registration, activity and verb when given."""
        registration = query.get("registration")
        activity = query.get("activity")
        verb = query.get("verb")
        with self.lock:
            found = list(self.statements)
        if registration:
            found = [s for s in found if (s.get("context") or {}).get("registration") == registration]
        if activity:
            found = [s for s in found if _mentions(s, activity)]
        if verb:
            found = [s for s in found if (s.get("verb") or {}).get("id") == verb]
        return found

    # --------------------------------------------------------- state documents
    def _state(self, method: str, query: dict[str, str], body: bytes) -> LrsAnswer:
        activity = query.get("activityId")
        agent = query.get("agent")
        if not activity or not agent:
            return _error(400, "activities/state needs activityId and agent")
        registration = query.get("registration", "")
        state_id = query.get("stateId")
        if method == "GET" and state_id == LAUNCH_DATA:
            with self.lock:
                session = self.sessions.setdefault(registration, str(uuid.uuid4()))
            data = self.launch_data(activity, registration, session) if self.launch_data else None
            if data is None:
                return _error(404, "the preview has no launch data for this activity")
            return _json(200, data)
        key = (activity, _agent_key(agent), registration, state_id)
        with self.lock:
            if method == "GET":
                if state_id is None:
                    ids = sorted(k[3] for k in self.documents if k[:3] == key[:3])
                    return _json(200, ids)
                document = self.documents.get(key)
                if document is None:
                    return _error(404, "no such state document")
                return LrsAnswer(200, document[0], document[1])
            if method in ("PUT", "POST"):
                if registration and registration in self.forgotten:
                    return LrsAnswer(204)  # a late save from a page closed before its progress was reset
                if state_id is None:
                    return _error(400, "a state document needs a stateId")
                if state_id == LAUNCH_DATA:
                    return _error(403, "LMS.LaunchData is written by the LMS only")
                if method == "POST" and key in self.documents:
                    merged = json.loads(self.documents[key][0] or b"{}")
                    merged.update(json.loads(body or b"{}"))
                    body = json.dumps(merged).encode("utf-8")
                self.documents[key] = (body, "application/json")
                self._touch()
                return LrsAnswer(204)
            if method == "DELETE":
                for k in [k for k in self.documents if k[:3] == key[:3] and (state_id is None or k[3] == state_id)]:
                    del self.documents[k]
                self._touch()
                return LrsAnswer(204)
        return _error(405, "activities/state: use GET, PUT, POST or DELETE")

    def state_documents(self, registration: str) -> list[dict]:
        """The state documents of one registration, for the inspector (LMS.LaunchData is not stored)."""
        with self.lock:
            items = [(k, v) for k, v in self.documents.items() if k[2] == registration]
        out = []
        for (activity, _agent, _registration, state_id), (body, _type) in sorted(items, key=lambda kv: kv[0][3] or ""):
            try:
                value = json.loads(body.decode("utf-8"))
            except ValueError:
                value = body.decode("utf-8", "replace")
            out.append({"activityId": activity, "stateId": state_id, "size": len(body), "document": value})
        return out

    # --------------------------------------------------------- cmi5 fetch
    def _fetch(self, method: str, query: dict[str, str]) -> LrsAnswer:
        if method != "POST":
            return _json(200, {"error-code": "1", "error-text": "the fetch URL takes POST only"})
        registration = query.get("registration", "")
        with self.lock:
            self.sessions[registration] = str(uuid.uuid4())
        # "preview:preview", as Basic credentials: the preview LRS accepts anything.
        return _json(200, {"auth-token": "cHJldmlldzpwcmV2aWV3"})

    # --------------------------------------------------------- reset
    def forget(self, registration: str) -> int:
        """Delete everything recorded for one registration (the inspector's Reset); returns how many statements went."""
        with self.lock:
            before = len(self.statements)
            self.statements = [
                s for s in self.statements if (s.get("context") or {}).get("registration") != registration
            ]
            for key in [k for k in self.documents if k[2] == registration]:
                del self.documents[key]
            self.sessions.pop(registration, None)
            if registration:
                self.forgotten.add(registration)
            self._touch()
            return before - len(self.statements)


def _agent_key(agent: str) -> str:
    """One key per agent, however its JSON is spaced or ordered."""
    try:
        return json.dumps(json.loads(agent), sort_keys=True, separators=(",", ":"))
    except ValueError:
        return agent


def _mentions(statement: dict, activity: str) -> bool:
    if (statement.get("object") or {}).get("id") == activity:
        return True
    context = (statement.get("context") or {}).get("contextActivities") or {}
    return any(
        isinstance(items, list) and any((a or {}).get("id") == activity for a in items) for items in context.values()
    )


__all__ = ["LAUNCH_DATA", "LrsAnswer", "PreviewLrs", "SESSION_EXTENSION", "XAPI_VERSION"]
