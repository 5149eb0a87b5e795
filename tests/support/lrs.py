"""The Ralph LRS (ralph-malph 5.1.0, fs backend) and the two xAPI validators."""

from __future__ import annotations

import atexit
import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

from .paths import NODE_MODULES, RALPH_CLI, RALPH_PYTHON, SUPPORT_DIR, require

XAPI_VERSION = "1.0.3"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def basic_auth(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


class HttpResult:
    """status, headers, body (bytes) and .json() of one LRS response."""

    def __init__(self, status: int, headers: dict, body: bytes):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body.decode("utf-8")) if self.body else None

    def __repr__(self):
        return f"<HttpResult {self.status} {self.body[:200]!r}>"


class JsonLineWorker:
    """A long-lived subprocess answering one JSON line per JSON line."""

    def __init__(self, argv: list[str], env: dict | None = None, name: str = "worker"):
        self.argv, self.env, self.name = argv, env, name
        self.proc: subprocess.Popen | None = None
        self.lock = threading.Lock()

    def ask(self, document: Any, timeout: float = 60) -> Any:
        with self.lock:
            if self.proc is None or self.proc.poll() is not None:
                self.proc = subprocess.Popen(
                    self.argv,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    env=self.env,
                    bufsize=1,
                )
            assert self.proc.stdin and self.proc.stdout
            self.proc.stdin.write(json.dumps(document) + "\n")
            self.proc.stdin.flush()
            line = self.proc.stdout.readline()
            if not line:
                err = self.proc.stderr.read() if self.proc.stderr else ""
                self.proc = None
                raise RuntimeError(f"{self.name} exited without answering:\n{err}")
            return json.loads(line)

    def close(self) -> None:
        if self.proc is not None:
            try:
                self.proc.stdin.close()
                self.proc.wait(5)
            except Exception:
                self.proc.kill()
            self.proc = None


_pydantic_worker: JsonLineWorker | None = None
_node_worker: JsonLineWorker | None = None


def validate_statement(statement: dict | list) -> list[str]:
    """Validate one statement (or a list) with Ralph's pydantic
    BaseXapiStatement.  Returns error strings "[index] loc: message";
    an empty list means valid."""
    global _pydantic_worker
    require(RALPH_PYTHON, "the Ralph virtualenv (.cache/ralph-venv)")
    if _pydantic_worker is None:
        _pydantic_worker = JsonLineWorker(
            [str(RALPH_PYTHON), str(SUPPORT_DIR / "ralph_validate.py")], name="ralph_validate.py"
        )
    return _pydantic_worker.ask(statement)


def xapi_validation(statements: dict | list) -> list[str]:
    """Validate one statement (or a list) with the npm package
    `xapi-validation`.  Returns warning strings "[index] path: kind; got
    value"; an empty list means valid."""
    global _node_worker
    require(NODE_MODULES / "xapi-validation" / "package.json", "xapi-validation (npm)")
    node = shutil.which("node")
    if node is None:
        import pytest

        pytest.fail("node is not on PATH; install Node.js 20 and run ./scripts/test", pytrace=False)
    if _node_worker is None:
        env = dict(os.environ, CCM_NODE_MODULES=str(NODE_MODULES))
        _node_worker = JsonLineWorker(
            [node, str(SUPPORT_DIR / "xapi_validation_worker.js")], env=env, name="xapi_validation_worker.js"
        )
    return _node_worker.ask(statements)


def close_validators() -> None:
    for worker in (_pydantic_worker, _node_worker):
        if worker is not None:
            worker.close()


