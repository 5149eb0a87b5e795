"""Validate xAPI statements with Ralph's pydantic BaseXapiStatement.

Runs inside .cache/ralph-venv.  Protocol: one JSON document per input line
(a statement object or a list of statements); for each line, one JSON line is
written back: a list of error strings ("[index] loc: message"), empty when
every statement is valid.  Used as a long-lived worker by the test suite.
"""

from __future__ import annotations

import json
import sys

from pydantic import ValidationError
from ralph.models.xapi.base.statements import BaseXapiStatement


def validate(document) -> list[str]:
    statements = document if isinstance(document, list) else [document]
    errors: list[str] = []
    for index, statement in enumerate(statements):
        if not isinstance(statement, dict):
            errors.append(f"[{index}] statement: not a JSON object")
            continue
        try:
            BaseXapiStatement.model_validate(statement)
        except ValidationError as error:
            for item in error.errors():
                loc = ".".join(str(part) for part in item.get("loc", ())) or "statement"
                errors.append(f"[{index}] {loc}: {item.get('msg')}")
        except Exception as error:  # a validator crashing is an error too
            errors.append(f"[{index}] statement: {type(error).__name__}: {error}")
    return errors


def main() -> None:
    for line in sys.stdin:
        if not line.strip():
            continue
        try:
            result = validate(json.loads(line))
        except json.JSONDecodeError as error:
            result = [f"invalid JSON: {error}"]
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
