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

from ..model import Course, Module, Pathway


def course_unit_id(course: Course) -> str:
    """The id of a whole-course package: the course title as a lower-case slug (e.g. "coordinated-care-catalogue")."""
    slug = re.sub(r"[^a-z0-9]+", "-", course.settings.title.lower()).strip("-")
    return slug or "course"


class BuildRefused(Exception):
    """The user asked for something a target must not do; the message says why and what to do instead."""


@dataclass(frozen=True)
class BuildOptions:
    lms: str = "moodle"  # moodle | esr | generic
    schema_dir: Path | None = None  # the user's own copy of the SCORM schemas, to include in packages
    # Set only when a user tries to bake an LRS credential into a package: targets that
    # talk to an LRS refuse it (credentials are given at launch time, never packaged).
    lrs_credential: str | None = None


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
    """Base class of the output formats. Subclasses set `name` and implement the two builds."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    # The runtime adapter script (in render/runtime/) this target's content uses.
    adapter: ClassVar[str] = ""
    # Whether the content may talk to a server chosen at launch time (an LRS).
    needs_network: ClassVar[bool] = False
    # Runtime files the adapter builds on, loaded between the core and the adapter.
    support_scripts: ClassVar[tuple[str, ...]] = ()
    # The kind of file its packages are written as (Package.archive).
    archive: ClassVar[str] = "zip"

    def check_options(self, options: BuildOptions) -> None:
        """Raise BuildRefused if this target must not build with these options (checked before anything is written)."""
        if options.lrs_credential is not None:
            raise BuildRefused(
                f"refusing --lrs-auth: {self.name} packages do not talk to an LRS, and no package ever carries an "
                "LRS credential. For xAPI and cmi5, the launcher passes the endpoint and a write-only credential "
                "at launch time (see docs/xapi-cmi5.md). Nothing was written.")

    def build_module(self, course: Course, module: Module, options: BuildOptions) -> Package:
        raise NotImplementedError

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
            competency_ids=course.pathway_competency_ids(unit.id) if is_pathway else unit.evidenced_competency_ids(),
            runtime_files=tuple(path for path in files if path.startswith("runtime/")),
            lms=lms,
        )

    def build_pathway(self, course: Course, pathway: Pathway, options: BuildOptions) -> Package:
        raise NotImplementedError(f"the {self.name} target cannot build pathways yet")

    def build_course(self, course: Course, options: BuildOptions) -> Package:
        """One package for the whole catalogue (e.g. a Moodle course); only targets that override it make one."""
        raise NotImplementedError(f"the {self.name} target does not build a whole-course package")

    def course_notes(self, course: Course, options: BuildOptions) -> list[str]:
        """What users of this target's packages must know about the whole build (build report and CLI warnings)."""
        return []

    def lint(self, course: Course, module: Module, options: BuildOptions) -> list[str]:
        """Warnings about this module for this target and LMS profile (never errors)."""
        return []
