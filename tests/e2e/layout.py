"""Measuring a Flet page in the browser: the size of every control people tap, and anything drawn past the edge.

Flutter paints on a canvas; its semantics tree (enabled by FletPage.open) places one element over each control, with
the control's own size and position, so those boxes are what a finger or a screen reader meets.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page

TAPPABLE = "flt-semantics[role=button], flt-semantics[role=checkbox], flt-semantics[role=link], input, textarea"


@dataclass(frozen=True)
class Box:
    name: str
    x: float
    y: float
    width: float
    height: float


def boxes(page: Page, selector: str = TAPPABLE) -> list[Box]:
    found = page.eval_on_selector_all(
        selector,
        """els => els.map(e => {
            const r = e.getBoundingClientRect();
            const name = e.getAttribute('aria-label') || e.innerText || e.getAttribute('placeholder') || '';
            return {name: name.slice(0, 60), x: r.x, y: r.y, width: r.width, height: r.height};
        })""",
    )
    return [Box(**b) for b in found if b["width"] > 0 and b["height"] > 0]


def too_small(page: Page, *, least: float = 48.0) -> list[Box]:
    """Tappable controls smaller than ``least`` px in either direction. A control the scrolling body cuts at the
    bottom of the window shows only part of itself, so only controls wholly above the last 60 px are measured."""
    bottom = (page.viewport_size["height"] if page.viewport_size else 0) - 60
    return [b for b in boxes(page) if b.y + b.height <= bottom and (b.height < least - 0.5 or b.width < least - 0.5)]


def past_the_edge(page: Page) -> list[Box]:
    """Controls reaching past the right edge of the window: a row too wide for the screen."""
    width = page.viewport_size["width"] if page.viewport_size else 0
    return [b for b in boxes(page, "flt-semantics") if b.x + b.width > width + 1]


def unnamed(page: Page) -> list[Box]:
    """Tappable controls with no accessible name."""
    return [b for b in boxes(page) if not b.name.strip()]
