"""The longest compact learner state a module can produce.

Mirrors the encoder in ``runtime/state.js`` (its opening comment documents the format);
change both together; tests/test_runtime_state_size.py compares the two on every bundled
module. SCORM 1.2 keeps the state in ``cmi.suspend_data``, which LMSs such as ESR limit to 4096 characters, so
``ccm validate`` refuses a module whose worst case is longer than that.

Assumption shared with the runtime (scoring.js): the attempt number is capped at 999 (``MAX_ATTEMPT``),
so it never takes more than three digits.
"""

from __future__ import annotations

from math import ceil

from ..model import Course, Module, Pathway, Question, QuestionType
from .draw import longest_draw

SCORM12_SUSPEND_DATA_LIMIT = 4096
STATE_VERSION = "c2"
MAX_ATTEMPT = 999
DEFAULT_MAX_LENGTH = 60
SEED_DIGITS = 3  # a drawing module keeps its attempt's seed, not the draw
BANK_PRINT_DIGITS = 3  # every attempt names the bank it was drawn from
_FIXED_FIELDS = 8  # version, view, seen, attempt, position, submitted, draw, score


def _base36_length(number: int) -> int:
    length = 1
    while number >= 36:
        number //= 36
        length += 1
    return length


def _index_width(count: int) -> int:
    """Width of a fixed-width base36 index into `count` things."""
    return _base36_length(count - 1) if count > 1 else 1


def max_length_of(question: Question) -> int:
    return question.max_length if question.max_length > 0 else DEFAULT_MAX_LENGTH


def match_target_count(question: Question) -> int:
    """The choices a matching question offers each prompt: its distinct matches and its spares.

    The runtime stores the chosen one's index (render/__init__.py writes them as `targets` when
    matches are shared or spare; otherwise they are the pairs' own matches, one each)."""
    return len({pair.match for pair in question.pairs}) + len(question.spares)


def worst_case_text_length(units: int) -> int:
    """A short text in the dense form (the longer of the two only when few units are plain ASCII):
    "!", then 5 base-85 digits for every two UTF-16 units and 3 for a last odd one."""
    return 1 + 5 * (units // 2) + 3 * (units % 2)


def worst_case_answer_length(question: Question) -> int:
    """The longest answer token this question can write into the state."""
    kind = QuestionType(question.type)
    if kind is QuestionType.SINGLE:
        return _base36_length(max(len(question.options) - 1, 0))
    if kind is QuestionType.MULTIPLE:
        return ceil(len(question.options) / 4)
    if kind is QuestionType.TRUE_FALSE:
        return 1
    if kind is QuestionType.MATCHING:
        return len(question.pairs) * _index_width(match_target_count(question))
    if kind is QuestionType.ORDERING:
        return len(question.items) * _index_width(len(question.items))
    return worst_case_text_length(max_length_of(question))


def max_attempt(module: Module) -> int:
    return min(module.attempts, MAX_ATTEMPT) if module.attempts > 0 else MAX_ATTEMPT


def worst_case_state_length(module: Module) -> int:
    """The exact maximum length of the encoded state for this module."""
    pages = len(module.pages)
    bank = len(module.questions)
    has_quiz = bank > 0
    drawn = min(module.questions_per_attempt, bank) if has_quiz else 0

    length = len(STATE_VERSION)
    length += _base36_length(pages + 1 if has_quiz else max(pages - 1, 0))  # view
    length += ceil(pages / 4)  # pages seen
    length += len(str(max_attempt(module))) if has_quiz else 1  # attempt ("0" without a quiz)
    length += _index_width(drawn)  # current question
    length += 1  # submitted
    length += BANK_PRINT_DIGITS if has_quiz else 0  # the draw: the bank's print,
    length += SEED_DIGITS if has_quiz and module.draw else 0  # then its seed (nothing for the whole bank in order)
    length += 3 if has_quiz else 0  # last score, "100" at most
    # the longest draw the balanced draw can make (every competency its minimum: draw.py)
    length += sum(worst_case_answer_length(module.questions[i]) for i in longest_draw(module, worst_case_answer_length))
    length += _FIXED_FIELDS - 1 + drawn  # separators
    return length


def fits_scorm12(module: Module) -> bool:
    return worst_case_state_length(module) <= SCORM12_SUSPEND_DATA_LIMIT


# ------------------------------------------------------------------ pathways
# A pathway package keeps all its modules' progress in one string (format p2, documented
# beside `encodePathway` in runtime/state.js):  p2;V;D;T0;...;Tm-1
PATHWAY_STATE_VERSION = "p2"
MAX_DATE_DIGITS = 4  # the day the pathway was passed, base36 days since 1970: 4 digits until the year 6568


def worst_case_result_length(module: Module) -> int:
    """The longest token of a finished module: "=" score flag, then ",<score|n|x>" per competency."""
    has_quiz = bool(module.questions)
    competencies = len(module.evidenced_competency_ids())
    return 1 + (3 if has_quiz else 0) + 1 + competencies * (1 + (3 if has_quiz else 1))


def worst_case_progress_length(module: Module) -> int:
    """The longest token of a module in progress: its own state without the leading "c2|"."""
    return worst_case_state_length(module) - len(STATE_VERSION) - 1


def worst_case_module_token_length(module: Module) -> int:
    return max(worst_case_progress_length(module), worst_case_result_length(module))


def worst_case_pathway_state_length(course: Course, pathway: Pathway) -> int:
    """The exact maximum length of the encoded state of a pathway package.

    A module is either in progress (its full state: nothing is shortened, no answer lost) or
    finished (a short result). The passing date is set only once every module is finished.
    """
    modules = [course.module(module_id) for module_id in pathway.module_ids]
    count = len(modules)
    length = len(PATHWAY_STATE_VERSION)
    length += _base36_length(max(count - 1, 0))  # the module open
    length += 2 + count  # separators
    any_state = sum(worst_case_module_token_length(module) for module in modules)
    all_passed = sum(worst_case_result_length(module) for module in modules) + MAX_DATE_DIGITS
    return length + max(any_state, all_passed)


def pathway_fits_scorm12(course: Course, pathway: Pathway) -> bool:
    return worst_case_pathway_state_length(course, pathway) <= SCORM12_SUSPEND_DATA_LIMIT
