"""Writing imported questions into a module's quiz.yaml.

Questions get ids and a competency, and are appended to the quiz (or replace its
questions). The file is rewritten with ruamel.yaml's round-trip mode, so what was there
keeps its comments and layout. The course is checked again afterwards; if the quiz no
longer passes, the old file is put back and the problems are reported.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..errors import EXIT_USAGE, SourceProblem
from ..model import Module
from ..source import check_course
from ..source.framework import read_framework
from ..source.ids import RULES
from ..source.module import read_module
from ..source.problems import Problem, Problems, did_you_mean
from ..source.yamlfile import load_yaml
from .bank import Bank, ImportedQuestion, Skipped

QUIZ_NAME = "quiz.yaml"
_QUESTION_ID = RULES["question"][0]
_KEY_ORDER = (
    "id",
    "idnumber",
    "type",
    "competency",
    "tags",
    "prompt",
    "text",
    "correct",
    "incorrect",
    "match",
    "options",
    "answer",
    "pairs",
    "spares",
    "items",
    "answers",
    "case_sensitive",
    "max_length",
    "feedback",
)


class ImportFailed(SourceProblem):
    """Nothing was written. `usage` is true when the command was used wrongly (exit 2), not the files (exit 1)."""

    def __init__(self, message: str, details: list[str] | None = None, usage: bool = False):
        super().__init__(message, EXIT_USAGE if usage else None)
        self.details = details or []
        self.usage = usage


@dataclass
class ImportResult:
    quiz_path: Path
    written: list[tuple[str, ImportedQuestion]] = field(default_factory=list)  # (id, question)
    removed: int = 0  # questions replaced
    warnings: list[Problem] = field(default_factory=list)  # from checking the course afterwards, for this quiz
    skipped: list[Skipped] = field(default_factory=list)  # malformed items and questions that could not be placed


def slug(text: str, limit: int) -> str:
    words = re.sub(r"[^a-z0-9]+", " ", text.lower()).split()
    out = ""
    for word in words:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > limit:
            break
        out = candidate
    return out or (words[0][:limit] if words else "")


def question_id(question: ImportedQuestion, number: int, taken: set[str]) -> str:
    """The GIFT name (as it is when it is already a valid id, else slugified), else q<NN>-<slug of prompt>."""
    if question.title and _QUESTION_ID.match(question.title):
        base = question.title
    elif question.title and slug(question.title, 48):
        base = slug(question.title, 48)
        if not base[0].isalnum():
            base = "q-" + base
    else:
        prefix = f"q{number:02d}"
        rest = slug(question.data.get("prompt", ""), 48 - len(prefix) - 1)
        base = f"{prefix}-{rest}" if rest else prefix
    candidate, counter = base, 2
    while candidate in taken:
        suffix = f"-{counter}"
        candidate = base[: 48 - len(suffix)] + suffix
        counter += 1
    taken.add(candidate)
    return candidate


def find_module(source: Path, module_id: str) -> tuple[frozenset[str], Module, Path]:
    """The framework's competency ids, the module and its folder.

    Errors in the module itself (say, a draw larger than its quiz) do not stop an import: the
    course is judged as it will be afterwards. Errors anywhere else do."""
    course, problems = check_course(source)
    if course is not None:
        try:
            module = course.module(module_id)
        except KeyError:
            raise ImportFailed(
                f"there is no module '{module_id}' in {source}",
                [did_you_mean(module_id, [m.id for m in course.modules], "module")],
                usage=True,
            ) from None
        known = frozenset(c.id for c in course.framework.competencies)
        return known, module, Path(source).resolve().parent / module.source_dir
    root = Path(source)
    folder = _module_folder(root, module_id)
    inside = problems.course_path(folder) + "/" if folder else None
    elsewhere = [problem for problem in problems.errors if not inside or not problem.file.startswith(inside)]
    # A course that does not load has errors, so with no module folder found they are all elsewhere.
    if elsewhere or folder is None:
        raise ImportFailed(
            f"the course in {source} has errors; fix them first (run 'ccm validate {source}')",
            [str(problem) for problem in elsewhere],
        )
    scratch = Problems(root=root.resolve())
    framework = read_framework(root / "framework.yaml", scratch)
    known = frozenset(c.id for c in framework.competencies) if framework else frozenset()
    unchecked = read_module(folder, scratch, known)
    if unchecked is None:
        raise ImportFailed(
            f"the module '{module_id}' cannot be read; fix it first (run 'ccm validate {source}')",
            [str(problem) for problem in problems.errors],
        )
    return known, unchecked, folder


def _module_folder(root: Path, module_id: str) -> Path | None:
    """The folder of the module with this id, read from the module.yaml files without checking them."""
    if not root.is_dir():
        return None
    for module_file in sorted(root.glob("*/module.yaml")):
        scratch = Problems(root=root.resolve())
        data = load_yaml(module_file, scratch)
        if isinstance(data, dict) and data.get("id") == module_id:
            return module_file.parent
    return None


def import_questions(
    source: Path,
    module_id: str,
    bank: Bank,
    competency: str | None = None,
    replace: bool = False,
    dry_run: bool = False,
    strict: bool = False,
) -> ImportResult:
    """Import what can be imported; every item that cannot is in `result.skipped` (with `strict`, nothing is)."""
    known, module, folder = find_module(source, module_id)
    if competency and competency not in known:
        raise ImportFailed(
            f"unknown competency '{competency}'", [did_you_mean(competency, known, "competency")], usage=True
        )
    result = ImportResult(quiz_path=folder / QUIZ_NAME, removed=len(module.questions) if replace else 0)
    result.skipped = list(bank.errors)
    _give_ids(result, module, bank, competency, known, replace)
    shown = bank.path.as_posix()
    if strict and (result.skipped or bank.unsupported):
        count = len(result.skipped) + len(bank.unsupported)
        raise ImportFailed(
            f"{count} item{'s' if count != 1 else ''} of {bank.path} cannot be imported and "
            "--strict was given; nothing was imported",
            [item.describe(shown) for item in result.skipped],
        )
    if not result.written:
        raise ImportFailed(
            f"{bank.path} holds no question that can be imported; nothing was written",
            [item.describe(shown) for item in result.skipped],
        )
    _write(result, bank, replace, source, dry_run)
    return result


def _give_ids(
    result: ImportResult, module: Module, bank: Bank, competency: str | None, known: frozenset[str], replace: bool
) -> None:
    """Give each question its id and competency; a question whose own id or competency is wrong is skipped."""
    taken = set() if replace else {question.id for question in module.questions}
    start = 0 if replace else len(module.questions)
    for number, question in enumerate(bank.questions, start=start + 1):
        chosen = competency or question.competency or next(iter(module.competency_ids), "")
        problem = _question_problem(question, chosen, known, taken)
        if problem:
            result.skipped.append(Skipped(question.line, *problem, error=True))
            continue
        if question.question_id:
            taken.add(question.question_id)
        new_id = question.question_id or question_id(question, number, taken)
        question.data = {"id": new_id, "competency": chosen, **question.data}
        result.written.append((new_id, question))
    result.skipped.sort(key=lambda item: item.line)


def _question_problem(
    question: ImportedQuestion, chosen: str, known: frozenset[str], taken: set[str]
) -> tuple[str, str] | None:
    if not chosen:
        return (
            "the module lists no competencies, so the question has none",
            "list the module's competencies in its module.yaml, or give --competency",
        )
    if chosen not in known:
        return f"unknown competency '{chosen}'", did_you_mean(chosen, known, "competency")
    if question.question_id and not _QUESTION_ID.match(question.question_id):
        return f"the question id '{question.question_id}' is not allowed", f"use {RULES['question'][1]}"
    if question.question_id in taken:
        return (
            f"the question id '{question.question_id}' is already used in the module",
            "choose another id, or leave the id empty",
        )
    return None


def _copy_without_reading_pipes(source: str, destination: str) -> None:
    """Ordinary files are copied; a pipe or device becomes a link to it, so the check reports it as in the
    real course without anything reading it (reading a pipe would wait for ever)."""
    if os.path.isfile(source):
        shutil.copy2(source, destination)
    else:
        os.symlink(os.path.abspath(source), destination)


def _yaml() -> YAML:
    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096
    yaml.preserve_quotes = True
    return yaml


def _to_yaml(value):
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key in sorted(value, key=lambda k: _KEY_ORDER.index(k) if k in _KEY_ORDER else len(_KEY_ORDER)):
            mapping[key] = _to_yaml(value[key])
        return mapping
    if isinstance(value, list):
        sequence = CommentedSeq(_to_yaml(item) for item in value)
        if all(isinstance(item, str) for item in value):
            sequence.fa.set_flow_style()
        return sequence
    return value


def _write(result: ImportResult, bank: Bank, replace: bool, source: Path, dry_run: bool) -> None:
    """Write the quiz and check the course as it now is; put the old quiz back if it does not pass.

    A dry run does the same in a copy of the course, so it reports exactly what a real run would."""
    if dry_run:
        with tempfile.TemporaryDirectory(prefix="ccm-import-") as scratch:
            copy = Path(scratch) / Path(source).resolve().name
            shutil.copytree(source, copy, symlinks=True, copy_function=_copy_without_reading_pipes)
            real_quiz = result.quiz_path
            result.quiz_path = copy / real_quiz.resolve().relative_to(Path(source).resolve())
            try:
                _write(result, bank, replace, copy, dry_run=False)
            finally:
                result.quiz_path = real_quiz
        return
    path = result.quiz_path
    yaml = _yaml()
    original = path.read_text(encoding="utf-8") if path.exists() else None
    document = yaml.load(original) if original else None
    if not isinstance(document, CommentedMap):
        document = CommentedMap()
    questions = document.get("questions")
    if replace or not isinstance(questions, CommentedSeq):
        questions = CommentedSeq()
        document["questions"] = questions
    questions.fa.set_block_style()
    for _, question in result.written:
        questions.append(_to_yaml(question.data))
        where = f"from {bank.path.name} line {question.line}"
        if question.category:
            where += f" (category {question.category})"
        questions.yaml_set_comment_before_after_key(len(questions) - 1, before="\n" + where, indent=2)
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    course, problems = check_course(source)
    quiz_file = problems.display_path(path)
    if course is None:
        if original is None:
            path.unlink()
        else:
            path.write_text(original, encoding="utf-8")
        raise ImportFailed(
            "the module would not pass 'ccm validate' after the import (change what is listed, "
            "then import again); the quiz was left as it was",
            [str(problem) for problem in problems.errors],
        )
    result.warnings = [problem for problem in problems.warnings if problem.file == quiz_file]
