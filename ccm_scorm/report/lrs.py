"""Reading statements from an LRS: GET /statements per catalogue module, page by page."""

from __future__ import annotations

import base64
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from typing import Iterator

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


class LrsClient:
    """GET /statements for each catalogue module, page by page, each page parsed as a stream."""

    def __init__(self, url: str, auth: str, *, timeout: float = 30, page_size: int = 500):
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise ReportError(f"--lrs {url!r} is not an http(s) URL; give the LRS's xAPI endpoint, "
                              "e.g. https://lrs.example.org/xAPI/", EXIT_USAGE)
        self.endpoint = url if url.endswith("/") else url + "/"
        self.auth, self.timeout, self.page_size = auth, timeout, page_size
        self.pages = 0

    def statements(self, activity: str, since: str | None = None) -> Iterator[dict]:
        params = {"activity": activity, "related_activities": "true", "limit": str(self.page_size)}
        if since:
            params["since"] = since
        target = self.endpoint + "statements?" + urllib.parse.urlencode(params)
        while target:
            more: list[str] = []
            yield from self._page(target, more)
            target = urllib.parse.urljoin(self.endpoint, more[0]) if more and more[0] else None

    def _page(self, target: str, more: list[str]) -> Iterator[dict]:
        import ijson

        request = urllib.request.Request(target, headers={
            "X-Experience-API-Version": XAPI_VERSION, "Authorization": self.auth, "Accept": "application/json"})
        try:
            response = urllib.request.urlopen(request, timeout=self.timeout)
        except urllib.error.HTTPError as error:
            raise ReportError(self._http_message(error.code, target), EXIT_LRS) from None
        except (TimeoutError, socket.timeout):
            raise ReportError(f"the LRS at {self.endpoint} did not answer within {self.timeout:g} s: check the "
                              "URL, your network and the LRS's health, or raise --lrs-timeout", EXIT_LRS) from None
        except urllib.error.URLError as error:
            raise ReportError(self._connection_message(error.reason), EXIT_LRS) from None
        except OSError as error:
            raise ReportError(self._connection_message(error), EXIT_LRS) from None
        self.pages += 1
        with response:
            builder = None
            try:
                for prefix, event, value in ijson.parse(response, use_float=True):
                    if builder is not None:
                        builder.event(event, value)
                        if prefix == "statements.item" and event in ("end_map",):
                            yield builder.value
                            builder = None
                    elif prefix == "statements.item" and event == "start_map":
                        builder = ijson.ObjectBuilder()
                        builder.event(event, value)
                    elif prefix == "more" and event == "string":
                        more.append(value)
            except ijson.JSONError as error:
                raise ReportError(f"the LRS at {self.endpoint} sent a malformed statements page ({_first_line(error)}): "
                                  "check the URL points at the xAPI endpoint", EXIT_LRS) from None
            except (TimeoutError, socket.timeout):
                raise ReportError(f"the LRS at {self.endpoint} stopped answering in the middle of a page "
                                  f"(timeout {self.timeout:g} s): try again or raise --lrs-timeout", EXIT_LRS) from None

    def _http_message(self, status: int, target: str) -> str:
        where = f"the LRS at {self.endpoint}"
        if status in (401, 403):
            return (f"{where} refused the credentials ({status}): check CCM_LRS_AUTH (or CCM_LRS_USERNAME and "
                    "CCM_LRS_PASSWORD) and that the key may read statements (scope statements/read)")
        if status == 404:
            return (f"{where} has no statements resource (404 for {target.split('?')[0]}): check the endpoint, "
                    "which usually ends in /xAPI/ or /data/xAPI/")
        if status == 400:
            return f"{where} rejected the query (400): check --since is an ISO 8601 time and the LRS speaks xAPI 1.0.3"
        return f"{where} answered {status}: check the LRS's status page and try again"

    def _connection_message(self, reason) -> str:
        host = urllib.parse.urlparse(self.endpoint).netloc
        text = getattr(reason, "strerror", None) or str(reason)
        if isinstance(reason, (TimeoutError, socket.timeout)):
            return (f"the LRS at {self.endpoint} did not answer within {self.timeout:g} s: check the URL, your "
                    "network and the LRS's health, or raise --lrs-timeout")
        if isinstance(reason, ConnectionRefusedError):
            return f"could not connect to {host} (connection refused): check the --lrs URL and that the LRS is running"
        if isinstance(reason, socket.gaierror):
            return f"could not find the host {host} ({text}): check the --lrs URL"
        return f"could not reach the LRS at {self.endpoint} ({text}): check the URL, network and certificates"


def read_lrs(client: LrsClient, reader: StatementReader, since: str | None) -> int:
    label = f"LRS {client.endpoint}"
    bit = reader.matrix.source(label)
    n = 0
    for module in reader.catalogue.modules:
        for statement in client.statements(reader.catalogue.course.module_iri(module.id), since):
            n += 1
            reader.one(statement, bit, only_module=module.id)
    reader.notes.count(reader.notes.read, label, n)
    return n
