"""The test-only recording adapter (tests/support/adapter-recording.js), which packages never carry.

`rendered(render, course, item, adapter)` renders as the product does; for adapter "recording" it
renders the standalone package and swaps its adapter script for the recording one."""

from __future__ import annotations

from pathlib import Path

RECORDING_SCRIPT = Path(__file__).with_name("adapter-recording.js")
_STANDALONE = "runtime/adapter-standalone.js"
_RECORDING = "runtime/adapter-recording.js"


def _swap(html: str, old: str, new: str, count: int | None = None) -> str:
    found = html.count(old)
    expected = found == count if count is not None else found > 0
    assert expected, f"{old!r} {found} times in index.html (has the renderer changed?)"
    return html.replace(old, new)


def with_recording_adapter(files: dict[str, bytes]) -> dict[str, bytes]:
    """A standalone package's files, switched to the recording adapter."""
    files = dict(files)
    del files[_STANDALONE]
    files[_RECORDING] = RECORDING_SCRIPT.read_bytes()
    html = files["index.html"].decode("utf-8")
    html = _swap(html, f'src="{_STANDALONE}"', f'src="{_RECORDING}"', count=1)
    html = _swap(html, '"adapter":"standalone"', '"adapter":"recording"')  # a pathway's modules name it too
    files["index.html"] = html.encode("utf-8")
    return files


def rendered(render, course, item, adapter: str) -> dict[str, bytes]:
    """render(course, item, adapter) (render_module or render_pathway), with the recording adapter if asked."""
    if adapter != "recording":
        return render(course, item, adapter)
    return with_recording_adapter(render(course, item, "standalone"))
