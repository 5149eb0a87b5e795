"""A held-out corpus of broken course sources (tests/fixtures/broken_source): each mistake gives one error,
at the line to change, with the words of its fix, and no knock-on warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.course_source import MODULE, write_course

from ccm_scorm.source import check_course

CORPUS = Path(__file__).parent / "fixtures" / "broken_source"
CASES = sorted(CORPUS.glob("*.case"))


def read_case(path: Path) -> tuple[dict[str, str], str]:
    header, _, body = path.read_text(encoding="utf-8").partition("\n---\n")
    fields = dict(line.split(": ", 1) for line in header.splitlines() if line.strip())
    return fields, body


def test_the_corpus_is_there():
    assert len(CASES) >= 15


@pytest.mark.parametrize("case", CASES, ids=[case.stem for case in CASES])
def test_each_mistake_gives_one_error_at_its_line_with_its_fix(tmp_path, case):
    fields, body = read_case(case)
    _, clean = check_course(write_course(tmp_path / "clean"))
    overrides = {fields["file"]: body}
    if "draw" in fields:  # the module asks this many questions per attempt
        overrides["demo/module.yaml"] = MODULE + f"draw:\n  count: {fields['draw']}\n"
    _, problems = check_course(write_course(tmp_path / "broken", overrides))
    errors = problems.errors
    assert len(errors) == 1, "\n".join(map(str, errors))
    error = errors[0]
    assert f"{error.file}:{error.line}" == fields["expect"], str(error)
    said = f"{error.message} — {error.fix}".lower()
    for words in fields["words"].split(", "):
        assert words.lower() in said, f"'{words}' not in: {error}"
    assert "yaml syntax error" not in said and "<block" not in said, str(error)
    assert len(problems.warnings) <= len(clean.warnings), "\n".join(map(str, problems.warnings))
