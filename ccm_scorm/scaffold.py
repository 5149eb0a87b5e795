"""`ccm new course`, `ccm new module` and `ccm new pathway`: a valid starting point, with placeholders to replace.

Questions are asked with click prompts for whatever the options did not give; with
`--yes` nothing is asked and missing answers are an error. A module is written to a
hidden folder first and renamed into place, so a failure never leaves half a module,
and an existing folder or file is never overwritten.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import click

from .errors import EXIT_SOURCE, EXIT_USAGE, EXIT_WRITE, CcmError
from .model import Competency, Framework
from .source import check_course
from .source.framework import read_framework
from .source.ids import RULES, suggest_id
from .source.problems import Problem, Problems, did_you_mean
from .source.quiz import PLACEHOLDER


class ScaffoldError(CcmError):
    def __init__(self, message: str, exit_code: int, fix: str = ""):
        super().__init__(message, exit_code)
        self.fix = fix

    def __str__(self) -> str:
        text = super().__str__()
        return f"{text} — {self.fix}" if self.fix else text


@dataclass
class Created:
    path: Path
    files: list[Path] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)


def _q(text: str) -> str:
    """A YAML double-quoted string (JSON's form is valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


# --- reading what is there -------------------------------------------------------------------


def _course_root(source: Path) -> Path:
    if not source.is_dir():
        raise ScaffoldError(
            f"there is no course folder at {source}",
            EXIT_USAGE,
            "give the folder that holds framework.yaml (default: modules)",
        )
    return source


def load_framework(source: Path) -> Framework:
    root = _course_root(source)
    problems = Problems(root=root.resolve())
    framework = read_framework(root / "framework.yaml", problems)
    if framework is None:
        details = "; ".join(str(problem) for problem in problems.errors[:3])
        raise ScaffoldError(
            f"the framework cannot be read ({details})", EXIT_SOURCE, "fix framework.yaml first (run 'ccm validate')"
        )
    return framework


def existing_modules(source: Path) -> dict[str, str]:
    """Module id -> title for every module folder, read leniently (the course need not be valid)."""
    from ruamel.yaml import YAML

    found = {}
    for path in sorted(source.glob("*/module.yaml")):
        try:
            data = YAML(typ="safe", pure=True).load(path.read_text(encoding="utf-8"))
        except Exception:  # an unreadable module is `ccm validate`'s business, not ours
            continue
        if isinstance(data, dict) and data.get("id"):
            found[str(data["id"])] = str(data.get("title", ""))
    return found


# --- choosing --------------------------------------------------------------------------------


def _check_id(kind: str, value: str) -> str | None:
    pattern, rule = RULES[kind]
    return None if pattern.match(value) else f"'{value}' is not a valid {kind} id: use {rule}"


def numbered(entries: list[tuple[str, str]]) -> list[str]:
    width = len(str(len(entries)))
    return [f"  {number:>{width}}. {key}  {title}" for number, (key, title) in enumerate(entries, start=1)]


def resolve_choices(given: list[str], entries: list[tuple[str, str]], what: str) -> list[str]:
    """Ids from ids or list numbers; raises ScaffoldError naming the first that is neither."""
    ids = [key for key, _ in entries]
    chosen: list[str] = []
    for value in given:
        value = value.strip()
        if not value:
            continue
        if value.isdigit() and 1 <= int(value) <= len(ids):
            value = ids[int(value) - 1]
        elif value not in ids:
            raise ScaffoldError(f"unknown {what} '{value}'", EXIT_USAGE, did_you_mean(value, ids, what))
        if value in chosen:
            raise ScaffoldError(f"the {what} '{value}' is chosen twice", EXIT_USAGE, "choose each once")
        chosen.append(value)
    return chosen


def _split(answer: str) -> list[str]:
    return [part for part in re.split(r"[,\s]+", answer) if part]


def _ask_choices(prompt: str, entries: list[tuple[str, str]], what: str, heading: str) -> list[str]:
    click.echo(heading, err=True)
    for line in numbered(entries):
        click.echo(line, err=True)
    while True:
        answer = click.prompt(prompt, err=True)
        try:
            chosen = resolve_choices(_split(answer), entries, what)
        except ScaffoldError as error:
            click.echo(f"  {error}", err=True)
            continue
        if chosen:
            return chosen
        click.echo(f"  choose at least one {what}", err=True)


def _ask_id(kind: str, title: str, taken, given: str | None, ask: bool) -> str:
    value = given or suggest_id(title)
    while True:
        if ask and not given:
            value = click.prompt(
                f"{kind.capitalize()} id (used in LMS reports; do not change it later)", default=value, err=True
            ).strip()
        problem = _check_id(kind, value) or taken(value)
        if not problem:
            return value
        if not ask or given:
            raise ScaffoldError(problem, EXIT_USAGE if "valid" in problem else EXIT_WRITE)
        click.echo(f"  {problem}", err=True)


def _title(kind: str, title: str | None, ask: bool) -> str:
    """The title given, or asked for; never empty."""
    if not title:
        if not ask:
            raise ScaffoldError("--title is needed with --yes", EXIT_USAGE, f'add --title "{kind.capitalize()} title"')
        title = click.prompt(f"Title of the {kind}", err=True)
    title = title.strip()
    if not title:
        raise ScaffoldError("the title is empty", EXIT_USAGE, f"give the {kind} a title")
    return title


# --- modules ---------------------------------------------------------------------------------


def new_module(
    source: Path,
    module_id: str | None = None,
    title: str | None = None,
    competencies: tuple[str, ...] = (),
    yes: bool = False,
) -> Created:
    framework = load_framework(source)
    entries = [(c.id, c.title) for c in framework.competencies]
    modules = existing_modules(source)
    ask = not yes
    title = _title("module", title, ask)

    def taken(value: str) -> str | None:
        if value in modules:
            return f"a module with the id '{value}' already exists"
        if (source / value).exists():
            return f"{source / value} already exists; nothing is overwritten"
        return None

    module_id = _ask_id("module", title, taken, module_id, ask)
    if competencies:
        chosen = resolve_choices([part for value in competencies for part in _split(value)], entries, "competency")
    elif ask:
        chosen = _ask_choices(
            "Competencies (numbers or ids, separated by commas; the first is the primary)",
            entries,
            "competency",
            "The framework's competencies:",
        )
    else:
        raise ScaffoldError(
            "--competency is needed with --yes",
            EXIT_USAGE,
            "add --competency ID (repeat it for several; the first is the primary)",
        )
    if ask and not click.confirm(f"Create the module '{module_id}' in {source / module_id}?", default=True, err=True):
        raise ScaffoldError("nothing was created", EXIT_WRITE)
    files = module_files(module_id, title, [framework.competency(c) for c in chosen])
    return _write_folder(source, source / module_id, files)


def module_files(module_id: str, title: str, competencies: list[Competency]) -> dict[str, str]:
    ids = [c.id for c in competencies]
    module_yaml = "\n".join(
        [
            f"id: {module_id}",
            'version: "0.1.0"            # raise it when the content changes',
            f"title: {_q(title)}",
            f"summary: {_q(PLACEHOLDER + ': one or two sentences on what the learner will be able to do.')}",
            "competencies:               # the first is the module's primary competency",
            *[f"  - {c}" for c in ids],
            f"audience: [{_q(PLACEHOLDER + ': who is this for?')}]",
            "minutes: 10",
            "outcomes:",
            f"  - {_q(PLACEHOLDER + ': what the learner can do after the module.')}",
            "pass_mark: 80               # percent",
            "attempts: 0                 # 0 means unlimited",
            "",
        ]
    )
    pages = {
        "pages/01-introduction.md": (
            f"# {title}\n\n{PLACEHOLDER}: say why this matters to the learner's work, in two or three sentences.\n\n"
            f"::: key-point\n{PLACEHOLDER}: the one thing to remember from this module.\n:::\n"
        ),
        "pages/02-in-practice.md": (
            f"# In practice\n\n{PLACEHOLDER}: explain the skill in plain words, one idea per paragraph.\n\n"
            f"::: case-study {PLACEHOLDER}: a name\n{PLACEHOLDER}: a short story of a person this applies to.\n:::\n"
        ),
        "pages/03-summary.md": (
            f"# Summary\n\n{PLACEHOLDER}: sum up what the learner has learned.\n\n"
            f"::: reflection\n{PLACEHOLDER}: a question for the learner to think about.\n:::\n"
        ),
    }
    questions = ["questions:"]
    templates = [
        (
            "single",
            [
                "    options:",
                f"      - text: {_q(PLACEHOLDER + ': the right answer')}",
                "        correct: true",
                f"      - text: {_q(PLACEHOLDER + ': a wrong answer')}",
                f"        feedback: {_q(PLACEHOLDER + ': why this answer is wrong')}",
                f"      - text: {_q(PLACEHOLDER + ': another wrong answer')}",
            ],
        ),
        ("true-false", ["    answer: true"]),
        (
            "multiple",
            [
                "    options:",
                f"      - text: {_q(PLACEHOLDER + ': a right answer')}",
                "        correct: true",
                f"      - text: {_q(PLACEHOLDER + ': another right answer')}",
                "        correct: true",
                f"      - text: {_q(PLACEHOLDER + ': a wrong answer')}",
            ],
        ),
    ]
    count = max(3, len(ids))
    for number in range(1, count + 1):
        kind, body = templates[(number - 1) % len(templates)]
        competency = ids[(number - 1) % len(ids)]
        if number > 1:
            questions.append("")
        questions += [
            f"  - id: q{number:02d}-placeholder",
            f"    type: {kind}",
            f"    competency: {competency}",
            f"    prompt: {_q(f'{PLACEHOLDER}: a {kind} question about {competency}')}",
            *body,
            "    feedback:",
            f"      correct: {_q(PLACEHOLDER + ': why the right answer is right')}",
            f"      incorrect: {_q(PLACEHOLDER + ': what to look for instead')}",
        ]
    return {"module.yaml": module_yaml, **pages, "quiz.yaml": "\n".join(questions) + "\n"}


def _write_folder(source: Path, target: Path, files: dict[str, str]) -> Created:
    if target.exists():
        raise ScaffoldError(
            f"{target} already exists; nothing was overwritten",
            EXIT_WRITE,
            "choose another id, or remove the folder first",
        )
    _write_staged(target, files, ("assets",))
    return _checked(source, target, [target / name for name in files])


def _write_staged(target: Path, files: dict[str, str], empty_folders: tuple[str, ...]) -> None:
    """Write the files into a hidden folder beside `target`, then rename it into place: all or nothing."""
    staging = target.parent / f".{target.name}.new"
    try:
        shutil.rmtree(staging, ignore_errors=True)
        for name, text in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        for folder in empty_folders:
            (staging / folder).mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            target.rmdir()  # only ever an empty folder: callers refuse any other
        os.rename(staging, target)
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise ScaffoldError(
            f"cannot write {target}: {error.strerror}", EXIT_WRITE, "check the folder is writable"
        ) from None


def _checked(source: Path, path: Path, files: list[Path]) -> Created:
    course, problems = check_course(source)
    created = Created(path=path, files=files)
    shown = problems.display_path(path)
    created.warnings = [p for p in problems.warnings if p.file.startswith(shown)]
    created.errors = [p for p in problems.errors if p.file.startswith(shown)]
    return created


# --- pathways --------------------------------------------------------------------------------


def new_pathway(
    source: Path,
    pathway_id: str | None = None,
    title: str | None = None,
    module_ids: tuple[str, ...] = (),
    yes: bool = False,
) -> Created:
    _course_root(source)
    modules = existing_modules(source)
    if not modules:
        raise ScaffoldError(
            f"there are no modules in {source} to put in a pathway",
            EXIT_USAGE,
            "create one first with 'ccm new module'",
        )
    ask = not yes
    title = _title("pathway", title, ask)
    folder = source / "pathways"

    def taken(value: str) -> str | None:
        path = folder / f"{value}.yaml"
        return f"{path} already exists; nothing is overwritten" if path.exists() else None

    pathway_id = _ask_id("pathway", title, taken, pathway_id, ask)
    entries = sorted(modules.items())
    if module_ids:
        chosen = resolve_choices([part for value in module_ids for part in _split(value)], entries, "module")
    elif ask:
        chosen = _ask_choices(
            "Modules in the order learners take them (numbers or ids, separated by commas)",
            entries,
            "module",
            "The course's modules:",
        )
    else:
        raise ScaffoldError(
            "--module is needed with --yes",
            EXIT_USAGE,
            "add --module ID for each module, in the order learners take them",
        )
    if ask and not click.confirm(f"Create the pathway '{pathway_id}' in {folder}?", default=True, err=True):
        raise ScaffoldError("nothing was created", EXIT_WRITE)
    text = "\n".join(
        [
            f"id: {pathway_id}",
            f"title: {_q(title)}",
            f"description: {_q(PLACEHOLDER + ': who this pathway is for and what it prepares them to do.')}",
            f"audience: [{_q(PLACEHOLDER + ': the role')}]",
            "modules:                   # in the order learners take them",
            *[f"  - {module}" for module in chosen],
            "",
        ]
    )
    path = folder / f"{pathway_id}.yaml"
    try:
        folder.mkdir(exist_ok=True)
        with open(path, "x", encoding="utf-8") as stream:  # "x": never overwrite
            stream.write(text)
    except FileExistsError:
        raise ScaffoldError(f"{path} already exists; nothing was overwritten", EXIT_WRITE) from None
    except OSError as error:
        raise ScaffoldError(f"cannot write {path}: {error.strerror}", EXIT_WRITE) from None
    return _checked(source, path, [path])


# --- courses ---------------------------------------------------------------------------------

STARTER_MODULE = "first-module"
STARTER_PATHWAY = "first-steps"


def bundled_catalogue() -> Path:
    """The CCM catalogue that comes with ccm-scorm (in a checkout, the modules/ folder itself)."""
    return Path(__file__).resolve().parent / "catalogue"


def new_course(folder: Path, title: str | None = None) -> Created:
    """A starter course in `folder`: a framework with one domain and two competencies, one module, a
    pathway and course.yaml; it validates and builds as it is."""
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ScaffoldError(
            f"{folder} already exists and is not empty; nothing was overwritten",
            EXIT_WRITE,
            "give a new folder: ccm new course my-course",
        )
    title = (title or "My course").strip() or "My course"
    competencies = [
        Competency(
            id="core.first-competency", title=f"{PLACEHOLDER}: the first competency", description="", domain_id="core"
        ),
        Competency(
            id="core.second-competency", title=f"{PLACEHOLDER}: the second competency", description="", domain_id="core"
        ),
    ]
    files = {
        "course.yaml": _course_yaml(title),
        "framework.yaml": _framework_yaml(title, competencies),
        f"pathways/{STARTER_PATHWAY}.yaml": _starter_pathway(),
        **{
            f"{STARTER_MODULE}/{name}": text
            for name, text in module_files(STARTER_MODULE, "First module", competencies).items()
        },
    }
    _write_staged(folder, files, (f"{STARTER_MODULE}/assets",))
    return _checked(folder, folder, [folder / name for name in files])


def _course_yaml(title: str) -> str:
    return "\n".join(
        [
            f"title: {_q(title)}",
            f"publisher: {_q(PLACEHOLDER + ': your organisation')}",
            "language: en-GB",
            "lms: moodle                 # moodle, esr or generic",
            "targets: [web, scorm12, scorm2004, xapi, cmi5]",
            "",
        ]
    )


def _framework_yaml(title: str, competencies: list[Competency]) -> str:
    lines = [
        "id: my-framework",
        f"title: {_q(title + ' competencies')}",
        'version: "0.1.0"',
        f"description: {_q(PLACEHOLDER + ': what the framework covers and who it is for.')}",
        f"provenance: {_q(PLACEHOLDER + ': where the competencies come from.')}",
        "base_iri: https://example.org/my-course/   # change to an address your organisation owns",
        f"audience: [{_q(PLACEHOLDER + ': the roles it is for')}]",
        "domains:",
        "  - id: core",
        "    title: Core",
        f"    description: {_q(PLACEHOLDER + ': what this group of competencies is about.')}",
        "    competencies:",
    ]
    for competency in competencies:
        lines += [
            f"      - id: {competency.id}",
            f"        title: {_q(competency.title)}",
            f"        description: {_q(PLACEHOLDER + ': what someone who has it can do.')}",
        ]
    return "\n".join(lines) + "\n"


def _starter_pathway() -> str:
    return "\n".join(
        [
            f"id: {STARTER_PATHWAY}",
            "title: First steps",
            f"description: {_q(PLACEHOLDER + ': who this pathway is for.')}",
            f"audience: [{_q(PLACEHOLDER + ': the role')}]",
            "modules:                   # in the order learners take them",
            f"  - {STARTER_MODULE}",
            "",
        ]
    )
