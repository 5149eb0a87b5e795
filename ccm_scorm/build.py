"""Building packages: which targets for which modules, skipping what has not changed.

The course is loaded and checked before anything is written, so a source error
leaves the output folder exactly as it was.
"""

from __future__ import annotations

import hashlib
import os
import signal
import threading
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from .fingerprint import path_contents, toolkit_fingerprint, value_fingerprint
from .model import Course, Module, Pathway
from .package import (
    REPORT_NAME,
    PackageRecord,
    read_build_report,
    read_report_document,
    report_records,
    write_build_report,
    write_package,
)
from .targets import BuildOptions, get_target, target_names, target_origin
from .targets.base import Target, course_unit_id

Progress = Callable[[str, str], None]  # (target, unit id) after each package
POOLS = ("thread", "process", "serial")
DEFAULT_POOL = "thread"  # measured in bench/bench_build.py: see bench/README.md


@dataclass
class BuildResult:
    records: list[PackageRecord] = field(default_factory=list)
    rebuilt: list[str] = field(default_factory=list)  # package paths written this run
    unchanged: list[str] = field(default_factory=list)  # package paths kept from the last build
    warnings: list[str] = field(default_factory=list)
    report_path: Path | None = None


def select_modules(course: Course, module_ids: tuple[str, ...]) -> list[Module]:
    if not module_ids:
        return list(course.modules)
    known = {module.id for module in course.modules}
    unknown = [module_id for module_id in module_ids if module_id not in known]
    if unknown:
        raise KeyError(f"unknown module {unknown[0]!r}; the course has {', '.join(sorted(known))}")
    return [module for module in course.modules if module.id in module_ids]


def select_pathways(course: Course, pathway_ids: tuple[str, ...], module_ids: tuple[str, ...] = ()) -> list[Pathway]:
    """The pathways to build: those named; none when only modules are named; else all."""
    if not pathway_ids:
        return [] if module_ids else list(course.pathways)
    known = {pathway.id for pathway in course.pathways}
    unknown = [pathway_id for pathway_id in pathway_ids if pathway_id not in known]
    if unknown:
        raise KeyError(f"unknown pathway {unknown[0]!r}; the course has {', '.join(sorted(known)) or 'no pathways'}")
    return [pathway for pathway in course.pathways if pathway.id in pathway_ids]


Unit = tuple[str, "Module | Pathway | Course", object]  # (kind, what is built, what goes into it)


def target_units(
    course: Course, target: Target, modules: list[Module], pathways: list[Pathway], whole_course: bool
) -> list[Unit]:
    """The packages one target makes: per module, per pathway and for the whole course, as its capabilities say."""
    makes = target.capabilities
    units: list[Unit] = []
    if makes.modules:
        units += [("module", module, module) for module in modules]
    if makes.pathways:
        units += [("pathway", pathway, _pathway_unit(course, pathway)) for pathway in pathways]
    if whole_course and makes.course:
        units.append(("course", course, (course.modules, course.pathways)))
    return units


def unmade(target: Target, module_ids: tuple[str, ...], pathway_ids: tuple[str, ...]) -> list[str]:
    """What was asked for by name that this target does not make (so the user is told, not left guessing)."""
    notes = []
    if module_ids and not target.capabilities.modules:
        notes.append(
            "this target makes no package per module, so --module builds nothing for it "
            "(build it without --module, or with --pathway)"
        )
    if pathway_ids and not target.capabilities.pathways:
        notes.append(
            "this target makes no package per pathway, so --pathway builds nothing for it "
            "(build the pathway's modules with --module)"
        )
    return notes


def unit_id(kind: str, unit: Module | Pathway | Course) -> str:
    return course_unit_id(unit) if isinstance(unit, Course) else unit.id


def builds_whole_course(module_ids: tuple[str, ...], pathway_ids: tuple[str, ...]) -> bool:
    """Whole-course packages are built when neither modules nor pathways are named."""
    return not module_ids and not pathway_ids


def package_count(
    course: Course, targets: list[str], module_ids: tuple[str, ...] = (), pathway_ids: tuple[str, ...] = ()
) -> int:
    """How many packages `build` with these filters makes (for a progress bar); KeyError on an unknown id."""
    modules = select_modules(course, module_ids) if module_ids or not pathway_ids else []
    pathways = select_pathways(course, pathway_ids, module_ids)
    whole = builds_whole_course(module_ids, pathway_ids)
    return sum(len(target_units(course, get_target(name), modules, pathways, whole)) for name in targets)


def _pathway_unit(course: Course, pathway: Pathway) -> tuple:
    """What goes into a pathway package: the pathway and its modules, for the fingerprint."""
    return (pathway, tuple(course.module(module_id) for module_id in pathway.module_ids))


