"""Depot intents through the device's unit of work: the scan session, order steps, grading, pool and stock views."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest

from app.bootstrap import Client
from app.services.depot import DepotService
from server.seed import sid
from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.commands import SwapFru
from sync.domain.errors import IllegalTransition, InvalidInput
from sync.domain.logistics import DepotGrade, DepotOrder, DepotStage
from sync.domain.rma import Rma, RmaStatus
from sync.domain.stock import StockLevel, stock_level_id

BOXES = [sid("rma", f"box-{n}") for n in range(3)]


@pytest.fixture
def depot(enrolled: Callable[[str], Client]) -> tuple[Client, DepotService]:
    client = enrolled("depot")
    client.sync()
    return client, DepotService(store=client.store)


def test_a_scan_session_receives_three_boxes_one_scan_one_receipt_and_flags_duplicates(
    depot: tuple[Client, DepotService],
) -> None:
    client, service = depot
    numbers = []
    for rma_id in BOXES:
        rma = client.store.get(Rma, rma_id)
        assert rma is not None and rma.number is not None and rma.status is RmaStatus.AWAITING_RETURN
        numbers.append(rma.number)
    outcomes = [service.scan(code).outcome for code in (numbers[0], numbers[1], numbers[1], numbers[2])]
    assert outcomes == ["received", "received", "duplicate", "received"]
    asset = client.store.get(Asset, client.store.get(Rma, BOXES[0]).asset_id)  # type: ignore[union-attr]
    assert asset is not None
    # The same box scanned again by its serial: the session knows what it received.
    by_serial = service.scan(asset.serial)
    assert by_serial.outcome == "duplicate" and "earlier in this session" in str(by_serial.message)
    unknown = service.scan("RMA-2099-999999")
    assert unknown.outcome == "refused" and "no RMA or awaited return" in unknown.message
    session = service.session
    assert (session.received, session.duplicates, len(session.lines)) == (3, 2, 6)
    assert session.lines[0].code == "RMA-2099-999999"  # newest first
    assert client.store.pending_count() == 3
    assert [client.store.get(Rma, r).status for r in BOXES] == [RmaStatus.RECEIVED] * 3  # type: ignore[union-attr]
    # A new session (another shift) knows nothing, but the domain knows the box already arrived.
    service.new_session()
    again = service.scan(numbers[2])
    assert again.outcome == "duplicate" and "already received" in again.message
    assert client.store.pending_count() == 3
    report = client.sync()
    assert (report.pushed, report.rejected) == (3, 0)
    assert len({o.rma_id for o in client.store.all(DepotOrder) if o.rma_id in BOXES}) == 3


@pytest.mark.usefixtures("device_in_tokyo")
def test_a_depot_order_goes_triage_repair_burn_in_graded_and_ships_back_with_codes_and_notes(
    depot: tuple[Client, DepotService],
) -> None:
    client, service = depot
    number = client.store.get(Rma, BOXES[0]).number  # type: ignore[union-attr]
    order_id = service.scan(number or "").depot_order_id
    assert order_id is not None
    page = service.order_page(order_id)
    assert [s.stage for s in page.steps] == [DepotStage.TRIAGE] and page.grades == ()
    (row,) = [r for r in service.orders() if r.depot_order_id == order_id]
    assert row.zone == "Europe/Amsterdam"  # the list and the depot home show "received" on the depot's clock
    service.advance(order_id, to_stage=DepotStage.TRIAGE)
    assert client.store.get(Rma, BOXES[0]).status is RmaStatus.INSPECTION  # type: ignore[union-attr]
    page = service.order_page(order_id)
    assert {(s.stage, s.needs_error_code, s.needs_note) for s in page.steps} == {
        (DepotStage.REPAIR, True, False),
        (DepotStage.BURN_IN, False, True),
    }
    assert page.grades == (DepotGrade.SCRAP_SUPPLIER_CLAIM,)
    with pytest.raises(InvalidInput, match="error code"):
        service.advance(order_id, to_stage=DepotStage.REPAIR)
    service.advance(order_id, to_stage=DepotStage.REPAIR, error_codes=("e-fan3",), note="fan 3 seized")
    service.advance(order_id, to_stage=DepotStage.BURN_IN, note="new fan wall, 24 h burn-in clean")
    service.note(order_id, "photo of the seized bearing on the bench")
    with pytest.raises(IllegalTransition):
        service.advance(order_id, to_stage=DepotStage.TRIAGE)
    page = service.order_page(order_id)
    assert set(page.grades) == {DepotGrade.REPAIRED_TESTED, DepotGrade.SCRAP_SUPPLIER_CLAIM}
    with pytest.raises(InvalidInput, match="root cause"):
        service.grade(order_id, grade=DepotGrade.REPAIRED_TESTED)
    service.grade(order_id, grade=DepotGrade.REPAIRED_TESTED, root_cause="bearing wear", corrective_action="new fan")
    ship = next(s for s in service.order_page(order_id).steps if s.stage is DepotStage.SHIPPED)
    assert (ship.needs_grade, ship.needs_parcel) == (True, True)
    with pytest.raises(InvalidInput, match="tracking number"):
        service.advance(order_id, to_stage=DepotStage.SHIPPED, note="back to Helix", carrier="DHL")
    service.advance(
        order_id, to_stage=DepotStage.SHIPPED, note="back to Helix", carrier="DHL", tracking="JD 0146 0000 6281"
    )
    page = service.order_page(order_id)
    assert (page.stage, page.grade, page.error_codes, page.root_cause) == (
        DepotStage.SHIPPED,
        DepotGrade.REPAIRED_TESTED,
        ("E-FAN3",),
        "bearing wear",
    )
    # The RMA follows the parcel: the customer's own unit is on its way back (it stayed "repaired" before).
    assert page.rma_status is RmaStatus.SHIPPED_BACK
    # A depot order is the depot's: its history is on the Eindhoven depot's clock with its zone, not on this
    # device's (Tokyo here; it was JST before). December: Central European Time.
    assert all(line.split(" ")[2] == "CET" for line in page.history)
    assert [line.split(" ", 3)[3] for line in page.history] == [
        "Triage",
        "Repair [E-FAN3]: fan 3 seized",
        "Burn-in test: new fan wall, 24 h burn-in clean",
        "Shipped: back to Helix · DHL JD014600006281",
    ]
    assert order_id not in {o.depot_order_id for o in service.orders()}
    service.close_rma(BOXES[0])
    assert client.sync().rejected == 0
    assert client.store.get(Rma, BOXES[0]).status is RmaStatus.CLOSED  # type: ignore[union-attr]


def test_a_part_removed_in_the_field_is_received_by_serial_and_graded_into_the_refurbished_pool(
    enrolled: Callable[[str], Client], depot: tuple[Client, DepotService]
) -> None:
    engineer = enrolled("engineer")
    engineer.sync()
    van, fan_wall = sid("loc", "van-engineer"), sid("pn", "FW-R-02")
    asset = next(a for a in engineer.store.all(Asset) if a.sku_id == sid("sku", "R2") and a.part_in("FAN-WALL"))
    spare = next(p for p in engineer.store.all(Part) if p.location_id == van and p.part_number_id == fan_wall)
    removed = asset.part_in("FAN-WALL") or ""
    engineer.store.execute(
        SwapFru(
            swap_id=str(uuid.uuid4()),
            asset_id=asset.id,
            visit_id=None,
            slot="FAN-WALL",
            removed_serial=removed,
            installed_serial=spare.serial,
            from_location_id=van,
            error_code="E-FAN3",
            reason="tach failure",
            obligation_id=str(uuid.uuid4()),
        )
    )
    assert engineer.sync().rejected == 0

    client, service = depot
    client.sync()
    pool = sid("loc", "refurb")
    before = client.store.get(StockLevel, stock_level_id(pool, fan_wall))
    assert before is not None
    line = service.scan(f"S/N: {removed.lower()}")
    assert line.outcome == "received", line.message
    order_id = line.depot_order_id or ""
    service.advance(order_id, to_stage=DepotStage.TRIAGE)
    service.advance(order_id, to_stage=DepotStage.REPAIR, error_codes=("E-FAN3",))
    service.advance(order_id, to_stage=DepotStage.BURN_IN, note="bearing replaced")
    service.grade(order_id, grade=DepotGrade.READY_TO_SWAP, root_cause="bearing", corrective_action="replaced")
    assert removed in {row.serial for row in service.pool()}
    part = client.store.find(Part, removed)
    assert part is not None and (part.location, part.location_id) == (PartLocation.GRADED, pool)
    after = client.store.get(StockLevel, stock_level_id(pool, fan_wall))
    assert after is not None and after.quantity == before.quantity + 1
    assert client.sync().rejected == 0


def test_stock_view_shows_every_level_low_stock_first_and_never_negative(depot: tuple[Client, DepotService]) -> None:
    _, service = depot
    rows = service.stock()
    assert rows and all(r.quantity >= 0 for r in rows)
    lows = [r.low for r in rows]
    assert lows == sorted(lows, reverse=True)
    assert {r.kind for r in rows} >= {"van", "depot", "refurbished_pool", "regional_buffer"}
    assert service.stock(low_only=True) == [r for r in rows if r.low]
    assert [p.name for p in service.pools()] == ["Refurbished pool"]
