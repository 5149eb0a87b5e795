"""What `ccm import` and `ccm export` do, as functions returning what to print and the exit status."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..source import SourceError, load_course
from ..source.problems import did_you_mean
from . import read_bank
from .gift_export import export_module
from .quiz_writer import ImportFailed, import_questions
from .text import EncodingError

EXIT_OK, EXIT_SOURCE, EXIT_USAGE, EXIT_WRITE = 0, 1, 2, 3


@dataclass
class Outcome:
    exit_code: int = EXIT_OK
    out: list[str] = field(default_factory=list)  # for stdout
    err: list[str] = field(default_factory=list)  # for stderr
    data: dict = field(default_factory=dict)  # for --json
    text: str | None = None  # the export, when printed rather than written


def run_import(kind: str, bank_path: Path, source: Path, module_id: str, competency: str | None = None,
               replace: bool = False, encoding: str | None = None, dry_run: bool = False,
               strict: bool = False) -> Outcome:
    outcome = Outcome(data={"ok": False, "file": bank_path.as_posix(), "module": module_id, "imported": [],
                            "not_imported": [], "notes": [], "errors": [], "warnings": []})
    shown = bank_path.as_posix()
    try:
        bank = read_bank(kind, bank_path, encoding)
    except EncodingError as error:
        return _fail(outcome, EXIT_SOURCE, f"{shown}: error: {error} — save it as UTF-8, or name its encoding "
                     "with --encoding (e.g. --encoding cp1252)")
    except OSError as error:
        return _fail(outcome, EXIT_SOURCE, f"{shown}: error: cannot read the file ({error.strerror})")
    outcome.data["encoding"] = bank.encoding
    outcome.err.append(f"read {shown} as {bank.encoding}: {len(bank.questions)} questions, "
                       f"{len(bank.unsupported)} not supported, {len(bank.errors)} with errors")
    for item in bank.unsupported:
        outcome.err.append(item.describe(shown))
        outcome.data["not_imported"].append({"line": item.line, "message": item.message, "fix": item.fix})
    try:
        result = import_questions(source, module_id, bank, competency, replace, dry_run, strict)
    except ImportFailed as failure:
        outcome.err.extend(failure.details)
        outcome.data["errors"] = failure.details
        return _fail(outcome, EXIT_USAGE if failure.usage else EXIT_SOURCE, f"error: {failure}")
    except OSError as error:
        return _fail(outcome, EXIT_WRITE, f"error: cannot write the quiz ({error.strerror}); it was left as it was")
    for item in result.skipped:
        outcome.err.append(item.describe(shown))
        outcome.data["errors"].append(item.describe(shown))
    for question_id, question in result.written:
        outcome.data["imported"].append({"id": question_id, "line": question.line, "type": question.data["type"],
                                         "competency": question.data["competency"]})
        for note in question.notes:
            outcome.err.append(f"{shown}:{question.line}: note: {question_id}: {note}")
            outcome.data["notes"].append({"line": question.line, "id": question_id, "note": note})
    for warning in result.warnings:
        outcome.err.append(str(warning))
        outcome.data["warnings"].append(warning.as_dict())
    verb = "would import" if dry_run else "imported"
    ids = ", ".join(question_id for question_id, _ in result.written)
    replaced = f", replacing its {result.removed} questions" if replace else ""
    outcome.out.append(f"{verb} {len(result.written)} questions into {result.quiz_path}{replaced}: {ids}")
    left_out = len(bank.unsupported) + len(result.skipped)
    if left_out:
        outcome.out.append(f"{left_out} item{'s were' if left_out != 1 else ' was'} not imported (listed above "
                           "with their lines); --strict makes that an error")
    outcome.data.update(ok=True, quiz=result.quiz_path.as_posix(), dry_run=dry_run)
    return outcome


def run_export(kind: str, source: Path, module_id: str, out: Path | None) -> Outcome:
    outcome = Outcome(data={"ok": False, "module": module_id, "exported": [], "not_exported": [], "notes": []})
    try:
        course = load_course(source)
    except SourceError as error:
        *problems, closing = error.report(source, "nothing was exported")
        outcome.err.extend(problems)
        return _fail(outcome, EXIT_SOURCE, f"error: {closing}")
    try:
        module = course.module(module_id)
    except KeyError:
        return _fail(outcome, EXIT_USAGE, f"error: there is no module '{module_id}' in {source} — "
                     + did_you_mean(module_id, [m.id for m in course.modules], "module"))
    export = export_module(module)
    for question_id, why in export.not_exported:
        outcome.err.append(f"not exported: {question_id}: {why}")
    for question_id, note in export.notes:
        outcome.err.append(f"note: {question_id}: {note}")
    outcome.data.update(exported=export.exported,
                        not_exported=[{"id": i, "reason": why} for i, why in export.not_exported],
                        notes=[{"id": i, "note": note} for i, note in export.notes])
    if out is None:
        outcome.text = export.text
    else:
        try:
            out.write_text(export.text, encoding="utf-8")
        except OSError as error:
            return _fail(outcome, EXIT_WRITE, f"error: cannot write {out} ({error.strerror})")
        outcome.out.append(f"exported {len(export.exported)} of {len(module.questions)} questions of "
                           f"'{module_id}' to {out}")
        outcome.data["file"] = out.as_posix()
    outcome.data["ok"] = True
    return outcome


def _fail(outcome: Outcome, code: int, message: str) -> Outcome:
    outcome.exit_code = code
    outcome.err.append(message)
    outcome.data.setdefault("errors", [])
    if message not in outcome.data["errors"]:
        outcome.data["errors"].append(message)
    return outcome
