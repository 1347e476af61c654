"""Issue 11, "speak the user's language", in a real browser: each role signs in, visits its screens, and no screen
shows an internal value (a snake_case code, a spaced-out code such as "needs info", an ISO timestamp, a bare UTC
time, an amount without its currency). The device runs in Berlin time (TZ), as a device in the field does: a "UTC"
on screen is a time that was not put on a site's (or the device's) clock. A refusal by the server reads as plain
words with what to do next.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import expect

from tests.e2e.browser import FletPage
from tests.e2e.test_never_crash import _press_until, register_as_helix_r2

SEEDED_SERIAL = "NBR22600001"
DEVICE_ZONE = {"TZ": "Europe/Berlin"}
DEPOT_ZONE = {"TZ": "Europe/Amsterdam"}  # the depot's devices are at the depot in Eindhoven

SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
ISO_TIMESTAMP = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})|\d{4}-\d{2}-\d{2}T\d"
)
BARE_UTC = re.compile(r"\bUTC\b|\+00:00")
# An amount (thousands, two decimals) not preceded by its ISO 4217 currency code.
BARE_MONEY = re.compile(r"(?<![A-Z]{3} )(?<![\d,.])\d{1,3}(?:,\d{3})*\.\d{2}(?![\d%])")
# Codes people would read as words with their underscores replaced: still codes, not labels.
SPACED_CODES = re.compile(
    r"\b(needs info|burn in|repaired tested|ready to swap|scrap supplier claim|no fault found|advance exchange|"
    r"return for credit|depot repair|on site|replacement shipped|awaiting return|returned nff|in stock|"
    r"label printed|critical|major|minor)\b"
)


def screen_text(app: FletPage) -> str:
    """Everything the screen says: the semantics tree's text and every accessible name (buttons, tiles, fields)."""
    app.page.wait_for_timeout(600)  # the semantics tree follows the last rebuild a moment later
    texts = app.page.eval_on_selector_all(
        "flt-semantics-host, flt-semantics-host *",
        """els => els.flatMap(e => [e.getAttribute('aria-label') || '',
                                    e.childElementCount === 0 ? (e.textContent || '') : ''])""",
    )
    return "\n".join(t for t in texts if t)


def raw_values(text: str) -> list[str]:
    found: list[str] = []
    for pattern in (SNAKE_CASE, ISO_TIMESTAMP, BARE_UTC, BARE_MONEY, SPACED_CODES):
        found += [m.group(0) for m in pattern.finditer(text)]
    return found


def check_screen(app: FletPage, screen: str, seen: dict[str, list[str]]) -> None:
    text = screen_text(app)
    assert len(text) > 40, f"{app.name} {screen}: the screen said almost nothing: {text!r}"
    raw = raw_values(text)
    if raw:
        seen[f"{app.name} {screen}"] = sorted(set(raw))


def open_first(app: FletPage, pattern: str, then: str, *, index: int = 0) -> bool:
    """Open the ``index``-th list row whose accessible name matches ``pattern``; False when the list is shorter.
    Clicked again when the first tap is absorbed by a screen still settling (as _press_until does for buttons)."""
    rows = app.page.get_by_role("button", name=re.compile(pattern))
    if rows.count() <= index:
        return False
    name = rows.nth(index).get_attribute("aria-label") or ""
    for _ in range(2):
        rows.nth(index).click()
        try:
            app.see(then, timeout=10_000)
            return True
        except AssertionError:
            # Tap again only if the list is still there: a second tap on the next screen would press something else.
            if app.page.get_by_role("button", name=name, exact=True).count() == 0:
                break
    app.see(then, timeout=30_000)
    return True


def back(app: FletPage, then: str) -> None:
    _press_until(app, "Back", then)


