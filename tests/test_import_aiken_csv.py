"""Aiken and CSV import: field by field, encodings, errors with their lines, and the command line."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from support.course_source import write_course

from ccm_scorm.cli import main
from ccm_scorm.importers import read_bank
from ccm_scorm.source import load_course

BANKS = Path(__file__).parent / "fixtures" / "question_banks"


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_aiken_field_by_field():
    bank = read_bank("aiken", BANKS / "bank.aiken.txt")
    assert bank.skipped == []
    first, second, third = bank.questions
    assert first.line == 1
    assert first.data == {
        "type": "single",
        "prompt": "Which question is open?",
        "options": [
            {"text": "Are you well?"},
            {"text": "What matters to you?", "correct": True},
            {"text": "Do you need help?"},
        ],
    }
    assert second.line == 7
    assert second.data["type"] == "multiple"
    assert [o.get("correct", False) for o in second.data["options"]] == [True, True, False]
    assert third.data["prompt"] == "What is an advocate's role? It can run over two lines."
    assert third.data["options"][1] == {"text": "To help the person be heard", "correct": True}


def test_aiken_windows_1252():
    bank = read_bank("aiken", BANKS / "windows-1252.aiken.txt")
    assert bank.encoding == "Windows-1252"
    assert bank.questions[0].data["prompt"] == "Which café is in Zürich?"
    assert bank.questions[0].data["options"][0]["text"] == "Café Sprüngli – the famous one"


def test_aiken_errors_have_lines():
    bank = read_bank("aiken", BANKS / "malformed.aiken.txt")
    assert [(s.line, s.error) for s in bank.skipped] == [(4, True), (6, True)]
    assert "D is not one of the options" in bank.skipped[0].message
    assert "no 'ANSWER:' line" in bank.skipped[1].message
    assert [q.data["prompt"] for q in bank.questions] == ["Fine question?"]


def test_csv_field_by_field():
    bank = read_bank("csv", BANKS / "bank.csv")
    assert bank.skipped == []
    single, multiple, true_false, short, matching, ordering = bank.questions
    assert single.line == 2 and single.question_id == ""
    assert single.data == {
        "type": "single",
        "prompt": "Which question is open?",
        "options": [
            {"text": "Are you well?"},
            {"text": "What matters to you?", "correct": True, "feedback": "It cannot be answered with yes or no."},
            {"text": "Do you need help?"},
        ],
        "feedback": {
            "correct": "Open questions let the person lead.",
            "incorrect": "Look for the question that cannot be answered yes or no.",
        },
    }
    assert multiple.question_id == "q-barriers"
    assert multiple.data["options"][2] == {"text": "Sitting at the same level, calmly", "correct": True}
    assert true_false.competency == "ccm.advocacy"
    assert true_false.data == {
        "type": "true-false",
        "prompt": "An advocate makes decisions for the person.",
        "answer": False,
        "feedback": "An advocate helps the person to be heard.",
    }
    assert short.data["answers"] == ["open", "open-ended"] and short.data["feedback"] == 'An "open" question.'
    assert matching.data["pairs"] == [
        {"prompt": "Money worries", "match": "Benefits advice"},
        {"prompt": "Loneliness", "match": "Befriending"},
    ]
    assert ordering.data["items"] == [{"text": "Ask"}, {"text": "Agree"}, {"text": "Refer"}]


def test_csv_from_excel_with_semicolons_in_windows_1252():
    bank = read_bank("csv", BANKS / "excel-semicolon-1252.csv")
    assert bank.encoding == "Windows-1252"
    [question] = bank.questions
    assert question.data["options"][0] == {"text": "Café Sprüngli – the one", "correct": True}
    assert question.data["feedback"] == "Right – the “famous” one."


def test_csv_errors_have_lines():
    bank = read_bank("csv", BANKS / "malformed.csv")
    assert [s.line for s in bank.skipped] == [2, 3, 4, 7]
    assert all(s.error for s in bank.skipped)


def test_csv_unknown_column_is_named(tmp_path):
    path = tmp_path / "bank.csv"
    path.write_text("prompt,optoin A,answer\nx,y,A\n")
    bank = read_bank("csv", path)
    assert bank.questions == []
    assert "unknown column 'optoin A'" in bank.skipped[0].message and bank.skipped[0].line == 1


def test_cli_csv_import_validates_and_uses_the_given_ids(tmp_path):
    course = write_course(tmp_path)
    result = run("import", "csv", BANKS / "bank.csv", course, "-m", "demo", "--replace")
    assert result.exit_code == 0, result.output
    questions = load_course(course).module("demo").questions
    assert [q.id for q in questions] == [
        "q01-which-question-is-open",
        "q-barriers",
        "q03-an-advocate-makes-decisions-for-the-person",
        "q04-what-kind-of-question-cannot-be-answered-yes",
        "q05-match-each-need-to-a-service",
        "q06-put-the-steps-in-order",
    ]
    assert questions[2].competency_id == "ccm.advocacy"


def test_cli_csv_duplicate_id_is_an_error_with_its_line(tmp_path):
    course = write_course(tmp_path)
    path = tmp_path / "bank.csv"
    path.write_text("id,prompt,A,B,answer\nq1-active-listening,Which?,x,y,A\n")
    result = run("import", "csv", path, course, "-m", "demo")
    assert result.exit_code == 1
    assert "bank.csv:2: error: the question id 'q1-active-listening' is already used" in result.stderr


def test_cli_aiken_import_strict_exits_1_on_errors_and_writes_nothing(tmp_path):
    course = write_course(tmp_path)
    before = (course / "demo" / "quiz.yaml").read_bytes()
    result = run("import", "aiken", BANKS / "malformed.aiken.txt", course, "-m", "demo", "--strict")
    assert result.exit_code == 1
    assert "malformed.aiken.txt:4: error:" in result.stderr
    assert (course / "demo" / "quiz.yaml").read_bytes() == before


def test_import_into_a_module_without_a_quiz_creates_one(tmp_path):
    course = write_course(tmp_path, {"demo/quiz.yaml": None})
    result = run("import", "aiken", BANKS / "bank.aiken.txt", course, "-m", "demo")
    assert result.exit_code == 0, result.output
    assert len(load_course(course).module("demo").questions) == 3
    # Aiken has no feedback: the validator's warnings are passed on
    assert "has no feedback" in result.stderr


def test_a_result_that_would_not_validate_is_rolled_back(tmp_path):
    course = write_course(tmp_path)
    module = course / "demo" / "module.yaml"
    module.write_text(module.read_text() + "draw:\n  count: 6\n")
    before = (course / "demo" / "quiz.yaml").read_bytes()
    result = run("import", "aiken", BANKS / "bank.aiken.txt", course, "-m", "demo", "--replace")
    assert result.exit_code == 1
    assert "would not pass 'ccm validate'" in result.stderr
    assert (course / "demo" / "quiz.yaml").read_bytes() == before
