"""`ccm new module` and `ccm new pathway`: flag-driven and interactive, valid with placeholder warnings."""

from __future__ import annotations

import json

from click.testing import CliRunner
from support.course_source import write_course

from ccm_scorm.cli import main
from ccm_scorm.source import check_course


def run(*args, input=None):
    return CliRunner().invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def validate(course):
    result = run("validate", course, "--json")
    return result.exit_code, json.loads(result.stdout)


def test_flag_driven_module_validates_with_placeholder_warnings(tmp_path):
    course = write_course(tmp_path)
    result = run(
        "new",
        "module",
        course,
        "--title",
        "Safeguarding basics",
        "--competency",
        "ccm.advocacy",
        "--competency",
        "ccm.person-centred",
        "--yes",
    )
    assert result.exit_code == 0, result.output
    folder = course / "safeguarding-basics"
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.*")) == [
        "module.yaml",
        "pages/01-introduction.md",
        "pages/02-in-practice.md",
        "pages/03-summary.md",
        "quiz.yaml",
    ]
    code, report = validate(course)
    assert code == 0 and report["ok"]
    placeholders = [w for w in report["warnings"] if "still a placeholder" in w["message"]]
    assert len(placeholders) == 3
    assert all(w["file"].endswith("safeguarding-basics/quiz.yaml") for w in placeholders)
    course_model, _ = check_course(course)
    module = course_model.module("safeguarding-basics")
    assert module.title == "Safeguarding basics"
    assert module.competency_ids == ("ccm.advocacy", "ccm.person-centred")
    assert len(module.pages) == 3
    assert all(q.placeholder and q.prompt.startswith("TODO") for q in module.questions)
    # every competency of the module is evidenced by a placeholder, so no other warning appears
    assert {q.competency_id for q in module.questions} == {"ccm.advocacy", "ccm.person-centred"}
    assert not [w for w in report["warnings"] if "safeguarding" in w["file"] and w not in placeholders]


def test_interactive_module(tmp_path):
    course = write_course(tmp_path)
    # title; accept the suggested id; a wrong choice, then numbers from the list; confirm
    result = run("new", "module", course, input="Working with carers\n\n9, x\n3,1\ny\n")
    assert result.exit_code == 0, result.output
    assert "1. ccm.person-centred  Person-centred practice" in result.stderr
    assert "unknown competency '9'" in result.stderr
    model, problems = check_course(course)
    module = model.module("working-with-carers")
    assert module.competency_ids == ("ccm.communication", "ccm.person-centred")
    assert any("placeholder" in w.message for w in problems.warnings)


def test_interactive_module_with_own_id_and_declined(tmp_path):
    course = write_course(tmp_path)
    result = run("new", "module", course, input="Carers\nBad Id\ncarers-2\n1\nn\n")
    assert result.exit_code == 3
    assert "'Bad Id' is not a valid module id" in result.stderr
    assert not (course / "carers-2").exists()


def test_refuses_to_overwrite(tmp_path):
    course = write_course(tmp_path)
    (course / "taken").mkdir()
    before = sorted(course.rglob("*"))
    result = run("new", "module", course, "--id", "taken", "--title", "T", "-c", "1", "--yes")
    assert result.exit_code == 3
    assert "already exists" in result.stderr
    result = run("new", "module", course, "--id", "demo", "--title", "T", "-c", "1", "--yes")
    assert result.exit_code == 3
    assert sorted(course.rglob("*")) == before


def test_bad_use_is_explained(tmp_path):
    course = write_course(tmp_path)
    cases = [
        (["--title", "T", "--yes"], 2, "--competency is needed"),
        (["-c", "1", "--yes"], 2, "--title is needed"),
        (["--title", "T", "-c", "ccm.advocasy", "--yes"], 2, "did you mean 'ccm.advocacy'"),
        (["--title", "T", "--id", "Not Valid", "-c", "1", "--yes"], 2, "not a valid module id"),
    ]
    for args, code, message in cases:
        result = run("new", "module", course, *args)
        assert result.exit_code == code, (args, result.output)
        assert message in result.stderr
        assert "Traceback" not in result.output
    result = run("new", "module", tmp_path / "nowhere", "--title", "T", "-c", "1", "--yes")
    assert result.exit_code == 2 and "no course folder" in result.stderr
    (course / "framework.yaml").write_text("id: [\n")
    result = run("new", "module", course, "--title", "T", "-c", "1", "--yes")
    assert result.exit_code == 1 and "framework" in result.stderr


def test_pathway_flag_driven_and_interactive(tmp_path):
    course = write_course(tmp_path)
    assert run("new", "module", course, "--title", "Second", "-c", "1", "--yes").exit_code == 0
    result = run("new", "pathway", course, "--title", "Carers' route", "--module", "second", "-m", "demo", "--yes")
    assert result.exit_code == 0, result.output
    model, problems = check_course(course)
    assert model.pathway("carers-route").module_ids == ("second", "demo")
    result = run("new", "pathway", course, input="Quick start\nquick\n2\n\n")
    assert result.exit_code == 0, result.output
    model, _ = check_course(course)
    assert model.pathway("quick").module_ids == ("second",)
    again = run("new", "pathway", course, "--id", "quick", "--title", "Q", "-m", "demo", "--yes")
    assert again.exit_code == 3 and "already exists" in again.stderr
