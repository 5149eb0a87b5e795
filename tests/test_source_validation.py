"""Every validation rule of docs/authoring.md: a broken source gives the exact file, line and message."""

from __future__ import annotations

import os

import pytest
from support.course_source import MODULE, QUIZ, write_course

from ccm_scorm.model import QuestionType
from ccm_scorm.source import SourceError, check_course, load_course


def messages(tmp_path, overrides=None, severity="error"):
    course_dir = write_course(tmp_path, overrides)
    _, problems = check_course(course_dir)
    chosen = problems.errors if severity == "error" else problems.warnings
    return [str(problem) for problem in chosen]


def test_the_test_course_is_valid_and_loads_every_question_type(tmp_path):
    course = load_course(write_course(tmp_path))
    module = course.module("demo")
    assert [page.title for page in module.pages] == ["Welcome", "Speaking up"]
    assert {q.type for q in module.questions} == set(QuestionType)
    assert module.question("q2-advocacy-rights").competency_id == "ccm.advocacy"
    assert module.question("q1-active-listening").competency_id == "ccm.communication"
    assert [o.id for o in module.question("q1-active-listening").options] == ["a", "b"]
    assert course.pathway("starter").module_ids == ("demo",)


def test_yaml_syntax_error_names_line_and_column(tmp_path):
    broken = MODULE.replace("minutes: 10", "minutes: [10")
    assert messages(tmp_path, {"demo/module.yaml": broken}) == [
        "course/demo/module.yaml:8:9: error: YAML syntax error: expected ',' or ']', but got ':' — "
        "check the indentation, quotes and brackets on this line and the one before",
    ]


def test_duplicate_yaml_key(tmp_path):
    broken = MODULE + "title: Again\n"
    found = messages(tmp_path, {"demo/module.yaml": broken})
    assert len(found) == 1, found
    assert found[0].startswith('course/demo/module.yaml:12:1: error: YAML syntax error: found duplicate key "title"')
    assert found[0].endswith("— give each key once")


def test_unknown_key_suggests_the_nearest(tmp_path):
    broken = MODULE.replace("pass_mark: 80", "passmark: 80")
    assert messages(tmp_path, {"demo/module.yaml": broken}) == [
        "course/demo/module.yaml:10: error: unknown key 'passmark' in the module — did you mean 'pass_mark'?",
    ]


def test_unknown_key_in_a_question(tmp_path):
    broken = QUIZ.replace("    prompt: Which question is open?", "    promt: Which question is open?")
    found = messages(tmp_path, {"demo/quiz.yaml": broken})
    assert "course/demo/quiz.yaml:4: error: unknown key 'promt' in a question — did you mean 'prompt'?" in found
    assert "course/demo/quiz.yaml:2: error: a question has no 'prompt' — add 'prompt:'" in found


def test_unknown_competency_in_module_and_question(tmp_path):
    module = MODULE.replace("[ccm.communication, ccm.advocacy]", "[ccm.communication, ccm.advocasy]")
    quiz = QUIZ.replace("competency: ccm.advocacy", "competency: ccm.comunication")
    found = messages(tmp_path, {"demo/module.yaml": module, "demo/quiz.yaml": quiz})
    assert found == [
        "course/demo/module.yaml:5: error: unknown competency 'ccm.advocasy' — did you mean 'ccm.advocacy'?",
        "course/demo/quiz.yaml:15: error: unknown competency 'ccm.comunication' — did you mean 'ccm.communication'?",
    ]


def test_duplicate_competency_id(tmp_path):
    from support.course_source import FRAMEWORK

    broken = FRAMEWORK.replace("      - id: ccm.communication", "      - id: ccm.advocacy")
    found = messages(tmp_path, {"framework.yaml": broken})
    assert (
        "course/framework.yaml:23: error: the id 'ccm.advocacy' is used twice (first on line 16) — "
        "give every domain and competency its own id"
    ) in found


