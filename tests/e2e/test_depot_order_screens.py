"""The depot order screen in a real browser against a real server: triage photos through the photo pipeline, and a
return-for-credit decision computed on the screen and kept by the server."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import FilePayload, expect

from app.bootstrap import Client
from app.services.depot import DepotService
from app.services.rma import RmaService
from server.apply import record_write
from server.seed import sid
from server.store import Store
from sync import codec
from sync.domain.contract import Contract, UnitPrice
from sync.domain.credit import CreditRule
from sync.domain.evidence import Photo, PhotoKind
from sync.domain.logistics import DepotStage
from sync.domain.rma import Rma, RmaLane, RmaStatus
from tests.e2e.browser import FletPage
from tests.e2e.checks import checking_device, sync_until
from tests.e2e.processes import ServerProcess

# Seeded RMA 8 is RECEIVED at the depot (order at its first stage); RMA 2 waits at triage on a chassis that Helix's
# gold contract (return for credit, 15 % restocking fee) covers. The server issues RMA-2026-000014 next.
RECEIVED_RMA, RECEIVED_LABEL = sid("rma", 8), "RMA-2026-000004 · NBR12600032"
CREDIT_RMA, CREDIT_LABEL = sid("rma", 2), "RMA-2026-000014 · NBR12600032"
GOLD = sid("contract", "A-GOLD")
PRICE_CENTS = 1_200_000
CLAIM_WINDOW_DAYS = 730


@pytest.fixture
def arrange_server() -> Callable[[Store], None]:
    """The seed records no prices, so no credit could pass: give the gold contract a price for the chassis's SKU and
    a claim window its (seeded, long-ago) delivery falls inside, so the restocking fee is a real amount."""

    def priced(store: Store) -> None:
        with store.transaction() as txn:
            contract, rma = txn.get(Contract.collection, GOLD), txn.get(Rma.collection, CREDIT_RMA)
            asset = txn.get("assets", codec.load(Rma, json.loads(rma.data or "")).asset_id) if rma else None
            assert contract is not None and asset is not None and contract.data and asset.data
            sku_id = json.loads(asset.data)["sku_id"]
            gold = dataclasses.replace(
                codec.load(Contract, json.loads(contract.data)),
                prices=(UnitPrice(item_id=sku_id, cents=PRICE_CENTS),),
                credit_claim_window_days=CLAIM_WINDOW_DAYS,
            )
            txn.write([record_write(gold)])

    return priced


def _photo(width: int, height: int, color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), color).save(out, "JPEG", quality=80)
    return out.getvalue()


def _open_order(app: FletPage, label: str) -> None:
    app.press("Depot scan session")
    # Not "Open depot orders": the depot home's "Open depot orders by stage" matches too, and a tap on the home's row
    # of the same order, at 1280 px, picks it beside the list instead of opening it.
    app.see("Ready: scan box labels one after another")
    app.press(label)
    app.see("Photos")


def test_depot_triage_photos_reach_the_server_re_encoded_and_attached_to_the_depot_order(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    damage = [_photo(3000, 2000, "darkred"), _photo(2400, 3200, "gray")]
    label = _photo(4000, 3000, "white")
    app = field_app("depot", width=1280, name="depot-photos")
    _open_order(app, RECEIVED_LABEL)
    app.choose_files(
        "Add photos",
        [FilePayload(name=f"damage-{i}.jpg", mimeType="image/jpeg", buffer=data) for i, data in enumerate(damage)],
    )
    app.see("2 photo(s) saved on this device")
    app.choose("Photo shows", "Label")  # what the next photos show
    app.choose_files("Add photos", [FilePayload(name="label.jpg", mimeType="image/jpeg", buffer=label)])
    app.see("1 photo(s) saved on this device")
    app.shot("order")

    order_id = sid("depot-order", RECEIVED_RMA)
    check = checking_device(server, tmp_path, "photos")

    def photos(c: Client) -> list[Photo]:
        return [p for p in c.store.all(Photo) if (p.subject_collection, p.subject_id) == ("depot_orders", order_id)]

    sync_until(check, lambda c: len(photos(c)) == 3)
    taken = sorted(photos(check), key=lambda p: (p.kind, p.width))
    assert [p.kind for p in taken] == [PhotoKind.DAMAGE, PhotoKind.DAMAGE, PhotoKind.LABEL]
    originals = {hashlib.sha256(data).hexdigest() for data in (*damage, label)}
    for photo in taken:
        assert 1024 < max(photo.width, photo.height) <= 2048
        assert photo.sha256 not in originals  # re-encoded on the device, never the picked file as it was
    assert [p.width > p.height for p in taken] == [False, True, True]  # orientation kept through the re-encode


def test_credit_inspection_decides_on_the_screen_explains_why_and_the_server_keeps_the_decision(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    # The desk approves RMA 2 for credit and the depot takes the box in, on a headless device: the screen under test
    # is the inspection that follows.
    admin = checking_device(server, tmp_path, "admin", username="admin")
    RmaService(store=admin.store).approve(CREDIT_RMA, lane=RmaLane.CREDIT)
    RmaService(store=admin.store).await_return(CREDIT_RMA)
    admin.sync()
    depot = DepotService(store=admin.store)
    order_id = depot.scan(CREDIT_LABEL.split(" · ")[0]).depot_order_id
    assert order_id is not None
    depot.advance(order_id, to_stage=DepotStage.TRIAGE)
    admin.sync()
    rma = admin.store.get(Rma, CREDIT_RMA)
    assert rma is not None and rma.status is RmaStatus.INSPECTION

    app = field_app("depot", width=1280, name="depot-credit")
    _open_order(app, CREDIT_LABEL)
    app.see("Return for credit inspection")
    screws = app.page.get_by_role("checkbox", name="Returned: screws")
    expect(screws).to_be_checked()
    screws.click()
    expect(screws).not_to_be_checked()
    app.shot("inspection")
    app.press("Decide credit")
    app.see("Credit decision saved on this device")
    app.see("Credit decision (computed)")
    app.see("• kit incomplete: screws missing")
    app.see("• inspection passed")
    app.see("• non-defective return: restocking fee 15% = EUR 1,800.00")
    app.see("• credit denied")
    app.page.mouse.move(640, 500)
    app.page.mouse.wheel(0, 800)  # the explanation sits below the form: bring it into the screenshot
    app.shot("decision")

    def decided(c: Client) -> bool:
        current = c.store.get(Rma, CREDIT_RMA)
        return current is not None and current.credit is not None

    sync_until(admin, decided)
    kept = admin.store.get(Rma, CREDIT_RMA)
    assert kept is not None and kept.credit is not None
    assert (kept.status, kept.credit.approved, kept.credit.failed) == (
        RmaStatus.INSPECTION,
        False,
        (CreditRule.KIT_SCREWS,),
    )
    assert (kept.credit.price_cents, kept.credit.amount_cents) == (PRICE_CENTS, 0)
    window = next(r for r in kept.credit.reasons if r.startswith("claim made"))
    assert window.endswith(f"inside the {CLAIM_WINDOW_DAYS}-day window")
    # What the screen explained is what the server decided, line for line.
    for reason in kept.credit.reasons:
        app.see(f"• {reason}")