def input_hash(course: Course, unit: object, target: str, options: BuildOptions) -> str:
    """A fingerprint of everything that goes into one package: if it is unchanged, so is the package."""
    digest = hashlib.sha256(toolkit_fingerprint().encode("ascii"))
    # the target's package and version too: a target from another package changes without ccm-scorm changing
    for part in (
        target,
        target_origin(target),
        repr(value_fingerprint(options)),
        repr(course.settings),
        repr(course.framework),
        repr(unit),
    ):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def build_request(
    targets: tuple[str, ...],
    lms: str | None,
    values: dict[str, object],
    lrs_credential: str | None,
    module_ids: tuple[str, ...],
    pathway_ids: tuple[str, ...],
) -> tuple:
    """Everything asked of a build besides the course itself, for `source_fingerprint`.

    `values` are the target options given; a folder among them counts by the files in it. Which
    package (and version) provides each target counts too.
    """
    given = tuple(
        (name, _folder_files(value) if isinstance(value, Path) else value)
        for name, value in sorted(values.items())
        if value is not None
    )
    origins = tuple(target_origin(name) for name in target_names())
    return (targets, lms, given, lrs_credential, module_ids, pathway_ids, origins)


def _folder_files(folder: Path) -> tuple:
    return path_contents(folder)  # every file, subfolders too (the SCORM schemas may sit in scorm12/)


