"""`ccm import` means what Moodle means: Moodle's own GIFT and Aiken readers, run with PHP on the installed
site, read the cases and fixtures of Moodle's own unit tests (from the Moodle tree, never copied here), and
every question Moodle makes of them must come in with the same type, prompt, answers, right answers,
weights (or a note where ccm cannot hold them) and feedback; what Moodle makes and ccm cannot hold must be
listed with its line. `ccm export gift` must write what Moodle's reader and grade list accept.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
from pathlib import Path

import pytest

from ccm_scorm.importers import read_bank
from ccm_scorm.importers.bank import Skipped
from ccm_scorm.importers.gift import parse_gift
from ccm_scorm.importers.gift_export import export_module
from ccm_scorm.model import Module, Option, Pair, Question, QuestionType

SCRIPT = Path(__file__).parent / "support" / "moodle_qformat.php"
GIFT_TESTS = "question/format/gift/tests"
AIKEN_TESTS = "question/format/aiken/tests"
FORMAT_MOODLE, FORMAT_HTML, FORMAT_PLAIN = 0, 1, 2
UNSUPPORTED = {"essay", "numerical", "description"}

pytestmark = pytest.mark.moodle


def _php(moodle, *args) -> object:
    result = subprocess.run(
        [moodle.php, str(SCRIPT), str(moodle.moodle_dir), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(result.stdout)


def moodle_reads(moodle, kind: str, files: list[Path]) -> dict[str, dict]:
    return _php(moodle, "parse", kind, *files)


def public(moodle) -> Path:
    return moodle.moodle_dir / "public"


# ------------------------------------------------------------------------------------------------ meaning
def words(text: str, text_format: int | str = FORMAT_PLAIN) -> list[str]:
    """The words a learner reads, whatever the markup (Moodle keeps HTML; ccm keeps plain text).

    Moodle's own auto-format (0) shows tags as HTML, as its GIFT reader's callers do."""
    text_format = int(text_format)
    if text_format == FORMAT_HTML or (text_format == FORMAT_MOODLE and re.search(r"</?[a-z]+[^>]*>", text)):
        text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return re.findall(r"\w+", text.lower())


def is_in_order(needle: list[str], haystack: list[str]) -> bool:
    """Every word of `needle` in `haystack`, in order (ccm may add a link's address after its text)."""
    remaining = iter(haystack)
    return all(word in remaining for word in needle)


def same_text(moodle_field, ours: str) -> bool:
    text, text_format = (
        (moodle_field["text"], moodle_field["format"]) if isinstance(moodle_field, dict) else (moodle_field, 2)
    )
    return words(text, text_format) == words(ours)


def feedback_of(data: dict) -> tuple[str, str]:
    value = data.get("feedback")
    if value is None:
        return "", ""
    if isinstance(value, str):
        return value, value
    return value.get("correct", ""), value.get("incorrect", "")


def assert_same_meaning(theirs: dict, ours, where: str) -> None:
    kind = theirs["qtype"]
    if kind in UNSUPPORTED:
        assert isinstance(ours, Skipped) and not ours.error, f"{where}: Moodle makes a {kind}; ccm must list it"
        assert ours.line > 0
        return
    assert not isinstance(ours, Skipped), f"{where}: Moodle reads a {kind} question, ccm skipped it: {ours}"
    data, notes = ours.data, " ".join(ours.notes)
    assert is_in_order(words(theirs["questiontext"], theirs["questiontextformat"]), words(data["prompt"])), where
    general = words(theirs.get("generalfeedback", ""), theirs.get("generalfeedbackformat", FORMAT_MOODLE))
    right_feedback, wrong_feedback = feedback_of(data)
    assert is_in_order(general, words(right_feedback)) and is_in_order(general, words(wrong_feedback)), where
    CHECKS[kind](theirs, data, notes, where)


def _multichoice(theirs: dict, data: dict, notes: str, where: str) -> None:
    single = int(theirs["single"]) == 1
    assert data["type"] == ("single" if single else "multiple"), where
    fractions = [float(f) for f in theirs["fraction"]]
    options = data["options"]
    assert len(options) == len(fractions), where
    for answer, feedback, fraction, option in zip(
        theirs["answer"], theirs["feedback"], fractions, options, strict=True
    ):
        assert same_text(answer, option["text"]), where
        assert same_text(feedback, option.get("feedback", "")), where
        assert option.get("correct", False) == (fraction >= 0.9999 if single else fraction > 0), where
        if single and 0 < fraction < 0.9999:
            assert option["text"] in notes and "partial credit" in notes, f"{where}: partial credit not noted"
    positive = {round(f, 5) for f in fractions if f > 0}
    if not single and len(positive) > 1:
        assert "shares" in notes, f"{where}: unequal weights not noted"


def _match(theirs: dict, data: dict, notes: str, where: str) -> None:
    assert data["type"] == "matching", where
    sides = list(zip(theirs["subquestions"], theirs["subanswers"], strict=True))
    pairs = [(sub, answer) for sub, answer in sides if sub["text"]]
    spares = [answer for sub, answer in sides if not sub["text"]]
    assert len(data["pairs"]) == len(pairs), where
    for (sub, answer), pair in zip(pairs, data["pairs"], strict=True):
        assert same_text(sub, pair["prompt"]) and same_text(answer, pair["match"]), where
    assert [words(s) for s in spares] == [words(s) for s in data.get("spares", [])], where


def _truefalse(theirs: dict, data: dict, notes: str, where: str) -> None:
    assert data["type"] == "true-false", where
    truth = int(theirs["correctanswer"]) == 1
    assert data["answer"] is truth, where
    right, wrong = (
        (theirs["feedbacktrue"], theirs["feedbackfalse"])
        if truth
        else (theirs["feedbackfalse"], theirs["feedbacktrue"])
    )
    ours_right, ours_wrong = feedback_of(data)
    assert is_in_order(words(right["text"], right["format"]), words(ours_right)), where
    assert is_in_order(words(wrong["text"], wrong["format"]), words(ours_wrong)), where


def _shortanswer(theirs: dict, data: dict, notes: str, where: str) -> None:
    assert data["type"] == "short-text", where
    fractions = [float(f) for f in theirs["fraction"]]
    accepted = [answer for answer, fraction in zip(theirs["answer"], fractions, strict=True) if fraction >= 0.9999]
    assert data["answers"] == accepted, where
    _, ours_wrong = feedback_of(data)
    for answer, feedback, fraction in zip(theirs["answer"], theirs["feedback"], fractions, strict=True):
        if answer == "*" and fraction == 0:
            assert is_in_order(words(feedback["text"], feedback["format"]), words(ours_wrong)), (
                f"{where}: the catch-all feedback is not the wrong-answer feedback"
            )
        elif 0 < fraction < 0.9999:
            assert answer in notes and "partial credit" in notes, f"{where}: partial credit not noted"


CHECKS = {"multichoice": _multichoice, "match": _match, "truefalse": _truefalse, "shortanswer": _shortanswer}


def imported(items) -> list:
    """What ccm makes of a bank, in order, the ones that are not malformed (Moodle refuses those too)."""
    return [item for item in items if not (isinstance(item, Skipped) and item.error)]


# ------------------------------------------------------------------------------------------------ tests
def test_every_gift_case_of_moodles_unit_test_means_the_same(moodle, tmp_path):
    cases = _php(moodle, "cases", public(moodle) / GIFT_TESTS / "giftformat_test.php")
    assert len(cases) >= 10, "Moodle's GIFT unit test has fewer cases than expected: is the tree complete?"
    files = []
    for number, case in enumerate(cases):
        files.append(tmp_path / f"{number:02d}-{case['test']}.gift")
        files[-1].write_text(case["text"], encoding="utf-8")
    read = moodle_reads(moodle, "gift", files)
    compared = 0
    for path in files:
        theirs = read[str(path)]["questions"]
        ours = imported(parse_gift(path.read_text(encoding="utf-8")))
        assert len(ours) == len(theirs), f"{path.name}: Moodle reads {len(theirs)} questions, ccm {len(ours)}"
        for number, (their_question, our_question) in enumerate(zip(theirs, ours, strict=True)):
            assert_same_meaning(their_question, our_question, f"{path.name} question {number + 1}")
            compared += 1
    assert compared >= 14


@pytest.mark.parametrize(
    "fixture", ["questions.gift.txt", "questions_in_category.gift.txt", "questions_encoding_windows-1252.gift.txt"]
)
def test_moodles_gift_fixtures_mean_the_same(moodle, tmp_path, fixture):
    source = public(moodle) / GIFT_TESTS / "fixtures" / fixture
    utf8 = tmp_path / fixture  # Moodle's reader takes UTF-8 (its upload step converts); so does the comparison
    bank = read_bank("gift", source)
    utf8.write_text(
        source.read_bytes().decode("utf-8" if bank.encoding.startswith("UTF-8") else "cp1252"), encoding="utf-8"
    )
    theirs = [q for q in moodle_reads(moodle, "gift", [utf8])[str(utf8)]["questions"] if q["qtype"] != "category"]
    ours = imported(parse_gift(utf8.read_text(encoding="utf-8")))
    assert len(ours) == len(theirs)
    for number, (their_question, our_question) in enumerate(zip(theirs, ours, strict=True)):
        assert_same_meaning(their_question, our_question, f"{fixture} question {number + 1}")


@pytest.mark.parametrize("fixture", ["questions.aiken.txt", "aiken_errors.txt"])
def test_moodles_aiken_fixtures_mean_the_same(moodle, fixture):
    source = public(moodle) / AIKEN_TESTS / "fixtures" / fixture
    theirs = moodle_reads(moodle, "aiken", [source])[str(source)]["questions"]
    bank = read_bank("aiken", source)
    assert len(bank.questions) == len(theirs), (bank.skipped, [q["questiontext"] for q in theirs])
    for their_question, our_question in zip(theirs, bank.questions, strict=True):
        assert_same_meaning(their_question, our_question, f"{fixture} line {our_question.line}")
    # Each question Moodle refuses is listed by ccm with its line.
    if fixture == "aiken_errors.txt":
        assert [item.line for item in bank.errors] == [1, 5, 14]


def _module(questions: tuple[Question, ...]) -> Module:
    return Module(
        id="m",
        version="1.0.0",
        title="M",
        summary="",
        competency_ids=("c",),
        audience=(),
        minutes=5,
        outcomes=(),
        pass_mark=80,
        attempts=0,
        pages=(),
        questions=questions,
    )


def _many_right(count: int) -> Question:
    options = tuple(Option(id=chr(ord("a") + i), text=f"Right {i}", correct=True) for i in range(count))
    return Question(
        id=f"right-{count}",
        type=QuestionType.MULTIPLE,
        prompt="Which are right?",
        competency_id="c",
        options=options + (Option(id="z", text="Wrong"),),
    )


def test_exported_weights_are_ones_moodle_accepts(moodle, tmp_path):
    grades = _php(moodle, "grades")
    questions = tuple(_many_right(count) for count in (1, 3, 7, 9, 11, 13, 20))
    export = export_module(_module(questions))
    bank = tmp_path / "export.gift"
    bank.write_text(export.text, encoding="utf-8")
    theirs = moodle_reads(moodle, "gift", [bank])[str(bank)]["questions"]
    assert [q["name"] for q in theirs] == [q.id for q in questions]
    for question in theirs:
        fractions = [float(f) for f in question["fraction"]]
        for fraction in fractions:
            assert any(abs(fraction - grade) < 0.0000001 for grade in grades), (question["name"], fraction)
        assert abs(sum(f for f in fractions if f > 0) - 1) < 0.0001, question["name"]


def test_exported_spares_shared_answers_wildcards_ids_and_tags_come_back_from_moodle(moodle, tmp_path):
    matching = Question(
        id="match-shared",
        type=QuestionType.MATCHING,
        prompt="Match them.",
        competency_id="c",
        pairs=(Pair("a", "Cat", "Mammal"), Pair("b", "Dog", "Mammal"), Pair("c", "Frog", "Amphibian")),
        spares=("Bird",),
        idnumber="bank-7",
        tags=("animals", "year 1"),
    )
    short = Question(
        id="wild",
        type=QuestionType.SHORT_TEXT,
        prompt="Who helps?",
        competency_id="c",
        answers=("*navigat*",),
        max_length=60,
    )
    bank = tmp_path / "export.gift"
    bank.write_text(export_module(_module((matching, short))).text, encoding="utf-8")
    their_match, their_short = moodle_reads(moodle, "gift", [bank])[str(bank)]["questions"]
    assert their_match["subanswers"] == ["Mammal", "Mammal", "Amphibian", "Bird"]
    assert [sub["text"] for sub in their_match["subquestions"]] == ["Cat", "Dog", "Frog", ""]
    assert their_match["idnumber"] == "bank-7" and their_match["tags"] == ["animals", "year 1"]
    assert their_short["answer"] == ["*navigat*"]
    ours = [item.data for item in parse_gift(bank.read_text(encoding="utf-8"))]
    assert ours[0]["pairs"][1] == {"prompt": "Dog", "match": "Mammal"} and ours[0]["spares"] == ["Bird"]
    assert ours[0]["idnumber"] == "bank-7" and ours[0]["tags"] == ["animals", "year 1"]
    assert ours[1]["answers"] == ["*navigat*"]
