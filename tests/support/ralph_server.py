"""Start the Ralph LRS for the test suite (runs inside .cache/ralph-venv).

Usage: ralph_server.py --host 127.0.0.1 --port 8100

Configuration comes from RALPH_* environment variables set by the `ralph`
fixture (fs backend, auth file, data directory, scope restriction).

Two defects of ralph-malph 5.1.0's filesystem backend are worked around here,
in the test launcher only:
1. FSDataBackend writes with operation type CREATE, so only the first write
   succeeds; every later POST answers 500 "indexation failed".  We make it
   APPEND, before the API (and its backend client) is imported.
2. FSLRSBackend's verb= and activity= filters compare the stored string with
   an IRI object and never match; we pass str() of the value instead.

CORS: Ralph's own RUNSERVER_CORS_ALLOW_ORIGINS only takes exact origins, but
test pages are served on ephemeral ports.  When that setting is empty, we add
the same CORS middleware Ralph would (same methods, headers, credentials)
with an origin regex allowing any http://127.0.0.1:<port> / localhost origin.
"""

from __future__ import annotations

import argparse
import os

from ralph.backends.data.base import BaseOperationType
from ralph.backends.data.fs import FSDataBackend
from ralph.backends.lrs.fs import FSLRSBackend

# Defect 1: every write must append to the single statements file.
FSDataBackend.default_operation_type = BaseOperationType.APPEND

# Defect 2: compare strings with strings.
_orig_verb_filter = FSLRSBackend._add_filter_by_verb
_orig_activity_filter = FSLRSBackend._add_filter_by_activity


def _verb_filter(filters, verb_id):
    return _orig_verb_filter(filters, str(verb_id) if verb_id else verb_id)


def _activity_filter(filters, object_id, related):
    return _orig_activity_filter(filters, str(object_id) if object_id else object_id, related)


FSLRSBackend._add_filter_by_verb = staticmethod(_verb_filter)
FSLRSBackend._add_filter_by_activity = staticmethod(_activity_filter)

DEFAULT_ORIGIN_REGEX = r"^http://(127\.0\.0\.1|localhost)(:[0-9]+)?$"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--cors-origin-regex",
        default=os.environ.get("CCM_RALPH_CORS_ORIGIN_REGEX", DEFAULT_ORIGIN_REGEX),
    )
    args = parser.parse_args()

    import uvicorn
    from fastapi.middleware.cors import CORSMiddleware
    from ralph.api import app
    from ralph.conf import settings

    if not settings.RUNSERVER_CORS_ALLOW_ORIGINS and args.cors_origin_regex:
        app.add_middleware(
            CORSMiddleware,
            allow_origin_regex=args.cors_origin_regex,
            allow_credentials=True,
            allow_methods=["GET", "POST", "PUT", "DELETE"],
            allow_headers=[
                "Authorization",
                "User-Agent",
                "Keep-Alive",
                "Content-Type",
                "X-Experience-API-Version",
            ],
        )

    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
