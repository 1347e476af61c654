"""Incidents in a real browser against a real server process, on a clock the test controls.

The desk takes a customer's call, opens a major incident on a chassis sold Mission Critical (2 h response, 4 h
restore, 24×7), filters the board by site, and watches the incident go at risk and then breached as the test moves
the clock (RACKSIDE_TEST_CLOCK_FILE, read by the server and both app processes: sync/clock.py); the engineer,
offline, marks it responded and restored; after sync the desk sees it restored and the attainment on its KPI card.
Screenshots of each incident screen at 400 and 1280 px go to artifacts/screenshots.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from app.bootstrap import Client
from server.seed import sid
from sync.clock import TEST_CLOCK_ENV, set_offset
from sync.domain.asset import Asset
from sync.domain.contract import Contract
from sync.domain.ticket import Ticket
from tests.e2e.browser import ARTIFACTS, FletPage
from tests.e2e.checks import checking_device, sync_until
from tests.e2e.processes import ServerProcess

PLATINUM = sid("contract", "A-PLAT")  # ProSupport Plus Mission Critical, 24×7: a major incident has 2 h / 4 h
FRA1 = sid("site", "fra1")  # an engineer's site, Europe/Berlin


@pytest.fixture(autouse=True)
def controlled_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every process this test starts (server, apps) reads now from this file: real time plus its offset."""
    path = tmp_path / "clock"
    set_offset(path, timedelta(0))
    monkeypatch.setenv(TEST_CLOCK_ENV, str(path))
    yield path


def snap(app: FletPage, screen: str) -> None:
    """artifacts/screenshots/<screen>-400.png and -1280.png of what is on screen now."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width in (400, 1280):
        app.page.set_viewport_size({"width": width, "height": 860})
        app.page.wait_for_timeout(1200)  # the canvas lays out and paints a moment after the resize
        app.page.screenshot(path=str(ARTIFACTS / f"{screen}-{width}.png"))


def platinum_unit(check: Client) -> Asset:
    contract = check.store.get(Contract, PLATINUM)
    assert contract is not None
    found = [check.store.get(Asset, i) for i in contract.asset_ids]
    # One without a seeded incident: every incident on it is this test's.
    units = sorted(
        (a for a in found if a is not None and a.site_id == FRA1 and not check.store.children(Ticket, a.id)),
        key=lambda a: a.serial,
    )
    assert units, "the seed puts platinum-covered chassis at Helix FRA1"
    return units[0]


def button(app: FletPage, name: str | re.Pattern[str]) -> None:
    app.page.get_by_role("button", name=name).first.click()


def test_the_desk_watches_an_incident_breach_and_sees_the_offline_engineers_restore(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path, controlled_clock: Path
) -> None:
    check = checking_device(server, tmp_path, "incidents")
    unit = platinum_unit(check)

    desk = field_app("desk", width=1280, name="incident-desk")
    desk.page.get_by_role("button", name="Incidents", exact=True).click()
    desk.see(" open · ")  # the board's summary line (the seed has incidents of its own)
    button(desk, "New incident (call)")
    desk.fill_form_field("Serial or site", "Helix FRA1")  # the caller names the site first
    desk.see(f"{unit.serial}")
    snap(desk, "incident-call-search")
    desk.fill_form_field("Serial or site", unit.serial)
    button(desk, re.compile(f"^{unit.serial}"))
    desk.see(f"{unit.serial} · Helix FRA1 colo")
    desk.fill_form_field("Symptom", "PSU fault LED, node down")
    desk.choose("Severity", "Major (service degraded)")
    desk.fill_form_field("Contact name", "Ana Operator")
    desk.fill_form_field("Contact phone", "+49 69 1234")
    snap(desk, "incident-new")
    button(desk, "Open incident now")
    desk.see("Open: waiting for the first response")
    desk.see("Response: on track")
    desk.see("due in 1 h 59 min")
    snap(desk, "incident-page")

    set_offset(controlled_clock, timedelta(hours=1, minutes=40))  # 100 of 120 min: past 75 %
    desk.see("Response: at risk", timeout=30_000)
    set_offset(controlled_clock, timedelta(hours=2, minutes=35))
    desk.see("Response: breached", timeout=30_000)
    desk.see("breached 3")  # "breached 35 min ago" (give or take the seconds that passed)
    snap(desk, "incident-breached")
    button(desk, "Back")
    desk.see(f"{unit.serial} · Helix FRA1 colo — breached")
    expect(desk.page.get_by_text("· Helix ASH1 colo —").first).to_be_visible()  # seeded incidents elsewhere
    desk.choose("Site", "Helix FRA1 colo")
    desk.see(f"{unit.serial} · Helix FRA1 colo — breached")
    expect(desk.page.get_by_text("· Helix ASH1 colo —")).to_have_count(0)
    snap(desk, "incident-board")
    button(desk, re.compile(f"^{unit.serial}"))  # back to the incident, to watch the engineer's work arrive
    desk.see("Response: breached")

    engineer = field_app("engineer", name="incident-engineer")
    engineer.see("Open incidents on your sites", timeout=30_000)
    snap(engineer, "incident-home")
    engineer.page.set_viewport_size({"width": 400, "height": 860})
    server.stop()
    engineer.see("offline", timeout=30_000)
    # In the cage: scan the chassis; its page has the coverage badge and its open incident.
    engineer.wedge_scan(unit.serial)
    engineer.see("breached now: response since")
    snap(engineer, "incident-chassis")
    button(engineer, re.compile(f"^{unit.serial} · Helix FRA1 colo — breached"))
    engineer.see("Open: waiting for the first response")
    engineer.fill_form_field("Note (optional)", "on site")
    button(engineer, "Mark responded")
    engineer.see("Responded: an engineer is on it")
    expect(engineer.field("Note (optional)")).to_have_value("")  # a note never carries over to the next step
    engineer.fill_form_field("Note (optional)", "PSU reseated")
    button(engineer, "Mark restored")
    engineer.see("Restored: the service is back")
    engineer.see("PSU reseated")  # the history line, with who
    engineer.see("2 to send", timeout=30_000)
    server.start()
    engineer.see_nothing_pending(timeout=60_000)

    sync_until(check, lambda c: any(t.restored_at is not None for t in c.store.all(Ticket)))
    # The desk's own app follows by its sync rounds: restored, the response missed, the restore met.
    desk.see("Restored: the service is back", timeout=60_000)
    desk.see("Response: missed")
    desk.see("Restore: met")
    desk.see("PSU reseated")
    snap(desk, "incident-restored")
    button(desk, "Back")
    desk.see(" open · ")
    expect(desk.page.get_by_text(f"{unit.serial} · Helix FRA1 colo")).to_have_count(0)  # restored: off the board
    # The attainment on the desk's KPI card: over the last 30 days only this incident (the seed's are older),
    # its response missed (restored after the breach), its restore met.
    button(desk, "Back")
    desk.page.get_by_role("button", name="RMA queue", exact=True).click()
    desk.choose("Period", "Last 30 days")
    desk.see("SLA response attainment")
    desk.see("Helix Cloud: response 0.0 % (0/1) · restore 100.0 % (1/1)")
    snap(desk, "incident-attainment")
