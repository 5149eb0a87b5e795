"""Building packages: which targets for which modules, skipping what has not changed.

The course is loaded and checked before anything is written, so a source error
leaves the output folder exactly as it was.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .model import Course, Module
from .package import PackageRecord, read_build_report, write_build_report, write_package
from .render import runtime_file
from .targets import BuildOptions, get_target

Progress = Callable[[str, str], None]  # (target, unit id) after each package


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


def input_hash(course: Course, unit: object, target: str, options: BuildOptions) -> str:
    """A fingerprint of everything that goes into one package: if it is unchanged, so is the package."""
    digest = hashlib.sha256()
    for part in (__version__, target, repr(options), repr(course.settings), repr(course.framework), repr(unit)):
        digest.update(part.encode("utf-8"))
        digest.update(b"\0")
    for name in sorted(_runtime_names()):
        digest.update(runtime_file(name))
    return digest.hexdigest()


def _runtime_names() -> list[str]:
    from importlib import resources

    folder = resources.files("ccm_scorm.render").joinpath("runtime")
    return [entry.name for entry in folder.iterdir() if entry.name.endswith((".js", ".css"))]


def build(course: Course, targets: list[str], out_dir: Path, options: BuildOptions,
          module_ids: tuple[str, ...] = (), force: bool = False,
          progress: Progress | None = None) -> BuildResult:
    modules = select_modules(course, module_ids)
    previous = {(r.target, r.kind, r.id): r for r in read_build_report(out_dir)}
    result = BuildResult()
    for target_name in targets:  # refusals first, so a refused build writes nothing at all
        get_target(target_name).check_options(options)
    for target_name in targets:
        target = get_target(target_name)
        for module in modules:
            result.warnings.extend(f"{module.id} ({target_name}): {w}" for w in target.lint(course, module, options))
            fingerprint = input_hash(course, module, target_name, options)
            earlier = previous.pop((target_name, "module", module.id), None)
            if not force and earlier and earlier.input_hash == fingerprint and _intact(out_dir, earlier):
                result.records.append(earlier)
                result.unchanged.append(earlier.path)
            else:
                package = target.build_module(course, module, options)
                record = write_package(package, out_dir, fingerprint)
                result.records.append(record)
                result.rebuilt.append(record.path)
            if progress:
                progress(target_name, module.id)
    # Packages other targets built earlier stay listed while their unit is in the course and the zip exists.
    units = {module.id for module in course.modules} | {pathway.id for pathway in course.pathways}
    result.records.extend(record for record in previous.values()
                          if record.id in units and (out_dir / record.path).exists())
    result.report_path = write_build_report(result.records, out_dir)
    return result


def _intact(out_dir: Path, record: PackageRecord) -> bool:
    path = out_dir / record.path
    try:
        return path.stat().st_size == record.size and hashlib.sha256(path.read_bytes()).hexdigest() == record.sha256
    except OSError:
        return False
