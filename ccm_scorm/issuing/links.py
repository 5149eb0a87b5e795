"""Personal xAPI launch links, and the check that the credential in them can only write."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.parse
import urllib.request
import uuid

from .roster import Volunteer

CREDENTIAL_VARIABLE = "CCM_LRS_WRITE_AUTH"
XAPI_VERSION = "1.0.3"


class CredentialError(Exception):
    """The credential is missing, malformed or can read the LRS; the message says what to do."""


def basic_auth(credential: str) -> str:
    """`Basic <base64>` from either that form or `user:password`."""
    credential = credential.strip()
    if credential.lower().startswith("basic "):
        return "Basic " + credential[6:].strip()
    if ":" not in credential:
        raise CredentialError(f"{CREDENTIAL_VARIABLE} must be 'username:password' or 'Basic <base64>'")
    return "Basic " + base64.b64encode(credential.encode("utf-8")).decode("ascii")


def normalise_endpoint(endpoint: str) -> str:
    parsed = urllib.parse.urlparse(endpoint)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ValueError(f"the LRS endpoint '{endpoint}' is not a web address — give the xAPI base URL, "
                         "e.g. https://lrs.example.org/xAPI/")
    return endpoint if endpoint.endswith("/") else endpoint + "/"


def actor_for(volunteer: Volunteer, home_page: str) -> dict:
    if volunteer.email:
        return {"objectType": "Agent", "name": volunteer.name, "mbox": f"mailto:{volunteer.email}"}
    return {"objectType": "Agent", "name": volunteer.name, "account": {"homePage": home_page, "name": volunteer.id}}


def new_registration() -> str:
    return str(uuid.uuid4())


def launch_link(launch_url: str, endpoint: str, auth: str, actor: dict, registration: str, activity_id: str) -> str:
    """The launch URL with the parameters an xAPI launcher would append (the Rustici launch convention)."""
    query = urllib.parse.urlencode({
        "endpoint": endpoint,
        "auth": auth,
        "actor": json.dumps(actor, separators=(",", ":"), ensure_ascii=False),
        "registration": registration,
        "activity_id": activity_id,
    }, quote_via=urllib.parse.quote)
    return f"{launch_url}{'&' if '?' in launch_url else '?'}{query}"


def check_write_only(endpoint: str, auth: str, timeout: float = 10.0) -> str:
    """Refuse a credential that can read statements; '' when fine, else a warning that it could not be checked."""
    request = urllib.request.Request(f"{endpoint}statements?limit=1", headers={
        "Authorization": auth, "X-Experience-API-Version": XAPI_VERSION})
    try:
        with urllib.request.urlopen(request, timeout=timeout):
            pass
    except urllib.error.HTTPError as error:
        if error.code in (401, 403):
            return ""
        return f"could not check the credential: the LRS answered {error.code} to a read"
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        return f"could not reach the LRS to check the credential ({reason}); links were made anyway"
    raise CredentialError(
        f"the credential in {CREDENTIAL_VARIABLE} can read statements from the LRS. Every volunteer can see the "
        "credential in their link, so it must only be able to write statements — create a write-only "
        "credential (see docs/volunteer-induction.md) and use that")
