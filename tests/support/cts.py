"""ADL's cmi5 Content Test Suite (CATAPULT CTS + player) with ADL_LRS, from ../shared/clients/cmi5,
and a learner who works through any module or pathway package of the catalogue in Chromium.

The CTS is the cmi5 LMS here: it imports a course zip, makes a registration ("test") per
learner and a session per AU launch, checks every request the AU makes against the cmi5
spec (a violation is answered 403 and recorded), and gives a verdict per test and AU:
not-started, pending, conformant or non-conformant. Its REST API is described in the kit's
README; only what the tests use is wrapped here.
"""

from __future__ import annotations

import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from .answer_key import opened, right_response
from .cover import pass_cover
from .kits import start_kit

LEARNER_HOME = "https://ccm-scorm.example.org/learners"
_learner_numbers = itertools.count(1)


@dataclass
class CtsSession:
    id: int
    launch_url: str


class Cts:
    """The CTS REST API (HTTP Basic), and ADL_LRS read directly for what it stored."""

    def __init__(self, env: dict[str, str]):
        self.env = env
        self.url = env["CMI5_CTS_URL"].rstrip("/")
        self.api = self.url + "/api/v1"
        self.http = requests.Session()
        self.http.auth = (env["CMI5_CTS_USER"], env["CMI5_CTS_PASSWORD"])
        self.lrs_url = env["CMI5_LRS_URL"]
        self.lrs_auth = (env["CMI5_LRS_USER"], env["CMI5_LRS_PASSWORD"])
        self.requirements = json.loads(Path(env["CMI5_REQUIREMENTS_JSON"]).read_text(encoding="utf-8"))

    @classmethod
    def start(cls) -> Cts:
        return cls(start_kit("cmi5"))

    def _json(self, response: requests.Response, what: str) -> Any:
        if response.status_code >= 300:
            raise AssertionError(f"CTS {what}: HTTP {response.status_code}: {response.text[:500]}")
        return response.json()

    # courses, tests (registrations) and sessions (launches)
    def import_course(self, zip_path: Path) -> dict:
        r = self.http.post(
            self.api + "/courses", data=zip_path.read_bytes(), headers={"Content-Type": "application/zip"}, timeout=60
        )
        return self._json(r, f"import of {zip_path.name}")

    def new_test(self, course_id: int, learner: str | None = None) -> dict:
        name = learner or f"learner-{uuid.uuid4().hex[:8]}-{next(_learner_numbers)}"
        actor = {
            "objectType": "Agent",
            "name": f"Test Learner {name}",
            "account": {"homePage": LEARNER_HOME, "name": name},
        }
        return self._json(
            self.http.post(self.api + "/tests", json={"courseId": course_id, "actor": actor}, timeout=30), "new test"
        )

    def new_session(self, test_id: int, au_index: int = 0, **options) -> CtsSession:
        body = {"testId": test_id, "auIndex": au_index}
        body.update(options)
        data = self._json(self.http.post(self.api + "/sessions", json=body, timeout=30), "new session")
        return CtsSession(id=data["id"], launch_url=data["launchUrl"])

    def test(self, test_id: int) -> dict:
        return self._json(self.http.get(f"{self.api}/tests/{test_id}", timeout=30), "test")

    def session(self, session_id: int) -> dict:
        return self._json(self.http.get(f"{self.api}/sessions/{session_id}", timeout=30), "session")

    def session_logs(self, session_id: int) -> list[dict]:
        logs = self._json(self.http.get(f"{self.api}/sessions/{session_id}/logs", timeout=30), "session logs")
        return sorted(logs, key=lambda entry: entry["id"])

    def violations(self, session_id: int) -> list[str]:
        return list(self.session(session_id)["metadata"].get("violatedReqIds") or [])

    def explain(self, ids: list[str]) -> str:
        return "; ".join(f"{i}: {self.requirements.get(i, {}).get('txt', '?')}" for i in ids)

    def session_log_text(self, session_id: int) -> str:
        return "\n".join(
            f"  {e['metadata'].get('summary')} {e['metadata'].get('violatedReqId', '')}".rstrip()
            for e in self.session_logs(session_id)
        )

    def verdict(self, test_id: int) -> tuple[str, list[dict]]:
        data = self.test(test_id)["metadata"]
        return data["result"], data["aus"]

    # what ADL_LRS stored
    def statements(self, registration: str) -> list[dict]:
        out, params = [], {"registration": registration, "ascending": "true", "limit": 500}
        url = self.lrs_url + "statements"
        headers = {"X-Experience-API-Version": "1.0.3"}
        while url:
            r = requests.get(url, params=params, auth=self.lrs_auth, headers=headers, timeout=30)
            page = self._json(r, "LRS statements")
            out.extend(page["statements"])
            more = page.get("more")
            url = requests.compat.urljoin(self.lrs_url, more) if more else None
            params = None
        return out


