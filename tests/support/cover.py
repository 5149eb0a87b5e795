"""A module package opens on its cover (title, minutes, outcomes, "Start" or "Continue where you
left off"): the learner helpers pass it to reach the view the module was in."""

from __future__ import annotations

COVER_SHOWN = "#ccm-cover:not([hidden])"


def pass_cover(frame) -> None:
    """On a started module's cover, press its button and wait until the view behind it shows; else nothing.

    `frame` is a Page, Frame or FrameLocator; this waits until its runtime has started (html.ccm-ready)."""
    frame.locator("html.ccm-ready").wait_for(state="attached")
    if frame.locator(COVER_SHOWN).count():
        frame.locator("#ccm-next").click()
        frame.locator("#ccm-cover").wait_for(state="hidden")
