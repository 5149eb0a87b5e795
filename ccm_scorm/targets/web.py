"""The offline web build: a zip that opens from index.html with no server and no network."""

from __future__ import annotations

from ..model import Course, Module, Pathway
from ..render import render_module, render_pathway
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

    def build_pathway(self, course: Course, pathway: Pathway, options: BuildOptions) -> Package:
        """One page with a menu of the pathway's modules; progress kept on the device, per pathway and version."""
        files = render_pathway(course, pathway, self.adapter)
        competencies: list[str] = []
        for module_id in pathway.module_ids:
            for competency_id in course.module(module_id).evidenced_competency_ids():
                if competency_id not in competencies:
                    competencies.append(competency_id)
        return Package(
            target=self.name,
            unit_id=pathway.id,
            unit_kind="pathway",
            version=pathway.version,
            title=pathway.title,
            files=files,
            competency_ids=tuple(competencies),
            runtime_files=tuple(path for path in files if path.startswith("runtime/")),
            lms="",
        )