def test_no_role_sees_a_raw_internal_value_on_any_of_its_screens(field_app: Callable[..., FletPage]) -> None:
    seen: dict[str, list[str]] = {}

    engineer = field_app("engineer", name="words-engineer", env=DEVICE_ZONE)
    engineer.see("Recent chassis")
    engineer.see_nothing_pending()
    check_screen(engineer, "home", seen)
    engineer.wedge_scan(SEEDED_SERIAL)
    engineer.see("Installed FRUs")
    check_screen(engineer, "chassis", seen)
    if open_first(engineer, r"^(RMA-|draft ·|no RMA number yet ·)", "Evidence checklist"):
        check_screen(engineer, "rma", seen)
        back(engineer, "Installed FRUs")
    _press_until(engineer, "Draft RMA", "Rack depth and rail kit")
    check_screen(engineer, "rma draft", seen)
    back(engineer, "Installed FRUs")
    _press_until(engineer, "Start visit", "Visit start saved on this device")
    check_screen(engineer, "visit", seen)
    back(engineer, "Installed FRUs")
    back(engineer, "Recent chassis")
    check_screen(engineer, "home with today's visit", seen)
    _press_until(engineer, "Settings and account", "Signed in as")
    check_screen(engineer, "settings", seen)
    engineer.page.close()

    desk = field_app("desk", width=1280, name="words-desk", env=DEVICE_ZONE)
    _press_until(desk, "RMA queue", "Advance exchange ledger")
    check_screen(desk, "queue", seen)
    for n in range(3):
        # On a laptop a tapped RMA is shown beside the queue (its title as the detail's heading), then opened.
        rows = desk.page.get_by_role("button", name=re.compile(r" · NB"))
        if rows.count() <= n:
            break
        title = rows.nth(n).inner_text().split("\n")[0]
        rows.nth(n).click()
        expect(desk.page.get_by_text(title, exact=True).first).to_be_visible(timeout=15_000)
        check_screen(desk, f"queue with rma {n}", seen)
        _press_until(desk, "Open RMA", "Evidence checklist")
        check_screen(desk, f"rma {n}", seen)
        back(desk, "Advance exchange ledger")
    _press_until(desk, "Advance exchange ledger", "open returns")
    check_screen(desk, "ledger", seen)
    desk.page.close()

    depot = field_app("depot", width=1280, name="words-depot", env=DEPOT_ZONE)
    _press_until(depot, "Depot scan session", "Ready: scan box labels one after another")
    check_screen(depot, "session", seen)
    if open_first(depot, r" · NB", "Photos"):
        check_screen(depot, "order", seen)
        back(depot, "Ready: scan box labels one after another")
    _press_until(depot, "Stock and pool", "Stock levels")
    check_screen(depot, "stock", seen)
    depot.page.close()

    for role in ("installer", "customer", "partner"):
        app = field_app(role, name=f"words-{role}", env=DEVICE_ZONE)
        app.see("Settings and account")
        check_screen(app, "home", seen)
        _press_until(app, "Settings and account", "Signed in as")
        check_screen(app, "settings", seen)
        app.page.close()

    assert seen == {}, f"raw internal values on screen: {seen}"


def test_a_refused_registration_says_what_was_refused_why_and_what_to_do(field_app: Callable[..., FletPage]) -> None:
    # The installer works in Tokyo and cannot see Helix Frankfurt's chassis: the serial is taken out of its sight.
    app = field_app("installer", name="sync-refusal", env={"TZ": "Asia/Tokyo"})
    register_as_helix_r2(app, SEEDED_SERIAL)
    app.see("Recent chassis", timeout=45_000)  # the refused chassis closes (issue 11, never crash)
    app.page.get_by_role("button", name=re.compile("1 rejected|1 refused")).first.click()
    app.see("Rejected changes (1)")
    app.shot("400")  # artifacts/screenshots/sync-refusal-400.png
    text = screen_text(app)  # a card's text is its accessible name: read there, not as text nodes
    assert f"Registering chassis {SEEDED_SERIAL} was refused" in text, text
    assert f"{SEEDED_SERIAL} is already registered, to a customer or site this account cannot see." in text, text
    assert "Check the serial on the chassis label. If it is right, ask the service desk for access to it." in text
    assert "natural key" not in text and "duplicate" not in text and "RegisterAsset" not in text, text
    assert raw_values(text) == [], raw_values(text)
