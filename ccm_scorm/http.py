"""The one HTTP client of the tool (`ccm report --lrs`, `ccm issue`'s credential check).

Every request goes to one configured origin (scheme, host, port) and carries its
credential only there: a redirect or a URL to any other origin is refused before a byte
is sent, so the credential never leaves for another host. Only http and https; TLS is
verified against the system's certificate store; http with a credential is refused
unless the host is this computer or the caller said `insecure`. Every command has one
deadline for all its requests together, and each answer has a cap on its size, so a
hostile or broken server can neither keep the tool busy nor fill its memory.
"""

from __future__ import annotations

import ipaddress
import ssl
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from .errors import RemoteProblem

MAX_REDIRECTS = 5  # same-origin hops followed before giving up
MAX_ANSWER_BYTES = 64 * 1024 * 1024  # one answer (an LRS page of 10,000 statements is ~20 MB)


class HttpError(RemoteProblem):
    """A request that could not be made or finished safely; `str()` says what happened and what to do."""


class OffOriginError(HttpError):
    """A redirect or link to an origin other than the configured one."""


class DeadlineError(HttpError):
    """The command's total time for the server ran out."""


class TooLargeError(HttpError):
    """An answer larger than the cap."""


class ConnectionFailed(HttpError):
    """No answer at all: refused, unknown host, TLS failure, network down."""

    def __init__(self, message: str, kind: str):
        super().__init__(message)
        self.kind = kind  # "refused", "dns", "tls", "timeout" or "other"


@dataclass(frozen=True)
class Origin:
    scheme: str
    host: str
    port: int

    @classmethod
    def of(cls, url: str) -> Origin:
        """The origin of an http(s) URL; ValueError for anything else (file:, javascript:, a broken address)."""
        parts = urllib.parse.urlsplit(url)  # ValueError for e.g. "http://[::1"
        scheme = parts.scheme.lower()
        if scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"'{shorten(url)}' is not an http or https address")
        port = parts.port or (443 if scheme == "https" else 80)  # ValueError for a port out of range
        return cls(scheme, parts.hostname.lower(), port)

    def __str__(self) -> str:
        default = 443 if self.scheme == "https" else 80
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{self.scheme}://{host}" + ("" if self.port == default else f":{self.port}")

    @property
    def is_loopback(self) -> bool:
        if self.host == "localhost" or self.host.endswith(".localhost"):
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def where(url: str) -> str:
    """How a message names the place a URL points to, even when it is not a web address."""
    try:
        return str(Origin.of(url))
    except ValueError:
        scheme = urllib.parse.urlsplit(url).scheme if ":" in url else ""
        return f"a {scheme}: address ({shorten(url, 60)})" if scheme else f"'{shorten(url, 60)}'"


def refuse_clear_text(url: str, what: str, insecure: bool) -> None:
    """A credential over plain http crosses the network readable by anyone on the way: refuse it."""
    origin = Origin.of(url)
    if origin.scheme == "http" and not origin.is_loopback and not insecure:
        raise HttpError(
            f"{what} {url} is plain http, so the credential would cross the network in clear text: "
            f"use its https address, or give --insecure if this network is trusted"
        )


def address_problem(url: str, option: str, example: str, insecure: bool) -> str | None:
    """Why `url` given to `option` cannot carry a credential (not a web address, or clear text), or None."""
    try:
        refuse_clear_text(url, option, insecure)
    except ValueError:
        return f"{option} '{shorten(url, 80)}' is not a web address; give an http(s) address, e.g. {example}"
    except HttpError as error:
        return str(error)
    return None


