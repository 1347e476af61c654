"""The UI's state and intents, exercised without a browser: routes, feedback, and what the screens will show."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest

from app.services.sync_status import SyncPhase
from server.seed import sid
from tests.client.conftest import Device

SEEDED_R2 = "NBR22600001"


def test_scanning_a_known_serial_opens_its_page_and_an_unknown_one_offers_registration(
    device: Callable[[str], Device],
) -> None:
    state = device("engineer").state
    state.scan(SEEDED_R2)
    assert state.route == "/asset" and state.page_data is not None
    assert state.page_data.summary.serial == SEEDED_R2
    state.scan("nbq-unknown-7")
    assert state.route == "/register" and state.unknown_serial == "NBQ-UNKNOWN-7"
    state.scan("<<>>")
    assert state.flash_is_error and "Not a serial" in state.flash


def test_registering_the_unknown_serial_opens_the_new_chassis(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.scan("nbq-new-1")
    d.state.register(sku_id=sid("sku", "R1"), revision="D", owner_org_id=sid("org", "customer-a"), lot="L1")
    assert d.state.route == "/asset"
    assert d.state.page_data is not None and d.state.page_data.summary.serial == "NBQ-NEW-1"
    assert d.client.store.pending_count() == 1


def test_a_refused_command_says_why_and_changes_nothing(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.scan(SEEDED_R2)
    d.state.start_swap("FAN-WALL")
    d.state.swap(
        removed_serial="NOT-THERE",
        installed_serial="ALSO-NOT",
        location_id=sid("loc", "van-engineer"),
        error_code="E",
        reason="r",
    )
    assert d.state.flash_is_error and d.state.flash.startswith("FRU swap refused")
    assert d.state.route == "/swap"
    assert d.client.store.pending_count() == 0


@pytest.mark.parametrize(
    ("route", "back_to"),
    [
        ("/install", "/asset"),
        ("/swap", "/asset"),
        ("/visit", "/asset"),
        ("/asset", "/"),
        ("/sync", "/"),
        ("/register", "/"),
    ],
)
def test_back_goes_one_level_up(device: Callable[[str], Device], route: str, back_to: str) -> None:
    state = device("engineer").state
    state.go(route)
    state.back()
    assert state.route == back_to


def test_a_signed_visit_report_keeps_the_drawn_signature(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.scan(SEEDED_R2)
    d.state.start_visit()
    assert d.state.route == "/visit"
    d.state.finish_visit(notes="done", signed_by=None, strokes=[[(10.0, 10.0), (50.0, 40.0)]])
    assert d.state.flash_is_error, "a signature without a name is refused"
    d.state.finish_visit(notes="done", signed_by="Cora", strokes=[[(10.0, 10.0), (50.0, 40.0), (90.0, 20.0)]])
    assert d.state.route == "/report" and d.state.report is not None
    assert "Signed by Cora" in d.state.report.lines() and "Notes: done" in d.state.report.lines()
    assert len(d.blobs) == 1 and next(iter(d.blobs.values())).startswith(b"\x89PNG")


def test_sync_now_pushes_pending_work_and_reports_synced(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.scan(SEEDED_R2)
    d.state.start_visit()
    d.state.refresh_status()
    assert d.state.status is not None and d.state.status.pending == 1
    asyncio.run(d.state.sync_now())
    assert d.state.status is not None
    assert (d.state.status.phase, d.state.status.pending) == (SyncPhase.SYNCED, 0)


def test_sign_out_warns_about_unsynced_work_before_wiping(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.scan(SEEDED_R2)
    d.state.start_visit()
    assert d.state.sign_out(force=False) is False
    assert d.client.store.identity() is not None
    assert d.state.sign_out(force=True) is True
    assert d.client.store.identity() is None and d.client.store.pending_count() == 0
    assert d.state.route == "/settings"


def test_two_devices_editing_the_same_field_offline_get_a_visible_conflict_they_can_resolve(
    device: Callable[[str], Device],
) -> None:
    from sync.domain.asset import Asset
    from sync.domain.commands import EditAsset, FieldChange

    first, second = device("engineer"), device("desk")
    asset = first.client.store.find(Asset, SEEDED_R2)
    assert asset is not None
    for d, lot in ((first, "LOT-A"), (second, "LOT-B")):
        d.client.store.execute(
            EditAsset(
                asset_id=asset.id,
                base_version=None,
                changes=(FieldChange(field="lot", base_value=asset.lot, new_value=lot),),
            )
        )
    first.client.sync()
    second.client.sync()
    first.client.sync()
    conflicts = first.field.open_conflicts()
    assert [(c.kept_value, c.overwritten_value) for c in conflicts] == [("LOT-B", "LOT-A")]
    first.state.resolve_conflict(conflicts[0].id, "LOT-A")
    first.client.sync()
    second.client.sync()
    assert second.field.open_conflicts() == []
    resolved = second.client.store.get(Asset, asset.id)
    assert resolved is not None and resolved.lot == "LOT-A"
