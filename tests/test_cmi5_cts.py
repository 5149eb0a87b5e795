"""Every cmi5 package of the bundled catalogue, in ADL's cmi5 Content Test Suite (CATAPULT) in front of
ADL_LRS, launched from the CTS's own launch URLs in Chromium and driven as a learner would.

The verdict is the CTS's: "conformant" means no cmi5 requirement was seen violated in any session
of the registration and the AU's moveOn criteria were met. What ADL_LRS stored is read back to check
what the CTS does not: every statement id once, one completed and one passed per registration, and
terminated last in its session.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from support.cts import CatalogueLearner, Cts, wait_until
from support.paths import REPO_ROOT

CATALOGUE_MODULES = sorted(p.parent.name for p in (REPO_ROOT / "modules").glob("*/module.yaml"))
CATALOGUE_PATHWAYS = sorted(p.stem for p in (REPO_ROOT / "modules" / "pathways").glob("*.yaml"))
VERB = "http://adlnet.gov/expapi/verbs/"
SESSION_EXT = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
MASTERY_EXT = "https://w3id.org/xapi/cmi5/context/extensions/masteryscore"


@pytest.fixture(scope="session")
def cts() -> Cts:
    return Cts.start()


@pytest.fixture(scope="session")
def cmi5_packages(tmp_path_factory) -> Path:
    """The catalogue's cmi5 packages, built by the real command line."""
    out = tmp_path_factory.mktemp("cmi5-catalogue")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "ccm_scorm.cli",
            "build",
            "--target",
            "cmi5",
            "--out",
            str(out),
            "-q",
            str(REPO_ROOT / "modules"),
        ],
        check=True,
        cwd=REPO_ROOT,
    )
    return out / "cmi5"


@pytest.fixture(scope="session")
def imported(cts, cmi5_packages):
    """Imports each package into the CTS once: name -> the CTS course."""
    courses: dict[str, dict] = {}

    def course(name: str) -> dict:
        if name not in courses:
            courses[name] = cts.import_course(cmi5_packages / f"{name}.zip")
        return courses[name]

    return course


@pytest.fixture
def registration(cts, browser):
    """Factory: registration(course) -> a new learner's Registration in that CTS course."""
    made: list[Registration] = []

    def make(course: dict) -> Registration:
        made.append(Registration(cts, browser, course))
        return made[-1]

    yield make
    for reg in made:
        reg.close()


class Registration:
    """One CTS test (a cmi5 registration for a new learner) and the sessions launched in it, all in one
    browser profile, as a learner who comes back on the same computer."""

    def __init__(self, cts: Cts, browser, course: dict):
        self.cts, self.browser, self.course = cts, browser, course
        self.test = cts.new_test(course["id"])
        self.sessions: list[int] = []
        self.context = browser.new_context()
        self.context.set_default_timeout(30_000)
        login = self.context.request.post(
            self.cts.api + "/login",
            data={"username": cts.env["CMI5_CTS_USER"], "password": cts.env["CMI5_CTS_PASSWORD"], "storeCookie": True},
        )
        assert login.ok, login.text()

    def close(self) -> None:
        self.context.close()

    def launch(self, drive, au_index: int = 0, fault=None, ends: bool = True, **options) -> int:
        """Launches one AU session and lets `drive(learner)` work through it. The learner then presses
        Finish (and lands on the LMS's return URL), unless `drive` closed the window itself. Returns
        once the CTS has recorded the session's terminated, with no requirement violated."""
        session = self.cts.new_session(self.test["id"], au_index, **options)
        self.sessions.append(session.id)
        page = self.context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        if fault:
            fault(page)
        page.goto(session.launch_url)
        learner = CatalogueLearner(page)
        learner.wait_started()
        drive(learner)
        if not page.is_closed():
            learner.finish()
            page.wait_for_url(lambda url: "/return-url" in url or "/client/" in url, timeout=60_000)
            page.close()
        assert errors == [], errors
        if ends:
            wait_until(lambda: self.ended(session.id), f"session {session.id} to be terminated in the CTS")
        violated = self.cts.violations(session.id)
        assert violated == [], (
            f"session {session.id} violated {self.cts.explain(violated)}\n{self.cts.session_log_text(session.id)}"
        )
        return session.id

    def ended(self, session_id: int) -> bool:
        summaries = [e["metadata"].get("summary", "") for e in self.cts.session_logs(session_id)]
        return any("verbs/terminated" in s for s in summaries)

    def verdict(self) -> tuple[str, list[dict]]:
        return self.cts.verdict(self.test["id"])

    def statements(self) -> list[dict]:
        return self.cts.statements(self.test["code"])


def verb(statement: dict) -> str:
    return statement["verb"]["id"].rsplit("/", 1)[-1]


