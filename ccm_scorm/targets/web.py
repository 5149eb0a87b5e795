"""The offline web build: a zip that opens from index.html with no server and no network."""

from __future__ import annotations

from ..model import Course, Module
from ..render import render_module
from . import register
from .base import BuildOptions, Package, Target


@register
class WebTarget(Target):
    name = "web"
    title = "Offline web (opens from index.html, progress kept on the device)"
    adapter = "standalone"

    def build_module(self, course: Course, module: Module, options: BuildOptions) -> Package:
        files = render_module(course, module, self.adapter)
        return Package(
            target=self.name,
            unit_id=module.id,
            unit_kind="module",
            version=module.version,
            title=module.title,
            files=files,
            competency_ids=module.evidenced_competency_ids(),
            runtime_files=tuple(path for path in files if path.startswith("runtime/")),
            lms="",
        )
