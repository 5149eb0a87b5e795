"""The competency rule, the one the runtime applies (scoring.js `judge`; docs/runtime.md "Verdicts").

A competency is judged in an attempt only when the attempt asked at least `JUDGE_AT` of its
questions, or every question the module's bank has on it when there are fewer. A judged
competency is passed when its score reaches the module's pass mark, else failed. One the bank
has questions on but the attempt did not judge is not assessed: it has no score and is neither
passed nor failed. One no question of the bank is on is completed by finishing the module.
"""

from __future__ import annotations

JUDGE_AT = 2  # two answers tell apart a slip from a gap; the bundled draws give two to most competencies

PASSED, FAILED, NOT_ASSESSED, COMPLETED = "passed", "failed", "not-assessed", "completed"


def is_judged(asked: int, in_bank: int) -> bool:
    """Whether an attempt that asked `asked` of the bank's `in_bank` questions on a competency judges it."""
    return in_bank > 0 and asked >= min(JUDGE_AT, in_bank)


def judge(asked: int, right: int, in_bank: int, pass_mark: float) -> tuple[str, int | None]:
    """(status, score 0-100 or None) of a competency in one attempt, exactly as the runtime reports it."""
    if in_bank <= 0:
        return COMPLETED, None
    if not is_judged(asked, in_bank):
        return NOT_ASSESSED, None
    score = _round_half_up(100 * right / asked)
    return (PASSED if score >= pass_mark else FAILED), score


def _round_half_up(value: float) -> int:
    # JavaScript's Math.round for a score (never negative): halves go up, where round() goes to even
    return int(value + 0.5)
