"""Reading statements from an LRS: GET /statements per catalogue module, page by page."""

from __future__ import annotations

import base64
import os
import urllib.parse
from collections.abc import Iterator

from ..http import (
    ConnectionFailed,
    DeadlineError,
    HttpClient,
    HttpError,
    OffOriginError,
    TooLargeError,
    address_problem,
    shorten,
)
from .errors import EXIT_LRS, EXIT_USAGE, ReportError
from .xapi import XAPI_VERSION, StatementReader, _first_line


def lrs_auth_from_environment(environ=os.environ) -> str | None:
    """The Authorization header value from CCM_LRS_AUTH, or CCM_LRS_USERNAME + CCM_LRS_PASSWORD."""
    auth = environ.get("CCM_LRS_AUTH", "").strip()
    if auth:
        if " " in auth:  # already "Basic xxx" / "Bearer xxx"
            return auth
        if ":" in auth:  # key:secret
            return "Basic " + base64.b64encode(auth.encode()).decode()
        return "Basic " + auth  # a base64 token as LRSs hand them out
    user, password = environ.get("CCM_LRS_USERNAME", ""), environ.get("CCM_LRS_PASSWORD", "")
    if user and password:
        return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    return None


MAX_PAGES = 50_000  # 25 million statements at the default page size: far beyond any real course
MAX_STRING = 1024 * 1024  # characters in one JSON string of a statement (names, responses, extensions)
# Levels of JSON nesting in a page: a statement needs about ten. ijson's event prefix grows with the
# depth, so an unbounded depth costs memory quadratic in it.
MAX_DEPTH = 100
# Bytes ijson parses per step. It works out every event of a step before the depth check sees
# one, at a cost quadratic in the nesting within the step: small steps keep a hostile page cheap.
PARSE_CHUNK = 4096


