"""The depot and the service desk in a real browser against a real server, with screenshots for people to look at."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.bootstrap import Client
from server.seed import sid
from sync.domain.asset import Asset
from sync.domain.logistics import ObligationStatus, ReturnObligation
from sync.domain.rma import Rma, RmaStatus
from tests.e2e.browser import FletPage
from tests.e2e.checks import checking_device, sync_until
from tests.e2e.processes import ServerProcess

# The seed numbers its ten approved RMAs first, then three boxes on their way to the depot; the server issues 14 next.
BOXES = ("RMA-2026-000011", "RMA-2026-000012", "RMA-2026-000013")
NEXT_NUMBER = "RMA-2026-000014"
READY = "Ready: scan box labels one after another"


def _wedge(app: FletPage, code: str) -> None:
    """A scanner is a keyboard: a burst of keys and Enter, with no click and no dialog between two scans."""
    app.page.keyboard.type(code, delay=10)
    app.page.keyboard.press("Enter")


def test_depot_scan_session_receives_three_boxes_by_wedge_scanning_and_flags_the_duplicate(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    app = field_app("depot", width=1280, name="depot-scan")
    app.press("Depot scan session")
    app.see("This session: 0 received, 0 duplicate")
    app.see(READY)
    for code in (BOXES[0], BOXES[1], BOXES[1], BOXES[2]):
        _wedge(app, code)
    app.see("This session: 3 received, 1 duplicate")
    app.see(f"DUPLICATE: {BOXES[1]} was received earlier in this session")
    assert app.page.get_by_role("dialog").count() == 0
    app.shot("session")
    app.see_nothing_pending()
    check = checking_device(server, tmp_path, "boxes")

    def statuses(c: Client) -> dict[str | None, RmaStatus]:
        return {r.number: r.status for r in c.store.all(Rma) if r.number in BOXES}

    sync_until(check, lambda c: statuses(c) == dict.fromkeys(BOXES, RmaStatus.RECEIVED))
    assert statuses(check) == dict.fromkeys(BOXES, RmaStatus.RECEIVED)


def test_full_advance_exchange_approved_shipped_first_and_closed_when_the_suspect_unit_arrives(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    before = checking_device(server, tmp_path, "before")
    rma = before.store.get(Rma, sid("rma", "exchange"))
    assert rma is not None and rma.status is RmaStatus.TRIAGE
    asset = before.store.get(Asset, rma.asset_id)
    assert asset is not None
    before.store.close()

    # The admin holds both the desk's and the depot's role: one browser walks the whole exchange.
    app = field_app("admin", width=1280, name="exchange")
    app.press("RMA queue")
    app.see("TRIAGE (2)")
    app.page.get_by_role("button", name=f"no RMA number yet · {asset.serial}").first.click()
    app.see("Service model: ")  # on a laptop the RMA is shown beside the queue first
    app.press("Open RMA")
    app.see("Evidence checklist")
    app.shot("triage")
    app.press("Approve and issue number")
    app.see("Approval saved on this device")
    app.see(NEXT_NUMBER, timeout=30_000)  # issued by the server on the next sync round
    app.fill_form_field("Replacement serial (scan)", "NBRP-E2E-0001")
    app.fill_form_field("Carrier", "DHL")
    app.press("Ship replacement now")
    app.see("Replacement shipment saved on this device")
    app.see("REPLACEMENT SHIPPED")
    # At 1280 px the queue sits beside the RMA (app/ui/views/panes.py), so the narrower detail runs longer: scroll
    # it to the return's due date (Flutter leaves what is off screen out of the accessibility tree).
    app.page.mouse.move(900, 600)
    app.page.mouse.wheel(0, 2000)
    app.see("10 business days left")
    app.shot("shipped")

    for _ in range(2):
        app.page.get_by_role("button", name="Back").first.click()
    app.press("Depot scan session")
    app.see(READY)
    _wedge(app, NEXT_NUMBER)
    app.see(f"RECEIVED: {NEXT_NUMBER} · {asset.serial}")
    app.shot("received")
    app.see_nothing_pending()

    after = checking_device(server, tmp_path, "after")

    def received(c: Client) -> bool:
        current = c.store.get(Rma, rma.id)
        return current is not None and current.status is RmaStatus.RECEIVED

    sync_until(after, received)
    done = after.store.get(Rma, rma.id)
    assert done is not None and (done.status, done.replacement_serial) == (RmaStatus.RECEIVED, "NBRP-E2E-0001")
    (obligation,) = after.store.children(ReturnObligation, rma.id)
    assert (obligation.serial, obligation.status) == (asset.serial, ObligationStatus.RECEIVED)
