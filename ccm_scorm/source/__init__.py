"""Source -> model: read a course folder, check everything, and return the immutable Course.

`load_course` raises SourceError with every problem found; `check_course` returns the
problems (warnings included) without raising, for `ccm validate`.
"""

from __future__ import annotations

from pathlib import Path

from ..colours import HEX_COLOUR, TEXT_CONTRAST, WHITE, contrast, darkened_until
from ..model import Course, CourseSettings, Image, Organisation, Pathway, Theme
from .checks import check_cross_references
from .framework import read_framework
from .ids import check_id
from .messages import COURSE_FOLDER as COURSE_MESSAGES
from .messages import read_messages
from .module import read_module
from .pages import safe_asset_path
from .problems import Problem, Problems, SourceError, did_you_mean
from .schema import COURSE, ORGANISATION, PATHWAY, THEME
from .yamlfile import Fields, load_yaml, read_section

RESERVED_FOLDERS = {"pathways", "assets", COURSE_MESSAGES}


def check_course(source: Path | str) -> tuple[Course | None, Problems]:
    """Read and check the course in `source`; the course is None when there are errors."""
    root = Path(source)
    problems = Problems(root=root.resolve() if root.exists() else root)
    if not root.is_dir():
        problems.error(root, 0, "there is no course folder here", "give the folder that holds framework.yaml")
        return None, problems
    settings = _read_settings(root, problems)
    framework = read_framework(root / "framework.yaml", problems)
    known = frozenset(c.id for c in framework.competencies) if framework else None
    modules, unreadable = _read_modules(root, problems, known)
    # A module that could not be read has already been reported: don't report pathways naming it too.
    pathways = _read_pathways(root / "pathways", problems, {module.id for module in modules} | unreadable)
    if framework is None:
        return None, problems
    course = Course(settings=settings, framework=framework, modules=modules, pathways=pathways)
    check_cross_references(course, root, problems)
    if problems.errors:
        return None, problems
    return course, problems


def load_course(source: Path | str) -> Course:
    course, problems = check_course(source)
    if course is None:
        raise SourceError(problems)
    return course


def _read_settings(root: Path, problems: Problems) -> CourseSettings:
    path = root / "course.yaml"
    if not path.exists():
        return CourseSettings(messages=read_messages(CourseSettings.language, root, path, 0, problems))
    data = load_yaml(path, problems)
    if data is None:
        return CourseSettings()
    fields = read_section(COURSE, data, path, 1, problems)
    if not fields.ok:
        return CourseSettings()
    language = fields.value("language")
    lms = fields.value("lms")
    profiles = COURSE["lms"].allowed_values()
    if lms not in profiles:
        fields.error("lms", f"unknown LMS profile '{lms}'", f"use one of {', '.join(profiles)}")
    return CourseSettings(
        title=fields.value("title"),
        publisher=fields.value("publisher"),
        language=language,
        messages=read_messages(language, root, path, fields.key_line("language"), problems),
        base_iri=fields.value("base_iri"),
        default_targets=_read_targets(fields) or COURSE["targets"].default,
        lms=lms,
        organisation=_read_organisation(fields, root, problems),
        theme=_read_theme(fields, root, problems),
    )


def _read_targets(fields: Fields) -> tuple[str, ...]:
    """The course's default targets; an unknown one is an error, never dropped."""
    from ..targets import TargetError

    listed = fields.value("targets")
    try:
        known = COURSE["targets"].allowed_values()
    except TargetError as error:
        fields.error("targets", f"the output formats cannot be listed ({error})")
        return listed
    for index, name in enumerate(listed):
        if name not in known:
            fields.problems.error(
                fields.path,
                fields.item_line("targets", index),
                f"unknown target '{name}'",
                did_you_mean(name, known, "target"),
            )
    return tuple(name for name in listed if name in known)


def _read_organisation(fields: Fields, root: Path, problems: Problems) -> Organisation:
    data = fields.mapping("organisation")
    if data is None:
        return Organisation()
    organisation = read_section(ORGANISATION, data, fields.path, fields.key_line("organisation"), problems)
    return Organisation(name=organisation.value("name"), logo=_read_logo(organisation, "logo", root, problems))


