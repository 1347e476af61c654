"""Driving the Flet web UI with Playwright and Debian's Chromium (never a downloaded browser).

Flutter draws on a canvas; its semantics tree (roles, labels, real <input>s) appears only after its hidden
"Enable accessibility" placeholder is clicked, and text must be typed key by key: ``fill()`` never reaches Flutter.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, FilePayload, Locator, Page, expect
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require_chromium() -> Path:
    if CHROMIUM.exists():
        return CHROMIUM
    message = f"{CHROMIUM} is missing (.ci/run installs Debian's chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


class FletPage:
    def __init__(self, page: Page, *, name: str) -> None:
        self.page = page
        self.name = name

    @classmethod
    def open(cls, browser: Browser, url: str, *, width: int, name: str) -> FletPage:
        page = browser.new_page(viewport={"width": width, "height": 860})
        page.goto(url)
        placeholder = page.locator("flt-semantics-placeholder")
        placeholder.wait_for(state="attached", timeout=60_000)
        placeholder.dispatch_event("click")
        return cls(page, name=name)

    def field(self, label: str) -> Locator:
        return self.page.get_by_label(label, exact=True)

    def tap_field(self, target: Locator) -> None:
        """Tap a field where it is, as a person does once the screen is still.

        Playwright scrolls the field's element into view and clicks at its centre at once. On a phone-width page the
        Flutter view scrolls after the element does (ensureVisible of the field left before), so the click could land
        on the field above: the depot's "Corrective action" got its first letter and "Note" the rest.
        """
        target.scroll_into_view_if_needed()
        box = None
        for _ in range(40):  # until two frames agree on where the field is (at most ~2 s)
            now = target.bounding_box()
            if now is not None and now == box:
                break
            box = now
            self.page.wait_for_timeout(50)
        target.click()

    def type(self, label: str, text: str, *, enter: bool = False) -> None:
        target = self.field(label)
        self.tap_field(target)
        target.press_sequentially(text, delay=15)
        if enter:
            self.page.keyboard.press("Enter")

    def fill_form_field(self, label: str, text: str) -> None:
        """Type into a form field as a person would (the field emptied first), and check it holds exactly that.

        Typed once, never retried: a lost key is a bug (issue 11's lost first keystroke was one, fixed by
        assets/keyguard.js; tests/e2e/test_fast_typing.py keeps it fixed).
        """
        target = self.field(label)
        self.tap_field(target)
        expect(target).to_be_focused(timeout=2_000)  # a text field; a picker's filter hands its focus to its menu
        self._wait_until_mirrored(target)
        target.press("Control+A")
        target.press("Delete")
        expect(target).to_have_value("", timeout=2_000)
        target.press_sequentially(text, delay=15)
        expect(target).to_have_value(text, timeout=5_000)

    def _wait_until_mirrored(self, target: Locator) -> None:
        """Wait until the focused field's <input> holds what the field shows (at most ~2 s).

        Flutter copies the field's text into its <input> a frame or more after the focus; a select-all before that
        selects nothing, and the text arrives after it (a field showing "1" became "130" when "30" was typed on a
        loaded machine). A person sees the text before selecting it; this waits until three reads agree.
        """
        seen: list[str] = []
        for _ in range(20):
            seen.append(target.input_value())
            if len(seen) >= 3 and seen[-1] == seen[-2] == seen[-3]:
                return
            self.page.wait_for_timeout(100)

    def wedge_scan(self, text: str) -> None:
        """A USB/Bluetooth scanner is a keyboard: a fast burst of characters, then Enter."""
        self.type("Scan or type a chassis serial", text, enter=True)

    def pick(self, label: str, filter_text: str, option: str) -> None:
        self.type(label, filter_text)
        self.page.get_by_text(option, exact=True).last.click()

    def press(self, button: str, *, index: int = 0) -> None:
        """Click the ``index``-th button of that name (``-1``: the last one)."""
        self.page.get_by_role("button", name=button).nth(index).click()

    def choose(self, dropdown: str, option: str) -> None:
        """Choose ``option`` in a drop-down found by its accessible name, "label: chosen option" (views/a11y.py)."""
        box = self.page.get_by_role("button", name=re.compile(rf"^{re.escape(dropdown)}(: |$)")).first
        box.click()
        self.page.get_by_role("button", name=option, exact=True).last.click()
        expect(self.page.get_by_role("button", name=f"{dropdown}: {option}", exact=True).first).to_be_visible()

    def _press_expecting(
        self, button: str, expecting: Callable[..., AbstractContextManager[Any]], *, index: int = 0
    ) -> Any:
        """Press ``button`` and return the browser event it should cause (a file dialog, a download).

        The browser opens a file dialog or saves a file only while the click's user activation lasts; on a loaded
        machine the app's answer can come after that, and nothing happens. A person clicks again; so does this
        helper (at most twice).
        """
        for attempt in range(3):
            try:
                with expecting(timeout=10_000) as event:
                    self.press(button, index=index)
            except PlaywrightTimeoutError:
                if attempt == 2:
                    raise
                continue
            return event.value
        raise AssertionError("unreachable")

    def choose_files(self, button: str, files: list[FilePayload], *, index: int = 0) -> None:
        """Press a button that opens the file dialog and choose ``files`` in it."""
        self._press_expecting(button, self.page.expect_file_chooser, index=index).set_files(files=files)

    def download(self, button: str) -> bytes:
        """Press a button that saves a file, and return the file's bytes."""
        return self._press_expecting(button, self.page.expect_download).path().read_bytes()

    def see_nothing_pending(self, *, timeout: float = 45_000) -> None:
        """The status chip says everything is sent (``saved on this device (1 to send)`` is not done yet)."""
        chip = self.page.get_by_role("button", name=re.compile(r"^all sent"))
        expect(chip.first).to_be_visible(timeout=timeout)

    def see(self, text: str, *, timeout: float = 15_000) -> None:
        expect(self.page.get_by_text(text).first).to_be_visible(timeout=timeout)

    def shot(self, step: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{self.name}-{step}.png"
        self.page.wait_for_timeout(800)  # the canvas paints a moment after the semantics tree updates
        self.page.screenshot(path=str(path))
        return path

    def shot_if_possible(self, step: str) -> None:
        """A failed test's picture, when the page can still draw one; a stuck renderer gets a line in the log."""
        try:
            self.shot(step)
        except PlaywrightError as error:
            print(f"{self.name}: no screenshot ({error.message.splitlines()[0]})")

    def close(self) -> None:
        try:
            self.page.close(run_before_unload=False)
        except PlaywrightError as error:
            print(f"{self.name}: the page did not close ({error.message.splitlines()[0]})")
