"""Each role's home at phone (400 px) and laptop (1280 px) width: the role's own sections, nothing it may not open,
every tappable control at least 48 px and named, nothing past the right edge; screenshots for review."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import FletPage
from tests.e2e.layout import past_the_edge, too_small, unnamed

# Role → (a heading its home shows, buttons it offers, buttons it must not offer).
HOMES = {
    "engineer": ("Today's work", [], ["RMA queue", "Depot scan session"]),
    "partner": ("Van stock", [], ["RMA queue", "Depot scan session"]),
    "installer": ("Chassis waiting to be installed", [], ["RMA queue", "Depot scan session"]),
    "depot": ("Open depot orders by stage", ["Depot scan session", "Stock and pool"], ["RMA queue"]),
    "desk": ("Queue:", ["RMA queue", "Advance exchange ledger"], ["Depot scan session"]),
    "customer": ("Your returns", [], ["RMA queue", "Depot scan session", "Stock and pool"]),
}


@pytest.mark.parametrize("width", [400, 1280])
@pytest.mark.parametrize("role", list(HOMES))
def test_each_role_home_fits_the_screen_and_offers_only_its_own_work(
    field_app: Callable[..., FletPage], role: str, width: int
) -> None:
    app = field_app(role, width=width, name=f"home-{role}")
    section, offered, withheld = HOMES[role]
    app.see(section, timeout=30_000)
    for name in offered:
        expect(app.page.get_by_role("button", name=name).first).to_be_visible()
    for name in withheld:
        expect(app.page.get_by_role("button", name=name)).to_have_count(0)
    app.page.wait_for_timeout(800)
    app.shot(str(width))
    assert too_small(app.page) == []
    assert past_the_edge(app.page) == []
    assert unnamed(app.page) == []


SEEDED_SERIAL = "NBR22600001"


@pytest.mark.parametrize("width", [400, 1280])
def test_the_visit_report_and_the_sync_screen_fit_a_phone_and_a_laptop(
    field_app: Callable[..., FletPage], width: int
) -> None:
    app = field_app("engineer", width=width, name="visit")
    app.wedge_scan(SEEDED_SERIAL)
    app.press("Start visit")
    app.see("Visit start saved on this device")
    app.see("Customer signature")  # starting a visit opens its report
    pad = app.page.get_by_role("button", name="Clear signature")
    expect(pad).to_be_visible()
    app.shot(str(width))
    assert past_the_edge(app.page) == []
    assert too_small(app.page) == []
    app.press("Back")
    app.see("Installed FRUs")
    app.page.get_by_role("button", name=re.compile(r"^(all sent|saved on this device|sending)")).first.click()
    app.see("Sync now")
    app.page.wait_for_timeout(500)
    page = FletPage(app.page, name="sync")
    page.shot(str(width))
    assert past_the_edge(app.page) == []
    assert too_small(app.page) == []
    assert unnamed(app.page) == []


@pytest.mark.parametrize("width", [400, 1280])
def test_a_laptop_shows_the_queue_beside_the_open_rma_and_a_phone_shows_the_rma_alone(
    field_app: Callable[..., FletPage], width: int
) -> None:
    app = field_app("desk", width=width, name="desk-rma")
    app.see("Queue:", timeout=30_000)
    first_case = app.page.get_by_role("button", name=re.compile(r"^(RMA-|no number yet)")).first
    first_case.click()
    if width >= 1000:
        app.see("Customer:")  # the summary beside the queue, on the home
        app.press("Open RMA")
    app.page.wait_for_timeout(1500)
    expect(app.page.get_by_role("button", name="Back", exact=True)).to_be_visible()
    queue_beside = app.page.get_by_text(re.compile(r"^Queue: \d+ of \d+$"))
    expect(queue_beside).to_have_count(1 if width >= 1000 else 0)
    app.shot(str(width))
    assert past_the_edge(app.page) == []

    # Back on the RMA queue screen (/desk): a laptop shows the tapped RMA beside the queue (it was one stretched
    # column), a phone the queue alone, and a tap there opens the RMA's own screen.
    app.press("Back")
    ledger = app.page.get_by_role("button", name="Advance exchange ledger")
    expect(ledger).to_be_visible()
    app.page.get_by_role("button", name=re.compile(r"^(RMA-|no RMA number yet|draft)")).first.click()
    app.page.wait_for_timeout(1500)
    beside = app.page.get_by_text(re.compile(r"^Service model: "))
    if width >= 1000:
        expect(beside).to_have_count(1)
        expect(app.page.get_by_role("button", name="Open RMA")).to_be_visible()
        expect(ledger).to_be_visible()  # still the queue screen
        FletPage(app.page, name="desk-queue").shot(str(width))
    else:
        expect(ledger).to_have_count(0)  # the RMA's own screen
        expect(beside).to_have_count(0)
        app.press("Back")
        expect(ledger).to_be_visible()
        FletPage(app.page, name="desk-queue").shot(str(width))
    assert past_the_edge(app.page) == []
    assert unnamed(app.page) == []


@pytest.mark.parametrize("width", [400, 1280])
def test_a_laptop_shows_the_orders_beside_the_open_depot_order(field_app: Callable[..., FletPage], width: int) -> None:
    app = field_app("depot", width=width, name="depot-order")
    app.see("Open depot orders by stage", timeout=30_000)
    app.page.get_by_role("button", name=re.compile(r"^(RMA-|no RMA)")).first.click()
    if width >= 1000:
        app.press("Open order")
    app.see("Depot order")
    app.page.wait_for_timeout(1000)
    beside = app.page.get_by_text("Open depot orders by stage", exact=True)
    expect(beside).to_have_count(1 if width >= 1000 else 0)
    app.shot(str(width))
    assert past_the_edge(app.page) == []