def _read_logo(fields: Fields, key: str, root: Path, problems: Problems) -> Image | None:
    """The image a course-file key names (relative to the course folder), or None."""
    logo_path = fields.value(key)
    if not logo_path:
        return None
    found = safe_asset_path(logo_path, root, fields.path, fields.key_line(key), problems)
    return Image(path=logo_path, data=found.read_bytes()) if found is not None else None


def _read_theme(fields: Fields, root: Path, problems: Problems) -> Theme:
    """The theme; a primary colour that white text cannot be read on is an error with the measured ratio."""
    data = fields.mapping("theme")
    if data is None:
        return Theme()
    theme = read_section(THEME, data, fields.path, fields.key_line("theme"), problems)
    colour = theme.value("primary_colour")
    if colour and not HEX_COLOUR.match(colour):
        theme.error("primary_colour", f"'{colour}' is not a colour written as #rrggbb", "write it like #005eb8")
        colour = ""
    elif colour and (ratio := contrast(colour, WHITE)) < TEXT_CONTRAST:
        theme.error(
            "primary_colour",
            f"primary_colour {colour} has a contrast of {ratio:.2f}:1 with white, the colour of button text "
            f"and of the page behind links; learners need at least {TEXT_CONTRAST}:1 (WCAG 2.2, 1.4.3)",
            f"use a darker shade, e.g. {darkened_until(colour)}",
        )
        colour = ""
    return Theme(primary_colour=colour, logo=_read_logo(theme, "logo", root, problems))


def _read_modules(root: Path, problems: Problems, known: frozenset[str] | None) -> tuple[tuple, set[str]]:
    """The modules that could be read, and the folder names of those that could not."""
    modules = []
    unreadable = set()
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if folder.name in RESERVED_FOLDERS or folder.name.startswith((".", "_")):
            continue
        if not (folder / "module.yaml").exists():
            problems.warning(
                folder,
                0,
                "this folder has no module.yaml, so it is not a module",
                "add module.yaml, or move the folder out of the course",
            )
            continue
        module = read_module(folder, problems, known)
        if module:
            modules.append(module)
        else:
            unreadable.add(folder.name)
    return tuple(modules), unreadable


def _read_pathways(folder: Path, problems: Problems, module_ids: set[str]) -> tuple:
    if not folder.is_dir():
        return ()
    pathways = []
    for path in sorted(folder.glob("*.yaml")):
        data = load_yaml(path, problems)
        if data is None:
            continue
        fields = read_section(PATHWAY, data, path, 1, problems)
        if not fields.ok:
            continue
        pathway_id = fields.value("id")
        if pathway_id and check_id("pathway", pathway_id, problems, path, fields.key_line("id")):
            if pathway_id != path.stem:
                fields.warning(
                    "id",
                    f"the pathway id '{pathway_id}' differs from its file name '{path.name}'",
                    f"rename the file to {pathway_id}.yaml so it is easy to find",
                )
        listed = fields.value("modules")
        _check_pathway_modules(fields, listed, module_ids)
        pathways.append(
            Pathway(
                id=pathway_id,
                title=fields.value("title"),
                description=fields.value("description"),
                audience=fields.value("audience"),
                module_ids=listed,
                version=fields.value("version"),
            )
        )
    return tuple(pathways)


def _check_pathway_modules(fields: Fields, listed: tuple[str, ...], module_ids: set[str]) -> None:
    if fields.has("modules") and not listed:
        fields.error("modules", "the pathway lists no modules", "list the module ids in the order learners take them")
    seen = set()
    for index, module_id in enumerate(listed):
        line = fields.item_line("modules", index)
        if module_id not in module_ids:
            fields.problems.error(
                fields.path,
                line,
                f"unknown module '{module_id}' in the pathway",
                did_you_mean(module_id, module_ids, "module"),
            )
        elif module_id in seen:
            fields.problems.error(
                fields.path, line, f"the module '{module_id}' is listed twice", "list each module once"
            )
        seen.add(module_id)


__all__ = ["Problem", "Problems", "SourceError", "check_course", "load_course"]
