"""SCORM 1.2: one SCO per module, `imsmanifest.xml` at the zip root.

The learner content is the shared runtime with the `scorm12` adapter (runtime/adapter-scorm12.js
on top of runtime/scorm-api.js); the CMI mapping is documented in docs/lms-moodle-esr.md.
"""

from __future__ import annotations

from ..model import Course, Module
from ..render import render_module
from . import lms_profiles, register
from .base import BuildOptions, Package, Target
from .scorm_manifest import MANIFEST_NAME, SCORM12, manifest_scorm12, schema_files


class ScormTarget(Target):
    """What the two SCORM editions share; subclasses set the edition and the manifest writer."""

    support_scripts = ("scorm-api.js",)
    schemaversion = ""

    @staticmethod
    def _manifest(course: Course, module: Module, files: dict[str, bytes]) -> bytes:
        raise NotImplementedError

    def _content(self, course: Course, module: Module) -> dict[str, bytes]:
        return render_module(course, module, self.adapter, extra_data={"scorm": self.schemaversion},
                             support_scripts=self.support_scripts)

    def build_module(self, course: Course, module: Module, options: BuildOptions) -> Package:
        lms_profiles.refuse(self.name, course, module, options)
        content = self._content(course, module)
        files = dict(content)
        files[MANIFEST_NAME] = type(self)._manifest(course, module, content)
        for name, data in schema_files(options.schema_dir, self.schemaversion).items():
            files.setdefault(name, data)
        return Package(
            target=self.name,
            unit_id=module.id,
            unit_kind="module",
            version=module.version,
            title=module.title,
            files=files,
            competency_ids=module.evidenced_competency_ids(),
            runtime_files=tuple(path for path in content if path.startswith("runtime/")),
            lms=lms_profiles.profile(options),
        )

    def lint(self, course: Course, module: Module, options: BuildOptions) -> list[str]:
        manifest = type(self)._manifest(course, module, {"index.html": b""})
        return lms_profiles.lint(self.name, course, module, options, manifest)


@register
class Scorm12Target(ScormTarget):
    name = "scorm12"
    title = "SCORM 1.2 (one SCO per module; Moodle, ESR, Totara)"
    adapter = "scorm12"
    schemaversion = SCORM12
    _manifest = staticmethod(manifest_scorm12)
