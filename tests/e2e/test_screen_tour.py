"""Every screen each role reaches from its home, at phone (400 px) and laptop (1280 px) width: a screenshot of each
for people to review (artifacts/screenshots/tour-<role>-<screen>-<width>.png), and on each the layout rules of
issue 11 measured in the browser: nothing drawn past the right edge, and every control a finger or a screen reader
meets has a name (a button read out as just "button", such as a filterable picker's arrow, fails).

The tour taps through the app as its user would, from the home's own buttons; a step whose button is missing fails,
so a screen that disappears from a role's reach is noticed here too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import FletPage
from tests.e2e.layout import past_the_edge, unnamed

SERIAL = "NBR22600001"  # a seeded chassis at a site the engineer serves


@dataclass(frozen=True)
class Step:
    screen: str  # the screenshot's name
    press: str = ""  # a button to press (its accessible name), or
    scan: str = ""  # a serial to scan, or
    back: bool = False  # Back
    see: str = ""  # text the screen shows once it is there


BACK = Step("", back=True)
CHIP = re.compile(r"^(all sent|saved on this device|sending|offline)")

# Back follows the route table (app/ui/routes.py): the ledger and the stock sit under their work area, the rack
# view and the incident board under the home.
TOURS: dict[str, list[Step]] = {
    "engineer": [
        Step("home", see="Today's work"),
        Step("chassis", scan=SERIAL, see="Installed FRUs"),
        Step("install", press="Install / move", see="Save installation"),
        BACK,
        Step("new-incident", press="Open incident", see="Open incident now"),
        BACK,
        Step("swap", press="Swap", see="Save swap"),
        BACK,
        Step("rack", press="Rack"),
        BACK,
        Step("incidents", press="Incidents"),
        BACK,
        Step("settings", press="Settings and account", see="Sign out"),
    ],
    "installer": [
        Step("home", see="Chassis waiting to be installed"),
        Step("racks", press="Racks"),
        BACK,
    ],
    "desk": [
        Step("home", see="Queue:"),
        Step("incidents", press="Incidents"),
        Step("incident-call", press="New incident (call)"),
        BACK,
        BACK,
        Step("rma-queue", press="RMA queue"),
        BACK,
        Step("ledger", press="Advance exchange ledger"),
        BACK,
        BACK,
    ],
    "depot": [
        Step("home", see="Open depot orders by stage"),
        Step("scan-session", press="Depot scan session"),
        BACK,
        Step("stock", press="Stock and pool"),
        BACK,
        BACK,
    ],
    "customer": [
        Step("home", see="Your returns"),
        Step("incidents", press="Incidents"),
        BACK,
    ],
    "partner": [
        Step("home", see="Van stock"),
        Step("incidents", press="Incidents"),
        BACK,
    ],
}


def _take(app: FletPage, step: Step) -> None:
    if step.back:
        app.press("Back")
    elif step.scan:
        app.wedge_scan(step.scan)
    elif step.press:
        app.press(step.press)
    if step.see:
        app.see(step.see, timeout=30_000)
    else:
        app.page.wait_for_timeout(1_500)


@pytest.mark.parametrize("width", [400, pytest.param(1280, marks=pytest.mark.slow)])
@pytest.mark.parametrize("role", list(TOURS))
def test_every_screen_of_each_role_fits_the_screen(field_app: Callable[..., FletPage], role: str, width: int) -> None:
    """At 400 px in `make test`; at 1280 px too in `make stress` (the homes' layout at 1280 px is checked by
    test_role_homes.py in every run)."""
    app = field_app(role, width=width, name=f"tour-{role}")
    expect(app.page.get_by_role("button", name=CHIP).first).to_be_visible(timeout=60_000)
    problems: dict[str, list[str]] = {}
    for step in TOURS[role]:
        _take(app, step)
        if step.back:
            continue
        app.shot(f"{step.screen}-{width}")
        found = [f"past the edge: {b.name!r}" for b in past_the_edge(app.page)]
        found += [f"no name: {b.width:.0f}x{b.height:.0f} px at ({b.x:.0f}, {b.y:.0f})" for b in unnamed(app.page)]
        if found:
            problems[step.screen] = found
    assert problems == {}
