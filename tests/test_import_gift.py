"""GIFT import and export: every construct, encodings, unsupported items with their lines, round trips."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from support.course_source import write_course

from ccm_scorm.cli import main
from ccm_scorm.importers import read_bank
from ccm_scorm.importers.gift_export import export_module
from ccm_scorm.source import load_course

BANKS = Path(__file__).parent / "fixtures" / "question_banks"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


@pytest.fixture()
def course(tmp_path) -> Path:
    return write_course(tmp_path)


def by_title(bank):
    return {q.title or q.data["prompt"][:20]: q for q in bank.questions}


def test_every_supported_construct_field_by_field():
    bank = read_bank("gift", BANKS / "everything.gift")
    assert bank.encoding == "UTF-8"
    assert bank.skipped == []
    questions = by_title(bank)
    assert len(bank.questions) == 12

    single = questions["Open question"]
    assert single.line == 6
    assert single.category == "Communication/Listening"
    assert single.data == {
        "type": "single",
        "prompt": "Which question is most likely to help Mrs Ahmed say what matters to her?",
        "options": [
            {"text": "Are you managing at home?", "feedback": "A yes/no question invites a yes/no answer."},
            {
                "text": "What does a good day look like for you?",
                "correct": True,
                "feedback": "It cannot be answered with yes or no.",
            },
            {"text": "Do you need a carer?"},
        ],
        "feedback": "Open questions let the person lead.",
    }
    assert questions["barriers"].data == {
        "type": "multiple",
        "prompt": "What gets in the way of good communication?",
        "options": [
            {"text": "Background noise", "correct": True, "feedback": "Yes, noise makes it hard to follow."},
            {"text": "Using jargon", "correct": True},
            {"text": "Sitting at the same level", "feedback": "No, that helps."},
        ],
    }
    assert questions["Summarising"].data == {
        "type": "true-false",
        "prompt": "Summarising back what you heard helps check you understood.",
        "answer": True,
        "feedback": {
            "correct": "Right: it lets the person correct you.",
            "incorrect": "Think again: it shows what you heard.",
        },
    }
    untitled = questions["Advocates make decis"]
    assert untitled.title == "" and untitled.line == 22
    assert untitled.data == {
        "type": "true-false",
        "prompt": "Advocates make decisions for the person.",
        "answer": False,
        "feedback": "An advocate helps the person to be heard.",
    }
    term = questions["Term"]
    assert term.data["type"] == "short-text"
    assert term.data["answers"] == ["open", "open-ended"]
    assert term.data["feedback"] == {
        "correct": "Also fine. Open questions invite a fuller answer.",
        "incorrect": "Open questions invite a fuller answer.",
    }
    assert term.notes  # per-answer feedback joined: said, not silent
    assert questions["Services"].data == {
        "type": "matching",
        "prompt": "Match each need to the service most likely to help.",
        "pairs": [
            {"prompt": "Worried about money", "match": "Benefits advice"},
            {"prompt": "Lonely since moving", "match": "Befriending scheme"},
            {"prompt": "Struggling with the stairs", "match": "Occupational therapy"},
        ],
        "feedback": "Each need has a service that helps.",
    }
    escapes = questions["Escapes: all of them"]
    assert escapes.category == "Communication/Escaping"
    assert escapes.data["prompt"] == "Which is written 50% = half, with {braces} and a #hash ~tilde?"
    assert escapes.data["options"] == [
        {"text": "a = b", "correct": True, "feedback": "Yes: equals."},
        {"text": "c ~ d"},
        {"text": "back\\slash"},
    ]
    assert questions["Lines"].data["prompt"] == ("First line\nsecond line, continued on the next line of the file.")
    missing_word = questions["Grant is _____ in Gr"]
    assert missing_word.data["prompt"] == "Grant is _____ in Grant's tomb."
    assert [o.get("correct", False) for o in missing_word.data["options"]] == [False, True, False]
    assert questions["HTML"].data["prompt"] == "Which of these is person-centred & respectful?\n\nChoose one."
    assert questions["HTML"].data["options"][0]["text"] == "Asking what matters to the person"
    markdown = questions["Markdown"]
    assert markdown.data["prompt"] == "Which is best practice?\n\n- listen\n- then act"
    assert markdown.data["options"][0]["feedback"] == "Right: listening comes first."
    assert questions["Plain"].data["prompt"] == "Is <b> shown as typed here?"


@pytest.mark.parametrize(
    "name, encoding",
    [("windows-1252.gift", "Windows-1252"), ("utf8-bom.gift", "UTF-8 (with BOM)"), ("utf16.gift", "UTF-16")],
)
def test_encodings(name, encoding):
    bank = read_bank("gift", BANKS / name)
    assert bank.encoding == encoding
    [question] = bank.questions
    assert question.title == "Café"
    assert question.data["prompt"] == "Mrs O’Neill’s café charges £5 – is that “fair”?"
    assert question.data["options"][0] == {"text": "Yes – it’s fair", "correct": True, "feedback": "Right… it’s fair."}


def test_unsupported_items_are_listed_with_their_lines():
    bank = read_bank("gift", BANKS / "unsupported.gift")
    assert [q.title for q in bank.questions] == ["Works"]
    assert [(s.line, s.error) for s in bank.skipped] == [(3, False), (5, False), (7, False), (9, False)]
    messages = [s.message for s in bank.skipped]
    assert "numeric" in messages[0] and "essay" in messages[1] and "description" in messages[2]
    assert "fully right" in messages[3]


def test_malformed_items_are_errors_with_their_lines():
    bank = read_bank("gift", BANKS / "malformed.gift")
    assert [(s.line, s.error) for s in bank.skipped] == [(1, True), (3, True), (5, True)]
    assert "not closed" in bank.skipped[0].message
    assert "no answer is marked right" in bank.skipped[1].message
    assert "->" in bank.skipped[2].message


def test_cli_import_appends_ids_competency_and_keeps_existing_comments(course):
    quiz = course / "demo" / "quiz.yaml"
    original = "# The demo quiz: keep this comment.\n" + quiz.read_text()
    quiz.write_text(original)
    result = run("import", "gift", BANKS / "everything.gift", course, "--module", "demo")
    assert result.exit_code == 0, result.output
    text = quiz.read_text()
    assert text.startswith(original.rstrip("\n"))  # existing content untouched, comments kept
    assert "# from everything.gift line 6 (category Communication/Listening)" in text
    module = load_course(course).module("demo")
    ids = [q.id for q in module.questions]
    assert ids[:6] == ["q1-active-listening", "q2-advocacy-rights", "q3-barriers", "q4-services", "q5-steps", "q6-term"]
    # names are slugified unless already valid ids; unnamed questions get q<NN>-<slug of prompt>
    assert ids[6:] == [
        "open-question",
        "barriers",
        "Summarising",
        "q10-advocates-make-decisions-for-the-person",
        "Term",
        "Services",
        "escapes-all-of-them",
        "Lines",
        "q15-grant-is-in-grant-s-tomb",
        "HTML",
        "Markdown",
        "Plain",
    ]
    assert {q.competency_id for q in module.questions[6:]} == {"ccm.communication"}
    assert "imported 12 questions" in result.stdout


def test_cli_import_competency_option_and_replace(course):
    result = run(
        "import", "gift", BANKS / "everything.gift", course, "-m", "demo", "--competency", "ccm.advocacy", "--replace"
    )
    assert result.exit_code == 0, result.output
    module = load_course(course).module("demo")
    assert len(module.questions) == 12
    assert {q.competency_id for q in module.questions} == {"ccm.advocacy"}


def test_cli_import_twice_keeps_ids_unique(course):
    for _ in range(2):
        assert run("import", "gift", BANKS / "everything.gift", course, "-m", "demo").exit_code == 0
    ids = [q.id for q in load_course(course).module("demo").questions]
    assert len(ids) == len(set(ids)) == 30
    assert "open-question-2" in ids


def test_cli_import_lists_unsupported_and_still_imports(course):
    result = run("import", "gift", BANKS / "unsupported.gift", course, "-m", "demo")
    assert result.exit_code == 0
    for line in (3, 5, 7, 9):
        assert f"unsupported.gift:{line}: not imported:" in result.stderr
    assert "Works" in [q.id for q in load_course(course).module("demo").questions]


def test_cli_import_skips_malformed_items_with_their_lines_and_imports_the_rest(course):
    result = run("import", "gift", BANKS / "malformed.gift", course, "-m", "demo")
    assert result.exit_code == 0, result.output
    for line in (1, 3, 5):
        assert f"malformed.gift:{line}: error:" in result.stderr
    assert "Traceback" not in result.output
    assert "3 items were not imported" in result.stdout
    assert "Fine" in [q.id for q in load_course(course).module("demo").questions]


def test_cli_import_strict_writes_nothing_when_any_item_is_skipped(course):
    quiz = course / "demo" / "quiz.yaml"
    before = quiz.read_bytes()
    result = run("import", "gift", BANKS / "malformed.gift", course, "-m", "demo", "--strict")
    assert result.exit_code == 1
    assert "malformed.gift:1: error:" in result.stderr and "--strict" in result.stderr
    assert quiz.read_bytes() == before


def test_cli_import_json_and_dry_run(course):
    quiz = course / "demo" / "quiz.yaml"
    before = quiz.read_bytes()
    result = run("import", "gift", BANKS / "unsupported.gift", course, "-m", "demo", "--dry-run", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["ok"] and data["dry_run"] and data["encoding"] == "UTF-8"
    assert [item["id"] for item in data["imported"]] == ["Works"]
    assert [item["line"] for item in data["not_imported"]] == [3, 5, 7, 9]
    assert quiz.read_bytes() == before


@pytest.mark.parametrize(
    "args, code, message",
    [
        (["-m", "nope"], 2, "no module 'nope'"),
        (["-m", "demo", "--competency", "ccm.nope"], 2, "unknown competency 'ccm.nope'"),
        (["-m", "demo", "--encoding", "klingon"], 1, "unknown encoding"),
        (["-m", "demo", "--encoding", "utf-8"], 1, "is not utf-8 text"),
    ],
)
def test_cli_import_bad_use(course, args, code, message):
    result = run("import", "gift", BANKS / "windows-1252.gift", course, *args)
    assert result.exit_code == code, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output


def test_cli_import_missing_file_and_broken_course(course, tmp_path):
    assert run("import", "gift", tmp_path / "none.gift", course, "-m", "demo").exit_code == 2
    (course / "demo" / "module.yaml").write_text("id: demo\n")
    quiz = course / "demo" / "quiz.yaml"
    before = quiz.read_bytes()
    result = run("import", "gift", BANKS / "everything.gift", course, "-m", "demo")
    assert result.exit_code == 1
    assert "module.yaml" in result.stderr and "the module lists no competencies" in result.stderr
    assert quiz.read_bytes() == before
    (course / "framework.yaml").write_text("id: [\n")
    result = run("import", "gift", BANKS / "everything.gift", course, "-m", "demo")
    assert result.exit_code == 1
    assert "framework.yaml" in result.stderr and "has errors" in result.stderr


def test_unknown_competency_in_a_ccm_comment_is_an_error_with_its_line(course, tmp_path):
    bank = tmp_path / "bank.gift"
    bank.write_text("// ccm competency: ccm.nowhere\n::x:: Is it? {T}\n")
    result = run("import", "gift", bank, course, "-m", "demo")
    assert result.exit_code == 1
    assert "bank.gift:2: error: unknown competency 'ccm.nowhere'" in result.stderr


def _questions(course, module="demo"):
    return load_course(course).module(module).questions


def test_round_trip_gift_quiz_gift_quiz_is_lossless(tmp_path):
    first = write_course(tmp_path / "one")
    second = write_course(tmp_path / "two")
    assert run("import", "gift", BANKS / "everything.gift", first, "-m", "demo", "--replace").exit_code == 0
    gift_one = tmp_path / "one.gift"
    result = run("export", "gift", first, "-m", "demo", "-o", gift_one)
    assert result.exit_code == 0, result.output
    assert run("import", "gift", gift_one, second, "-m", "demo", "--replace").exit_code == 0
    assert _questions(second) == _questions(first)
    gift_two = tmp_path / "two.gift"
    assert run("export", "gift", second, "-m", "demo", "-o", gift_two).exit_code == 0
    assert gift_two.read_text() == gift_one.read_text()


def test_round_trip_quiz_gift_quiz_keeps_competency_feedback_and_settings(course, tmp_path):
    original = _questions(course)
    exported = export_module(load_course(course).module("demo"))
    assert exported.not_exported == [("q5-steps", "ordering questions have no GIFT form")]
    assert "// ccm competency: ccm.advocacy" in exported.text
    bank = tmp_path / "demo.gift"
    bank.write_text(exported.text)
    other = write_course(tmp_path / "other")
    assert run("import", "gift", bank, other, "-m", "demo", "--replace").exit_code == 0
    assert _questions(other) == tuple(q for q in original if q.type.value != "ordering")


def test_cli_export_prints_and_lists_what_is_not_exported(course):
    result = run("export", "gift", course, "-m", "demo")
    assert result.exit_code == 0
    assert result.stdout.count("::q") == 5
    assert "not exported: q5-steps: ordering questions have no GIFT form" in result.stderr
    assert "{\n\t~%50%Noise\n\t~%50%Jargon\n\t~%-100%Sitting at the same level\n\t####" in result.stdout


def test_cli_export_bad_input(course, tmp_path):
    assert run("export", "gift", course, "-m", "nope").exit_code == 2
    assert run("export", "gift", tmp_path / "nowhere", "-m", "demo").exit_code == 1
    result = run("export", "gift", course, "-m", "demo", "-o", tmp_path / "missing" / "x.gift")
    assert result.exit_code == 3 and "cannot write" in result.stderr
