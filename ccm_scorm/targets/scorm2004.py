"""SCORM 2004 4th Edition: one SCO per module (or pathway), objectives declared in the manifest.

The manifest declares a primary objective for the module (or pathway) and one objective per
competency (of every module, for a pathway); the LMS preloads them and the runtime (runtime/adapter-scorm2004.js) finds
them by id. Refused for the ESR profile (SCORM 1.2 only).
"""

from __future__ import annotations

from .base import Capabilities
from .lms_profiles import ESR_REFUSES_SCORM2004, SCORM2004_SUSPEND_DATA_LIMIT
from .scorm12 import ScormTarget
from .scorm_manifest import SCORM2004, manifest_scorm2004


class Scorm2004Target(ScormTarget):
    name = "scorm2004"
    title = "SCORM 2004 4th Edition (one SCO per module or pathway)"
    label = "SCORM 2004"
    position = 30
    capabilities = Capabilities(lms_profiles=("moodle", "generic"))
    adapter = "scorm2004"
    scorm_edition = "2004"
    state_limit = SCORM2004_SUSPEND_DATA_LIMIT
    schemaversion = SCORM2004
    _manifest = staticmethod(manifest_scorm2004)

    def profile_refusal(self, profile: str) -> str:
        return ESR_REFUSES_SCORM2004 if profile == "esr" else super().profile_refusal(profile)
