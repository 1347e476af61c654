"""The depot's last steps in a real browser: grading starts with no grade chosen (the first one offered can be
"scrap / supplier claim"), the ship step records carrier and tracking, the RMA follows the parcel to "shipped back",
and the customer's device sees the carrier and tracking."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from app.services.depot import DepotService
from app.services.rma import RmaService
from server.seed import sid
from sync.domain.logistics import DepotStage, Shipment
from sync.domain.rma import Rma, RmaStatus
from tests.e2e.browser import FletPage
from tests.e2e.checks import checking_device, sync_until
from tests.e2e.processes import ServerProcess

# Seeded RMA 8 is RECEIVED at the depot: repair lane, standard model, so the customer's own unit goes back to them.
RECEIVED_RMA, RECEIVED_LABEL = sid("rma", 8), "RMA-2026-000004 · NBR12600032"


def test_grading_has_no_default_the_ship_step_records_the_parcel_and_the_rma_follows_it(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    admin = checking_device(server, tmp_path, "admin", username="admin")
    depot = DepotService(store=admin.store)
    order_id = sid("depot-order", RECEIVED_RMA)
    depot.advance(order_id, to_stage=DepotStage.TRIAGE)
    depot.advance(order_id, to_stage=DepotStage.REPAIR, error_codes=("E-FAN3",))
    depot.advance(order_id, to_stage=DepotStage.BURN_IN, note="new fan wall, 24 h burn-in clean")
    admin.sync()

    app = field_app("depot", width=400, name="depot-ship")
    app.press("Depot scan session")
    app.see("Ready: scan box labels one after another")
    app.press(RECEIVED_LABEL)
    app.see("Photos")
    # Nothing chosen: the drop-down is named by its label alone ("Grade: <choice>" once something is chosen).
    expect(app.page.get_by_role("button", name="Grade", exact=True)).to_be_visible()
    app.shot("grade-400")
    app.press("Grade unit")
    app.see("Choose a grade first")
    app.choose("Grade", "Repaired and tested")
    app.fill_form_field("Root cause", "fan 3 bearing wear")
    app.fill_form_field("Corrective action", "fan wall replaced")
    app.press("Grade unit")
    app.see("Grading saved on this device")
    app.fill_form_field("Carrier", "DHL")
    app.fill_form_field("Tracking number", "JD 0146 0000 6281")
    app.shot("ship-400")
    app.press("To shipped")
    app.see("Depot step saved on this device")
    app.see("Shipped back to the customer", timeout=15_000)
    app.shot("shipped-400")

    customer = checking_device(server, tmp_path, "customer", username="customer")

    def parcel_seen(c: object) -> bool:
        return any(s.tracking == "JD014600006281" for s in customer.store.children(Shipment, RECEIVED_RMA))

    sync_until(customer, parcel_seen)
    rma = customer.store.get(Rma, RECEIVED_RMA)
    assert rma is not None and rma.status is RmaStatus.SHIPPED_BACK
    (line,) = RmaService(store=customer.store).page(RECEIVED_RMA).shipments
    assert (line.carrier, line.tracking, line.serials) == ("DHL", "JD014600006281", ("NBR12600032",))

    # And on the customer's own screen: their chassis, its RMA, the parcel coming back.
    mine = field_app("customer", name="customer-parcel")
    mine.wedge_scan("NBR12600032")
    mine.page.get_by_role("button", name=re.compile(r"RMA-2026-000004")).first.click()
    mine.see("SHIPPED BACK")
    mine.see("DHL · tracking JD014600006281")
    # A standard return: its due date, and no "replacement shipped" that never was.
    mine.see("Return due ")
    expect(mine.page.get_by_text(re.compile(r"^Replacement .* shipped"))).to_have_count(0)
    mine.shot("rma-400")
