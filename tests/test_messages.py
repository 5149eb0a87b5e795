"""The learner's strings come from the catalogue of the course's language (docs/languages.md)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ccm_scorm.render import RUNTIME_DIR
from ccm_scorm.source import check_course
from ccm_scorm.source.messages import REFERENCE, SHIPPED, read_messages
from ccm_scorm.source.problems import Problems

ROOT = Path(__file__).resolve().parents[1]
RENDER = ROOT / "ccm_scorm" / "render"
USED_IN_JS = re.compile(r"CCM\.t\(\s*'([\w.]+)'")
USED_IN_TEMPLATES = re.compile(r"\bt\(\s*'([\w.]+)'")
TEMPLATES = [*(RENDER / "templates").glob("*.j2"), *(ROOT / "ccm_scorm" / "issuing" / "templates").glob("*.j2")]


def shipped_keys(language: str) -> set[str]:
    messages = read_messages(language, ROOT / "modules", ROOT / "modules" / "course.yaml", 1, Problems(root=ROOT))
    return {key for key, _ in messages.entries}


def keys_used() -> set[str]:
    used = set()
    for path in (RENDER / RUNTIME_DIR).glob("*.js"):
        used |= set(USED_IN_JS.findall(path.read_text(encoding="utf-8")))
    for path in TEMPLATES:
        used |= set(USED_IN_TEMPLATES.findall(path.read_text(encoding="utf-8")))
    return used


def test_every_key_the_runtime_and_templates_use_is_in_the_english_catalogue():
    used = keys_used()
    assert used, "no CCM.t(...) or t(...) calls were found: the scan is broken"
    assert used - shipped_keys(REFERENCE) == set()


@pytest.mark.parametrize("language", sorted(SHIPPED))
def test_every_shipped_catalogue_is_complete_and_checks_clean(language):
    problems = Problems(root=ROOT)
    messages = read_messages(language, ROOT / "modules", ROOT / "modules" / "course.yaml", 1, problems)
    assert problems.errors == []
    assert {key for key, _ in messages.entries} == shipped_keys(REFERENCE)


def test_no_english_key_is_unused():
    code = "".join(path.read_text(encoding="utf-8") for path in (RENDER / RUNTIME_DIR).glob("*.js"))
    code += "".join(path.read_text(encoding="utf-8") for path in TEMPLATES)
    code += (ROOT / "ccm_scorm" / "targets" / "moodle.py").read_text(encoding="utf-8").replace('"', "'")
    assert {key for key in shipped_keys(REFERENCE) if f"'{key}'" not in code} == set()


def course_in(tmp_path: Path, language: str, messages: str | None = None) -> Path:
    source = tmp_path / "course"
    source.mkdir()
    shutil.copy(ROOT / "modules" / "framework.yaml", source)
    shutil.copytree(ROOT / "modules" / "person-centred-practice", source / "person-centred-practice")
    (source / "course.yaml").write_text(f"title: Test\nlanguage: {language}\n", encoding="utf-8")
    if messages is not None:
        (source / "messages").mkdir()
        (source / "messages" / f"{language}.yaml").write_text(messages, encoding="utf-8")
    return source


def errors_of(source: Path) -> list[str]:
    _, problems = check_course(source)
    return [f"{p.file}:{p.line}: {p.message} ({p.fix})" for p in problems.errors]


def test_a_language_with_no_catalogue_is_an_error_at_its_line(tmp_path):
    errors = errors_of(course_in(tmp_path, "fr"))
    assert len(errors) == 1 and "course.yaml:2: ccm has no learner messages in 'fr'" in errors[0]
    assert "messages/fr.yaml" in errors[0]


def test_a_course_catalogue_must_give_every_string(tmp_path):
    english = dict(read_messages(REFERENCE, ROOT, ROOT / "x", 0, Problems(root=ROOT)).entries)
    lines = [f"{key}: {value!r}" for key, value in english.items() if isinstance(value, str) and key != "page.skip"]
    plural = [key for key, value in english.items() if not isinstance(value, str)]
    lines += [f"{key}:\n  one: 'un {{n}}'\n  other: 'plus {{n}}'" for key in plural]
    errors = errors_of(course_in(tmp_path, "fr", "\n".join(lines) + "\n"))
    assert len(errors) == 1
    assert "messages/fr.yaml:0: the learner message 'page.skip' has no translation" in errors[0]
    assert "Skip to the content" in errors[0]


def test_a_course_catalogue_is_checked_for_unknown_keys_and_placeholders(tmp_path):
    source = course_in(tmp_path, "cy", "page.skipp: Neidio\npage.page_of: Tudalen {rhif}\n")
    errors = errors_of(source)
    assert any("messages/cy.yaml:1: there is no learner message 'page.skipp'" in e and "page.skip" in e for e in errors)
    assert any("messages/cy.yaml:2: the message 'page.page_of' uses {rhif}" in e for e in errors)


def test_a_welsh_course_shows_welsh_and_a_course_file_can_override_one_string(tmp_path):
    source = course_in(tmp_path, "cy", "page.skip: Ewch i'r cynnwys\n")
    run = subprocess.run(
        [sys.executable, "-m", "ccm_scorm.cli", "build", str(source), "-o", str(tmp_path / "out"), "-t", "web", "-q"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(tmp_path / "out" / "web" / "person-centred-practice.zip") as package:
        html = package.read("index.html").decode("utf-8")
    assert "Ewch i&#39;r cynnwys" in html or "Ewch i'r cynnwys" in html
    assert "Skip to the content" not in html and "Cynnwys" in html
    assert '"plural":"cy"' in html
