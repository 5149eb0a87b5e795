"""`ccm build` makes pathway packages (all by default, --pathway to choose, exit 2 for an
unknown one) and `ccm validate` refuses a pathway whose saved progress cannot fit SCORM 1.2."""

from __future__ import annotations

import json
import zipfile

from click.testing import CliRunner
from support.course_source import MODULE, QUIZ, write_course

from ccm_scorm.cli import main


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_pathways_are_built_by_default(tmp_path):
    course = write_course(tmp_path)
    out = tmp_path / "out"
    assert run("build", course, "--target", "web", "--out", out).exit_code == 0
    report = json.loads((out / "build-report.json").read_text())
    kinds = {(p["kind"], p["id"], p["path"]) for p in report["packages"]}
    assert kinds == {("module", "demo", "web/demo.zip"), ("pathway", "starter", "web/starter.zip")}
    with zipfile.ZipFile(out / "web" / "starter.zip") as archive:
        names = archive.namelist()
        index = archive.read("index.html").decode("utf-8")
    assert "demo/assets/talk.png" in names and "runtime/ccm.js" in names
    assert '"kind":"pathway"' in index and 'src="demo/assets/talk.png"' in index


def test_only_the_pathway_asked_for_and_unknown_is_a_usage_error(tmp_path):
    course = write_course(tmp_path)
    out = tmp_path / "out"
    assert run("build", course, "--target", "web", "--pathway", "starter", "--out", out).exit_code == 0
    assert sorted(p.name for p in (out / "web").iterdir()) == ["starter.zip"]
    run("build", course, "--target", "web", "--module", "demo", "--out", tmp_path / "m")
    assert sorted(p.name for p in (tmp_path / "m" / "web").iterdir()) == ["demo.zip"]
    result = run("build", course, "--target", "web", "--pathway", "nope", "--out", tmp_path / "x")
    assert result.exit_code == 2
    assert "unknown pathway 'nope'" in result.output
    assert not (tmp_path / "x" / "web").exists()


def test_validate_refuses_a_pathway_that_cannot_fit_scorm12(tmp_path):
    # each module fits on its own (three short-text questions of 200 characters: about 1.5k), three do not
    more_texts = "".join(
        f"  - id: q{n}-term\n    type: short-text\n    prompt: Name kind {n}.\n    answers: [open]\n"
        "    max_length: 200\n    feedback: An open question.\n"
        for n in (7, 8)
    )
    files = {
        "demo/quiz.yaml": QUIZ.replace("max_length: 20", "max_length: 200") + more_texts,
        "pathways/starter.yaml": None,
        "pathways/big-one.yaml": "id: big-one\ntitle: Big\ndescription: Too big.\naudience: [Volunteer]\n"
        "modules: [demo, demo2, demo3]\n",
    }
    course = write_course(tmp_path, files)
    for copy in ("demo2", "demo3"):
        for path in (course / "demo").rglob("*"):
            if path.is_file():
                target = course / copy / path.relative_to(course / "demo")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
        (course / copy / "module.yaml").write_text(MODULE.replace("id: demo", f"id: {copy}"), encoding="utf-8")
    result = run("validate", course)
    assert result.exit_code == 1, result.output
    message = " ".join(result.output.split())
    assert "pathways/big-one.yaml:5" in message and "'big-one'" in message
    assert "keep at most 4096" in message
    figure = int(message.split("can reach ")[1].split()[0])
    assert figure > 4096
    assert "error" in message and "demo/quiz.yaml" not in message  # the modules themselves fit
