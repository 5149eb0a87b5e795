"""A misbehaving LRS on 127.0.0.1, one misbehaviour per endpoint (tests/test_hostile_servers.py, test_issue_safety.py).

`FakeLrs().url("more-away")` is `http://127.0.0.1:<port>/more-away/xAPI/`: an xAPI endpoint that
does what its name says. Every request is recorded with the Authorization header it carried,
so a test can show that a credential never reached a second origin (a second FakeLrs on
another port is another origin). Endless answers stop as soon as the client hangs up.

Behaviours (GET statements unless said):
  ok              one statement, no more pages
  redirect-here   302 to the `ok` endpoint on the same origin
  redirect-away   302 (GET) or 307 (POST) to `away` (an absolute URL on another origin)
  more-away       a `more` link that is an absolute URL on `away`
  more-file       a `more` of file:///etc/passwd
  more-broken     a `more` of http://[::1 (not an address)
  more-repeat     the same `more` on every page
  more-endless    a new `more` on every page, for ever
  huge-page       a page that never ends (spaces inside the statements array)
  huge-string     a statement whose actor name is 2 million characters
  deep-page       a statement nested 200,000 arrays deep (over the depth cap, far under the size cap)
  drip            one byte every 0.5 s, for ever
  error-500       500 to everything
  write-only      POST 400 (authenticated, not a statement), GET 403: a write-only credential
  can-read        POST 400, GET 200: a credential that can read
  write-denied    POST 403, GET 403: a credential that can neither write nor read
  wrong-password  401 to everything: the LRS does not know the credential
"""

from __future__ import annotations

import json
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

STATEMENT = {
    "id": "00000000-0000-4000-8000-000000000001",
    "actor": {"objectType": "Agent", "name": "Ada", "mbox": "mailto:ada@example.org"},
    "verb": {"id": "http://adlnet.gov/expapi/verbs/experienced"},
    "object": {"id": "https://example.org/nothing"},
}
DRIP_INTERVAL = 0.5


@dataclass(frozen=True)
class Seen:
    method: str
    path: str
    authorization: str | None


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        import sys

        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)  # a client hanging up is expected; anything else is a bug


class FakeLrs:
    def __init__(self, away: FakeLrs | None = None, certificate: tuple[str, str] | None = None):
        """`certificate`: (cert file, key file) to answer over https instead of http."""
        self.away = away  # the other origin that redirects and `more` links point to
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        self.server = _QuietServer(("127.0.0.1", 0), _handler_for(self))
        self.port = self.server.server_address[1]
        scheme = "http"
        if certificate:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*certificate)
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
            scheme = "https"
        self.origin = f"{scheme}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def url(self, behaviour: str) -> str:
        return f"{self.origin}/{behaviour}/xAPI/"

    def note(self, seen: Seen) -> None:
        with self._lock:
            self.seen.append(seen)

    @property
    def authorizations(self) -> list[str]:
        with self._lock:
            return [s.authorization for s in self.seen if s.authorization]

    def requests(self, behaviour: str) -> list[Seen]:
        with self._lock:
            return [s for s in self.seen if s.path.startswith(f"/{behaviour}/")]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler_for(lrs: FakeLrs):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_args) -> None:
            pass

        def do_GET(self) -> None:
            self._answer("GET")

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            self.rfile.read(length)
            self._answer("POST")

        def _answer(self, method: str) -> None:
            lrs.note(Seen(method, self.path, self.headers.get("Authorization")))
            behaviour = self.path.lstrip("/").split("/", 1)[0]
            try:
                getattr(self, "_" + behaviour.replace("-", "_"), self._not_found)(method)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up, as it should

        # ---------------------------------------------------------------- answers
        def _send(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _json(self, data, status: int = 200) -> None:
            self._send(status, json.dumps(data).encode())

        def _page(self, more: str) -> None:
            self._json({"statements": [STATEMENT], "more": more})

        def _not_found(self, _method: str) -> None:
            self._json({"error": "no such behaviour"}, 404)

        def _ok(self, _method: str) -> None:
            self._page("")

        def _redirect_here(self, _method: str) -> None:
            self._send(302, headers={"Location": "/ok/xAPI/statements"})

        def _redirect_away(self, method: str) -> None:
            self._send(307 if method == "POST" else 302, headers={"Location": lrs.away.url("ok") + "statements"})

        def _more_away(self, _method: str) -> None:
            self._page(lrs.away.url("ok") + "statements?more=1")

        def _more_file(self, _method: str) -> None:
            self._page("file:///etc/passwd")

        def _more_broken(self, _method: str) -> None:
            self._page("http://[::1")

        def _more_repeat(self, _method: str) -> None:
            self._page("/more-repeat/xAPI/statements?more=again")

        def _more_endless(self, _method: str) -> None:
            self._page(f"/more-endless/xAPI/statements?more={time.monotonic_ns()}")

        def _stream(self, head: bytes, filler: bytes, interval: float = 0.0) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()  # no length: the answer ends when the connection does
            self.close_connection = True
            self.wfile.write(head)
            while True:
                self.wfile.write(filler)
                self.wfile.flush()
                if interval:
                    time.sleep(interval)  # the drip itself is the misbehaviour under test

        def _huge_page(self, _method: str) -> None:
            self._stream(b'{"statements": [', b" " * 65536)

        def _huge_string(self, _method: str) -> None:
            statement = dict(
                STATEMENT, actor={"objectType": "Agent", "name": "a" * 2_000_000, "mbox": "mailto:ada@example.org"}
            )
            self._json({"statements": [statement], "more": ""})

        def _deep_page(self, _method: str) -> None:
            depth = 200_000
            self._send(200, b'{"statements": [{"result": ' + b"[" * depth + b"]" * depth + b"}]}")

        def _drip(self, _method: str) -> None:
            self._stream(b'{"statements": [', b" ", DRIP_INTERVAL)

        def _error_500(self, _method: str) -> None:
            self._json({"error": "the LRS fell over"}, 500)

        def _write_only(self, method: str) -> None:
            self._json({"error": "not a statement"}, 400) if method == "POST" else self._json({"error": "no"}, 403)

        def _can_read(self, method: str) -> None:
            self._json({"error": "not a statement"}, 400) if method == "POST" else self._page("")

        def _write_denied(self, _method: str) -> None:
            self._json({"error": "scope"}, 403)

        def _wrong_password(self, _method: str) -> None:
            self._send(401, b'{"error": "unknown credential"}', {"WWW-Authenticate": "Basic"})

    return Handler


# Fixtures for the test modules that import them: `lrs` misbehaves, `away` is the second origin.
@pytest.fixture(scope="module")
def away():
    """The second origin: it must never see a request, so never a credential."""
    server = FakeLrs()
    yield server
    server.close()


@pytest.fixture(scope="module")
def lrs(away):
    server = FakeLrs(away=away)
    yield server
    server.close()


@pytest.fixture(autouse=True)
def nothing_reaches_the_second_origin(away):
    yield
    assert away.seen == [], "a request (and so the credential) went to the second origin"