def test_duplicate_module_id(tmp_path):
    found = messages(
        tmp_path,
        {
            "copy/module.yaml": MODULE,
            "copy/pages/01-a.md": "# A\n\nText.\n",
        },
    )
    assert found == [
        "course/demo/module.yaml:1: error: the module id 'demo' is also used by course/copy — "
        "give every module its own id"
    ]


def test_duplicate_question_id(tmp_path):
    broken = QUIZ.replace("id: q2-advocacy-rights", "id: q1-active-listening")
    assert messages(tmp_path, {"demo/quiz.yaml": broken}) == [
        "course/demo/quiz.yaml:13: error: the question id 'q1-active-listening' is used twice (first on line 2) — "
        "give every question in the module its own id",
    ]


def test_duplicate_option_id(tmp_path):
    broken = QUIZ.replace("      - text: Are you well?", "      - id: b\n        text: Are you well?")
    assert messages(tmp_path, {"demo/quiz.yaml": broken}) == [
        "course/demo/quiz.yaml:8: error: the id 'b' is used twice in this question — give each its own letter",
    ]


def test_question_with_no_right_answer(tmp_path):
    broken = QUIZ.replace("        correct: true\n        feedback: It cannot", "        feedback: It cannot")
    assert messages(tmp_path, {"demo/quiz.yaml": broken}) == [
        "course/demo/quiz.yaml:5: error: no option is marked right — add 'correct: true' to the right option",
    ]


def test_right_answer_that_is_not_a_possible_answer(tmp_path):
    broken = QUIZ.replace("    answer: false", "    answer: maybe")
    assert messages(tmp_path, {"demo/quiz.yaml": broken}) == [
        "course/demo/quiz.yaml:17: error: 'answer' must be true or false, not 'maybe' — "
        "write answer: true or answer: false",
    ]


def test_single_choice_with_two_right_answers(tmp_path):
    broken = QUIZ.replace("      - text: Are you well?", "      - text: Are you well?\n        correct: true")
    assert messages(tmp_path, {"demo/quiz.yaml": broken}) == [
        "course/demo/quiz.yaml:5: error: 2 options are marked right in a single-choice question — "
        "mark only one, or make it 'type: multiple'",
    ]


def test_draw_larger_than_the_bank(tmp_path):
    broken = MODULE + "draw:\n  count: 9\n"
    assert messages(tmp_path, {"demo/module.yaml": broken}) == [
        "course/demo/module.yaml:13: error: the draw asks for 9 questions but the quiz has 6 — "
        "lower the count to at most 6 or add questions",
    ]


@pytest.mark.parametrize("mark", ["101", "-5"])
def test_pass_mark_outside_0_to_100(tmp_path, mark):
    broken = MODULE.replace("pass_mark: 80", f"pass_mark: {mark}")
    assert messages(tmp_path, {"demo/module.yaml": broken}) == [
        f"course/demo/module.yaml:10: error: pass_mark {mark} is outside 0–100 — give a percentage such as 80",
    ]


def test_pass_mark_as_text(tmp_path):
    broken = MODULE.replace("pass_mark: 80", "pass_mark: 80%")
    assert messages(tmp_path, {"demo/module.yaml": broken}) == [
        "course/demo/module.yaml:10: error: 'pass_mark' in the module must be a whole number, not text ('80%') — "
        "write a number without quotes or %, e.g. pass_mark: 80",
    ]


def test_image_without_alt_text(tmp_path):
    page = "# Speaking up\n\nSome text.\n\n![](assets/talk.png)\n"
    assert messages(tmp_path, {"demo/pages/02-speaking-up.md": page}) == [
        "course/demo/pages/02-speaking-up.md:5: error: the image 'assets/talk.png' has no alt text — "
        "describe what it shows inside the square brackets: ![what it shows](assets/talk.png)",
    ]


