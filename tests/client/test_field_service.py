from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta

import pytest

from server.seed import sid
from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.catalog import FruType, PartNumber
from sync.domain.errors import DepotOnlyPart, PartUnavailable
from sync.domain.installation import Installation
from tests.client.conftest import Device

SEEDED_R2 = "NBR22600001"  # R2 2U, 730 mm deep, at Helix ASH1 (an engineer's site)
SEEDED_G8 = "NBG82600000"  # G8 GPU server at Helix FRA1; its BP0 backplane is depot-only


@pytest.mark.parametrize(
    ("raw", "finds", "serial", "error"),
    [
        (SEEDED_R2, True, SEEDED_R2, None),
        ("s/n: nbr22600001 ", True, SEEDED_R2, None),
        ("NBZZ-NEW-1", False, "NBZZ-NEW-1", None),
        ("   ", False, None, "serial is empty"),
        ("<script>", False, None, "serial has characters"),
    ],
)
def test_a_scan_opens_a_known_chassis_offers_an_unknown_serial_and_explains_bad_input(
    device: Callable[[str], Device], raw: str, finds: bool, serial: str | None, error: str | None
) -> None:
    outcome = device("engineer").field.open_by_scan(raw)
    assert (outcome.asset_id is not None) == finds
    assert outcome.serial == serial
    assert str(outcome.error or "").startswith(error or "")


def test_an_unknown_serial_one_key_from_a_chassis_on_the_device_suggests_that_chassis(
    device: Callable[[str], Device],
) -> None:
    field = device("engineer").field
    lost_first_key = field.open_by_scan(SEEDED_R2[1:])
    assert (lost_first_key.asset_id, lost_first_key.serial) == (None, SEEDED_R2[1:])
    assert lost_first_key.nearest == SEEDED_R2
    new_chassis = field.open_by_scan("ZZ00000000001")
    assert (new_chassis.asset_id, new_chassis.nearest) == (None, None)


def test_serial_prefix_search_lists_matching_serials_in_order(device: Callable[[str], Device]) -> None:
    field = device("engineer").field
    found = field.search_serials("nbr2")
    assert found and all(s.startswith("NBR2") for s in found)
    assert found == sorted(found)
    assert field.search_serials("n") == []


def test_asset_page_shows_coverage_slots_and_history_newest_first(device: Callable[[str], Device]) -> None:
    field = device("engineer").field
    asset_id = field.open_by_scan(SEEDED_R2).asset_id
    assert asset_id is not None
    page = field.asset_page(asset_id)
    assert page.summary.sku_code == "NB-R2-2U"
    assert str(page.summary.site_name) == "Helix ASH1 colo"
    assert page.entitlement.covered and str(page.coverage_text).startswith("Covered")
    assert [s.slot for s in page.slots] == ["FAN-WALL", "BP0", "BP1", "IO", "PSU-BRKT"]
    assert all(s.part_serial for s in page.slots)
    times = [h.at for h in page.history]
    assert times == sorted(times, reverse=True) and page.history
    # Helix ASH1 is in America/New_York: every line is on its clock, named, never bare UTC.
    for h in page.history:
        at = h.at.replace(tzinfo=UTC) if h.at.tzinfo is None else h.at
        offset = {"EST": timedelta(hours=-5), "EDT": timedelta(hours=-4)}[h.when[-3:]]
        assert h.when == f"{(at + offset).replace(tzinfo=None):%Y-%m-%d %H:%M} {h.when[-3:]}"


def test_fit_preview_warns_while_typing_and_clears_when_the_rail_kit_fits(device: Callable[[str], Device]) -> None:
    field = device("engineer").field
    asset_id = field.open_by_scan(SEEDED_R2).asset_id
    assert asset_id is not None
    rack = sid("rack", "fra1", "R02")  # 1200 mm deep
    short_rails, extra_long_rails = sid("rail", "RK-M"), sid("rail", "RK-XL")
    misfit = field.fit_preview(asset_id=asset_id, rack_id=rack, depth_mm=1200, rail_kit_id=short_rails, u_position=5)
    assert not misfit.fits and any("deeper than the rail kit" in w for w in misfit.warnings)
    unlisted = field.fit_preview(
        asset_id=asset_id, rack_id=rack, depth_mm=1200, rail_kit_id=extra_long_rails, u_position=5
    )
    assert any("not listed as compatible" in w for w in unlisted.warnings)
    long_rails = sid("rail", "RK-L")
    fits = field.fit_preview(asset_id=asset_id, rack_id=rack, depth_mm=1000, rail_kit_id=long_rails, u_position=5)
    assert fits.fits and fits.warnings == ()
    incomplete = field.fit_preview(asset_id=asset_id, rack_id=None, depth_mm=None, rail_kit_id=None, u_position=None)
    assert incomplete.warnings == ()


