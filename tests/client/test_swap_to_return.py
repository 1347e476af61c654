"""The swap-to-return chain on a real device database: a swap offers its removed part for return (the RMA draft
prefilled from the swap), and the visit report covers the day's work on that chassis, wherever it was recorded."""

from __future__ import annotations

from collections.abc import Callable

from server.seed import sid
from sync.domain.asset import Asset, Part
from sync.domain.commands import AddNote
from sync.domain.evidence import PhotoKind
from sync.domain.returns import ReturnDraft
from tests.client.conftest import Device

SEEDED_R2 = "NBR22600001"  # R2 2U at Helix ASH1 (America/New_York), on the engineer's sites
VAN = sid("loc", "van-engineer")


def _swap_fan_wall(d: Device, asset_id: str) -> tuple[str, str]:
    asset = d.client.store.get(Asset, asset_id)
    assert asset is not None
    removed = asset.part_in("FAN-WALL")
    assert removed is not None
    spare = next(p for p in d.client.store.children(Part, VAN) if p.part_number_id == sid("pn", "FW-R-02"))
    swap_id = d.field.swap_fru(
        asset_id=asset_id,
        slot="FAN-WALL",
        removed_serial=removed,
        installed_serial=spare.serial,
        from_location_id=VAN,
        error_code="E-FAN",
        reason="fan 3 tach reads 0 rpm",
    )
    return swap_id, removed


def test_a_swap_offers_its_removed_part_for_return_and_the_draft_starts_from_the_swap(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")
    asset_id = d.field.open_by_scan(SEEDED_R2).asset_id
    assert asset_id is not None
    assert d.services.rma.returns_owed(asset_id) == ()
    swap_id, removed = _swap_fan_wall(d, asset_id)
    offer = ReturnDraft(
        swap_id=swap_id,
        asset_id=asset_id,
        slot="FAN-WALL",
        part_serial=removed,
        error_code="E-FAN",
        symptom="E-FAN (FAN-WALL): fan 3 tach reads 0 rpm",
    )
    assert d.services.rma.returns_owed(asset_id) == (offer,)
    form = d.services.rma.draft_form(asset_id, swap_id=swap_id)
    assert (form.serial, form.prefill) == (SEEDED_R2, offer)
    # The removed part is no longer installed, yet it is what goes back: first in the form's list.
    assert form.parts[0] == ("FAN-WALL (removed)", removed)
    assert removed not in [serial for _, serial in form.parts[1:]]
    d.services.rma.draft(asset_id=asset_id, model=form.models[0], symptom=offer.symptom, part_serial=offer.part_serial)
    assert d.services.rma.returns_owed(asset_id) == ()


def test_the_visit_report_covers_the_days_work_on_the_chassis_and_counts_all_its_photos(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")
    asset_id = d.field.open_by_scan(SEEDED_R2).asset_id
    assert asset_id is not None
    # Work recorded before the visit was started: a swap, a photo of it, a photo and a note on the chassis page.
    swap_id, removed = _swap_fan_wall(d, asset_id)
    for n, (collection, subject) in enumerate((("fru_swaps", swap_id), ("assets", asset_id))):
        d.field.attach_photo(
            subject_collection=collection,
            subject_id=subject,
            sha256=f"{n}" * 64,
            thumbnail_sha256=None,
            kind=PhotoKind.PART,
            width=640,
            height=480,
        )
    d.client.store.execute(
        AddNote(note_id="note-1", subject_collection="assets", subject_id=asset_id, text="rear fan guard bent")
    )
    visit_id = d.field.start_visit(asset_id=asset_id)
    d.field.attach_photo(
        subject_collection="visits",
        subject_id=visit_id,
        sha256="9" * 64,
        thumbnail_sha256=None,
        kind=PhotoKind.OTHER,
        width=640,
        height=480,
    )
    d.field.end_visit(visit_id=visit_id, notes="fan wall replaced", signed_by=None, signature_sha256=None)
    report = d.field.visit_report(visit_id)
    (line,) = report.swaps  # saved with no visit open, before this one started: still the day's work
    assert line.startswith(f"FAN-WALL: {removed} → ") and line.endswith(" (E-FAN)")
    assert report.photos == 3
    assert report.day_notes == ("rear fan guard bent",)
    lines = [str(line) for line in report.lines()]
    assert "Note: rear fan guard bent" in lines and "Photos: 3" in lines
