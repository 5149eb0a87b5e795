"""`ccm preview`: see a module as a learner will, and what the LMS will record, while writing it.

`start_preview(source, port=0, target="scorm12")` starts the server in background threads
(for tests and tools); `run_preview(...)` is the command, serving until Ctrl+C.
See docs/preview.md.
"""

from .server import DEFAULT_PORT, PreviewServer, run_preview, start_preview

__all__ = ["DEFAULT_PORT", "PreviewServer", "run_preview", "start_preview"]
