"""`ccm preview`: a local web server that shows a course as learners will see it.

Pages (all on 127.0.0.1, nothing from any other host):

  /                         the catalogue: modules and pathways, or the source's errors
  /module/<id>?target=T     a module in the learner frame, with the inspector beside it
  /pathway/<id>?target=T    the same for a pathway (when the target can build pathways)
  /learn/<T>/<kind>/<id>/…  the package's learner files, built in memory from the current source
  /preview-api/status       the last check of the source, and the unit's build (JSON)
  /preview-api/events       Server-Sent Events: "build" when the source was checked again,
                            "lrs" when the preview LRS changed
  /preview-api/records      what the preview LRS holds for one registration (JSON)
  /preview-api/reset        forget one registration (POST)
  /preview-lrs/…            the in-memory LRS the xAPI and cmi5 runtimes talk to
  /preview-static/…         the inspector's own scripts and styles
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
import socket
import threading
import time
import urllib.parse
from dataclasses import dataclass
from functools import cache, lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from lxml import etree

from ..render import json_for_html
from ..render.state_size import worst_case_state_length
from ..targets import BuildRefused, get_target, module_target_names
from .lrs import SESSION_EXTENSION, PreviewLrs
from .workspace import NotAvailable, Workspace, content_hash

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
PORT_TRIES = 20
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
}
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; base-uri 'none'; form-action 'self'"
)
SSE_TICK = 0.25
SSE_KEEPALIVE = 15.0


def content_type(name: str) -> str:
    suffix = posixpath.splitext(name)[1].lower()
    return CONTENT_TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


@lru_cache(maxsize=1)
def _templates() -> Environment:
    return Environment(
        loader=PackageLoader("ccm_scorm.preview", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@cache
def static_file(name: str) -> bytes | None:
    if not name or "/" in name or name.startswith("."):
        return None
    path = resources.files("ccm_scorm.preview").joinpath("static", name)
    return path.read_bytes() if path.is_file() else None


def builds_pathways(target_name: str) -> bool:
    return get_target(target_name).capabilities.pathways


# ---------------------------------------------------------------------------------------- the server
class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True  # Linux still refuses a port another program listens on

    def __init__(self, source: Path, port: int = DEFAULT_PORT, target: str = "web", poll_seconds: float = 0.3):
        started = time.perf_counter()
        self.workspace = Workspace(Path(source), poll_seconds=poll_seconds)
        self.default_target = target if target in module_target_names() else module_target_names()[0]
        self.lrs = PreviewLrs()
        self.lrs.launch_data = self._launch_data
        self._bind_first_free(port)
        self.thread: threading.Thread | None = None
        self.startup_seconds = time.perf_counter() - started

    def _bind_first_free(self, port: int) -> None:
        last_error: OSError | None = None
        for candidate in [0] if port == 0 else range(port, port + PORT_TRIES):
            try:
                super().__init__((HOST, candidate), PreviewHandler)
                return
            except OSError as error:
                last_error = error
        raise OSError(f"no free port from {port} to {port + PORT_TRIES - 1} on {HOST}: {last_error}")

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"

    def start(self) -> PreviewServer:
        """Serve and watch the source in background threads (for tests and tools)."""
        self.workspace.start_watching()
        self.thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.1}, name=f"ccm-preview:{self.port}", daemon=True
        )
        self.thread.start()
        return self

    def stop(self) -> None:
        self.workspace.stop()
        if self.thread is not None and self.thread.is_alive():
            self.shutdown()
            self.thread.join(5)
        self.server_close()

    def handle_error(self, request, client_address) -> None:
        import sys

        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, socket.timeout)):
            return  # a browser leaving a page or closing a stream
        super().handle_error(request, client_address)

    # ----------------------------------------------------------------- cmi5 launch data
    def _launch_data(self, activity_id: str, registration: str, session_id: str) -> dict | None:
        from ..targets.cmi5 import au_id, mastery_score, move_on

        course = self.workspace.snapshot.course
        if course is None:
            return None
        module = next((m for m in course.modules if course.module_iri(m.id) == activity_id), None)
        if module is None:
            return None
        data: dict[str, object] = {
            "contextTemplate": {
                "contextActivities": {"grouping": [{"objectType": "Activity", "id": au_id(course, module)}]},
                "extensions": {SESSION_EXTENSION: session_id},
            },
            "launchMode": "Normal",
            "launchMethod": "AnyWindow",
            "moveOn": move_on(module),
            "returnURL": "",
            "launchParameters": "",
        }
        score = mastery_score(module)
        if score is not None:
            data["masteryScore"] = float(score)
        return data

    # ----------------------------------------------------------------- what the pages show
    def unit_status(self, target_name: str, kind: str, unit_id: str) -> dict:
        snapshot = self.workspace.snapshot
        status = {
            "generation": snapshot.generation,
            "ok": snapshot.course is not None,
            "checkedAt": time.strftime("%H:%M:%S", time.localtime(snapshot.checked_at)),
            "errors": [p.as_dict() for p in snapshot.errors],
            "warnings": [p.as_dict() for p in snapshot.warnings],
            "unit": None,
            "unitProblem": None,
        }
        if snapshot.course is None or not kind:
            return status
        try:
            package = self.workspace.build(target_name, kind, unit_id)
        except (LookupError, NotAvailable, BuildRefused) as error:
            status["unitProblem"] = str(error.args[0] if isinstance(error, LookupError) and error.args else error)
            status["unitProblemKind"] = type(error).__name__
            return status
        except Exception as error:  # a bug in a target must not stop the preview
            status["unitProblem"] = f"the {target_name} package could not be built ({type(error).__name__}: {error})"
            status["unitProblemKind"] = "BuildError"
            return status
        course = snapshot.course
        unit = course.module(unit_id) if kind == "module" else course.pathway(unit_id)
        info: dict[str, object] = {
            "kind": kind,
            "id": unit.id,
            "title": unit.title,
            "version": unit.version,
            "hash": content_hash(course, kind, unit),
            "iri": course.module_iri(unit.id) if kind == "module" else course.pathway_iri(unit.id),
            "learnUrl": f"/learn/{target_name}/{kind}/{unit.id}/index.html",
            "worstCase": _worst_case(course, kind, unit),
            "limit": get_target(target_name).state_limit,
        }
        manifest = package.files.get("imsmanifest.xml")
        if manifest is not None:
            info["scorm"] = manifest_preload(manifest)
        status["unit"] = info
        return status


def _worst_case(course, kind: str, unit) -> int | None:
    try:
        if kind == "module":
            return worst_case_state_length(unit)
        from ..render import state_size

        pathway_length = getattr(state_size, "worst_case_pathway_state_length", None)
        return pathway_length(course, unit) if pathway_length else None
    except Exception:
        return None


def manifest_preload(manifest: bytes) -> dict:
    """What an LMS preloads from a SCORM manifest: the mastery score and (2004) the declared objectives."""
    try:
        root = etree.fromstring(manifest)
    except etree.XMLSyntaxError:
        return {}
    data: dict = {"objectives": []}
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname
        if name == "masteryscore" and element.text:
            data["masteryScore"] = element.text.strip()
        elif name in ("primaryObjective", "objective") and element.get("objectiveID"):
            data["objectives"].append(element.get("objectiveID"))
        elif name == "minNormalizedMeasure" and element.text:
            data["scaledPassingScore"] = element.text.strip()
    return data


# ---------------------------------------------------------------------------------------- requests
@dataclass
class Answer:
    status: int
    body: bytes
    content_type: str = "text/html; charset=utf-8"


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "ccm-preview"

    def log_message(self, format, *args):  # the terminal shows the URL and problems, not every request
        pass

    # --------------------------------------------------------- plumbing
    def _parts(self) -> tuple[str, dict[str, str]]:
        parsed = urllib.parse.urlsplit(self.path)
        query = {k: v[-1] for k, v in urllib.parse.parse_qs(parsed.query, keep_blank_values=True).items()}
        return urllib.parse.unquote(parsed.path), query

    def _body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, answer: Answer, extra: dict | None = None, head: bool = False) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(answer.body)

    def _dispatch(self) -> None:
        path, query = self._parts()
        method = self.command
        head = method == "HEAD"
        try:
            if path == "/preview-api/events" and method == "GET":
                self._events()
                return
            if path.startswith("/preview-lrs/"):
                body = self._body()
                result = self.server.lrs.handle(
                    "GET" if head else method, path[len("/preview-lrs/") :].strip("/"), query, body
                )
                self._send(
                    Answer(result.status, result.body, result.content_type), {"X-Experience-API-Version": "1.0.3"}, head
                )
                return
            answer = self._route("GET" if head else method, path, query)
        except Exception as error:  # never let one request stop the preview
            answer = Answer(
                500,
                _message_page(
                    "Something went wrong",
                    f"The preview could not answer this request ({type(error).__name__}: "
                    f"{error}). Reload the page to try again.",
                ),
            )
        self._send(answer, head=head)

    do_GET = do_HEAD = do_POST = do_PUT = do_DELETE = _dispatch

    def _route(self, method: str, path: str, query: dict[str, str]) -> Answer:
        server = self.server
        target = query.get("target") or server.default_target
        if target not in module_target_names():
            target = server.default_target
        if method == "POST" and path == "/preview-api/reset":
            self._body()
            removed = server.lrs.forget(query.get("registration", ""))
            return _json({"removed": removed})
        if method != "GET":
            return Answer(405, b"method not allowed", "text/plain; charset=utf-8")
        if path == "/":
            return Answer(200, render_catalogue(server, target).encode("utf-8"))
        if path == "/favicon.ico":
            return Answer(204, b"", "image/x-icon")
        if path.startswith("/preview-static/"):
            data = static_file(path[len("/preview-static/") :])
            if data is None:
                return Answer(404, b"not found", "text/plain; charset=utf-8")
            return Answer(200, data, content_type(path))
        if path == "/preview-api/status":
            return _json(server.unit_status(target, query.get("kind", ""), query.get("id", "")))
        if path == "/preview-api/records":
            registration = query.get("registration", "")
            return _json(
                {
                    "revision": server.lrs.revision,
                    "statements": server.lrs.find({"registration": registration}) if registration else [],
                    "documents": server.lrs.state_documents(registration) if registration else [],
                }
            )
        parts = [p for p in path.split("/") if p]
        if len(parts) == 2 and parts[0] in ("module", "pathway"):
            return Answer(200, render_unit(server, target, parts[0], parts[1]).encode("utf-8"))
        if len(parts) >= 4 and parts[0] == "learn" and parts[2] in ("module", "pathway"):
            return self._learner_file(parts[1], parts[2], parts[3], "/".join(parts[4:]) or "index.html")
        return Answer(
            404,
            _message_page(
                "Not found", "There is nothing at this address. Go back to the catalogue to choose a module."
            ),
        )

    def _learner_file(self, target: str, kind: str, unit_id: str, name: str) -> Answer:
        try:
            package = self.server.workspace.build(target, kind, unit_id)
        except (LookupError, NotAvailable, BuildRefused) as error:
            return Answer(404, _message_page("Not available", str(error)))
        data = package.files.get(name)
        if data is None:
            return Answer(404, b"not found", "text/plain; charset=utf-8")
        return Answer(200, data, content_type(name))

    # --------------------------------------------------------- Server-Sent Events
    def _events(self) -> None:
        server = self.server
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        generation, revision = None, None
        last_write = 0.0
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while not server.workspace.stopping:
                now = time.monotonic()
                current = server.workspace.snapshot.generation
                if current != generation:
                    generation = current
                    self.wfile.write(f"event: build\ndata: {json.dumps({'generation': current})}\n\n".encode())
                    last_write = now
                if server.lrs.revision != revision:
                    revision = server.lrs.revision
                    self.wfile.write(f"event: lrs\ndata: {json.dumps({'revision': revision})}\n\n".encode())
                    last_write = now
                if now - last_write > SSE_KEEPALIVE:
                    self.wfile.write(b": still here\n\n")
                    last_write = now
                self.wfile.flush()
                server.workspace.wait_for_change(generation, SSE_TICK)
        except (ConnectionError, TimeoutError, OSError):
            return


def _json(data) -> Answer:
    return Answer(200, json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json")


# ---------------------------------------------------------------------------------------- pages
def _message_page(title: str, text: str) -> bytes:
    return _templates().get_template("message.html.j2").render(title=title, text=text, csp=PAGE_CSP).encode("utf-8")


def _targets(selected: str) -> list[dict]:
    return [
        {"name": name, "label": get_target(name).label, "selected": name == selected} for name in module_target_names()
    ]


def render_catalogue(server: PreviewServer, target: str) -> str:
    snapshot = server.workspace.snapshot
    course = snapshot.course
    modules, pathways = [], []
    if course is not None:
        framework = course.framework
        for module in course.modules:
            modules.append(
                {
                    "id": module.id,
                    "title": module.title,
                    "minutes": module.minutes,
                    "pages": len(module.pages),
                    "questions": len(module.questions),
                    "competencies": [framework.competency(c).title for c in module.competency_ids],
                }
            )
        for pathway in course.pathways:
            members = [course.module(m) for m in pathway.module_ids]
            competencies: list[str] = []
            for member in members:
                for competency_id in member.competency_ids:
                    title = framework.competency(competency_id).title
                    if title not in competencies:
                        competencies.append(title)
            pathways.append(
                {
                    "id": pathway.id,
                    "title": pathway.title,
                    "modules": [m.title for m in members],
                    "minutes": sum(m.minutes for m in members),
                    "competencies": competencies,
                }
            )
    return (
        _templates()
        .get_template("catalogue.html.j2")
        .render(
            csp=PAGE_CSP,
            title=course.settings.title if course else "Course preview",
            source=str(server.workspace.source),
            snapshot=snapshot,
            modules=modules,
            pathways=pathways,
            target=target,
            target_label=get_target(target).package_label,
            targets=_targets(target),
            pathways_available=builds_pathways(target),
            config=json_for_html({"page": "catalogue", "generation": snapshot.generation}),
        )
    )


def render_unit(server: PreviewServer, target: str, kind: str, unit_id: str) -> str:
    course = server.workspace.snapshot.course
    title = unit_id
    if course is not None:
        unit = next((u for u in (course.modules if kind == "module" else course.pathways) if u.id == unit_id), None)
        if unit is not None:
            title = unit.title
    shown = get_target(target)
    config = {
        "page": "unit",
        "target": target,
        "kind": kind,
        "id": unit_id,
        "scorm": shown.scorm_edition or None,
        "lrs": shown.launch in ("xapi", "cmi5"),
        "launch": shown.launch,
        "limit": shown.state_limit,
    }
    return (
        _templates()
        .get_template("unit.html.j2")
        .render(
            csp=PAGE_CSP,
            title=title,
            kind=kind,
            unit_id=unit_id,
            target=target,
            target_label=shown.package_label,
            target_short=shown.label,
            launch=shown.launch,
            targets=_targets(target),
            config=json_for_html(config),
        )
    )


# ---------------------------------------------------------------------------------------- entry points
def start_preview(source: Path | str, port: int = 0, target: str = "web", poll_seconds: float = 0.3) -> PreviewServer:
    """Start a preview server in background threads and return it (call .stop() when done)."""
    return PreviewServer(Path(source), port=port, target=target, poll_seconds=poll_seconds).start()


def run_preview(
    source: Path | str, port: int = DEFAULT_PORT, target: str | None = None, open_browser: bool = True, echo=print
) -> int:
    """`ccm preview`: serve until Ctrl+C. Returns the exit code."""
    started = time.perf_counter()
    source = Path(source)
    if not source.is_dir():
        echo(f"error: there is no course folder at {source} — give the folder that holds framework.yaml")
        return 2
    server = PreviewServer(source, port=port, target=target or "web")
    if target is None:
        course = server.workspace.snapshot.course
        choices = course.settings.default_targets if course else ()
        server.default_target = next(
            (name for name in choices if name in module_target_names()), module_target_names()[0]
        )
    server.workspace.start_watching()
    snapshot = server.workspace.snapshot
    echo(
        f"Previewing {source} at {server.url} (ready in {time.perf_counter() - started:.1f} s; "
        f"format: {get_target(server.default_target).label})"
    )
    if snapshot.errors:
        echo(f"The source has {len(snapshot.errors)} error(s); the page lists them until they are fixed.")
    echo("Changes to the source are shown as soon as you save. Press Ctrl+C to stop.")
    if open_browser:
        import webbrowser

        threading.Timer(0.2, lambda: webbrowser.open(server.url)).start()
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        echo("Stopped.")
    finally:
        server.workspace.stop()
        server.server_close()
    return 0