def assert_lrs_record(reg: Registration, au_ids: list[str]) -> list[dict]:
    """What ADL_LRS holds for the registration: each id once; one completed and one passed per AU;
    in every session the AU's initialized first and terminated last."""
    stored = reg.statements()
    ids = Counter(s["id"] for s in stored)
    assert [i for i, n in ids.items() if n > 1] == []
    for au in au_ids:
        mine = [s for s in stored if s["object"]["id"] == au]
        counts = Counter(verb(s) for s in mine)
        assert counts["completed"] == 1, counts
        assert counts["passed"] == 1, counts
    by_session: dict[str, list[dict]] = {}
    abandoned = set()
    for s in stored:
        sid = (s.get("context") or {}).get("extensions", {}).get(SESSION_EXT)
        if sid and verb(s) == "abandoned":
            abandoned.add(sid)
        elif sid and verb(s) not in ("launched", "satisfied", "waived"):
            by_session.setdefault(sid, []).append(s)
    for sid, items in by_session.items():
        items.sort(key=lambda s: s["stored"])
        assert verb(items[0]) == "initialized", (sid, [verb(s) for s in items])
        # a session ends with the AU's terminated, or the LMS abandoned it (the AU could not reach it)
        assert verb(items[-1]) == "terminated" or sid in abandoned, (sid, [verb(s) for s in items])
    return stored


def read_all(learner: CatalogueLearner) -> None:
    learner.read_pages()


def leave_mid_quiz(learner: CatalogueLearner) -> None:
    """Two answers in, the learner sees their progress saved and closes the window."""
    learner.read_pages()
    with learner.page.expect_response(lambda r: r.request.method == "PUT" and "activities/state" in r.url):
        learner.answer_questions(correct=True, stop_after=2)
    learner.wait_saved()
    learner.page.close()


def fail_the_rest(learner: CatalogueLearner) -> None:
    learner.page.wait_for_selector("form.ccm-question")  # the resumed attempt opens at the quiz
    learner.answer_questions(correct=False)
    assert learner.page.locator("#ccm-results").is_visible()


def pass_quiz(learner: CatalogueLearner) -> None:
    learner.read_pages()
    learner.answer_questions(correct=True)


def retry_and_pass(learner: CatalogueLearner) -> None:
    learner.page.wait_for_selector("#ccm-results:not([hidden]), form.ccm-question, #ccm-pages section")
    if not learner.page.locator("button[data-action=retry]").count():
        learner.read_pages()
    learner.answer_questions(correct=True)


def look_around(learner: CatalogueLearner) -> None:
    learner.page.wait_for_selector("#ccm-notices .ccm-notice")


@pytest.mark.parametrize("module", CATALOGUE_MODULES)
def test_module_is_conformant_through_resume_fail_pass_browse_and_review(registration, imported, module):
    """One registration, five sessions: leave mid-quiz; resume and fail; pass in a later session;
    then a Browse and a Review launch. Conformant, satisfied, and nothing stored twice."""
    reg = registration(imported(module))
    au = reg.course["metadata"]["aus"][0]["lmsId"]
    reg.launch(leave_mid_quiz)
    reg.launch(fail_the_rest)
    reg.launch(retry_and_pass)
    reg.launch(look_around, launchMode="Browse")
    reg.launch(look_around, launchMode="Review")
    result, aus = reg.verdict()
    assert (result, aus[0]["isSatisfied"], aus[0]["isPassed"], aus[0]["isCompleted"]) == ("conformant", 1, 1, 1)
    stored = assert_lrs_record(reg, [au])
    assert Counter(verb(s) for s in stored if s["object"]["id"] == au)["failed"] == 1


@pytest.mark.parametrize("pathway", CATALOGUE_PATHWAYS)
def test_pathway_block_is_conformant(registration, imported, pathway):
    """A pathway's block: each of its AUs launched in turn and passed; every AU satisfied."""
    reg = registration(imported(pathway))
    au_ids = [a["lmsId"] for a in reg.course["metadata"]["aus"]]
    for index in range(len(au_ids)):
        reg.launch(pass_quiz, au_index=index)
    result, aus = reg.verdict()
    assert result == "conformant"
    assert [a["isSatisfied"] for a in aus] == [1] * len(au_ids)
    assert_lrs_record(reg, au_ids)


def test_mastery_score_set_at_launch_decides_the_pass(registration, imported):
    """The LMS's masteryScore (0.5) replaces the module's 80 %: a 62.5 % attempt passes, and passed
    carries the masteryscore extension the session was launched with."""
    reg = registration(imported("communication"))

    def mostly_right(learner: CatalogueLearner) -> None:
        learner.read_pages()
        learner.answer_questions(correct=lambda position: position not in (0, 1, 2))

    reg.launch(mostly_right, masteryScore=0.5)
    result, aus = reg.verdict()
    assert (result, aus[0]["isSatisfied"]) == ("conformant", 1)
    passed = [s for s in reg.statements() if verb(s) == "passed"]
    assert len(passed) == 1
    assert passed[0]["context"]["extensions"][MASTERY_EXT] == 0.5
    assert 0.5 <= passed[0]["result"]["score"]["scaled"] < 0.8


