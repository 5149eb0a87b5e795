"""Personal xAPI launch links, and the check that the credential in them can only write."""

from __future__ import annotations

import base64
import json
import secrets
import urllib.parse
import uuid

from ..errors import UsageProblem
from ..http import HttpClient, HttpError, OffOriginError, Origin, address_problem
from .roster import Volunteer

CREDENTIAL_VARIABLE = "CCM_LRS_WRITE_AUTH"
XAPI_VERSION = "1.0.3"


class CredentialError(UsageProblem):
    """The credential is missing, malformed or can read the LRS; the message says what to do."""


def basic_auth(credential: str) -> str:
    """`Basic <base64>` from either that form or `user:password`."""
    credential = credential.strip()
    if credential.lower().startswith("basic "):
        return "Basic " + credential[6:].strip()
    if ":" not in credential:
        raise CredentialError(f"{CREDENTIAL_VARIABLE} must be 'username:password' or 'Basic <base64>'")
    return "Basic " + base64.b64encode(credential.encode("utf-8")).decode("ascii")


def normalise_endpoint(endpoint: str, insecure: bool = False) -> str:
    """The endpoint with a final slash; ValueError for a non-web address or (unless insecure) plain http."""
    problem = address_problem(endpoint, "--lrs", "https://lrs.example.org/xAPI/", insecure)
    if problem:
        raise ValueError(problem)
    return endpoint if endpoint.endswith("/") else endpoint + "/"


def check_launch_url(launch_url: str) -> str:
    """The package's address: https, or http on this computer (for trying it out); ValueError otherwise."""
    try:
        origin = Origin.of(launch_url)
    except ValueError:
        origin = None
    if origin is None or (origin.scheme == "http" and not origin.is_loopback):
        raise ValueError(
            f"--launch-url '{launch_url[:80]}' must be the https:// address of the package's index.html "
            "on your web server (a volunteer's link opens it, and the link holds the LRS credential)"
        )
    return launch_url


def new_code() -> str:
    """A short code for a volunteer's link: 16 random letters and digits (80 bits, never guessed)."""
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii").lower()


def short_link(launch_url: str, code: str) -> str:
    """Where the QR code points: the volunteer's page in the `go/` folder beside the package's index.html."""
    return urllib.parse.urljoin(launch_url, f"go/{code}.html")


def actor_for(volunteer: Volunteer, home_page: str) -> dict:
    if volunteer.email:
        return {"objectType": "Agent", "name": volunteer.name, "mbox": f"mailto:{volunteer.email}"}
    return {"objectType": "Agent", "name": volunteer.name, "account": {"homePage": home_page, "name": volunteer.id}}


def new_registration() -> str:
    return str(uuid.uuid4())


def launch_link(launch_url: str, endpoint: str, auth: str, actor: dict, registration: str, activity_id: str) -> str:
    """The launch URL with the parameters an xAPI launcher would append (the Rustici launch convention)."""
    query = urllib.parse.urlencode(
        {
            "endpoint": endpoint,
            "auth": auth,
            "actor": json.dumps(actor, separators=(",", ":"), ensure_ascii=False),
            "registration": registration,
            "activity_id": activity_id,
        },
        quote_via=urllib.parse.quote,
    )
    return f"{launch_url}{'&' if '?' in launch_url else '?'}{query}"


CHECK_SECONDS = 20.0  # for both requests of the credential check together
# Not a statement: an LRS that knows the credential and lets it write rejects it (400) and stores nothing.
NOT_A_STATEMENT = b'{"ccm-issue": "credential check, not a statement"}'
UNCHECKED_HINT = "(--unchecked makes the links without this check, and says so on every handout)"


def check_write_only(endpoint: str, auth: str, *, insecure: bool = False, seconds: float = CHECK_SECONDS) -> None:
    """Nothing when the LRS shows the credential can write and cannot read; CredentialError otherwise."""
    headers = {"X-Experience-API-Version": XAPI_VERSION, "Content-Type": "application/json"}
    try:
        with HttpClient(endpoint, auth, seconds=seconds, insecure=insecure) as http:
            with http.request("POST", f"{endpoint}statements", headers=headers, content=NOT_A_STATEMENT) as answer:
                _check_write_answer(answer.status, endpoint)
            with http.request("GET", f"{endpoint}statements?limit=1", headers=headers) as answer:
                _check_read_answer(answer.status, endpoint)
    except OffOriginError as error:
        raise CredentialError(f"refused: {error}") from None
    except HttpError as error:
        raise CredentialError(
            f"could not check the credential with the LRS at {endpoint} ({error}): check the "
            f"--lrs address and that the LRS is running {UNCHECKED_HINT}"
        ) from None


def _check_write_answer(status: int, endpoint: str) -> None:
    if status in (400, 422):
        return  # the credential was accepted and the non-statement refused: it may write
    if status == 401:
        raise CredentialError(
            f"the LRS at {endpoint} does not know the credential in {CREDENTIAL_VARIABLE} (401): "
            "check the username and password"
        )
    if status == 403:
        raise CredentialError(
            f"the LRS at {endpoint} does not let the credential in {CREDENTIAL_VARIABLE} write "
            "statements (403): give it the statements/write scope"
        )
    if status == 404:
        raise CredentialError(
            f"there is no xAPI statements resource at {endpoint} (404): check the --lrs address, "
            "which usually ends in /xAPI/ or /data/xAPI/"
        )
    if 200 <= status < 300:
        raise CredentialError(
            f"the LRS at {endpoint} accepted something that is not a statement ({status}), so it "
            f"is not checking what it stores: check the --lrs address {UNCHECKED_HINT}"
        )
    raise CredentialError(
        f"the LRS at {endpoint} answered {status} when asked whether the credential may write: "
        f"check the LRS's health and try again {UNCHECKED_HINT}"
    )


def _check_read_answer(status: int, endpoint: str) -> None:
    if status in (401, 403):
        return
    if status == 200:
        raise CredentialError(
            f"the credential in {CREDENTIAL_VARIABLE} can read statements from the LRS. Every volunteer can see the "
            "credential in their link, so it must only be able to write statements — create a write-only "
            "credential (see docs/volunteer-induction.md) and use that"
        )
    raise CredentialError(
        f"the LRS at {endpoint} answered {status} when asked whether the credential can read: "
        f"check the LRS's health and try again {UNCHECKED_HINT}"
    )
