"""SCORM 1.2: one SCO per module, `imsmanifest.xml` at the zip root.

The learner content is the shared runtime with the `scorm12` adapter (runtime/adapter-scorm12.js
on top of runtime/scorm-api.js); the CMI mapping is documented in docs/lms-moodle-esr.md.

A pathway is one SCO too: the pathway runtime (a module menu, every module inside) with the
same adapter; the manifest's identifiers, title and description come from the pathway.
"""

from __future__ import annotations

from pathlib import Path

from ..model import Course, Module, Pathway
from ..render import render_module, render_pathway
from ..render.state_size import SCORM12_SUSPEND_DATA_LIMIT
from . import lms_profiles
from .base import BuildOptions, Package, Target, TargetOption
from .scorm_manifest import MANIFEST_NAME, SCORM12, manifest_scorm12, schema_files

SCHEMA_DIR = TargetOption(
    "schema_dir",
    Path,
    None,
    metavar="FOLDER",
    help="Your own licensed copy of the SCORM schema files, to include in SCORM packages.",
)


class ScormTarget(Target):
    """What the two SCORM editions share; subclasses set the edition and the manifest writer."""

    support_scripts = ("scorm-api.js",)
    schemaversion = ""
    launch = "scorm"
    options = (SCHEMA_DIR,)

    @staticmethod
    def _manifest(course: Course, unit: Module | Pathway, files: dict[str, bytes]) -> bytes:
        raise NotImplementedError

    def _content(self, course: Course, module: Module) -> dict[str, bytes]:
        return render_module(
            course, module, self.adapter, extra_data={"scorm": self.schemaversion}, support_scripts=self.support_scripts
        )

    def build_module(self, course: Course, module: Module, options: BuildOptions) -> Package:
        lms_profiles.refuse(self, course, module, options)
        return self._sco(course, module, self._content(course, module), options)

    def build_pathway(self, course: Course, pathway: Pathway, options: BuildOptions) -> Package:
        """One SCO with a module menu; one objective per competency of the pathway's modules."""
        lms_profiles.refuse_pathway(self, course, pathway, options)
        content = render_pathway(
            course,
            pathway,
            self.adapter,
            extra_data={"scorm": self.schemaversion},
            support_scripts=self.support_scripts,
        )
        return self._sco(course, pathway, content, options)

    def _sco(self, course: Course, unit: Module | Pathway, content: dict[str, bytes], options: BuildOptions) -> Package:
        """The package of one SCO: its content, the manifest that lists it, and the user's schema files
        (--schema-dir) that the content does not already hold."""
        files = dict(content)
        files[MANIFEST_NAME] = type(self)._manifest(course, unit, content)
        schema_dir = options.value(SCHEMA_DIR)
        schemas = schema_files(schema_dir if isinstance(schema_dir, Path) else None, self.schemaversion)
        files.update({name: data for name, data in schemas.items() if name not in files})
        return self.package(course, unit, files, lms=lms_profiles.profile(options))

    def lint(self, course: Course, module: Module, options: BuildOptions) -> list[str]:
        manifest = type(self)._manifest(course, module, {"index.html": b""})
        return lms_profiles.lint(self.name, course, module, options, manifest)


class Scorm12Target(ScormTarget):
    name = "scorm12"
    title = "SCORM 1.2 (one SCO per module or pathway; Moodle, ESR, Totara)"
    label = "SCORM 1.2"
    position = 20
    adapter = "scorm12"
    scorm_edition = "12"
    state_limit = SCORM12_SUSPEND_DATA_LIMIT
    schemaversion = SCORM12
    _manifest = staticmethod(manifest_scorm12)
