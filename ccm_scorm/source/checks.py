"""Checks across files: duplicate modules, pathway references, and whether state fits SCORM 1.2."""

from __future__ import annotations

import re
from pathlib import Path

from ..model import Course
from .problems import Problems


def line_of(path: Path, pattern: str) -> int:
    """The first line of `path` matching `pattern` (a regular expression), or 0."""
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(pattern, line):
                return number
    except (OSError, UnicodeDecodeError):
        pass
    return 0


def check_cross_references(course: Course, root: Path, problems: Problems) -> None:
    _check_module_ids(course, root, problems)
    _check_pathway_ids(course, root, problems)
    _check_state_size(course, root, problems)


def _module_file(root: Path, module) -> Path:
    return root.resolve().parent / module.source_dir / "module.yaml" if module.source_dir else root


def _check_module_ids(course: Course, root: Path, problems: Problems) -> None:
    first: dict[str, str] = {}
    for module in course.modules:
        if not module.id:
            continue
        path = _module_file(root, module)
        if module.id in first:
            problems.error(
                path,
                line_of(path, r"^id\s*:"),
                f"the module id '{module.id}' is also used by {first[module.id]}",
                "give every module its own id",
            )
        else:
            first[module.id] = module.source_dir


def _check_pathway_ids(course: Course, root: Path, problems: Problems) -> None:
    seen: set[str] = set()
    for pathway in course.pathways:
        if pathway.id in seen:
            path = root / "pathways"
            problems.error(
                path, 0, f"the pathway id '{pathway.id}' is used by two files", "give every pathway its own id"
            )
        seen.add(pathway.id)


def _check_state_size(course: Course, root: Path, problems: Problems) -> None:
    from ..render.state_size import SCORM12_SUSPEND_DATA_LIMIT, worst_case_state_length

    for module in course.modules:
        if not module.id:
            continue
        size = worst_case_state_length(module)
        if size > SCORM12_SUSPEND_DATA_LIMIT:
            path = root.resolve().parent / module.source_dir / "quiz.yaml"
            problems.error(
                path,
                line_of(path, r"^questions\s*:"),
                f"the learner's saved progress for this module can reach {size} characters; "
                f"SCORM 1.2 LMSs such as ESR keep at most {SCORM12_SUSPEND_DATA_LIMIT}",
                "draw fewer questions per attempt, or lower max_length on short-text questions",
            )
    _check_pathway_state_size(course, root, problems)


def _pathway_file(root: Path, pathway_id: str) -> Path:
    """The pathways/*.yaml file that declares this id (the file name may differ from the id)."""
    folder = root / "pathways"
    candidates = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    for path in candidates:
        if path.stem == pathway_id:
            return path
    for path in candidates:
        if line_of(path, rf"^id\s*:\s*['\"]?{re.escape(pathway_id)}['\"]?\s*$"):
            return path
    return folder / f"{pathway_id}.yaml"


def _check_pathway_state_size(course: Course, root: Path, problems: Problems) -> None:
    from ..render.state_size import SCORM12_SUSPEND_DATA_LIMIT, worst_case_pathway_state_length

    known = {module.id for module in course.modules if module.id}
    for pathway in course.pathways:
        if not pathway.module_ids or any(module_id not in known for module_id in pathway.module_ids):
            continue  # a missing module is reported where the pathway names it
        size = worst_case_pathway_state_length(course, pathway)
        if size > SCORM12_SUSPEND_DATA_LIMIT:
            path = _pathway_file(root, pathway.id)
            problems.error(
                path,
                line_of(path, r"^modules\s*:"),
                f"the learner's saved progress for the pathway '{pathway.id}' can reach {size} characters "
                f"(every module in progress at once); SCORM 1.2 LMSs such as ESR keep at most "
                f"{SCORM12_SUSPEND_DATA_LIMIT}",
                "split the pathway into two, or make its modules' saved progress smaller "
                "(fewer questions per attempt, lower max_length on short-text questions)",
            )