class LrsClient:
    """GET /statements for each catalogue module, page by page, each page parsed as a stream.

    All requests go through ccm_scorm.http: the credential only to the endpoint's origin, one
    deadline (`timeout`) for the whole read, capped pages, and `more` links checked."""

    def __init__(self, url: str, auth: str, *, timeout: float = 300, page_size: int = 500, insecure: bool = False):
        problem = address_problem(url, "--lrs", "https://lrs.example.org/xAPI/", insecure)
        if problem:
            raise ReportError(problem, EXIT_USAGE)
        self.endpoint = url if url.endswith("/") else url + "/"
        self.auth, self.timeout, self.page_size = auth, timeout, page_size
        self.http = HttpClient(self.endpoint, auth, seconds=timeout, insecure=insecure)
        self.pages = 0
        self._fetched: set[str] = set()

    def statements(self, activity: str, since: str | None = None) -> Iterator[dict]:
        params = {"activity": activity, "related_activities": "true", "limit": str(self.page_size)}
        if since:
            params["since"] = since
        target: str | None = self.endpoint + "statements?" + urllib.parse.urlencode(params)
        while target:
            more: list[str] = []
            yield from self._page(target, more)
            target = self._next_page(more[0]) if more and more[0] else None

    def _next_page(self, more: str) -> str:
        """The absolute address of a `more` link, refused unless it stays on the LRS and is new."""
        try:
            target = urllib.parse.urljoin(self.endpoint, more)
            self.http.check_origin(target, f"the LRS's 'more' link {shorten(more, 80)!r}")
        except ValueError:
            raise ReportError(
                f"the LRS at {self.endpoint} sent a 'more' link that is not an address "
                f"({shorten(more, 80)!r}): it is not a working xAPI LRS",
                EXIT_LRS,
            ) from None
        except HttpError as error:
            raise ReportError(f"refused: {error}", EXIT_LRS) from None
        if target in self._fetched:
            raise ReportError(
                f"the LRS at {self.endpoint} sent the same 'more' link twice ({shorten(more, 80)}); "
                "it would send the same pages for ever, so the read was stopped",
                EXIT_LRS,
            )
        if self.pages >= MAX_PAGES:
            raise ReportError(
                f"the LRS at {self.endpoint} sent more than {MAX_PAGES:,} pages; the read was stopped. "
                "Give --since to read fewer statements, or raise --lrs-page-size",
                EXIT_LRS,
            )
        return target

    def _page(self, target: str, more: list[str]) -> Iterator[dict]:
        self._fetched.add(target)
        headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
        try:
            with self.http.request("GET", target, headers=headers) as answer:
                if answer.status != 200:
                    raise ReportError(self._http_message(answer.status, target), EXIT_LRS)
                self.pages += 1
                yield from self._statements_of(answer.body, more)
        except HttpError as error:
            raise ReportError(self._problem_message(error), EXIT_LRS) from None

    def _statements_of(self, body, more: list[str]) -> Iterator[dict]:
        import ijson

        builder = None
        depth = 0
        try:
            for prefix, event, value in ijson.parse(body, use_float=True, buf_size=PARSE_CHUNK):
                if event in ("start_map", "start_array"):
                    depth += 1
                    if depth > MAX_DEPTH:
                        raise ReportError(
                            f"the LRS at {self.endpoint} sent JSON nested more than {MAX_DEPTH} levels deep "
                            "(a statement needs about ten), so the read was stopped",
                            EXIT_LRS,
                        )
                elif event in ("end_map", "end_array"):
                    depth -= 1
                if event == "string" and len(value) > MAX_STRING:
                    raise ReportError(
                        f"the LRS at {self.endpoint} sent a text of {len(value):,} characters "
                        f"in {prefix or 'a page'}; statements never hold texts over "
                        f"{MAX_STRING:,}, so the read was stopped",
                        EXIT_LRS,
                    )
                if builder is not None:
                    builder.event(event, value)
                    if prefix == "statements.item" and event == "end_map":
                        yield builder.value
                        builder = None
                elif prefix == "statements.item" and event == "start_map":
                    builder = ijson.ObjectBuilder()
                    builder.event(event, value)
                elif prefix == "more" and event == "string":
                    more.append(value)
        except ijson.JSONError as error:
            raise ReportError(
                f"the LRS at {self.endpoint} sent a malformed statements page ({_first_line(error)}): "
                "check the URL points at the xAPI endpoint",
                EXIT_LRS,
            ) from None

    def _problem_message(self, error: HttpError) -> str:
        if isinstance(error, OffOriginError):
            return f"refused: {error}"
        if isinstance(error, DeadlineError):
            return (
                f"the LRS at {self.endpoint} did not answer within {self.timeout:g} s (the limit for the whole "
                "read): check the URL, your network and the LRS's health, or raise --lrs-timeout"
            )
        if isinstance(error, TooLargeError):
            return (
                f"the LRS at {self.endpoint} sent a statements page too large to read ({error}); the read was stopped"
            )
        if isinstance(error, ConnectionFailed):
            host = self.http.origin.host
            if error.kind == "refused":
                return (
                    f"could not connect to {host} (connection refused): check the --lrs URL and that the LRS is running"
                )
            if error.kind == "dns":
                return f"could not find the host {host}: check the --lrs URL"
            return f"could not reach the LRS at {self.endpoint} ({error}): check the URL, network and certificates"
        return f"the LRS at {self.endpoint}: {error}"

    def _http_message(self, status: int, target: str) -> str:
        where = f"the LRS at {self.endpoint}"
        if status in (401, 403):
            return (
                f"{where} refused the credentials ({status}): check CCM_LRS_AUTH (or CCM_LRS_USERNAME and "
                "CCM_LRS_PASSWORD) and that the key may read statements (scope statements/read)"
            )
        if status == 404:
            return (
                f"{where} has no statements resource (404 for {target.split('?')[0]}): check the endpoint, "
                "which usually ends in /xAPI/ or /data/xAPI/"
            )
        if status == 400:
            return f"{where} rejected the query (400): check --since is an ISO 8601 time and the LRS speaks xAPI 1.0.3"
        return f"{where} answered {status}: check the LRS's status page and try again"


def read_lrs(client: LrsClient, reader: StatementReader, since: str | None) -> int:
    label = f"LRS {client.endpoint}"
    bit = reader.matrix.source(label)
    n = 0
    with client.http:
        for module in reader.catalogue.modules:
            for statement in client.statements(reader.catalogue.course.module_iri(module.id), since):
                n += 1
                reader.one(statement, bit, only_module=module.id)
    reader.notes.count(reader.notes.read, label, n)
    return n
