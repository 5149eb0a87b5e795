"""Reading a question's answer key from the course JSON in a test, as the runtime opens it (answer-key.js `open`),
and giving an answer to the question on screen by ids."""

from __future__ import annotations

import copy

from ccm_scorm.render.answer_key import unscramble


def opened(question: dict) -> dict:
    """The question with its key in the clear: `correct`, `answers`, `order`, the targets' ids and each pair's
    `target`. A question whose key is only hashed (show_answers: false) comes back as it is."""
    q = copy.deepcopy(question)
    if "key" not in q:
        return q
    key = unscramble(q["iri"], q.pop("key"))
    for target, target_id in zip(q.get("targets", []), key.pop("ids", []), strict=False):
        target["id"] = target_id
    for pair, target_id in zip(q.get("pairs", []), key.pop("to", []), strict=False):
        pair["target"] = target_id
    q.update(key)
    return q


def target_index(question: dict, target_id: str) -> int:
    """The <option> value that chooses a matching target by its id."""
    return [t["id"] for t in opened(question)["targets"]].index(target_id)


def right_response(question: dict) -> list:
    """The right answer to a question (with show_answers), in the ids the answer event reports."""
    q = opened(question)
    kind = q["type"]
    if kind in ("single", "multiple"):
        return list(q["correct"])
    if kind == "true-false":
        return [bool(q["correct"])]
    if kind == "matching":
        return [[p["id"], p["target"]] for p in q["pairs"]]
    if kind == "ordering":
        return list(q["order"])
    return [q["answers"][0]]
