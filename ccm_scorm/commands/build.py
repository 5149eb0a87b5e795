"""`ccm build`: the request, the unchanged check, the build with its progress hook, and the result.

The build engine itself is ccm_scorm/build.py.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..build import (
    BuildResult,
    Progress,
    build,
    build_request,
    grouped_warnings,
    package_count,
    source_fingerprint,
    unchanged_build,
)
from ..errors import UsageProblem, WriteProblem
from ..targets import BuildOptions, target_names
from . import DEFAULT_SOURCE, Outcome, load, log

ProgressBar = Callable[[int], AbstractContextManager[Progress | None]]  # opened with the number of packages

INTERRUPTED = (
    "interrupted: the packages already written are whole, nothing half-written was left; run the build again to finish"
)


@dataclass
class BuildAsk:
    """What `ccm build` was asked for, apart from where the course is."""

    out_dir: Path
    targets: tuple[str, ...] = ()
    module_ids: tuple[str, ...] = ()
    pathway_ids: tuple[str, ...] = ()
    lms: str | None = None
    lrs_credential: str | None = None
    target_values: dict[str, object] = field(default_factory=dict)
    force: bool = False
    jobs: int | None = None
    quiet: bool = False  # no warnings or summary lines (--quiet, and --json, which has them in its data)


def build_packages(source: Path, ask: BuildAsk, progress_bar: ProgressBar) -> Outcome:
    """Build what `ask` asks for, or report the packages unchanged when nothing they depend on has changed."""
    source = _course_or_bundled(source, ask.quiet)
    request = build_request(
        ask.targets, ask.lms, ask.target_values, ask.lrs_credential, ask.module_ids, ask.pathway_ids
    )
    fingerprint = source_fingerprint(source, request) if source.is_dir() else ""
    result = None if ask.force or not fingerprint else unchanged_build(ask.out_dir, fingerprint)
    if result is None:
        result = _build(source, ask, fingerprint, progress_bar)
    return _outcome(result, ask)


def _course_or_bundled(source: Path, quiet: bool) -> Path:
    """With no course folder here, `ccm build` builds the CCM catalogue that comes with ccm-scorm, and says so."""
    from ..scaffold import bundled_catalogue

    if source != Path(DEFAULT_SOURCE) or source.exists() or not bundled_catalogue().is_dir():
        return source
    if not quiet:
        log.info(
            f"there is no course folder here ({DEFAULT_SOURCE}/): building the CCM catalogue that comes "
            f"with ccm-scorm ({bundled_catalogue()}); 'ccm new course' starts your own"
        )
    return bundled_catalogue()


def _build(source: Path, ask: BuildAsk, fingerprint: str, progress_bar: ProgressBar) -> BuildResult:
    course = load(source, "nothing was built")
    chosen = list(ask.targets) or [t for t in course.settings.default_targets if t in target_names()]
    options = BuildOptions(
        lms=ask.lms or course.settings.lms,
        lrs_credential=ask.lrs_credential,
        values=tuple((name, value) for name, value in ask.target_values.items() if value is not None),
    )
    try:
        with progress_bar(package_count(course, chosen, ask.module_ids, ask.pathway_ids)) as progress:
            return build(
                course,
                chosen,
                ask.out_dir,
                options,
                module_ids=ask.module_ids,
                force=ask.force,
                progress=progress,
                jobs=ask.jobs,
                pathway_ids=ask.pathway_ids,
                source_fingerprint=fingerprint,
            )
    except KeyError as error:
        raise UsageProblem(error.args[0]) from None
    except OSError as error:
        raise WriteProblem(
            f"cannot write to {error.filename or ask.out_dir}: {error.strerror} — "
            "check the output folder exists and is writable; nothing half-written was left"
        ) from None


def _outcome(result: BuildResult, ask: BuildAsk) -> Outcome:
    outcome = Outcome(
        ascii_json=True,
        data={
            "rebuilt": result.rebuilt,
            "unchanged": result.unchanged,
            "warnings": result.warnings,
            "report": str(result.report_path),
            "packages": [asdict(record) for record in result.records],
        },
    )
    if ask.quiet:
        return outcome
    for warning in grouped_warnings(result.warnings):
        log.warning(warning)
    if result.rebuilt:
        outcome.out.append(
            f"built {len(result.rebuilt)} packages, {len(result.unchanged)} unchanged, "
            f"in {ask.out_dir} (report: {result.report_path})"
        )
    else:
        outcome.out.append(
            f"nothing changed: {len(result.unchanged)} packages in {ask.out_dir} are up to date "
            f"(report: {result.report_path})"
        )
    return outcome