def test_missing_image_file(tmp_path):
    page = "# Speaking up\n\n![A chart](assets/chart.png)\n"
    assert messages(tmp_path, {"demo/pages/02-speaking-up.md": page}) == [
        "course/demo/pages/02-speaking-up.md:3: error: the file 'assets/chart.png' does not exist — "
        "add it to assets/ or correct the name",
    ]


def test_missing_framework(tmp_path):
    assert messages(tmp_path, {"framework.yaml": None}) == [
        "course/framework.yaml: error: the course has no framework.yaml — "
        "add framework.yaml beside the module folders (see docs/authoring.md)",
    ]


def test_module_without_pages(tmp_path):
    found = messages(tmp_path, {"demo/pages/01-welcome.md": None, "demo/pages/02-speaking-up.md": None})
    assert found == [
        "course/demo/module.yaml: error: the module has no pages — "
        "add Markdown pages to course/demo/pages/ (01-intro.md, 02-…)"
    ]


@pytest.mark.parametrize(
    "src, message",
    [
        (
            "../secret.png",
            "'../secret.png' points outside the assets/ folder — copy the file into assets/ and write "
            "assets/<name> (paths with '..' are refused)",
        ),
        (
            "assets/../../secret.png",
            "'assets/../../secret.png' points outside the assets/ folder — copy the file into "
            "assets/ and write assets/<name> (paths with '..' are refused)",
        ),
        (
            "/etc/passwd",
            "'/etc/passwd' is not a path inside the assets/ folder — copy the file into assets/ and write "
            "assets/<name>",
        ),
        (
            "https://example.org/x.png",
            "'https://example.org/x.png' is not a path inside the assets/ folder — copy the "
            "file into assets/ and write assets/<name>",
        ),
    ],
)
def test_asset_paths_that_leave_the_module_are_refused(tmp_path, src, message):
    page = f"# Speaking up\n\n![A picture]({src})\n"
    assert messages(tmp_path, {"demo/pages/02-speaking-up.md": page}) == [
        f"course/demo/pages/02-speaking-up.md:3: error: {message}",
    ]


