"""A small threaded HTTP server for tests.

Serves a directory (or the contents of a zip file) plus fixed mounts (`/__lms/` -> tests/support,
`/__node/` -> node_modules), in-memory files and handler routes.  Records
every request and every POST body, and answers unknown POSTs with the JSON an
LMS commit endpoint answers (`{"result": true, "errorCode": 0}`).
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
import shutil
import tempfile
import threading
import urllib.parse
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .paths import NODE_MODULES, SUPPORT_DIR

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".xsd": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".ttf": "font/ttf",
    ".mp4": "video/mp4",
    ".webm": "video/webm",
    ".mp3": "audio/mpeg",
    ".vtt": "text/vtt; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".map": "application/json",
}


@dataclass
class Request:
    """One request the server received."""

    method: str
    path: str  # path without the query string
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes = b""

    def json(self):
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Response:
    status: int = 200
    body: bytes | str | dict | list | None = b""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False  # close the connection without answering (a lost response)


RouteHandler = Callable[[Request], Response | bytes | str | dict | list | None]


def guess_type(name: str) -> str:
    suffix = posixpath.splitext(name)[1].lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


class ServedSite(str):
    """The base URL (``http://127.0.0.1:<port>/``, a ``str``) with extras.

    ``site + "index.html"`` is a full URL.  Attributes: ``port``, ``root``,
    ``requests`` (list of `Request`), ``posts`` (the POST subset).  Methods:
    ``url(path)``, ``add_file(path, content, content_type=None)``,
    ``add_route(path, handler, methods=None)``, ``stop()``.
    """

    _server: _Server

    def __new__(cls, base_url: str, server: _Server):
        self = super().__new__(cls, base_url)
        self._server = server
        return self

    @property
    def base_url(self) -> str:
        return str(self)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def origin(self) -> str:
        return str(self).rstrip("/")

    @property
    def root(self) -> Path | None:
        return self._server.root

    @property
    def requests(self) -> list[Request]:
        with self._server.lock:
            return list(self._server.log)

    @property
    def posts(self) -> list[Request]:
        return [r for r in self.requests if r.method == "POST"]

    def url(self, path: str = "") -> str:
        return str(self) + path.lstrip("/")

    def add_file(self, path: str, content: bytes | str, content_type: str | None = None) -> str:
        """Serve in-memory `content` at `path`; returns its full URL."""
        if isinstance(content, str):
            content = content.encode("utf-8")
        path = "/" + path.lstrip("/")
        self._server.files[path] = (content, content_type or guess_type(path))
        return self.url(path)

    def add_route(self, path: str, handler: RouteHandler, methods: set[str] | None = None) -> str:
        """Call `handler(Request)` for `path` (exact, or a prefix when it ends in
        '/'); it returns a `Response`, bytes/str (200) or JSON-able data (200)."""
        path = "/" + path.lstrip("/")
        self._server.routes[path] = (handler, {m.upper() for m in methods} if methods else None)
        return self.url(path)

    def clear_log(self) -> None:
        with self._server.lock:
            self._server.log.clear()

    def stop(self) -> None:
        self._server.stop()


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path | None, mounts: Mapping[str, Path]):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.root = root
        self.mounts = {"/" + k.strip("/") + "/": Path(v) for k, v in mounts.items()}
        self.files: dict[str, tuple[bytes, str]] = {}
        self.routes: dict[str, tuple[RouteHandler, set[str] | None]] = {}
        self.log: list[Request] = []
        self.lock = threading.Lock()
        self.thread = threading.Thread(
            target=self.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"http_server:{self.server_address[1]}",
            daemon=True,
        )

    def start(self) -> None:
        self.thread.start()

    def handle_error(self, request, client_address) -> None:
        # Quiet: a browser dropping a connection (navigation, closed context)
        # is normal in tests.  Anything else is still reported.
        import sys

        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def stop(self) -> None:
        if self.thread.is_alive():
            self.shutdown()
            self.thread.join(5)
        self.server_close()
        if getattr(self, "extracted", None) is not None:
            shutil.rmtree(self.extracted, ignore_errors=True)
            self.extracted = None

    def find_route(self, path: str, method: str):
        candidates = []
        for prefix, (handler, methods) in self.routes.items():
            if path == prefix or (prefix.endswith("/") and path.startswith(prefix)):
                if methods is None or method in methods:
                    candidates.append((len(prefix), handler))
        return max(candidates, key=lambda c: c[0])[1] if candidates else None

    def resolve_file(self, path: str) -> Path | None:
        for prefix, base in sorted(self.mounts.items(), key=lambda kv: -len(kv[0])):
            if path.startswith(prefix):
                return _safe_join(base, path[len(prefix) :])
        if self.root is None:
            return None
        return _safe_join(self.root, path.lstrip("/"))


def _safe_join(base: Path, rel: str) -> Path | None:
    base = base.resolve()
    target = (base / rel).resolve()
    if target != base and base not in target.parents:
        return None
    if target.is_dir():
        target = target / "index.html"
    return target if target.is_file() else None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def _request(self) -> Request:
        parsed = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        req = Request(
            method=self.command,
            path=urllib.parse.unquote(parsed.path),
            query=urllib.parse.parse_qs(parsed.query, keep_blank_values=True),
            headers={k: v for k, v in self.headers.items()},
            body=body,
        )
        with self.server.lock:
            self.server.log.append(req)
        return req

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None, head: bool = False):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _dispatch(self):
        req = self._request()
        head = req.method == "HEAD"
        method = "GET" if head else req.method
        handler = self.server.find_route(req.path, method)
        if handler is not None:
            try:
                result = handler(req)
            except Exception as error:  # surface handler bugs as 500s
                self._send(500, f"route handler failed: {error!r}".encode(), "text/plain; charset=utf-8", head=head)
                return
            if not isinstance(result, Response):
                result = Response(200, result)
            if result.drop:
                import socket

                self.close_connection = True
                try:
                    self.connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                return
            body = result.body
            ctype = result.headers.pop("Content-Type", None) if result.headers else None
            if isinstance(body, (dict, list)):
                body, ctype = json.dumps(body).encode(), ctype or "application/json"
            elif isinstance(body, str):
                body, ctype = body.encode("utf-8"), ctype or "text/plain; charset=utf-8"
            elif body is None:
                body = b""
            self._send(result.status, body, ctype or "application/octet-stream", result.headers, head)
            return
        if method == "GET":
            if req.path in self.server.files:
                content, ctype = self.server.files[req.path]
                self._send(200, content, ctype, head=head)
                return
            target = self.server.resolve_file(req.path)
            if target is not None:
                self._send(200, target.read_bytes(), guess_type(target.name), head=head)
                return
            if req.path == "/favicon.ico":
                self._send(204, b"", "image/x-icon", head=head)
                return
            self._send(404, b"not found", "text/plain; charset=utf-8", head=head)
            return
        if method == "POST":
            # An LMS commit endpoint (scorm-again's lmsCommitUrl) by default.
            self._send(200, b'{"result": true, "errorCode": 0}', "application/json")
            return
        self._send(405, b"method not allowed", "text/plain; charset=utf-8")

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _dispatch


DEFAULT_MOUNTS = {"/__lms/": SUPPORT_DIR, "/__node/": NODE_MODULES}


def serve(
    root: str | Path | None = None,
    *,
    files: Mapping[str, bytes | str] | None = None,
    mounts: Mapping[str, str | Path] | None = None,
    routes: Mapping[str, RouteHandler] | None = None,
) -> ServedSite:
    all_mounts = dict(DEFAULT_MOUNTS)
    all_mounts.update({k: Path(v) for k, v in (mounts or {}).items()})
    extracted: Path | None = None
    if root is not None:
        root = Path(root)
        if root.is_file() and zipfile.is_zipfile(root):
            # A package zip (SCORM, cmi5, xAPI): serve its contents.
            extracted = Path(tempfile.mkdtemp(prefix="ccm-served-"))
            with zipfile.ZipFile(root) as archive:
                archive.extractall(extracted)
            root = extracted
        elif not root.is_dir():
            raise FileNotFoundError(f"http_server: {root} is neither a directory nor a zip file")
    server = _Server(root, all_mounts)
    server.extracted = extracted
    server.start()
    site = ServedSite(f"http://127.0.0.1:{server.server_address[1]}/", server)
    for path, content in (files or {}).items():
        site.add_file(path, content)
    for path, handler in (routes or {}).items():
        site.add_route(path, handler)
    return site