class Faults:
    """Faults between the AU and the LMS, injected on the AU's statement requests (Playwright routing):
    each rule is (which POST, by count, matching a verb) -> what happens to it. Every statement id the AU
    ever sent is kept, to check that the LRS ends up with each exactly once."""

    def __init__(self, rules):
        self.rules = rules  # list of (verb, what): the first POST carrying `verb` gets `what`
        self.used: set[int] = set()
        self.sent_ids: set[str] = set()
        self.applied: list[str] = []
        self.down_left = 0

    def install(self, page) -> None:
        page.route("**/lrs/statements*", self.handle)

    def handle(self, route) -> None:
        request = route.request
        if request.method != "POST":
            return route.continue_()
        body = json.loads(request.post_data or "[]")
        body = body if isinstance(body, list) else [body]
        self.sent_ids.update(s["id"] for s in body)
        verbs = {s["verb"]["id"].replace(VERB, "") for s in body}
        if self.down_left > 0:  # the LMS is down: nothing gets through
            self.down_left -= 1
            self.applied.append("down")
            return route.abort("connectionrefused")
        for index, (wanted, what) in enumerate(self.rules):
            if index in self.used or wanted not in verbs:
                continue
            self.used.add(index)
            self.applied.append(what)
            if what == "stored-then-504":  # stored, but the answer is lost behind a proxy timeout
                route.fetch()
                return route.fulfill(status=504, body="Gateway Timeout")
            if what == "stored-then-dropped":  # stored, then the connection drops
                route.fetch()
                return route.abort("connectionreset")
            if what == "503":  # refused before it reached the LRS
                return route.fulfill(status=503, body="Service Unavailable")
            if what.startswith("down-"):  # down for this and the next N-1 requests ("down-all": for good)
                count = what.split("-")[1]
                self.down_left = 10**9 if count == "all" else int(count) - 1
                return route.abort("connectionrefused")
        return route.continue_()


def test_faults_between_au_and_lms_lose_nothing_and_duplicate_nothing(registration, imported):
    """Answers lost after the LRS stored them (504, dropped connection), a 503, and the LMS down for a
    while (at the first page and again at Finish): the AU is satisfied, the CTS sees no violation, and
    ADL_LRS holds every statement id the AU ever sent, exactly once."""
    reg = registration(imported("communication"))
    faults = Faults(
        [
            ("experienced", "stored-then-dropped"),
            ("answered", "stored-then-504"),
            ("answered", "503"),
            ("answered", "down-3"),
            ("completed", "stored-then-504"),
            ("terminated", "down-2"),
        ]
    )
    reg.launch(pass_quiz, fault=faults.install)
    assert sorted(set(faults.applied)) == sorted(
        ["stored-then-dropped", "stored-then-504", "503", "down-3", "down-2", "down"]
    )
    result, aus = reg.verdict()
    assert (result, aus[0]["isSatisfied"]) == ("conformant", 1)
    stored = assert_lrs_record(reg, [reg.course["metadata"]["aus"][0]["lmsId"]])
    by_au = {s["id"]: verb(s) for s in stored if verb(s) not in ("launched", "satisfied")}
    assert {i: v for i, v in by_au.items() if i not in faults.sent_ids} == {}
    assert faults.sent_ids - set(by_au) == set()


def test_a_session_that_cannot_reach_the_lms_at_finish_is_completed_by_the_next_launch(registration, imported):
    """The LMS goes down as the quiz is submitted: Finish keeps completed, passed and the rest on the
    device and says so (no terminated, nothing the LMS must refuse). The next launch sends them in its
    own session, after its initialized, with the same ids: satisfied, conformant, each id once."""
    reg = registration(imported("communication"))
    faults = Faults([("completed", "down-all")])

    def pass_then_finish_offline(learner: CatalogueLearner) -> None:
        pass_quiz(learner)
        learner.finish()
        learner.page.wait_for_selector("html[data-ccm-session=kept]", state="attached", timeout=60_000)
        notice = learner.page.locator("#ccm-notices").text_content() or ""
        assert "kept on this device" in notice
        learner.page.close()

    reg.launch(pass_then_finish_offline, fault=faults.install, ends=False)
    assert reg.verdict()[1][0]["isSatisfied"] == 0
    reg.launch(lambda learner: learner.page.wait_for_selector("#ccm-results:not([hidden])"))
    result, aus = reg.verdict()
    assert (result, aus[0]["isSatisfied"]) == ("conformant", 1)
    stored = assert_lrs_record(reg, [reg.course["metadata"]["aus"][0]["lmsId"]])
    stored_ids = {s["id"] for s in stored}
    assert faults.sent_ids - stored_ids == set(), "every statement of the first session arrived"
