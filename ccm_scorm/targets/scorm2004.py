"""SCORM 2004 4th Edition: one SCO per module (or pathway), objectives declared in the manifest.

The manifest declares a primary objective for the module (or pathway) and one objective per
competency (of every module, for a pathway); the LMS preloads them and the runtime (runtime/adapter-scorm2004.js) finds
them by id. Refused for the ESR profile (SCORM 1.2 only).
"""

from __future__ import annotations

from . import register
from .scorm12 import ScormTarget
from .scorm_manifest import SCORM2004, manifest_scorm2004


@register
class Scorm2004Target(ScormTarget):
    name = "scorm2004"
    title = "SCORM 2004 4th Edition (one SCO per module or pathway)"
    adapter = "scorm2004"
    schemaversion = SCORM2004
    _manifest = staticmethod(manifest_scorm2004)