def test_symlink_pointing_outside_is_refused_and_never_copied(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not for packaging")
    page = "# Speaking up\n\n![A picture](assets/link.png)\n"
    course_dir = write_course(tmp_path, {"demo/pages/02-speaking-up.md": page})
    os.symlink(secret, course_dir / "demo" / "assets" / "link.png")
    course, problems = check_course(course_dir)
    assert course is None
    assert [str(p) for p in problems.errors] == [
        "course/demo/pages/02-speaking-up.md:3: error: 'assets/link.png' is a link to a file outside the assets/ "
        "folder — copy the real file into assets/ instead of linking to it",
    ]


@pytest.mark.parametrize("bad_id", ["ccm communication", "ccm/communication", "x" * 65, "ccmé"])
def test_competency_ids_must_be_scorm_safe(tmp_path, bad_id):
    from support.course_source import FRAMEWORK

    broken = FRAMEWORK.replace("id: ccm.person-centred", f'id: "{bad_id}"')
    found = messages(tmp_path, {"framework.yaml": broken})
    assert found[0] == (
        f"course/framework.yaml:13: error: the competency id '{bad_id}' is not allowed — use letters, "
        "digits and . _ : - only, starting with a letter or digit, at most 64 characters"
    )


def test_module_id_rule(tmp_path):
    broken = MODULE.replace("id: demo", "id: Demo Module")
    found = messages(tmp_path, {"demo/module.yaml": broken})
    assert found[0] == (
        "course/demo/module.yaml:1: error: the module id 'Demo Module' is not allowed — use lower-case "
        "letters, digits and - only, starting with a letter, at most 40 characters"
    )


def test_unclosed_and_unknown_blocks(tmp_path):
    page = "# Speaking up\n\n::: casestudy\nText\n:::\n\n::: note\nNever closed.\n"
    assert messages(tmp_path, {"demo/pages/02-speaking-up.md": page}) == [
        "course/demo/pages/02-speaking-up.md:3: error: unknown block '::: casestudy' — did you mean 'case-study'?",
        "course/demo/pages/02-speaking-up.md:5: error: ':::' closes a block that was never opened — remove this "
        "line, or open the block above with '::: note' (or another block name)",
        "course/demo/pages/02-speaking-up.md:7: error: the 'note' block is never closed — end it with a line holding "
        "only ':::'",
    ]


def test_page_without_title(tmp_path):
    assert messages(tmp_path, {"demo/pages/01-welcome.md": "Just text.\n"}) == [
        "course/demo/pages/01-welcome.md:1: error: the page has no title — start the page with a '# Title' line",
    ]


def test_raw_html_is_shown_as_text_never_run(tmp_path):
    course = load_course(write_course(tmp_path, {"demo/pages/01-welcome.md": "# Hi\n\n<script>alert(1)</script>\n"}))
    html = course.module("demo").pages[0].html
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_non_web_links_are_errors(tmp_path):
    page = "# Hi\n\nSee [the other page](02-speaking-up.md).\n"
    assert messages(tmp_path, {"demo/pages/01-welcome.md": page}) == [
        "course/demo/pages/01-welcome.md:3: error: the link '02-speaking-up.md' is not a web or email address — "
        "links must start with https://, http:// or mailto:",
    ]


def test_version_must_be_quoted(tmp_path):
    broken = MODULE.replace('version: "1.0.0"', "version: 1.0")
    assert messages(tmp_path, {"demo/module.yaml": broken}) == [
        "course/demo/module.yaml:2: error: 'version' must be text in quotes, because YAML would read 1.0 as a "
        'number — write version: "1.0"',
    ]


def test_unknown_pathway_module(tmp_path):
    from support.course_source import PATHWAY

    broken = PATHWAY.replace("modules: [demo]", "modules:\n  - demo\n  - demoo\n")
    assert messages(tmp_path, {"pathways/starter.yaml": broken}) == [
        "course/pathways/starter.yaml:7: error: unknown module 'demoo' in the pathway — did you mean 'demo'?",
    ]


def test_not_utf8(tmp_path):
    course_dir = write_course(tmp_path)
    (course_dir / "demo" / "pages" / "01-welcome.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    _, problems = check_course(course_dir)
    assert [str(p) for p in problems.errors] == [
        "course/demo/pages/01-welcome.md: error: the page is not UTF-8 text (byte 5) — save it as UTF-8 in your editor",
    ]


def test_every_problem_is_reported_in_one_run(tmp_path):
    module = MODULE.replace("pass_mark: 80", "pass_mark: 180").replace("minutes: 10", "minuts: 10")
    quiz = QUIZ.replace("id: q2-advocacy-rights", "id: q1-active-listening")
    found = messages(tmp_path, {"demo/module.yaml": module, "demo/quiz.yaml": quiz})
    assert len(found) == 3


def test_warnings_are_separate_from_errors(tmp_path):
    quiz = QUIZ.replace("competency: ccm.advocacy", "competency: ccm.person-centred")
    course_dir = write_course(tmp_path, {"demo/quiz.yaml": quiz})
    course, problems = check_course(course_dir)
    assert course is not None and not problems.errors
    assert [str(p) for p in problems.warnings] == [
        "course/demo/module.yaml:5: warning: no question in the quiz evidences 'ccm.advocacy' — add a question with "
        "'competency: ccm.advocacy', or remove it from the list",
        "course/demo/quiz.yaml:15: warning: the question 'q2-advocacy-rights' evidences 'ccm.person-centred', which "
        "the module does not list — add it to the module's competencies, unless it is meant as a cross-link",
    ]


def test_load_course_raises_with_all_problems(tmp_path):
    broken = MODULE.replace("pass_mark: 80", "pass_mark: 180")
    with pytest.raises(SourceError) as caught:
        load_course(write_course(tmp_path, {"demo/module.yaml": broken}))
    assert len(caught.value.problems.errors) == 1
