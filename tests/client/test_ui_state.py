"""The UI's state and intents, exercised without a browser: routes, feedback, and what the screens will show."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from app.bootstrap import Client
from app.services.sync_status import SyncPhase
from app.ui import routes
from app.ui.state import AppState
from server.seed import DEMO_PASSWORD, sid
from tests.client.conftest import Device

SEEDED_R2 = "NBR22600001"


def test_scanning_a_known_serial_opens_its_page_and_an_unknown_one_offers_registration(
    device: Callable[[str], Device],
) -> None:
    state = device("engineer").state
    state.field.scan(SEEDED_R2)
    assert state.shell.route == "/asset" and state.field.page_data is not None
    assert state.field.page_data.summary.serial == SEEDED_R2
    state.field.scan("nbq-unknown-7")
    assert state.shell.route == "/register" and state.field.unknown_serial == "NBQ-UNKNOWN-7"
    state.field.scan("<<>>")
    assert state.shell.flash_is_error and "Not a serial" in state.shell.flash


def test_the_register_form_offers_the_skus_a_sync_brings_after_the_scan(
    enrolled: Callable[[str], Client], tmp_path: Path
) -> None:
    """Signed in, first sync still running, a serial scanned: the form must not keep the empty catalogue of that
    moment (the browser test's SKU picker opened an empty menu on a loaded machine)."""
    client = enrolled("installer")
    services = client.services(tmp_path / "device-first-sync")
    state = AppState.build(services)
    state.field.scan("NBQ-UNKNOWN-8")
    assert state.shell.route == "/register"
    assert state.field.skus == [] and state.field.customers == []
    client.sync()
    state.refresh()  # what a finished sync round does
    assert "NB-R2-2U" in {choice.label.split(" ")[0] for choice in state.field.skus}
    assert state.field.customers != []


def test_registering_the_unknown_serial_opens_the_new_chassis(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.field.scan("nbq-new-1")
    d.state.field.register(sku_id=sid("sku", "R1"), revision="D", owner_org_id=sid("org", "customer-a"), lot="L1")
    assert d.state.shell.route == "/asset"
    assert d.state.field.page_data is not None and d.state.field.page_data.summary.serial == "NBQ-NEW-1"
    assert d.client.store.pending_count() == 1


def test_a_refused_command_says_why_and_changes_nothing(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.field.scan(SEEDED_R2)
    d.state.field.start_swap("FAN-WALL")
    d.state.field.swap(
        removed_serial="NOT-THERE",
        installed_serial="ALSO-NOT",
        location_id=sid("loc", "van-engineer"),
        error_code="E",
        reason="r",
    )
    assert d.state.shell.flash_is_error and d.state.shell.flash.startswith("FRU swap was refused: ")
    # What to do next comes with the reason (app/refusals.py).
    assert d.state.shell.flash.endswith("Scan the part again, or take one from another stock location.")
    assert d.state.shell.route == routes.SWAP
    assert d.client.store.pending_count() == 0


@pytest.mark.parametrize(
    ("route", "back_to"),
    [
        ("/asset/install", "/asset"),
        ("/asset/swap", "/asset"),
        ("/asset/visit", "/asset"),
        ("/asset/report", "/asset"),
        ("/asset/rma", "/asset"),
        ("/asset", "/"),
        ("/sync", "/"),
        ("/register", "/"),
        ("/depot/order/rma", "/depot/order"),
        ("/desk/failures", "/desk"),
        ("/", "/"),
    ],
)
def test_back_goes_one_level_up(device: Callable[[str], Device], route: str, back_to: str) -> None:
    state = device("engineer").state
    state.shell.go(route)
    state.shell.back()
    assert state.shell.route == back_to


def test_a_signed_visit_report_keeps_the_drawn_signature(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.field.scan(SEEDED_R2)
    d.state.field.start_visit()
    assert d.state.shell.route == routes.VISIT
    d.state.field.finish_visit(notes="done", signed_by=None, strokes=[[(10.0, 10.0), (50.0, 40.0)]])
    assert d.state.shell.flash_is_error, "a signature without a name is refused"
    d.state.field.finish_visit(notes="done", signed_by="Cora", strokes=[[(10.0, 10.0), (50.0, 40.0), (90.0, 20.0)]])
    assert d.state.shell.route == routes.REPORT and d.state.field.report is not None
    lines = [str(line) for line in d.state.field.report.lines()]
    assert "Signed by Cora" in lines and "Notes: done" in lines
    # Helix ASH1 is in America/New_York: the customer signs for times on their own clock, zone named.
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T"
    assert re.fullmatch(rf"Arrived {stamp}, left {stamp}", lines[2])
    digest = d.state.field.report.signature_sha256
    assert digest is not None
    kept = d.services.photos.photos.read(digest)  # the device's content-addressed store, queued for upload
    assert kept is not None and kept.startswith(b"\x89PNG")


def test_the_visit_report_reads_in_the_devices_language_on_screen_and_in_its_file(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")
    d.state.account.set_language("de")
    d.state.field.scan(SEEDED_R2)
    d.state.field.start_visit()
    d.state.field.finish_visit(notes="Lüfter getauscht", signed_by="Cora", strokes=[[(10.0, 10.0), (50.0, 40.0)]])
    report = d.state.field.report
    assert report is not None
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d E[SD]T"
    german = [d.state.t.phrase(line) for line in report.lines()]
    assert german[0].startswith(f"Gehäuse {SEEDED_R2} in ")
    assert re.fullmatch(rf"Angekommen {stamp}, gegangen {stamp}", german[2])
    assert german[3:] == ["Keine Teile getauscht", "Fotos: 0", "Notizen: Lüfter getauscht", "Unterschrieben von Cora"]
    data = d.state.home.report_file(report.visit_id)
    assert data is not None and data.decode().splitlines() == german


def test_sync_now_pushes_pending_work_and_reports_synced(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.field.scan(SEEDED_R2)
    d.state.field.start_visit()
    d.state.sync.refresh()
    assert d.state.sync.status is not None and d.state.sync.status.pending == 1
    asyncio.run(d.state.sync.sync_now())
    assert d.state.sync.status is not None
    assert (d.state.sync.status.phase, d.state.sync.status.pending) == (SyncPhase.SYNCED, 0)


def test_sign_out_warns_about_unsynced_work_before_wiping(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.field.scan(SEEDED_R2)
    d.state.field.start_visit()
    account = d.state.account
    account.sign_out()
    assert account.confirming_sign_out and account.unsynced == 1 and d.state.shell.flash_is_error
    assert d.client.store.identity() is not None
    account.sign_out()  # a second tap on the same button does not wipe: losing work is a different button
    assert d.client.store.identity() is not None
    account.keep_signed_in()
    assert not account.confirming_sign_out
    account.sign_out_anyway()  # without the first step, nothing happens
    assert d.client.store.identity() is not None
    account.sign_out()
    account.sign_out_anyway()
    assert d.client.store.identity() is None and d.client.store.pending_count() == 0
    assert d.state.shell.route == "/settings"


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
    first.state.sync.resolve_conflict(conflicts[0].id, "LOT-A")
    first.client.sync()
    second.client.sync()
    assert second.field.open_conflicts() == []
    resolved = second.client.store.get(Asset, asset.id)
    assert resolved is not None and resolved.lot == "LOT-A"


def test_a_new_user_sees_nothing_of_the_last_and_a_chassis_rejected_by_the_server_closes_with_a_message(
    device: Callable[[str], Device], api: httpx.Client
) -> None:
    """Issue 11's crash: the engineer searched a serial and signed out; the installer (who cannot see that chassis)
    registered it; the server refused the duplicate, the chassis on screen vanished, and the app died."""
    d = device("engineer")
    state = d.state
    state.field.search("NBR2260000")
    assert SEEDED_R2 in state.field.search_results
    state.field.scan(SEEDED_R2)
    state.after.open_depot()  # a screen the engineer may not use, still leaving state behind
    state.account.sign_out()
    assert d.client.store.identity() is None and state.shell.route == routes.SETTINGS
    field, after = state.field, state.after
    assert (field.search_results, field.recent, field.asset_id, field.page_data) == ([], [], None, None)
    assert (after.session_lines, after.orders, after.rma_id, after.rma_actions) == ([], [], None, frozenset())

    assert state.account.enroll(server_url=str(api.base_url), username="installer", password=DEMO_PASSWORD)
    asyncio.run(state.sync.sync_now())
    state.field.scan(SEEDED_R2)
    assert state.shell.route == routes.REGISTER, "the installer's device does not hold this chassis"
    state.field.register(sku_id=sid("sku", "R2"), revision="D", owner_org_id=sid("org", "customer-a"), lot="")
    assert state.shell.route == routes.ASSET and not state.shell.flash_is_error, state.shell.flash
    asyncio.run(state.sync.sync_now())  # the server refuses the duplicate serial; the local chassis is gone
    assert state.shell.route == routes.HOME
    assert state.shell.flash_is_error and "The chassis you had open is gone" in state.shell.flash
    assert state.field.asset_id is None and state.field.page_data is None
    [rejected] = state.sync.rejections
    state.sync.discard_rejection(rejected.command_id)
    assert state.sync.rejections == [] and state.shell.route == routes.HOME
    assert not state.shell.flash_is_error, state.shell.flash


def test_a_registration_refused_by_a_round_that_ran_while_it_was_being_saved_goes_home_with_a_message(
    device: Callable[[str], Device], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Flet runs a button's handler on a worker thread, so the background round can push the new chassis, have it
    refused, and refresh the screen before the handler opens the chassis. The screen then stayed on the filled
    register form saying "Registered …" (a fresh-clone browser run caught it once)."""
    d = device("installer")
    state = d.state
    asyncio.run(state.sync.sync_now())
    state.field.scan(SEEDED_R2)  # held by Helix, out of the installer's sight: the server refuses a duplicate
    assert state.shell.route == routes.REGISTER
    field = d.services.field
    register_asset = field.register_asset

    def saved_then_refused_at_once(**kwargs: str) -> str:
        asset_id = register_asset(**kwargs)
        asyncio.run(state.sync.sync_now())  # the background round, between the save and the chassis opening
        return asset_id

    monkeypatch.setattr(field, "register_asset", saved_then_refused_at_once)
    state.field.register(sku_id=sid("sku", "R2"), revision="D", owner_org_id=sid("org", "customer-a"), lot="")
    assert state.shell.route == routes.HOME
    assert state.shell.flash_is_error and "The chassis you had open is gone" in state.shell.flash, state.shell.flash
    assert state.field.asset_id is None and state.field.page_data is None


def test_visit_notes_typed_before_back_are_kept_on_the_device_until_the_report_is_saved(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")
    d.state.field.scan(SEEDED_R2)
    d.state.field.start_visit()
    d.state.field.keep_visit_draft(notes="fan wall reseated", signed_by="Co")
    d.state.shell.back()
    d.state.shell.back()
    again = AppState.build(d.services)  # the app restarted: nothing of the screen survives but the device's data
    again.field.scan(SEEDED_R2)
    again.field.start_visit()
    assert again.shell.route == routes.VISIT
    assert (again.field.visit_draft.notes, again.field.visit_draft.signed_by) == ("fan wall reseated", "Co")
    again.field.finish_visit(notes="fan wall reseated", signed_by=None, strokes=[])
    assert again.shell.route == routes.REPORT, again.shell.flash
    visit_id = again.field.report.visit_id if again.field.report else ""
    assert d.services.field.visit_draft(visit_id).notes == "", "a saved report leaves no draft behind"
