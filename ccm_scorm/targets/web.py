"""The offline web build: a zip that opens from index.html with no server and no network."""

from __future__ import annotations

from ..model import Course, Module, Pathway
from ..render import render_module, render_pathway
from .base import BuildOptions, Package, Target


class WebTarget(Target):
    name = "web"
    title = "Offline web (opens from index.html, progress kept on the device)"
    label = "Offline web"
    position = 10
    package_label = "offline web package"
    adapter = "standalone"

    def build_module(self, course: Course, module: Module, options: BuildOptions) -> Package:
        files = render_module(course, module, self.adapter)
        return self.package(course, module, files)

    def build_pathway(self, course: Course, pathway: Pathway, options: BuildOptions) -> Package:
        """One page with a menu of the pathway's modules; progress kept on the device, per pathway and version."""
        files = render_pathway(course, pathway, self.adapter)
        return self.package(course, pathway, files)
