"""The real Moodle 5.1 site of ../shared/clients/moodle, as tests use it.

`MoodleSite.start()` runs the kit's idempotent setup (tests/support/kits.py) and gives:
  helper(name, *args)        one of the kit's PHP helpers; its single JSON line as a dict
  sql(query, params)         rows of Moodle's database as dicts (psycopg, %s placeholders)
  ws(function, **params)     a REST web-service call with the admin token
  run_task(classname)        a scheduled task now (cron does not run on the kit's site)
  cli(script, *args)         one of Moodle's admin/cli scripts; run_adhoc_tasks(classname) queued ad hoc tasks
  new_course(name)           a course with completion on -> its id
  new_user(username, course) a student enrolled in the course, unique name per call
  enrol(username, course)    that user in one more course
  login(page, user, pw)      Moodle's login form, in a Playwright page
  open_player(page, cmid)    view.php -> Enter -> the SCO's frame once the runtime started

A site that cannot start fails the test; it is never skipped.
"""

from __future__ import annotations

import itertools
import json
import os
import secrets
import subprocess
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from ccm_scorm.report.moodle_ws import flatten  # Moodle's REST encoding of nested parameters

from .cover import pass_cover
from .kits import start_kit

HELPER_TIMEOUT_S = 300
LOGIN_ATTEMPTS = 5
PLAYER_TIMEOUT_MS = 30_000

_user_numbers = itertools.count(1)


def _remove_stale_kit_site_file() -> None:
    """Work around a kit setup bug seen on a clean machine: its first run picks the nginx site
    path before it installs nginx, so it writes conf.d/ccm-moodle-<hash>.conf; once nginx has
    made sites-enabled/, every later run takes that file for another site on its port and
    refuses to start. The file is the kit's own (its first line says so), so it is moved to
    where setup now looks; nginx keeps serving it, and setup finds its site in place."""
    sites_enabled, conf_d = Path("/etc/nginx/sites-enabled"), Path("/etc/nginx/conf.d")
    kit_dir = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ccm-moodle"
    if not sites_enabled.is_dir() or not conf_d.is_dir():
        return
    for stale in conf_d.glob("ccm-moodle-*.conf"):
        first_line = stale.read_text(encoding="utf-8", errors="replace").split("\n", 1)[0]
        if first_line.startswith(f"# ccm-moodle test kit ({kit_dir})") and not (sites_enabled / stale.name).exists():
            stale.rename(sites_enabled / stale.name)


