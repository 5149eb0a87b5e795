"""The one interface every output format implements (like a Sphinx builder).

A target turns the model of one module (or one pathway) into the files of one
package. It never reads files or YAML: everything it needs is in the model and the
build options. Writing the zip and the build report is `package.py`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from ..errors import WriteProblem
from ..model import Course, Module, Pathway
from ..source.schema import LMS_PROFILES


def course_unit_id(course: Course) -> str:
    """The id of a whole-course package: the course title as a lower-case slug (e.g. "coordinated-care-catalogue")."""
    slug = re.sub(r"[^a-z0-9]+", "-", course.settings.title.lower()).strip("-")
    return slug or "course"


class BuildRefused(WriteProblem):
    """The user asked for something a target must not do; the message says why and what to do instead."""


OPTION_TYPES = (str, int, bool, Path)  # Path: a folder that must exist


@dataclass(frozen=True)
class TargetOption:
    """One option a target takes: `ccm build --<name, dashes for underscores>`, read with `options.value(option)`.

    Targets that declare an option of the same name share it (both SCORM targets take `schema_dir`).
    """

    name: str
    type: type = str
    default: object = None
    help: str = ""
    metavar: str = ""

    def __post_init__(self) -> None:
        if self.type not in OPTION_TYPES:
            raise TypeError(f"option {self.name}: type must be one of {', '.join(t.__name__ for t in OPTION_TYPES)}")

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Capabilities:
    """What a target can make, read by the build, the CLI and the preview (never guessed from its methods)."""

    modules: bool = True  # one package per module (what `ccm preview` shows)
    pathways: bool = True  # one package per pathway
    course: bool = False  # one package for the whole catalogue
    lms_profiles: tuple[str, ...] = LMS_PROFILES  # the `--lms` profiles it builds for; others are refused


@dataclass(frozen=True)
class BuildOptions:
    """What one build asks of every target: the LMS profile, and the values given for the targets' own options.

    `values` maps option names (TargetOption.name) to values; an option not given has its default.
    """

    lms: str = "moodle"
    # Set only when a user tries to bake an LRS credential into a package: every target refuses it
    # (credentials are given at launch time, never packaged).
    lrs_credential: str | None = None
    values: tuple[tuple[str, object], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "values", tuple(sorted(dict(self.values).items())))

    def value(self, option: TargetOption) -> object:
        return dict(self.values).get(option.name, option.default)


@dataclass(frozen=True)
class Package:
    """The files of one package, ready to be zipped; paths are POSIX and relative to the zip root."""

    target: str
    unit_id: str  # module or pathway id
    unit_kind: str  # "module" | "pathway" | "course"
    version: str
    title: str
    files: dict[str, bytes]
    competency_ids: tuple[str, ...]
    runtime_files: tuple[str, ...] = ()  # which of `files` are the shared runtime (for size reports)
    lms: str = ""
    notes: tuple[str, ...] = field(default=())
    archive: str = "zip"  # "zip", or "mbz" for a Moodle course backup (a gzipped tar)


class Target:
    """Base class of the output formats (like a Sphinx builder or an MkDocs plugin).

    A subclass sets the class attributes below and implements the builds its capabilities
    name; it is found through the `ccm_scorm.targets` entry-point group (docs/targets.md).
    """

    name: ClassVar[str] = ""  # what `--target` takes
    title: ClassVar[str] = ""  # one line for `ccm build --help` and the build report
    label: ClassVar[str] = ""  # its short name in the preview ("SCORM 1.2")
    position: ClassVar[int] = 100  # where it comes in lists (`--help`, the preview's menu); built-ins use 10 to 60
    capabilities: ClassVar[Capabilities] = Capabilities()
    options: ClassVar[tuple[TargetOption, ...]] = ()
    # The runtime adapter script (in render/runtime/) this target's content uses.
    adapter: ClassVar[str] = ""
    # Whether the content may talk to a server chosen at launch time (an LRS).
    needs_network: ClassVar[bool] = False
    # Runtime files the adapter builds on, loaded between the core and the adapter.
    support_scripts: ClassVar[tuple[str, ...]] = ()
    # The kind of file its packages are written as (Package.archive).
    archive: ClassVar[str] = "zip"
    # For the preview's inspector: the SCORM edition the content speaks ("12", "2004"), and how many
    # characters of saved progress the standard keeps (None: no limit to show).
    scorm_edition: ClassVar[str] = ""
    state_limit: ClassVar[int | None] = None
    # How an LMS launches the content, for the preview to do the same: "" (opened as it is), "scorm"
    # (the SCORM API in a parent window), "xapi" (endpoint, auth and actor in the launch link) or
    # "cmi5" (a fetch URL for a token in the launch link).
    launch: ClassVar[str] = ""

    @property
    def package_label(self) -> str:
        """How the preview names one of its packages in a sentence ("a SCORM 1.2 package")."""
        return f"{self.label} package"

    def check_options(self, options: BuildOptions) -> None:
        """Raise BuildRefused if this target must not build with these options (the build asks once, before
        anything is written)."""
        if options.lrs_credential is not None:
            raise BuildRefused(self.credential_refusal())
        profile = options.lms or "moodle"
        if profile not in self.capabilities.lms_profiles:
            raise BuildRefused(self.profile_refusal(profile))

    def credential_refusal(self) -> str:
        """Why `--lrs-auth` is refused for this target, and what to do instead."""
        return (
            f"refusing --lrs-auth: {self.name} packages do not talk to an LRS, and no package ever carries an "
            "LRS credential. For xAPI and cmi5, the launcher passes the endpoint and a write-only credential "
            "at launch time (see docs/xapi-cmi5.md). Nothing was written."
        )

    def profile_refusal(self, profile: str) -> str:
        """Why this target does not build for the LMS profile `profile`, and what to do instead."""
        if profile not in LMS_PROFILES:
            return f"unknown LMS profile {profile!r}; choose from {', '.join(LMS_PROFILES)}"
        return (
            f"the {self.name} target does not build for --lms {profile}; it builds for "
            f"{' or '.join(self.capabilities.lms_profiles)}: choose one of those with --lms, or another target"
        )

    def build_module(self, course: Course, module: Module, options: BuildOptions) -> Package:
        """One module's package (capabilities.modules)."""
        raise NotImplementedError(f"the {self.name} target declares no module packages")

    def package(self, course: Course, unit: Module | Pathway, files: dict[str, bytes], lms: str = "") -> Package:
        """The Package of a module or pathway with these files; the runtime is whatever lies under runtime/."""
        is_pathway = isinstance(unit, Pathway)
        return Package(
            target=self.name,
            unit_id=unit.id,
            unit_kind="pathway" if is_pathway else "module",
            version=unit.version,
            title=unit.title,
            files=files,
            competency_ids=(
                course.pathway_competency_ids(unit.id) if isinstance(unit, Pathway) else unit.evidenced_competency_ids()
            ),
            runtime_files=tuple(path for path in files if path.startswith("runtime/")),
            lms=lms,
        )

    def build_pathway(self, course: Course, pathway: Pathway, options: BuildOptions) -> Package:
        """One pathway's package (capabilities.pathways)."""
        raise NotImplementedError(f"the {self.name} target declares no pathway packages")

    def build_course(self, course: Course, options: BuildOptions) -> Package:
        """One package for the whole catalogue, e.g. a Moodle course (capabilities.course)."""
        raise NotImplementedError(f"the {self.name} target declares no whole-course package")

    def course_notes(self, course: Course, options: BuildOptions) -> list[str]:
        """What users of this target's packages must know about the whole build (build report and CLI warnings)."""
        return []

    def lint(self, course: Course, module: Module, options: BuildOptions) -> list[str]:
        """Warnings about this module for this target and LMS profile (never errors)."""
        return []
