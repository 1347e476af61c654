"""Issue 11, "lost first keystroke": typing the moment a field gets focus keeps every character, at phone width.

The cause lives in the browser: Flutter's web engine opens its text-input connection a few milliseconds after the
field's <input> takes focus, then writes the old text over what was typed meanwhile (measured: 4-35 ms). The app
ships assets/keyguard.js to put those keys back (see that file). Before it, this test lost the first key in about
half the tries on the serial field. ``RACKSIDE_E2E_NO_KEYGUARD=1`` runs the same test with the script blocked, to
see it fail.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from playwright.sync_api import Route, expect

from server.seed import DEMO_PASSWORD
from tests.e2e.browser import FletPage

# Taps per field: 10 in `make test` (a loss rate of 1 in 3, as measured before the fix, survives 10 taps of all four
# fields with a chance of 10^-7), the 30 in `make stress`.
TRIES = 10
STRESS_TRIES = 30
SEEDED_SERIAL = "NBR22600001"


def test_typing_right_after_focus_keeps_every_character_in_every_kind_of_field(
    field_app: Callable[..., FletPage], stress: bool
) -> None:
    tries = STRESS_TRIES if stress else TRIES
    app = field_app("engineer", width=400, name="fast-typing")
    if os.environ.get("RACKSIDE_E2E_NO_KEYGUARD") == "1":
        _without_keyguard(app)
    app.see("Recent chassis")
    lost: dict[str, list[str]] = {}
    lost["serial"] = _type_right_after_focus(app, "Scan or type a chassis serial", "NBR22600011", tries)

    app.wedge_scan(SEEDED_SERIAL)
    app.press("Start visit")
    app.see("Customer signature")
    lost["notes"] = _type_right_after_focus(app, "Work notes", "fan wall reseated\nPSU2 LED amber", tries)
    lost["signer"] = _type_right_after_focus(app, "Signed by (customer's name)", "Mei Tanaka", tries)

    _leave_form(app)
    app.see("Installed FRUs")
    app.page.get_by_role("button", name="Back").first.click()
    app.see("Recent chassis")
    app.press("Settings and account")
    app.see("Signed in as")
    app.press("Sign out")
    app.see("Signed out; local data removed from this device")
    lost["password"] = _type_right_after_focus(app, "Password", DEMO_PASSWORD, tries)

    repairs = app.page.evaluate("window.racksideKeyguard ? window.racksideKeyguard.repairs : null")
    print(f"keyguard repairs: {repairs}; lost: { {k: len(v) for k, v in lost.items()} }")
    assert lost == {"serial": [], "notes": [], "signer": [], "password": []}


def _type_right_after_focus(app: FletPage, label: str, text: str, tries: int) -> list[str]:
    """Leave the field, tap it and type at once, ``tries`` times; return what the field held each time it was wrong."""
    field = app.field(label)
    wrong: list[str] = []
    for _ in range(tries):
        app.page.mouse.click(110, 28)  # the app bar's title, clear of the sync chip: takes focus away, nothing else
        app.page.wait_for_timeout(150)
        field.click()
        field.press_sequentially(text, delay=15)  # no pause between the tap and the first key
        held = _settled_value(app, label, text)
        if held != text:
            wrong.append(held)
        field.press("Control+A")
        field.press("Delete")
        expect(field).to_have_value("", timeout=5_000)
    return wrong


def _settled_value(app: FletPage, label: str, text: str) -> str:
    """The field's value once it equals ``text``, or after two seconds whatever it holds."""
    field = app.field(label)
    try:
        expect(field).to_have_value(text, timeout=2_000)
    except AssertionError:
        pass
    return field.input_value()


def _leave_form(app: FletPage) -> None:
    """Back from a form with a draft: it asks first (Keep editing / Discard changes); discard, this test types."""
    app.page.get_by_role("button", name="Back").first.click()
    ask = app.page.get_by_role("button", name="Discard changes")
    try:
        expect(ask.first).to_be_visible(timeout=3_000)
    except AssertionError:
        return
    ask.first.click()


def _without_keyguard(app: FletPage) -> None:
    def refuse(route: Route) -> None:
        route.abort()

    app.page.route("**/keyguard.js", refuse)
    app.page.reload()
    placeholder = app.page.locator("flt-semantics-placeholder")
    placeholder.wait_for(state="attached", timeout=60_000)
    placeholder.dispatch_event("click")
