"""Drive tests/support/lms.html: a real scorm-again LMS runtime around a SCO."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from .paths import SCORM_AGAIN_DIST, require

EDITIONS = {"12": "12", "1.2": "12", "2004": "2004"}


class ScormLms:
    """One launch of a SCO inside the test LMS page.

    Attributes: ``page`` (playwright Page of the LMS), ``frame`` (the SCO's
    Frame), ``edition`` ("12" or "2004"), ``commit_posts`` (JSON bodies the
    API POSTed to ``commit_url``, when one was given).
    """

    def __init__(self, page, edition: str):
        self.page = page
        self.edition = edition
        self.commit_posts: list[Any] = []

    # -------------------------------------------------------------- launch
    def open(
        self,
        sco_url: str,
        *,
        seed: dict | None = None,
        learner: dict | None = None,
        commit_url: str | None = None,
        faults: dict | None = None,
        setup_js: str | None = None,
        settings: dict | None = None,
        wait_for: str | None = "load",
        timeout: float = 15_000,
    ) -> ScormLms:
        require(SCORM_AGAIN_DIST / "scorm12.min.js", "scorm-again (npm)")
        parts = urllib.parse.urlsplit(sco_url)
        if parts.scheme not in ("http", "https"):
            raise ValueError(f"serve the SCO over http (http_server fixture), got {sco_url!r}")
        origin = f"{parts.scheme}://{parts.netloc}"
        seed = dict(seed or {})
        flat = {k: v for k, v in seed.items() if k.startswith("cmi.")}
        nested = {k: v for k, v in seed.items() if not k.startswith("cmi.")}
        config = {
            "edition": self.edition,
            "sco": sco_url,
            "seed": nested or None,
            "flat": flat or None,
            "learner": learner or {"id": "u1", "name": "Doe, Jane"},
            "commitUrl": commit_url or False,
            "faults": faults or {},
            "setup": setup_js,
            "settings": settings or {},
        }
        if commit_url:
            target = urllib.parse.urljoin(origin + "/", commit_url)

            def handle(route):
                body = route.request.post_data
                try:
                    self.commit_posts.append(json.loads(body) if body else None)
                except ValueError:
                    self.commit_posts.append(body)
                route.fulfill(status=200, content_type="application/json", body='{"result": true, "errorCode": 0}')

            self.page.route(target, handle)
        # The config reaches the harness before its own script runs; only on
        # the harness page itself (not in the SCO frame).
        self.page.add_init_script(
            "if (location.pathname === '/__lms/lms.html') { window.__CCM_LMS_CONFIG = " + json.dumps(config) + "; }"
        )
        self.page.goto(f"{origin}/__lms/lms.html?edition={self.edition}", wait_until="load", timeout=timeout)
        self.page.wait_for_function("() => window.__lms && window.__lms.ready", timeout=timeout)
        load_error = self.page.evaluate("() => window.__lms.loadError")
        if load_error:
            raise RuntimeError(f"LMS harness failed to start: {load_error}")
        if wait_for in ("load", "initialize"):
            self.page.wait_for_function("() => window.__lms.scoLoaded", timeout=timeout)
        if wait_for == "initialize":
            self.wait_for("initialize", timeout=timeout)
        return self

    @property
    def frame(self):
        """The SCO's playwright Frame (the iframe named "sco")."""
        frame = self.page.frame(name="sco")
        if frame is None:
            raise RuntimeError("the LMS page has no SCO frame")
        return frame

    # ------------------------------------------------------------- reading
    def _state(self, expr: str):
        return self.page.evaluate(f"() => {expr}")

    def cmi(self) -> dict[str, Any]:
        """Flattened CMI from scorm-again: {"cmi.core.score.raw": "80", ...}."""
        return self._state("window.__lms.api.getFlattenedCMI()")

    def value(self, element: str) -> Any:
        """One value from the flattened CMI (None when absent)."""
        return self.cmi().get(element)

    def render_commit_cmi(self, terminate: bool = False) -> Any:
        """What scorm-again would send to an LMS server (renderCommitCMI)."""
        return self.page.evaluate("(t) => JSON.parse(JSON.stringify(window.__lms.api.renderCommitCMI(t)))", terminate)

    def commit_count(self) -> int:
        """Number of Commit/LMSCommit calls the SCO made (failed ones included)."""
        return self._state("window.__lms.counts.commit")

    def finish_count(self) -> int:
        """Number of Terminate/LMSFinish calls the SCO made."""
        return self._state("window.__lms.counts.finish")

    def initialize_count(self) -> int:
        return self._state("window.__lms.counts.initialize")

    def counts(self) -> dict[str, int]:
        return self._state("Object.assign({}, window.__lms.counts)")

    def set_values(self) -> list[dict[str, Any]]:
        """Every SetValue/LMSSetValue call in order:
        [{"element", "value", "result" ("true"/"false"), "error" (GetLastError code)}]."""
        return self._state("window.__lms.setValues")

    def set_value_pairs(self) -> list[tuple[str, Any]]:
        """(element, value) of the SetValue calls that succeeded."""
        return [(c["element"], c["value"]) for c in self.set_values() if c["result"] == "true"]

    def calls(self) -> list[dict[str, Any]]:
        """Every API call: [{"fn", "args", "result", "error"}]."""
        return [{k: c[k] for k in ("fn", "args", "result", "error")} for c in self._state("window.__lms.calls")]

    def api_initialized(self) -> bool:
        return self._state("window.__lms.api ? window.__lms.api.isInitialized() : false")

    def wait_for(self, what: str, count: int = 1, timeout: float = 10_000) -> None:
        """Wait until the SCO made `count` calls of `what` (initialize, commit,
        finish, setValue, getValue)."""
        self.page.wait_for_function("([w, n]) => window.__lms.counts[w] >= n", arg=[what, count], timeout=timeout)

    def wait_for_finish(self, timeout: float = 10_000) -> None:
        self.wait_for("finish", 1, timeout)

    def unload_sco(self, timeout: float = 10_000) -> None:
        """Navigate the SCO frame away (about:blank), firing its pagehide/unload
        handlers, as when a learner leaves the activity."""
        self.page.evaluate("() => { document.getElementById('sco').src = 'about:blank'; }")
        self.page.wait_for_function(
            "() => { const f = document.getElementById('sco'); try { return f.contentWindow.location.href === 'about:blank'; } catch (e) { return false; } }",
            timeout=timeout,
        )


def open_sco(page, sco_url: str, edition: str = "12", **kwargs) -> ScormLms:
    try:
        ed = EDITIONS[str(edition)]
    except KeyError:
        raise ValueError(f"edition must be '12' or '2004', got {edition!r}") from None
    return ScormLms(page, ed).open(sco_url, **kwargs)
