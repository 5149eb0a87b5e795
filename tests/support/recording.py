"""The test-only recording adapter (tests/support/adapter-recording.js), which packages never carry.

`rendered(render, course, item, adapter)` renders as the product does; for adapter "recording" it
renders the standalone package and bundles its runtime again with the recording adapter in place of
the standalone one (the same minification, the same order)."""

from __future__ import annotations

from pathlib import Path

from ccm_scorm.render import RUNTIME_DIR, RUNTIME_SCRIPT, bundle_scripts, runtime_source, runtime_sources

RECORDING_SCRIPT = Path(__file__).with_name("adapter-recording.js")
_STANDALONE = "adapter-standalone.js"


def _swap(html: str, old: str, new: str, count: int | None = None) -> str:
    found = html.count(old)
    expected = found == count if count is not None else found > 0
    assert expected, f"{old!r} {found} times in index.html (has the renderer changed?)"
    return html.replace(old, new)


def recording_script(kind: str) -> bytes:
    """runtime/ccm.js of a standalone package of this kind, with the recording adapter instead."""
    names = runtime_sources("standalone", kind=kind)
    assert _STANDALONE in names, "the standalone bundle has no adapter-standalone.js (has the renderer changed?)"
    recording = RECORDING_SCRIPT.read_text(encoding="utf-8")
    return bundle_scripts(recording if name == _STANDALONE else runtime_source(name) for name in names)


def with_recording_adapter(files: dict[str, bytes]) -> dict[str, bytes]:
    """A standalone package's files, switched to the recording adapter."""
    files = dict(files)
    html = files["index.html"].decode("utf-8")
    kind = "pathway" if '"kind":"pathway"' in html else "module"
    files[f"{RUNTIME_DIR}/{RUNTIME_SCRIPT}"] = recording_script(kind)
    html = _swap(html, '"adapter":"standalone"', '"adapter":"recording"')  # a pathway's modules name it too
    files["index.html"] = html.encode("utf-8")
    return files


def rendered(render, course, item, adapter: str) -> dict[str, bytes]:
    """render(course, item, adapter) (render_module or render_pathway), with the recording adapter if asked."""
    if adapter != "recording":
        return render(course, item, adapter)
    return with_recording_adapter(render(course, item, "standalone"))
