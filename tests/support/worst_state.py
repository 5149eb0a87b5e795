"""The longest saved state of one module, built in the browser by the runtime's own state
objects: mirrors ccm_scorm/render/state_size.py, so tests compare the two. The functions are
tests/js/worst-state.js, which the Node tests load too."""

from pathlib import Path

# JavaScript function declarations (worstModuleState(course, draw, attempt) and its helpers), for
# page.evaluate snippets to include before their body.
WORST_MODULE_STATE_JS = (Path(__file__).resolve().parents[1] / "js" / "worst-state.js").read_text(encoding="utf-8")