def source_fingerprint(source: Path, request: object) -> str:
    """Every file of the course source, and what was asked of the build, without reading the course.

    When it matches the last build's and every package is intact, nothing needs loading at all.
    """
    digest = hashlib.sha256(toolkit_fingerprint().encode("ascii"))
    digest.update(repr(request).encode("utf-8"))
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source)
        if any(part.startswith(".") for part in relative.parts):
            continue
        digest.update(f"\0{relative.as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def grouped_warnings(warnings: list[str]) -> list[str]:
    """One line for a warning that several modules share ("a (scorm2004): text" for a, b, c…)."""
    groups: dict[tuple[str, str], list[str]] = {}
    for warning in warnings:
        unit, separator, text = warning.partition("): ")
        name, _, target = unit.partition(" (")
        key = (target, text) if separator and target else ("", warning)
        groups.setdefault(key, []).append(name)
    lines = []
    for (target, text), names in groups.items():
        if not target:
            lines.append(text)
        elif len(names) == 1:
            lines.append(f"{names[0]} ({target}): {text}")
        else:
            shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            lines.append(f"{len(names)} packages ({target}: {shown}): {text}")
    return lines


def unchanged_build(out_dir: Path, fingerprint: str) -> BuildResult | None:
    """The last build, if it was made from exactly this source and request and every package is intact."""
    document = read_report_document(out_dir)
    if not document or document.get("source_fingerprint") != fingerprint:
        return None
    records = report_records(document)
    if not records or not all(_intact(out_dir, record) for record in records):
        return None
    return BuildResult(
        records=records,
        unchanged=[record.path for record in records],
        warnings=list(document.get("warnings", [])),
        report_path=out_dir / REPORT_NAME,
    )


def default_jobs() -> int:
    """Parallel builds by default use every core the process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def build(
    course: Course,
    targets: list[str],
    out_dir: Path,
    options: BuildOptions,
    module_ids: tuple[str, ...] = (),
    force: bool = False,
    progress: Progress | None = None,
    jobs: int | None = None,
    pool: str = DEFAULT_POOL,
    pathway_ids: tuple[str, ...] = (),
    source_fingerprint: str = "",
) -> BuildResult:
    """Build the packages whose inputs changed.

    `jobs` packages are built at once (default: one per core); `pool` is "thread",
    "process" or "serial" (see bench/README.md for why threads are the default).
    `progress` is called in this thread after each package, built or kept.
    `pathway_ids` names pathways to build; with neither these nor `module_ids`, every module
    and every pathway is built (pathways by the targets that implement them).
    """
    modules = select_modules(course, module_ids) if module_ids or not pathway_ids else []
    pathways = select_pathways(course, pathway_ids, module_ids)
    previous = {(r.target, r.kind, r.id): r for r in read_build_report(out_dir)}
    result = BuildResult()
    for target_name in targets:  # refusals first, so a refused build writes nothing at all
        get_target(target_name).check_options(options)
    slots: list[PackageRecord | None] = []  # in target, module order, whatever order the builds finish in
    pending: list[tuple[int, str, str, Module | Pathway | Course, str]] = []
    whole_course = builds_whole_course(module_ids, pathway_ids)
    for target_name in targets:
        target = get_target(target_name)
        for module in modules:
            result.warnings.extend(f"{module.id} ({target_name}): {w}" for w in target.lint(course, module, options))
        result.warnings.extend(f"{target_name}: {note}" for note in target.course_notes(course, options))
        result.warnings.extend(f"{target_name}: {note}" for note in unmade(target, module_ids, pathway_ids))
        for kind, unit, inputs in target_units(course, target, modules, pathways, whole_course):
            fingerprint = input_hash(course, inputs, target_name, options)
            earlier = previous.pop((target_name, kind, unit_id(kind, unit)), None)
            if not force and earlier and earlier.input_hash == fingerprint and _intact(out_dir, earlier):
                slots.append(earlier)
                result.unchanged.append(earlier.path)
                if progress:
                    progress(target_name, unit_id(kind, unit))
            else:
                pending.append((len(slots), target_name, kind, unit, fingerprint))
                slots.append(None)
    for index, record in _build_all(course, pending, out_dir, options, jobs, pool, progress):
        slots[index] = record
    result.records.extend(record for record in slots if record is not None)
    result.rebuilt.extend(record.path for index, *_ in pending if (record := slots[index]) is not None)
    # Packages other targets built earlier stay listed while their unit is in the course and the zip exists.
    units = (
        {module.id for module in course.modules}
        | {pathway.id for pathway in course.pathways}
        | {course_unit_id(course)}
    )
    result.records.extend(
        record for record in previous.values() if record.id in units and (out_dir / record.path).exists()
    )
    result.report_path = write_build_report(result.records, out_dir, source_fingerprint, result.warnings)
    return result


def _build_one(
    course: Course,
    target_name: str,
    kind: str,
    unit: Module | Pathway | Course,
    options: BuildOptions,
    out_dir: Path,
    fingerprint: str,
) -> PackageRecord:
    target = get_target(target_name)
    if isinstance(unit, Course):
        package = target.build_course(course, options)
    elif isinstance(unit, Pathway):
        package = target.build_pathway(course, unit, options)
    else:
        package = target.build_module(course, unit, options)
    return write_package(package, out_dir, fingerprint)


# A worker process receives the course once, not with every package.
_WORKER_COURSE: Course | None = None


def _init_worker(course: Course) -> None:
    global _WORKER_COURSE
    _WORKER_COURSE = course
    # Ctrl-C reaches every process of the terminal; only the main one acts on it (it cancels what has not
    # started and waits for what has), so a worker is never killed half-way through a package.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _build_in_worker(
    target_name: str, kind: str, unit_id: str, options: BuildOptions, out_dir: Path, fingerprint: str
) -> PackageRecord:
    assert _WORKER_COURSE is not None
    course = _WORKER_COURSE
    readers: dict[str, Callable[[], Module | Pathway | Course]] = {
        "course": lambda: course,
        "pathway": lambda: course.pathway(unit_id),
        "module": lambda: course.module(unit_id),
    }
    unit = readers[kind]()
    return _build_one(course, target_name, kind, unit, options, out_dir, fingerprint)


def _build_all(
    course: Course,
    pending,
    out_dir: Path,
    options: BuildOptions,
    jobs: int | None,
    pool: str,
    progress: Progress | None,
):
    """(slot, record) for every pending package, as each is written."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    if pool not in POOLS:
        raise ValueError(f"unknown pool {pool!r}; use one of {', '.join(POOLS)}")
    if pool == "serial" or jobs == 1 or len(pending) < 2:
        for index, target_name, kind, unit, fingerprint in pending:
            yield index, _build_one(course, target_name, kind, unit, options, out_dir, fingerprint)
            if progress:
                progress(target_name, unit_id(kind, unit))
        return
    workers = min(jobs, len(pending))
    executor: Executor
    if pool == "process":
        executor = ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(course,))

        def submit(target_name, kind, unit, fingerprint):  # the worker has the course: it gets the unit's id
            return executor.submit(
                _build_in_worker, target_name, kind, unit_id(kind, unit), options, out_dir, fingerprint
            )
    else:
        executor = ThreadPoolExecutor(workers, thread_name_prefix="ccm-build")

        def submit(target_name, kind, unit, fingerprint):
            return executor.submit(_build_one, course, target_name, kind, unit, options, out_dir, fingerprint)

    try:
        futures = {
            submit(target_name, kind, unit, fingerprint): (index, target_name, unit_id(kind, unit))
            for index, target_name, kind, unit, fingerprint in pending
        }
        for future in as_completed(futures):
            index, target_name, module_id = futures[future]
            yield index, future.result()  # a failed package raises here, as in a serial build
            if progress:
                progress(target_name, module_id)
    finally:
        _shut_down(executor)


def _shut_down(executor) -> None:
    """Cancel the packages not started and wait for those being written (each is written whole or not at all).

    A second Ctrl-C while waiting must not leave the wait half-done: it is held until the pool is empty."""
    previous = (
        signal.signal(signal.SIGINT, signal.SIG_IGN) if threading.current_thread() is threading.main_thread() else None
    )
    try:
        executor.shutdown(wait=True, cancel_futures=True)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


def _intact(out_dir: Path, record: PackageRecord) -> bool:
    path = out_dir / record.path
    try:
        return path.stat().st_size == record.size and hashlib.sha256(path.read_bytes()).hexdigest() == record.sha256
    except OSError:
        return False
