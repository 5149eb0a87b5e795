"""`ccm export`: a module's questions as Moodle GIFT, for Moodle's question bank."""

from __future__ import annotations

from pathlib import Path

from ..errors import EXIT_SOURCE, EXIT_USAGE, EXIT_WRITE
from . import Failed, Outcome, load
from .import_bank import failure


def export_questions(kind: str, source: Path, module_id: str, out: Path | None) -> Outcome:
    from ..importers.gift_export import export_module
    from ..source.problems import did_you_mean

    outcome = Outcome(data={"ok": False, "module": module_id, "exported": [], "not_exported": [], "notes": []})
    try:
        course = load(source, "nothing was exported")
    except Failed as error:
        *problems, closing = error.lines()
        outcome.err.extend(problems)
        raise failure(outcome, EXIT_SOURCE, f"error: {closing}") from None
    try:
        module = course.module(module_id)
    except KeyError:
        raise failure(
            outcome,
            EXIT_USAGE,
            f"error: there is no module '{module_id}' in {source} — "
            + did_you_mean(module_id, [m.id for m in course.modules], "module"),
        ) from None
    export = export_module(module)
    outcome.err.extend(f"not exported: {question_id}: {why}" for question_id, why in export.not_exported)
    outcome.err.extend(f"note: {question_id}: {note}" for question_id, note in export.notes)
    outcome.data.update(
        exported=export.exported,
        not_exported=[{"id": i, "reason": why} for i, why in export.not_exported],
        notes=[{"id": i, "note": note} for i, note in export.notes],
    )
    if out is None:
        outcome.text = export.text
    else:
        try:
            out.write_text(export.text, encoding="utf-8")
        except OSError as error:
            raise failure(outcome, EXIT_WRITE, f"error: cannot write {out} ({error.strerror})") from None
        outcome.out.append(
            f"exported {len(export.exported)} of {len(module.questions)} questions of '{module_id}' to {out}"
        )
        outcome.data["file"] = out.as_posix()
    outcome.data["ok"] = True
    return outcome