class RalphLrs:
    """A Ralph LRS process on 127.0.0.1:<port>, fs backend, data kept across
    stop()/start().

    Attributes: ``url`` ("http://127.0.0.1:<port>/xAPI/"), ``base_url``,
    ``port``, ``auth_header`` (full scope), ``write_only_auth_header``
    (statements/write only), ``workdir``, ``data_dir``.
    """

    USERS = {
        "full": ("tester", "secret-full", ["all"], "mailto:tester@example.org"),
        "write": ("writer", "secret-write", ["statements/write"], "mailto:writer@example.org"),
    }

    def __init__(self, port: int | None = None):
        require(RALPH_PYTHON, "the Ralph virtualenv (.cache/ralph-venv)")
        self.port = port or free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.url = self.base_url + "/xAPI/"
        self.workdir = Path(tempfile.mkdtemp(prefix="ccm-ralph-"))
        self.data_dir = self.workdir / "data"
        self.data_dir.mkdir()
        self.auth_file = self.workdir / "auth.json"
        self.log_path = self.workdir / "ralph.log"
        self.proc: subprocess.Popen | None = None
        self.username, self.password = self.USERS["full"][:2]
        self.auth_header = basic_auth(*self.USERS["full"][:2])
        self.write_only_auth_header = basic_auth(*self.USERS["write"][:2])
        self.env = dict(
            os.environ,
            RALPH_RUNSERVER_BACKEND="fs",
            RALPH_AUTH_FILE=str(self.auth_file),
            RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH=str(self.data_dir),
            RALPH_LRS_RESTRICT_BY_SCOPES="true",
            RALPH_LRS_RESTRICT_BY_AUTHORITY="true",
            RALPH_RUNSERVER_HOST="127.0.0.1",
            RALPH_RUNSERVER_PORT=str(self.port),
        )
        for key in ("RALPH_RUNSERVER_CORS_ALLOW_ORIGINS", "VIRTUAL_ENV", "PYTHONPATH"):
            self.env.pop(key, None)
        self._make_users()
        atexit.register(self.close)  # no stray LRS if the session is interrupted

    def _make_users(self) -> None:
        """Write the auth file with Ralph's own `ralph auth` CLI: one run per
        user, in parallel (each into its own file), then merged."""
        runs = []
        for username, password, scopes, mbox in self.USERS.values():
            part = self.workdir / f"auth-{username}.json"
            argv = [str(RALPH_CLI), "auth", "-u", username, "-p", password, "-M", mbox, "-w"]
            for scope in scopes:
                argv += ["-s", scope]
            env = dict(self.env, RALPH_AUTH_FILE=str(part))
            proc = subprocess.Popen(
                argv,
                cwd=self.workdir,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                text=True,
            )
            runs.append((proc, part))
        users = []
        for proc, part in runs:
            output, _ = proc.communicate(timeout=120)
            if proc.returncode != 0:
                raise RuntimeError(f"ralph auth failed ({proc.returncode}):\n{output}")
            users.extend(json.loads(part.read_text()))
            part.unlink()
        self.auth_file.write_text(json.dumps(users, indent=2))

    # ------------------------------------------------------------ lifecycle
    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def start(self, timeout: float = 60) -> RalphLrs:
        if self.running:
            return self
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [str(RALPH_PYTHON), str(SUPPORT_DIR / "ralph_server.py"), "--host", "127.0.0.1", "--port", str(self.port)],
            cwd=self.workdir,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Ralph exited with {self.proc.returncode}:\n{self.log()}")
            try:
                with urllib.request.urlopen(self.base_url + "/__heartbeat__", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, OSError):
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"Ralph did not answer /__heartbeat__ within {timeout}s:\n{self.log()}")

    def stop(self) -> None:
        """Take the LRS down (connections refused until start())."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-5000:]
        except OSError:
            return ""

    def clear(self) -> None:
        """Delete every stored statement (the server keeps running)."""
        for path in self.data_dir.glob("*"):
            if path.is_file():
                path.write_bytes(b"")

    # ---------------------------------------------------------------- HTTP
    def request(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        auth: str | None = "full",
        params: dict | None = None,
        headers: dict | None = None,
        timeout: float = 30,
    ) -> HttpResult:
        """One HTTP request to the LRS.  `path` is relative to ``url``
        ("statements") or absolute ("/xAPI/statements?...").  `auth`: "full",
        "write", None, or a literal Authorization header value."""
        if path.startswith("/"):
            target = self.base_url + path
        elif path.startswith("http"):
            target = path
        else:
            target = self.url + path
        if params:
            target += ("&" if "?" in target else "?") + urllib.parse.urlencode(
                {
                    k: json.dumps(v)
                    if isinstance(v, (dict, list))
                    else ("true" if v is True else "false" if v is False else v)
                    for k, v in params.items()
                }
            )
        all_headers = {"X-Experience-API-Version": XAPI_VERSION}
        if auth == "full":
            all_headers["Authorization"] = self.auth_header
        elif auth == "write":
            all_headers["Authorization"] = self.write_only_auth_header
        elif auth:
            all_headers["Authorization"] = auth
        data = None
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        req = urllib.request.Request(target, data=data, method=method, headers=all_headers)
        try:
            with urllib.request.urlopen(req, timeout=timeout) as resp:
                return HttpResult(resp.status, dict(resp.headers), resp.read())
        except urllib.error.HTTPError as error:
            return HttpResult(error.code, dict(error.headers), error.read())

    def post(self, statements: dict | list, auth: str | None = "full") -> HttpResult:
        """POST statements; 200 with the list of ids on success."""
        return self.request("POST", "statements", body=statements, auth=auth)

    def statements(self, auth: str | None = "full", **params) -> list[dict]:
        """All statements matching the xAPI query params (verb=, activity=,
        registration=, agent={...}, related_activities=True, since=...),
        following `more` links.  Raises on a non-200 answer."""
        result = self.request("GET", "statements", auth=auth, params=params or None)
        out: list[dict] = []
        while True:
            if result.status != 200:
                raise RuntimeError(
                    f"GET statements answered {result.status}: {result.body[:500]!r}\n"
                    f"--- Ralph's log (last part) ---\n{self.log()[-3000:]}"
                )
            doc = result.json()
            out.extend(doc.get("statements", []))
            more = doc.get("more")
            if not more:
                return out
            result = self.request("GET", more if more.startswith(("/", "http")) else "/" + more, auth=auth)

    def statement(self, statement_id: str, auth: str | None = "full") -> dict | None:
        """One statement by id, or None.  (Ralph 5.1 answers a statementId
        query with {"statements": [...]}; a spec LRS answers the statement.)"""
        result = self.request("GET", "statements", auth=auth, params={"statementId": statement_id})
        if result.status != 200:
            return None
        doc = result.json()
        if isinstance(doc, dict) and "statements" in doc and "actor" not in doc:
            return doc["statements"][0] if doc["statements"] else None
        return doc

    # -------------------------------------------------------- validators
    validate_statement = staticmethod(validate_statement)
    xapi_validation = staticmethod(xapi_validation)


class RemoteLrs:
    """An LRS that runs elsewhere (ADL_LRS of the cmi5 kit, `kits.start_kit("cmi5")`): the same
    ``url``, ``base_url``, ``auth_header``, ``request``, ``post``, ``statements`` (following
    `more`) and ``statement`` as `RalphLrs`. One account, so ``write_only_auth_header`` is it too."""

    def __init__(self, url: str, username: str, password: str, name: str = "LRS"):
        self.url = url if url.endswith("/") else url + "/"
        parts = urllib.parse.urlsplit(self.url)
        self.base_url = f"{parts.scheme}://{parts.netloc}"
        self.username, self.password, self.name = username, password, name
        self.auth_header = self.write_only_auth_header = basic_auth(username, password)

    def log(self) -> str:
        return f"({self.name} runs outside the tests; see its kit's logs)"

    request = RalphLrs.request
    post = RalphLrs.post
    statements = RalphLrs.statements
    statement = RalphLrs.statement


def adl_lrs_fixture():
    """ADL_LRS of the cmi5 kit (started by `kits.start_kit("cmi5")`, idempotent), as a RemoteLrs.
    Its CORS allows any origin with If-Match / If-None-Match and exposes ETag, so pages reach it directly."""
    from .kits import start_kit

    env = start_kit("cmi5")
    return RemoteLrs(env["CMI5_LRS_URL"], env["CMI5_LRS_USER"], env["CMI5_LRS_PASSWORD"], name="ADL_LRS")