class Deadline:
    """One time limit for every request of a command together."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._ends = time.monotonic() + seconds

    def remaining(self) -> float:
        left = self._ends - time.monotonic()
        if left <= 0:
            raise DeadlineError(f"gave up after {self.seconds:g} s")
        return left


class Body:
    """An answer's bytes as a file-like object (for ijson), stopped at the size cap and the deadline."""

    def __init__(self, response: httpx.Response, deadline: Deadline, cap: int):
        self._chunks = response.iter_bytes()  # as they arrive, decoded: the cap counts what a gzip answer unpacks to
        self._deadline, self._cap = deadline, cap
        self._buffer = b""
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = self._next_chunk()
            if chunk is None:
                break
            self.size += len(chunk)
            if self.size > self._cap:
                raise TooLargeError(f"the answer is larger than {self._cap // (1024 * 1024)} MB")
            self._deadline.remaining()
            self._buffer += chunk
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out

    def _next_chunk(self) -> bytes | None:
        try:
            return next(self._chunks, None)
        except httpx.TimeoutException:
            raise DeadlineError(f"gave up after {self._deadline.seconds:g} s") from None
        except (httpx.TransportError, httpx.DecodingError) as error:
            raise ConnectionFailed(f"the answer broke off ({shorten(str(error))})", "other") from None


@dataclass
class Answer:
    status: int
    url: str
    body: Body


class HttpClient:
    """Requests to one origin with one credential, under one deadline."""

    def __init__(
        self, base_url: str, authorization: str, *, seconds: float, insecure: bool = False, cap: int = MAX_ANSWER_BYTES
    ):
        self.origin = Origin.of(base_url)
        self.authorization, self.cap = authorization, cap
        self.deadline = Deadline(seconds)
        # The system's certificate store (and SSL_CERT_FILE), so a trust's own CA works as it does in a browser.
        self._client = httpx.Client(
            verify=ssl.create_default_context(),
            follow_redirects=False,
            trust_env=True,
            headers={"User-Agent": "ccm-scorm"},
        )
        self.insecure = insecure

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    def check_origin(self, url: str, what: str) -> None:
        try:
            origin = Origin.of(url)
        except ValueError:
            origin = None
        if origin != self.origin:
            raise OffOriginError(
                f"{what} points to {where(url)}, not to {self.origin}; it was not followed and "
                f"the credential was not sent there"
            )

    @contextmanager
    def request(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, content: bytes | None = None
    ) -> Iterator[Answer]:
        """The answer to one request, following same-origin redirects only; the body is read by the caller."""
        self.check_origin(url, "the address")
        for _hop in range(MAX_REDIRECTS + 1):
            response = self._send(method, url, headers or {}, content)
            try:
                location = response.headers.get("location") if response.is_redirect else None
                if location is None:
                    yield Answer(response.status_code, url, Body(response, self.deadline, self.cap))
                    return
                try:
                    url = urllib.parse.urljoin(url, location)
                except ValueError:
                    url = location
                self.check_origin(url, f"a redirect ({response.status_code}) from {self.origin}")
            finally:
                response.close()
        raise HttpError(f"{self.origin} redirected more than {MAX_REDIRECTS} times")

    def _send(self, method: str, url: str, headers: dict[str, str], content: bytes | None) -> httpx.Response:
        timeout = httpx.Timeout(self.deadline.remaining())
        if self.authorization:
            headers = {**headers, "Authorization": self.authorization}
        request = self._client.build_request(method, url, headers=headers, content=content, timeout=timeout)
        try:
            return self._client.send(request, stream=True)
        except httpx.TimeoutException:
            raise DeadlineError(f"gave up after {self.deadline.seconds:g} s") from None
        except httpx.ConnectError as error:
            raise _connection_failed(error) from None
        except (httpx.TransportError, httpx.InvalidURL, ValueError) as error:
            raise ConnectionFailed(f"the connection failed ({shorten(str(error))})", "other") from None


def _connection_failed(error: httpx.ConnectError) -> ConnectionFailed:
    text = str(error)
    lowered = text.lower()
    if "refused" in lowered:
        return ConnectionFailed("connection refused", "refused")
    if (
        "name or service not known" in lowered
        or "nodename" in lowered
        or "getaddrinfo" in lowered
        or "name resolution" in lowered
    ):
        return ConnectionFailed("no such host", "dns")
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return ConnectionFailed(f"its TLS certificate could not be verified ({shorten(text)})", "tls")
    return ConnectionFailed(shorten(text), "other")