def test_installation_with_a_misfit_is_saved_offline_with_its_problems(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    asset_id = d.field.open_by_scan(SEEDED_R2).asset_id
    assert asset_id is not None
    rack = sid("rack", "fra1", "R02")
    installation_id = d.field.record_installation(
        asset_id=asset_id, rack_id=rack, u_position=15, measured_depth_mm=1200, rail_kit_id=sid("rail", "RK-M")
    )
    saved = d.client.store.get(Installation, installation_id)
    assert saved is not None and saved.fit_problems == ("rack_deeper_than_rails",)
    moved = d.client.store.get(Asset, asset_id)
    assert moved is not None and (moved.rack_id, moved.u_position) == (rack, 15)
    assert d.client.store.pending_count() == 1


def _van_spare(d: Device, part_code: str) -> Part:
    van = sid("loc", "van-engineer")
    return next(p for p in d.client.store.children(Part, van) if p.part_number_id == sid("pn", part_code))


def _fru_type(d: Device, part: Part) -> FruType | None:
    number = d.client.store.get(PartNumber, part.part_number_id)
    return number.fru_type if number else None


def test_fru_swap_moves_parts_consumes_van_stock_and_creates_the_return_obligation(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")
    asset_id = d.field.open_by_scan(SEEDED_R2).asset_id
    assert asset_id is not None
    van = sid("loc", "van-engineer")
    spares = d.field.spares_for_slot(asset_id=asset_id, slot="FAN-WALL", location_id=van)
    # Only fan walls on the van's shelf are offered for the fan-wall slot, though the van holds other parts too.
    on_shelf = d.client.store.children(Part, van)
    kinds = {p.serial: _fru_type(d, p) for p in on_shelf if p.location is PartLocation.IN_STOCK}
    assert set(kinds.values()) - {FruType.FAN_WALL}, "the van should hold more than fan walls for this to mean much"
    assert spares and {c.id for c in spares} == {s for s, kind in kinds.items() if kind is FruType.FAN_WALL}
    before = d.field.stock_level(location_id=van, part_number_id=sid("pn", "FW-R-02"))
    spare = _van_spare(d, "FW-R-02")
    asset = d.client.store.get(Asset, asset_id)
    assert asset is not None
    removed = asset.part_in("FAN-WALL")
    assert removed is not None
    d.field.swap_fru(
        asset_id=asset_id,
        slot="FAN-WALL",
        removed_serial=removed,
        installed_serial=spare.serial,
        from_location_id=van,
        error_code="E-FAN",
        reason="tach",
    )
    after = d.client.store.get(Asset, asset_id)
    assert after is not None and after.part_in("FAN-WALL") == spare.serial
    assert d.field.stock_level(location_id=van, part_number_id=sid("pn", "FW-R-02")) == before - 1
    old = d.client.store.find(Part, removed)
    assert old is not None and old.location is PartLocation.IN_TRANSIT
    report = d.client.sync()
    assert (report.pushed, report.rejected) == (1, 0)


def test_a_depot_only_part_cannot_be_swapped_on_site(device: Callable[[str], Device]) -> None:
    d = device("depot")
    asset = d.client.store.find(Asset, SEEDED_G8)
    assert asset is not None
    depot = sid("loc", "depot")
    spare = next(p for p in d.client.store.children(Part, depot) if p.part_number_id == sid("pn", "BP-G8-PCIE"))
    engineer = device("engineer")
    with pytest.raises(DepotOnlyPart):
        engineer.field.swap_fru(
            asset_id=asset.id,
            slot="BP0",
            removed_serial=asset.part_in("BP0") or "",
            installed_serial=spare.serial,
            from_location_id=depot,
            error_code="E",
            reason="r",
        )
    assert engineer.client.store.pending_count() == 0


def test_a_spare_that_is_not_at_the_chosen_location_is_refused(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    asset_id = d.field.open_by_scan(SEEDED_R2).asset_id
    assert asset_id is not None
    spare = _van_spare(d, "FW-R-02")
    with pytest.raises(PartUnavailable):
        d.field.swap_fru(
            asset_id=asset_id,
            slot="FAN-WALL",
            removed_serial="FW2600001FA0",
            installed_serial=spare.serial,
            from_location_id=sid("loc", "buffer-eu"),
            error_code="E",
            reason="r",
        )


def test_visit_start_and_signed_end_are_recorded(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    asset_id = d.field.open_by_scan(SEEDED_R2).asset_id
    assert asset_id is not None
    visit_id = d.field.start_visit(asset_id=asset_id)
    assert d.field.open_visit(asset_id) is not None
    d.field.end_visit(visit_id=visit_id, notes="replaced fan wall", signed_by="Ada", signature_sha256="a" * 64)
    assert d.field.open_visit(asset_id) is None


def test_fit_preview_says_whose_us_the_chassis_would_take_before_save(device: Callable[[str], Device]) -> None:
    # The seeded R02 holds NBR22600025 (2U at U11–U12); NBR22600001 is a 2U.
    field = device("engineer").field
    asset_id = field.open_by_scan(SEEDED_R2).asset_id
    assert asset_id is not None
    rack = sid("rack", "fra1", "R02")

    def taken(u: int) -> str:
        return field.fit_preview(asset_id=asset_id, rack_id=rack, depth_mm=1000, rail_kit_id=None, u_position=u).taken

    assert [taken(u) for u in (9, 10, 12, 13)] == [
        "",
        "U11 is taken by NBR22600025 (2U at U11–U12)",
        "U12 is taken by NBR22600025 (2U at U11–U12)",
        "",
    ]
