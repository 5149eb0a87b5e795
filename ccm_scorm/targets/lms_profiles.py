"""LMS profiles (`ccm build --lms moodle|esr|generic`): what each LMS needs, as build refusals and lints.

- `moodle` (default): SCORM 1.2 is the edition Moodle calls conformant; for SCORM 2004 it
  runs the API but implements no sequencing, keeps no global objectives and its
  interactions report reads only SCORM 1.2 names. The lint says so, and names any 2004
  manifest feature Moodle would ignore.
- `esr` (NHS ESR, Oracle Learning Management): SCORM 1.2 only, one SCO, a strict
  4096-character `cmi.suspend_data`. Building SCORM 2004 for ESR is refused.
- `generic`: the standards' own limits only.

Lints are warnings (`Target.lint`); refusals are `BuildRefused` raised by the targets.
"""

from __future__ import annotations

from ..model import Course, Module, Pathway
from ..render.state_size import (
    SCORM12_SUSPEND_DATA_LIMIT,
    worst_case_pathway_state_length,
    worst_case_state_length,
)
from .base import LMS_PROFILES as PROFILES
from .base import BuildOptions, BuildRefused, Target

SCORM2004_SUSPEND_DATA_LIMIT = 64000
TEXT_COLUMN = 255  # Moodle's identifier, title and organization columns; CMIIdentifier in SCORM 1.2


def profile(options: BuildOptions) -> str:
    name = options.lms or "moodle"
    if name not in PROFILES:
        raise BuildRefused(f"unknown LMS profile {name!r}; choose from {', '.join(PROFILES)}")
    return name


ESR_REFUSES_SCORM2004 = (
    "ESR takes SCORM 1.2 packages with a single SCO: its SCORM adapters and Oracle Learning "
    "Management document SCORM 2004 2nd/3rd Edition at most, not the 4th Edition this target writes. "
    "Build with --target scorm12 for ESR (or choose --lms moodle or generic for a SCORM 2004 package)"
)


def refuse_profile(target: Target, options: BuildOptions) -> str:
    """The LMS profile, or BuildRefused when the target does not build for it (its capabilities say)."""
    name = profile(options)
    if name not in target.capabilities.lms_profiles:
        raise BuildRefused(target.profile_refusal(name))
    return name


def refuse(target: Target, course: Course, module: Module, options: BuildOptions) -> None:
    """Raise BuildRefused when this LMS profile cannot take this target (or this module in it)."""
    name = refuse_profile(target, options)
    if name == "esr":
        size = worst_case_state_length(module)
        if size > SCORM12_SUSPEND_DATA_LIMIT:
            raise BuildRefused(
                f"module {module.id}: the learner's saved progress can reach {size} characters and ESR keeps "
                f"at most {SCORM12_SUSPEND_DATA_LIMIT} in cmi.suspend_data, so resuming would fail; draw fewer "
                "questions per attempt or lower max_length on short-text questions"
            )


def refuse_pathway(target: Target, course: Course, pathway: Pathway, options: BuildOptions) -> None:
    """Raise BuildRefused when this LMS profile cannot take this pathway as one SCO of this target."""
    name = refuse_profile(target, options)
    if name == "esr":
        size = worst_case_pathway_state_length(course, pathway)
        if size > SCORM12_SUSPEND_DATA_LIMIT:
            raise BuildRefused(
                f"pathway {pathway.id}: the learner's saved progress across its {len(pathway.module_ids)} modules can "
                f"reach {size} characters and ESR keeps at most {SCORM12_SUSPEND_DATA_LIMIT} in cmi.suspend_data; "
                "split the pathway, or draw fewer questions per attempt in its modules"
            )


def lint(
    target: str, course: Course, module: Module, options: BuildOptions, manifest: bytes | None = None
) -> list[str]:
    name = profile(options)
    warnings: list[str] = []
    if len(module.title) > TEXT_COLUMN:
        warnings.append(
            f"the title is {len(module.title)} characters long; LMSs such as Moodle keep {TEXT_COLUMN} and cut the rest"
        )
    size = worst_case_state_length(module)
    if target == "scorm12" and size > SCORM12_SUSPEND_DATA_LIMIT:
        warnings.append(
            f"saved progress can reach {size} characters, more than the {SCORM12_SUSPEND_DATA_LIMIT} "
            "SCORM 1.2 allows (ESR, and Moodle with 'SCORM standard' on, refuse longer)"
        )
    if target == "scorm2004" and size > SCORM2004_SUSPEND_DATA_LIMIT:
        warnings.append(
            f"saved progress can reach {size} characters, more than SCORM 2004's {SCORM2004_SUSPEND_DATA_LIMIT}"
        )
    if not module.has_quiz:
        if name == "moodle":
            warnings.append(
                "no quiz: the package reports 'completed' when every page is seen and sends no "
                "score; in Moodle set activity completion to require status 'Completed' "
                "(docs/lms-moodle-esr.md)"
            )
    if name == "moodle" and target == "scorm2004":
        warnings.append(
            "Moodle calls SCORM 2004 unsupported: it runs the 2004 API but not sequencing or "
            "navigation, and its interactions report is empty for 2004 packages; "
            "use --target scorm12 for Moodle unless you need 2004"
        )
        if manifest is not None:
            from .scorm_manifest import ignored_by_moodle

            warnings.extend(f"Moodle ignores {feature}" for feature in ignored_by_moodle(manifest))
    return warnings
