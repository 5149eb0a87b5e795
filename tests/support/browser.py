"""Chromium launch settings, page error collection and axe-core helpers."""

from __future__ import annotations

from typing import Any

from .paths import AXE_JS, CHROMIUM, require

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def launch_chromium(playwright):
    require(CHROMIUM, "Debian Chromium (apt packages chromium, chromium-driver)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)


def attach_error_collectors(page) -> None:
    """Record console errors and uncaught page errors on ``page.ccm_errors``
    (strings "console: ..." / "pageerror: ...", from every frame), and failed
    requests on ``page.ccm_failed_requests``."""
    page.ccm_errors = []
    page.ccm_console = []
    page.ccm_failed_requests = []

    def on_console(msg):
        try:
            loc = msg.location or {}
        except Exception:
            loc = {}
        where = f" ({loc.get('url')}:{loc.get('lineNumber')})" if loc.get("url") else ""
        page.ccm_console.append(f"{msg.type}: {msg.text}")
        if msg.type == "error":
            page.ccm_errors.append(f"console: {msg.text}{where}")

    def on_pageerror(error):
        page.ccm_errors.append(f"pageerror: {error}")

    def on_requestfailed(request):
        page.ccm_failed_requests.append(f"{request.method} {request.url}: {request.failure}")

    page.on("console", on_console)
    page.on("pageerror", on_pageerror)
    page.on("requestfailed", on_requestfailed)


def format_errors(page) -> str:
    errors = getattr(page, "ccm_errors", [])
    return "page errors:\n" + "\n".join(f"  - {e}" for e in errors) if errors else "no page errors"


# --------------------------------------------------------------------- axe

_axe_source: str | None = None


def _axe_js() -> str:
    global _axe_source
    if _axe_source is None:
        _axe_source = require(AXE_JS, "axe-core (npm)").read_text(encoding="utf-8")
    return _axe_source


def _frame_of(target):
    # A Page has .main_frame; a Frame is used as is.
    return getattr(target, "main_frame", target)


def _inject_axe(frame) -> None:
    if not frame.evaluate("() => typeof window.axe === 'object' && typeof window.axe.run === 'function'"):
        # evaluate() runs through the DevTools protocol: no CSP applies.
        frame.evaluate(_axe_js() + "\n;void 0;")
    for child in frame.child_frames:
        if child.is_detached() or child.url in ("", "about:blank"):
            continue
        try:
            _inject_axe(child)
        except Exception:
            pass  # a frame that cannot take a script is reported by axe itself


def axe_check(
    page, context: str | dict | list | Any | None = None, *, tags: list[str] | None = None, rules: dict | None = None
) -> list[dict]:
    """Run axe-core on a Page or Frame and return its violations (a list).

    `context`: a playwright Frame to check instead of the page's main frame,
    or an axe context (CSS selector, or {"include": [...], "exclude": [...]}).
    `tags` default to wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa.  `rules`
    is passed as axe's `rules` option (e.g. {"color-contrast": {"enabled": False}}).
    Each violation is axe's dict: id, impact, description, help, helpUrl, tags,
    nodes[{target, html, failureSummary, ...}].
    """
    frame = _frame_of(page)
    axe_context = context
    if context is not None and hasattr(context, "evaluate") and hasattr(context, "child_frames"):
        frame, axe_context = context, None
    elif context is not None and hasattr(context, "main_frame"):
        frame, axe_context = context.main_frame, None
    frame.wait_for_load_state("load")
    _inject_axe(frame)
    options: dict[str, Any] = {
        "runOnly": {"type": "tag", "values": list(tags or AXE_TAGS)},
        "resultTypes": ["violations"],
        "frameWaitTime": 10_000,
    }
    if rules:
        options["rules"] = rules
    return frame.evaluate(
        """async ([ctx, opts]) => {
            const results = await window.axe.run(ctx === null ? document : ctx, opts);
            return JSON.parse(JSON.stringify(results.violations));
        }""",
        [axe_context, options],
    )


def format_violations(violations: list[dict]) -> str:
    """Readable text of axe violations, for assertion messages."""
    if not violations:
        return "no accessibility violations"
    lines = [f"{len(violations)} accessibility violation(s):"]
    for v in violations:
        lines.append(f"- {v.get('id')} [{v.get('impact')}]: {v.get('help')} ({v.get('helpUrl')})")
        for node in v.get("nodes", [])[:10]:
            target = " ".join(str(t) for t in node.get("target", []))
            html = (node.get("html") or "").replace("\n", " ")
            if len(html) > 160:
                html = html[:157] + "..."
            lines.append(f"    at {target}: {html}")
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            if summary:
                lines.append(f"      {summary}")
        if len(v.get("nodes", [])) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more node(s)")
    return "\n".join(lines)