def wait_until(check: Callable[[], Any], what: str, timeout: float = 30.0, every: float = 0.25) -> Any:
    """Poll `check` until it returns something truthy (bounded); the value it returned."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


# ------------------------------------------------------------------ the learner


def wrong_response(question: dict) -> list:
    q = opened(question)
    kind = q["type"]
    if kind in ("single", "multiple"):
        wrong = [o["id"] for o in q["options"] if o["id"] not in q["correct"]]
        return wrong[:1]
    if kind == "true-false":
        return [not q["correct"]]
    if kind == "matching":  # each prompt gets the next prompt's match
        targets = [p["target"] for p in q["pairs"]]
        return [[p["id"], t] for p, t in zip(q["pairs"], targets[1:] + targets[:1], strict=True)]
    if kind == "ordering":
        return list(reversed(q["order"]))
    return ["not the answer"]


class CatalogueLearner:
    """Works through a module (or, from a pathway's menu, each module) of any package, by its own UI."""

    def __init__(self, page):
        self.page = page

    def wait_started(self) -> None:
        self.page.wait_for_selector("html.ccm-ready", state="attached", timeout=30_000)
        self.page.wait_for_function("() => document.querySelector('section:not([hidden]) h1') !== null")
        pass_cover(self.page)

    def course(self) -> dict:
        return self.page.evaluate("() => JSON.parse(document.getElementById('ccm-course').textContent)")

    def _question_on_screen(self) -> dict:
        return self.page.evaluate("""() => {
            const id = document.querySelector('form.ccm-question:not([hidden])').dataset.question;
            const course = JSON.parse(document.getElementById('ccm-course').textContent);
            const all = course.questions || [].concat(...course.modules.map(m => m.questions));
            return all.find(q => q.id === id);
        }""")

    def read_pages(self) -> None:
        """Next page until the quiz (or, for a module without one, the end of the pages)."""
        for _ in range(200):
            if self.page.locator("button[data-action=begin]").is_visible():
                return
            nxt = self.page.locator("#ccm-next")
            if not nxt.is_visible():
                return
            label = (nxt.text_content() or "").strip()
            nxt.click()
            if label in ("Finish", "Back to all modules"):
                return
        raise AssertionError("the pages never ended")

    def answer_questions(self, correct: bool | Callable[[int], bool] = True, stop_after: int | None = None) -> None:
        """Start (or retry) the quiz, answer every question (rightly, wrongly, or as `correct(position)`
        says), and submit; with `stop_after`, stop after that many answers."""
        from .scorm_helpers import answer

        for action in ("begin", "retry"):
            button = self.page.locator(f"button[data-action={action}]")
            if button.count() and button.first.is_visible():
                button.first.click()
                break
        done = 0
        while True:
            self.page.wait_for_selector("form.ccm-question")
            q = self._question_on_screen()
            pos = int(self.page.get_attribute("form.ccm-question", "data-pos"))
            if self.page.locator(f"#ccm-q{pos}-form .ccm-feedback").count() == 0:
                if stop_after is not None and done >= stop_after:
                    return
                right = correct(pos) if callable(correct) else correct
                answer(self.page, q, right_response(q) if right else wrong_response(q))
                done += 1
            if self.page.locator("button[data-action=next-question]").count():
                self.page.click("button[data-action=next-question]")
                continue
            self.page.click("button[data-action=submit]")
            self.page.wait_for_selector("#ccm-results:not([hidden])")
            return

    def wait_saved(self, timeout: float = 30_000) -> None:
        """Until the runtime's last save report is "saved" (every statement and State write acknowledged)."""
        self.page.wait_for_function(
            "() => ((document.getElementById('ccm-status') || {}).dataset || {}).ccmSave === 'saved'", timeout=timeout
        )

    def finish(self) -> None:
        self.page.locator("button[data-action=exit], button[data-action=exit-pathway]").first.click()
