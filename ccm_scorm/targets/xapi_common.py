"""What the xAPI and cmi5 targets share: the refusal of baked-in LRS credentials and
the runtime settings both adapters read from the course data."""

from __future__ import annotations

from typing import ClassVar

from ..model import Course, Module, Pathway
from ..render import render_module, render_pathway
from .base import BuildOptions, Package, Target

# The statement outbox and statement building, loaded between the core and the adapter.
SUPPORT_SCRIPTS = ("xapi-statements.js", "xapi-launch.js", "outbox.js", "xapi-state.js")
LAUNCH_FILE = "index.html"


def runtime_settings(course: Course, module: Module | Pathway) -> dict:
    """Extra course-data keys for the xAPI and cmi5 adapters (`course.xapi` in the runtime)."""
    module_iri = course.pathway_iri(module.id) if isinstance(module, Pathway) else course.module_iri(module.id)
    return {
        "xapi": {
            # the State API document that keeps the learner's place (xAPI resume, cmi5 flags)
            "stateId": f"{module_iri}/ccm-state",
            # IRI prefix of the module's result extensions (per-competency results)
            "extensionBase": f"{course.base_iri}xapi/extension/",
        }
    }


def render_lrs_module(course: Course, module: Module, adapter: str, folder: str = "") -> dict[str, bytes]:
    """The module runtime for an adapter that talks to an LRS (`folder` as for render_module)."""
    return render_module(
        course,
        module,
        adapter,
        needs_network=True,
        extra_data=runtime_settings(course, module),
        support_scripts=SUPPORT_SCRIPTS,
        folder=folder,
    )


def render_lrs_pathway(course: Course, pathway: Pathway, adapter: str) -> dict[str, bytes]:
    """The pathway runtime (module menu) for an adapter that talks to an LRS."""
    return render_pathway(
        course,
        pathway,
        adapter,
        needs_network=True,
        extra_data=runtime_settings(course, pathway),
        support_scripts=SUPPORT_SCRIPTS,
    )


def text_or(value: str, fallback: str) -> str:
    value = (value or "").strip()
    return value if value else fallback


class LrsTarget(Target):
    """What the xAPI and cmi5 targets share: content that talks to the LRS it is launched with,
    never an LRS credential, and a manifest file beside index.html."""

    needs_network = True
    support_scripts = SUPPORT_SCRIPTS
    manifest_name: ClassVar[str] = ""
    # How launches of this target's packages get their credential, for the refusal of --lrs-auth.
    credential_at_launch: ClassVar[str] = ""

    def credential_refusal(self) -> str:
        return (
            f"refusing to put an LRS credential into the {self.name} packages: anyone who opens a package could "
            f"read it and write to (or read from) your LRS. {self.credential_at_launch} See docs/xapi-cmi5.md. "
            "Nothing was written."
        )

    def module_manifest(self, course: Course, module: Module) -> bytes:
        raise NotImplementedError

    def build_module(self, course: Course, module: Module, options: BuildOptions) -> Package:
        files = render_lrs_module(course, module, self.adapter)
        files[self.manifest_name] = self.module_manifest(course, module)
        return self.package(course, module, files)
