"""`ccm issue`: a personal launch link and a printable handout for each volunteer of a roster."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import EXIT_SOURCE, EXIT_USAGE
from . import Failed, Outcome, load, log

NOTHING_WRITTEN = "nothing was written"


def issue_pathway(
    roster: Path,
    pathway_id: str,
    endpoint: str,
    launch_url: str,
    out_dir: Path,
    source: Path,
    check_credential: bool,
    insecure: bool,
) -> Outcome:
    from ..issuing import CREDENTIAL_VARIABLE, CredentialError, RosterError, issue

    course = load(source, "nothing was issued")
    try:
        result = issue(
            course,
            roster,
            pathway_id,
            endpoint,
            launch_url,
            os.environ.get(CREDENTIAL_VARIABLE),
            out_dir,
            check_credential=check_credential,
            insecure=insecure,
        )
    except RosterError as error:
        raise Failed([f"error: {message}" for message in error.messages] + [NOTHING_WRITTEN], EXIT_SOURCE) from None
    except (CredentialError, ValueError) as error:
        raise Failed([f"error: {error}; {NOTHING_WRITTEN}"], EXIT_USAGE) from None
    for warning in result.warnings:
        log.warning(warning)
    kept = f" ({len(result.kept)} issued here before kept their links)" if result.kept else ""
    return Outcome(
        out=[
            f"issued {pathway_id} to {len(result.issued)} new volunteers{kept}: put {result.go_folder} "
            f"beside the package's index.html, then print {result.handouts}; the roster with links and "
            f"registrations is {result.roster}"
        ]
    )
