"""`ccm import`: questions from a GIFT, Aiken or CSV bank into a module's quiz.yaml."""

from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_SOURCE, EXIT_WRITE
from . import Failed, Outcome


def import_bank(
    kind: str,
    bank_path: Path,
    source: Path,
    module_id: str,
    competency: str | None = None,
    replace: bool = False,
    encoding: str | None = None,
    dry_run: bool = False,
    strict: bool = False,
) -> Outcome:
    from ..importers import read_bank
    from ..importers.quiz_writer import ImportFailed, import_questions
    from ..importers.text import EncodingError

    outcome = Outcome(
        data={
            "ok": False,
            "file": bank_path.as_posix(),
            "module": module_id,
            "imported": [],
            "not_imported": [],
            "notes": [],
            "errors": [],
            "warnings": [],
        }
    )
    shown = bank_path.as_posix()
    try:
        bank = read_bank(kind, bank_path, encoding)
    except EncodingError as error:
        raise failure(
            outcome,
            EXIT_SOURCE,
            f"{shown}: error: {error} — save it as UTF-8, or name its encoding "
            "with --encoding (e.g. --encoding cp1252)",
        ) from None
    except OSError as error:
        raise failure(outcome, EXIT_SOURCE, f"{shown}: error: cannot read the file ({error.strerror})") from None
    outcome.data["encoding"] = bank.encoding
    outcome.err.append(
        f"read {shown} as {bank.encoding}: {len(bank.questions)} questions, "
        f"{len(bank.unsupported)} not supported, {len(bank.errors)} with errors"
    )
    for item in bank.unsupported:
        outcome.err.append(item.describe(shown))
        outcome.data["not_imported"].append({"line": item.line, "message": item.message, "fix": item.fix})
    try:
        result = import_questions(source, module_id, bank, competency, replace, dry_run, strict)
    except ImportFailed as error:
        outcome.err.extend(error.details)
        outcome.data["errors"] = error.details
        raise failure(outcome, error.exit_code, f"error: {error}") from None
    except OSError as error:
        raise failure(
            outcome, EXIT_WRITE, f"error: cannot write the quiz ({error.strerror}); it was left as it was"
        ) from None
    _list_result(outcome, result, shown)
    verb = "would import" if dry_run else "imported"
    ids = ", ".join(question_id for question_id, _ in result.written)
    replaced = f", replacing its {result.removed} questions" if replace else ""
    outcome.out.append(f"{verb} {len(result.written)} questions into {result.quiz_path}{replaced}: {ids}")
    left_out = len(bank.unsupported) + len(result.skipped)
    if left_out:
        outcome.out.append(
            f"{left_out} item{'s were' if left_out != 1 else ' was'} not imported (listed above "
            "with their lines); --strict makes that an error"
        )
    outcome.data.update(ok=True, quiz=result.quiz_path.as_posix(), dry_run=dry_run)
    return outcome


def _list_result(outcome: Outcome, result, shown: str) -> None:
    """Each item skipped, question written (with its notes) and warning, for stderr and for --json."""
    for item in result.skipped:
        outcome.err.append(item.describe(shown))
        outcome.data["errors"].append(item.describe(shown))
    for question_id, question in result.written:
        outcome.data["imported"].append(
            {
                "id": question_id,
                "line": question.line,
                "type": question.data["type"],
                "competency": question.data["competency"],
            }
        )
        for note in question.notes:
            outcome.err.append(f"{shown}:{question.line}: note: {question_id}: {note}")
            outcome.data["notes"].append({"line": question.line, "id": question_id, "note": note})
    for warning in result.warnings:
        outcome.err.append(str(warning))
        outcome.data["warnings"].append(warning.as_dict())


def failure(outcome: Outcome, code: int, message: str) -> Failed:
    """The command failed with `message`: shown after what was found, and listed among the --json errors."""
    errors = outcome.data.setdefault("errors", [])
    if message not in errors:
        errors.append(message)
    return Failed([message], code, outcome)