@dataclass
class MoodleSite:
    url: str
    admin_user: str
    admin_password: str
    token: str
    ws_url: str
    php: str
    helpers: Path
    moodle_dir: Path
    env: dict[str, str] = field(repr=False)

    @classmethod
    def start(cls) -> MoodleSite:
        _remove_stale_kit_site_file()
        env = start_kit("moodle")
        return cls(
            url=env["MOODLE_URL"].rstrip("/"),
            admin_user=env["MOODLE_ADMIN_USER"],
            admin_password=env["MOODLE_ADMIN_PASSWORD"],
            token=env["MOODLE_TOKEN"],
            ws_url=env["MOODLE_WS_URL"],
            php=env["MOODLE_PHP"],
            helpers=Path(env["MOODLE_HELPERS"]),
            moodle_dir=Path(env["MOODLE_DIR"]),
            env=env,
        )

    # ------------------------------------------------------------ server side
    def _run_php(self, script: Path, args: tuple[str, ...]) -> subprocess.CompletedProcess:
        return subprocess.run(
            [self.php, str(script), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=HELPER_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
            env={**os.environ, "MOODLE_DIR": str(self.moodle_dir)},
        )

    def helper(self, name: str, *args: Any) -> dict:
        """Run the kit's php/<name>.php with `args`; the JSON it prints, or a failed test saying why."""
        result = self._run_php(self.helpers / f"{name}.php", tuple(str(a) for a in args))
        lines = [line for line in result.stdout.splitlines() if line.strip()]
        if result.returncode != 0 or not lines:
            pytest.fail(
                f"Moodle helper {name}.php {' '.join(map(str, args))} failed (exit {result.returncode}):\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}",
                pytrace=False,
            )
        try:
            return json.loads(lines[-1])
        except json.JSONDecodeError:
            pytest.fail(f"Moodle helper {name}.php printed no JSON line:\n{result.stdout[-2000:]}", pytrace=False)

    def run_task(self, classname: str) -> None:
        """Run one scheduled task now, e.g. r'\\core\\task\\completion_regular_task'."""
        script = self.moodle_dir / "admin" / "cli" / "scheduled_task.php"
        result = self._run_php(script, (f"--execute={classname}",))
        if result.returncode != 0:
            pytest.fail(
                f"Moodle task {classname} failed (exit {result.returncode}):\n{result.stdout[-2000:]}\n"
                f"{result.stderr[-2000:]}",
                pytrace=False,
            )

    def cli(self, script: str, *args: Any) -> str:
        """Run one of Moodle's own admin/cli scripts (e.g. "restore_backup.php"); its output, or a failed test."""
        result = self._run_php(self.moodle_dir / "admin" / "cli" / script, tuple(str(a) for a in args))
        if result.returncode != 0:
            pytest.fail(
                f"Moodle's {script} {' '.join(map(str, args))} failed (exit {result.returncode}):\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}",
                pytrace=False,
            )
        return result.stdout

    def run_adhoc_tasks(self, classname: str) -> None:
        """Run the queued ad hoc tasks of one class now, e.g. r'\\core\\task\\asynchronous_restore_task'."""
        self.cli("adhoc_task.php", "--execute", f"--classname={classname}")

    def sql(self, query: str, params: tuple | list | dict = ()) -> list[dict]:
        """Rows of a read query on Moodle's database (table prefix mdl_; psycopg %s placeholders)."""
        import psycopg
        from psycopg.rows import dict_row

        with psycopg.connect(
            host=self.env["MOODLE_DB_HOST"],
            port=self.env["MOODLE_DB_PORT"],
            dbname=self.env["MOODLE_DB"],
            user=self.env["MOODLE_DB_USER"],
            password=self.env["MOODLE_DB_PASSWORD"],
            row_factory=dict_row,
            autocommit=True,
        ) as connection:
            return connection.execute(query, params).fetchall()

    def ws(self, function: str, **params: Any) -> Any:
        """Call a web-service function with the admin token; Moodle's exceptions fail the test."""
        data = [("wstoken", self.token), ("moodlewsrestformat", "json"), ("wsfunction", function)]
        payload = urllib.parse.urlencode(data + flatten(params)).encode()
        with urllib.request.urlopen(self.ws_url, data=payload, timeout=60) as response:
            body = json.loads(response.read().decode("utf-8"))
        if isinstance(body, dict) and "exception" in body:
            pytest.fail(
                f"Moodle web service {function} failed: {body.get('errorcode')}: {body.get('message')}", pytrace=False
            )
        return body

    def new_course(self, name: str) -> int:
        shortname = f"{name[:40]}-{secrets.token_hex(4)}"
        created = self.ws(
            "core_course_create_courses",
            courses=[{"fullname": name, "shortname": shortname, "categoryid": 1, "enablecompletion": 1}],
        )
        return int(created[0]["id"])

    def new_user(self, username: str, course_id: int) -> tuple[str, str]:
        """A new student enrolled in the course: (unique username, password)."""
        unique = f"{username}{next(_user_numbers)}x{secrets.token_hex(3)}".lower()
        password = f"Pw-{secrets.token_hex(8)}"
        self.helper(
            "create_user",
            "--username",
            unique,
            "--password",
            password,
            "--firstname",
            username,
            "--lastname",
            "Learner",
            "--email",
            f"{unique}@example.org",
            "--enrol",
            course_id,
        )
        return unique, password

    def enrol(self, username: str, course_id: int, role: str = "student") -> None:
        """Enrol an existing user in one more course (manual enrolment, web service)."""
        [user] = self.sql("SELECT id FROM mdl_user WHERE username = %s", (username,))
        [role_row] = self.sql("SELECT id FROM mdl_role WHERE shortname = %s", (role,))
        self.ws(
            "enrol_manual_enrol_users",
            enrolments=[{"roleid": role_row["id"], "userid": user["id"], "courseid": course_id}],
        )

    # ------------------------------------------------------------ browser side
    def login(self, page, username: str, password: str) -> None:
        """Log in through Moodle's form. Under load Moodle now and then answers "Invalid login" to a
        correctly typed password (kit README; seen here too, logged as reason 3), so the typed values
        are checked and a refused login is tried again in a new session."""
        refusals: list[str] = []
        for attempt in range(LOGIN_ATTEMPTS):
            if attempt:
                page.context.clear_cookies()
            # networkidle: the form's scripts (e.g. the show-password toggle) have run, so nothing
            # replaces a field after it is filled; a refused login was seen with a field emptied so.
            page.goto(f"{self.url}/login/index.php", wait_until="networkidle")
            if "login/index.php" not in page.url:
                return  # already logged in
            page.fill("#username", username)
            page.fill("#password", password)
            if page.input_value("#username") != username or page.input_value("#password") != password:
                continue
            with page.expect_navigation(timeout=PLAYER_TIMEOUT_MS):
                page.click("#loginbtn")
            if "login/index.php" not in page.url:
                return
            error = page.locator("#loginerrormessage, .loginerrors, .alert-danger")
            refusals.append(error.first.inner_text().strip() if error.count() else page.url)
        pytest.fail(f"could not log in to Moodle as {username} after {LOGIN_ATTEMPTS} tries: {refusals}", pytrace=False)

    def open_player(self, page, cmid: int, new_attempt: bool = False):
        """Enter the SCORM activity as the logged-in learner and return the content frame once
        the package's runtime has started (html.ccm-ready)."""
        page.goto(f"{self.url}/mod/scorm/view.php?id={cmid}")
        if new_attempt:
            box = page.locator("input[name=newattempt]")
            if box.count() == 0:
                pytest.fail(f"activity {cmid} offers no 'Start a new attempt' checkbox", pytrace=False)
            box.check()
        page.locator('button:has-text("Enter"), input[value="Enter"]').first.click()
        page.wait_for_url(lambda u: "mod/scorm/player.php" in u, timeout=PLAYER_TIMEOUT_MS)
        page.wait_for_selector("#scorm_object", state="attached", timeout=PLAYER_TIMEOUT_MS)
        frame = page.frame_locator("#scorm_object")
        frame.locator("html.ccm-ready").wait_for(state="attached", timeout=PLAYER_TIMEOUT_MS)
        pass_cover(frame)
        handle = page.query_selector("#scorm_object")
        return handle.content_frame()

    # ------------------------------------------------------------ waiting
    @staticmethod
    def wait_until(condition: Callable[[], Any], what: str, timeout_s: float = 20.0, interval_s: float = 0.25) -> Any:
        """Poll `condition` until it returns something truthy, or fail after `timeout_s` saying `what`."""
        deadline = time.monotonic() + timeout_s
        last: Any | None = None
        while time.monotonic() < deadline:
            last = condition()
            if last:
                return last
            time.sleep(interval_s)
        pytest.fail(f"Moodle never showed {what} within {timeout_s:.0f} s (last seen: {last!r})", pytrace=False)
