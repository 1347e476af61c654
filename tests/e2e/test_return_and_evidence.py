"""Issue 11 in a real browser: after a swap the removed part is offered for return and the RMA draft starts from
the swap; the desk sees the evidence photos it approves on (thumbnails, tap to enlarge), not only green ticks."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path

from PIL import Image
from playwright.sync_api import expect

from sync.domain.asset import Asset
from sync.domain.rma import Rma
from sync.domain.service import FruSwap
from sync.domain.stock import StockLocation
from tests.e2e.browser import FletPage
from tests.e2e.checks import checking_device, sync_until
from tests.e2e.processes import ServerProcess

SEEDED_SERIAL = "NBR22600001"  # R2 2U at Helix ASH1, on the engineer's sites; its van holds FWEL… fan walls


def _jpeg(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 800), color).save(out, "JPEG", quality=80)
    return out.getvalue()


def test_after_a_swap_the_removed_part_is_offered_for_return_and_the_rma_draft_is_prefilled(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    check = checking_device(server, tmp_path, "before", username="engineer")
    asset = check.store.find(Asset, SEEDED_SERIAL)
    assert asset is not None
    removed = asset.part_in("FAN-WALL")
    assert removed is not None

    app = field_app(name="swap-return")
    app.wedge_scan(SEEDED_SERIAL)
    app.page.get_by_role("button", name="Swap").first.click()
    app.see("Swap FRU in slot FAN-WALL")
    app.page.get_by_role("button", name="FWEL").first.click()  # first spare fan wall in the van
    app.fill_form_field("Reason", "fan 3 tach failure")
    app.press("Save swap")
    app.see("FRU swap saved on this device")
    offer = app.page.get_by_role("button", name=re.compile(rf"^Return the removed part {re.escape(removed)}"))
    expect(offer).to_be_visible(timeout=15_000)
    app.shot("offer-400")
    offer.click()
    app.see(f"Draft RMA for {SEEDED_SERIAL}")
    # Prefilled from the swap: the removed part goes back, with the swap's error code and reason.
    app.shot("draft-400")
    # The swap as recorded: every character typed before Save (the last key's render used to come after the click,
    # and the swap kept "fan 3 tach failur").
    sync_until(check, lambda c: any(s.removed_serial == removed for s in c.store.children(FruSwap, asset.id)))
    swap = next(s for s in check.store.children(FruSwap, asset.id) if s.removed_serial == removed)
    assert swap.reason == "fan 3 tach failure"
    # Flutter's text inputs hold their value in the DOM once focused.
    for label, value in (
        ("Symptom", f"E-FAN (FAN-WALL): {swap.reason}"),
        ("What goes back", f"FAN-WALL (removed): {removed}"),
    ):
        app.field(label).click()
        expect(app.field(label)).to_have_value(value)
    app.press("Save draft")
    app.see("Evidence checklist")
    app.see(f"part {removed}")
    app.page.get_by_role("button", name="Back").first.click()
    app.see("Installed FRUs")
    # Drafted: the offer is gone.
    expect(app.page.get_by_role("button", name=re.compile(r"^Return the removed part"))).to_have_count(0)
    sync_until(check, lambda c: any(r.part_serial == removed and r.asset_id == asset.id for r in c.store.all(Rma)))


def test_the_desk_sees_the_evidence_photos_it_approves_on_and_enlarges_one(
    field_app: Callable[..., FletPage],
) -> None:
    # The admin holds the desk's role and may draft: one browser drafts, submits and then looks as the desk.
    app = field_app("admin", width=1280, name="desk-evidence")
    app.wedge_scan(SEEDED_SERIAL)
    app.press("Draft RMA")
    app.fill_form_field("Symptom", "fan wall alarm after rack move")
    app.press("Save draft")
    app.see("Evidence checklist")
    # The checklist's "Add file" buttons: install photos first, label photos second.
    app.choose_files("Add file", [{"name": "install.jpg", "mimeType": "image/jpeg", "buffer": _jpeg("navy")}])
    app.see("Install photo")
    app.choose_files("Add file", [{"name": "label.jpg", "mimeType": "image/jpeg", "buffer": _jpeg("olive")}], index=1)
    app.see("Label photo")
    app.press("Submit RMA")
    app.see("SUBMITTED", timeout=30_000)
    app.see("Approve and issue number")
    expect(app.page.get_by_text("Evidence photos")).to_be_visible()
    photos = app.page.get_by_role("button", name=re.compile(r"^(Install|Label) photo \d+"))
    expect(photos).to_have_count(2)
    app.shot("thumbnails-1280")
    app.page.get_by_role("button", name=re.compile(r"^Label photo \d+")).last.click()
    enlarged = app.page.get_by_role("img", name=re.compile(r"^label · \d{4}-\d{2}-\d{2} \d{2}:\d{2} [A-Z]"))
    expect(enlarged).to_be_visible(timeout=15_000)
    app.shot("enlarged-1280")
    app.press("Close photo")
    expect(enlarged).to_have_count(0)


def test_the_partners_empty_stock_picker_says_what_to_do_instead_of_an_empty_menu(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    # The demo's service partner has no stock location of its own on its device: nothing to pick from.
    check = checking_device(server, tmp_path, "partner", username="partner")
    assert check.store.all(StockLocation) == []
    serial = next(a.serial for a in sorted(check.store.all(Asset), key=lambda a: a.serial) if a.installed_parts)
    app = field_app("partner", name="partner-swap")
    app.wedge_scan(serial)
    app.page.get_by_role("button", name="Swap").first.click()
    app.see("No stock to take a part from on this device: sync now, or ask the desk to assign you a van")
    # No drop-down to open: an empty one opened a zero-height menu.
    expect(app.page.get_by_role("button", name=re.compile(r"^Take the new part from"))).to_have_count(0)
    app.shot("empty-stock-400")
