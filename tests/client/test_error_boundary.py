"""The error boundary: a failure inside any intent becomes a message on screen and a log line, never an exception
that replaces the app (issue 11: "Error running app: this chassis is not on this device").

Every intent of every feature state is called here with its services broken (each service raises on use) and its
state refusing to change (a listener that raises on every change, as a failing re-render would). The table of calls
is written out; a new intent that is not in it fails the first test."""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from app.bootstrap import Services
from app.services.incident_models import UnitChoice
from app.ui.account_state import AccountState
from app.ui.aftersales_state import AfterSalesState
from app.ui.evidence_state import Enlarged
from app.ui.field_state import FieldState
from app.ui.home_state import HomeState
from app.ui.incident_state import IncidentState
from app.ui.photo_state import PhotoKeeper
from app.ui.rack_state import RackState
from app.ui.shell import intents
from app.ui.state import AppState
from app.ui.sync_state import SyncState
from server.seed import sid
from sync.domain.contract import ServiceModel
from sync.domain.credit import CreditReason, InspectionFindings
from sync.domain.evidence import Photo, PhotoKind
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.logistics import DepotGrade, DepotOrder, DepotStage
from sync.domain.rma import RmaLane
from sync.domain.service import Severity
from sync.domain.sla import Clock
from tests.client.conftest import Device

SEEDED_R2 = "NBR22600001"
INJECTED = "injected failure"
Call = Callable[[AppState, Photo], Any]

CALLS: dict[tuple[type, str], Call] = {
    (FieldState, "scan"): lambda s, _: s.field.scan(SEEDED_R2),
    (FieldState, "ask_server"): lambda s, _: asyncio.run(s.field.ask_server("NBX-NOT-HERE")),
    (FieldState, "search"): lambda s, _: s.field.search("NBR2"),
    (FieldState, "open_asset"): lambda s, _: s.field.open_asset("any"),
    (FieldState, "register"): lambda s, _: s.field.register(sku_id="s", revision="D", owner_org_id="o", lot=""),
    (FieldState, "open_install"): lambda s, _: s.field.open_install(),
    (FieldState, "preview_fit"): lambda s, _: s.field.preview_fit(
        rack_id="r", depth_mm=1000, rail_kit_id=None, u_position=10
    ),
    (FieldState, "rail_kit_by_code"): lambda s, _: s.field.rail_kit_by_code("RK-1"),
    (FieldState, "install"): lambda s, _: s.field.install(rack_id="r", u_position=1, depth_mm=1000, rail_kit_id=None),
    (FieldState, "start_swap"): lambda s, _: s.field.start_swap("FAN-WALL"),
    (FieldState, "pick_swap_location"): lambda s, _: s.field.pick_swap_location("loc"),
    (FieldState, "swap"): lambda s, _: s.field.swap(
        removed_serial="a", installed_serial="b", location_id="l", error_code="E-FAN", reason="r"
    ),
    (FieldState, "start_visit"): lambda s, _: s.field.start_visit(),
    (FieldState, "start_visit_for_incident"): lambda s, _: s.field.start_visit_for_incident("t"),
    (FieldState, "finish_visit"): lambda s, _: s.field.finish_visit(notes="n", signed_by=None, strokes=[]),
    (FieldState, "keep_visit_draft"): lambda s, _: s.field.keep_visit_draft(notes="n", signed_by=""),
    (FieldState, "show_report"): lambda s, _: s.field.show_report("visit"),
    (FieldState, "add_photos"): lambda s, _: s.field.add_photos(
        subject_collection="assets", subject_id="a", kind=PhotoKind.LABEL, images=[b"x"]
    ),
    (FieldState, "read_label"): lambda s, _: asyncio.run(s.field.read_label(b"x", from_camera=False)),
    (AfterSalesState, "open_desk"): lambda s, _: s.after.open_desk(),
    (AfterSalesState, "set_kpi_days"): lambda s, _: s.after.set_kpi_days(30),
    (AfterSalesState, "open_ledger"): lambda s, _: s.after.open_ledger(),
    (AfterSalesState, "open_rma"): lambda s, _: s.after.open_rma("rma"),
    (AfterSalesState, "open_depot"): lambda s, _: s.after.open_depot(),
    (AfterSalesState, "open_order"): lambda s, _: s.after.open_order("order"),
    (AfterSalesState, "open_stock"): lambda s, _: s.after.open_stock(),
    (AfterSalesState, "open_failures"): lambda s, _: s.after.open_failures(),
    (AfterSalesState, "filter_failures"): lambda s, _: s.after.filter_failures(days=30, sku_id=None),
    (AfterSalesState, "failures_csv"): lambda s, _: s.after.failures_csv(),
    (AfterSalesState, "attainment_csv"): lambda s, _: s.after.attainment_csv(),
    (AfterSalesState, "start_draft"): lambda s, _: s.after.start_draft(),
    (AfterSalesState, "start_return"): lambda s, _: s.after.start_return("swap"),
    (AfterSalesState, "draft"): lambda s, _: s.after.draft(
        model=ServiceModel.STANDARD,
        symptom="s",
        repro_steps="r",
        severity=Severity.MAJOR,
        part_serial=None,
        controller_involved=False,
        rack_depth_mm=None,
        rail_kit_id=None,
    ),
    (AfterSalesState, "submit"): lambda s, _: s.after.submit(),
    (AfterSalesState, "answer"): lambda s, _: s.after.answer("a"),
    (AfterSalesState, "attach_evidence"): lambda s, _: s.after.attach_evidence(b"x", PhotoKind.INSTALL),
    (AfterSalesState, "read_log"): lambda s, photo: asyncio.run(s.after.read_log(photo)),
    (AfterSalesState, "close_log"): lambda s, _: s.after.close_log(),
    (AfterSalesState, "enlarge"): lambda s, photo: asyncio.run(s.after.enlarge(photo)),
    (AfterSalesState, "close_enlarged"): lambda s, _: s.after.close_enlarged(),
    (AfterSalesState, "log_file"): lambda s, photo: asyncio.run(s.after.log_file(photo)),
    (AfterSalesState, "approve"): lambda s, _: s.after.approve(lane=RmaLane.REPAIR, model=None),
    (AfterSalesState, "send_back"): lambda s, _: s.after.send_back("q"),
    (AfterSalesState, "reject"): lambda s, _: s.after.reject("r"),
    (AfterSalesState, "ship_replacement"): lambda s, _: s.after.ship_replacement(
        serial="x", carrier="c", tracking="t", location_id=None
    ),
    (AfterSalesState, "await_return"): lambda s, _: s.after.await_return(),
    (AfterSalesState, "close"): lambda s, _: s.after.close(),
    (AfterSalesState, "label"): lambda s, _: s.after.label(),
    (AfterSalesState, "new_session"): lambda s, _: s.after.new_session(),
    (AfterSalesState, "key"): lambda s, _: [s.after.key(k) for k in "RMA-1"] + [s.after.key("Enter")],
    (AfterSalesState, "scan_box"): lambda s, _: s.after.scan_box("RMA-1"),
    (AfterSalesState, "advance_order"): lambda s, _: s.after.advance_order(
        to_stage=DepotStage.TRIAGE, error_codes=(), note=""
    ),
    (AfterSalesState, "grade_order"): lambda s, _: s.after.grade_order(
        grade=DepotGrade.NO_FAULT_FOUND, root_cause="", corrective_action=""
    ),
    (AfterSalesState, "decide_credit"): lambda s, _: s.after.decide_credit(
        reason=CreditReason.NOT_NEEDED, kit=(), findings=InspectionFindings()
    ),
    (AfterSalesState, "add_order_photos"): lambda s, _: s.after.add_order_photos(PhotoKind.DAMAGE, [b"x"]),
    (SyncState, "sync_now"): lambda s, _: asyncio.run(s.sync.sync_now()),
    (SyncState, "resolve_conflict"): lambda s, _: s.sync.resolve_conflict("c", "v"),
    (SyncState, "discard_rejection"): lambda s, _: s.sync.discard_rejection("c"),
    (AccountState, "set_language"): lambda s, _: s.account.set_language("de"),
    (AccountState, "enroll"): lambda s, _: s.account.enroll(server_url="http://x", username="u", password="p"),
    (AccountState, "sign_out"): lambda s, _: s.account.sign_out(),
    (AccountState, "sign_out_anyway"): lambda s, _: s.account.sign_out_anyway(),
    (AccountState, "keep_signed_in"): lambda s, _: s.account.keep_signed_in(),
    (IncidentState, "open_board"): lambda s, _: s.incidents.open_board(),
    (IncidentState, "start_visit"): lambda s, _: s.incidents.start_visit(),
    (IncidentState, "open_incident"): lambda s, _: s.incidents.open_incident("t"),
    (IncidentState, "set_filter"): lambda s, _: s.incidents.set_filter("site_id", "x"),
    (IncidentState, "start_from_call"): lambda s, _: s.incidents.start_from_call(),
    (IncidentState, "search_units"): lambda s, _: s.incidents.search_units("NBR2"),
    (IncidentState, "choose_unit"): lambda s, _: s.incidents.choose_unit("a"),
    (IncidentState, "clear_unit"): lambda s, _: s.incidents.clear_unit(),
    (IncidentState, "keep_draft"): lambda s, _: s.incidents.keep_draft({"symptom": "fan"}),
    (IncidentState, "start_on_asset"): lambda s, _: s.incidents.start_on_asset("a", "NBR2", "site"),
    (IncidentState, "submit"): lambda s, _: s.incidents.submit(
        symptom="fan", severity="major", contact_name="", contact_phone=""
    ),
    (IncidentState, "move"): lambda s, _: s.incidents.move(IncidentStatus.RESPONDED),
    (IncidentState, "amend"): lambda s, _: s.incidents.amend(Amendment.CHANGE_SEVERITY, reason="r", value="minor"),
    (IncidentState, "acknowledge"): lambda s, _: s.incidents.acknowledge("t", Clock.RESPONSE),
    (HomeState, "set_width"): lambda s, _: s.home.set_width(1280),
    (HomeState, "search"): lambda s, _: s.home.search("NBR"),
    (HomeState, "filter_by"): lambda s, _: s.home.filter_by("site", "site"),
    (HomeState, "clear_filters"): lambda s, _: s.home.clear_filters(),
    (HomeState, "open_case"): lambda s, _: s.home.open_case("rma"),
    (HomeState, "open_case_page"): lambda s, _: s.home.open_case_page("rma"),
    (HomeState, "open_order"): lambda s, _: s.home.open_order("order"),
    (HomeState, "open_queue_row"): lambda s, _: s.home.open_queue_row("rma"),
    (HomeState, "return_label"): lambda s, _: s.home.return_label("rma"),
    (HomeState, "report_file"): lambda s, _: s.home.report_file("visit"),
    (RackState, "open_racks"): lambda s, _: s.rack.open_racks(),
    (RackState, "pick"): lambda s, _: s.rack.pick(sid("rack", "fra1", "R02")),
    (RackState, "scan_label"): lambda s, _: s.rack.scan_label("R02"),
    (RackState, "read_label"): lambda s, _: asyncio.run(s.rack.read_label(b"x", from_camera=False)),
    (RackState, "start_batch"): lambda s, _: s.rack.start_batch(),
    (RackState, "check"): lambda s, _: s.rack.check(serial=SEEDED_R2, u_position=1, depth_mm=None, rail_kit_id=None),
    (RackState, "install"): lambda s, _: s.rack.install(
        serial=SEEDED_R2, u_position=1, depth_mm=None, rail_kit_id=None
    ),
    (RackState, "open_chassis"): lambda s, _: s.rack.open_chassis("any"),
}


class Broken:
    """A service (or store) that fails on every use, as a corrupt database or a bug would."""

    def __getattr__(self, name: str) -> Any:
        raise RuntimeError(f"{INJECTED}: {name}")


def test_the_table_lists_every_intent_of_every_feature_state() -> None:
    declared = {
        (owner, name)
        for owner in (FieldState, AfterSalesState, SyncState, AccountState, IncidentState, HomeState, RackState)
        for name in intents(owner)
    }
    assert declared == set(CALLS)


def _photo(d: Device) -> Photo:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "white").save(out, "JPEG")
    asset_id = d.state.field.asset_id
    assert asset_id is not None
    assert (
        d.state.field.add_photos(
            subject_collection="assets", subject_id=asset_id, kind=PhotoKind.LABEL, images=[out.getvalue()]
        )
        == 1
    )
    return d.client.store.children(Photo, asset_id)[-1]


def _break(state: AppState) -> None:
    """Every service raises, and every change to a feature state raises, from now on."""
    broken = replace(state.field.services, **{f.name: Broken() for f in fields(Services)})
    for part in (state.field, state.after, state.sync, state.account, state.incidents, state.home, state.rack):
        part.services = broken
    state.field.keeper = state.after.keeper = PhotoKeeper(shell=state.shell, photos=Broken())  # type: ignore[arg-type]

    def refuse(_sender: Any, _field: str | None) -> None:
        raise RuntimeError(f"{INJECTED}: render")

    state._refuse = refuse  # type: ignore[attr-defined]  # keep the weakly held listener alive
    for part in (state.field, state.after, state.sync, state.account, state.incidents, state.home, state.rack):
        part.subscribe(refuse)


def test_a_failure_inside_any_intent_is_shown_and_logged_and_the_app_carries_on(
    device: Callable[[str], Device], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    d = device("admin")
    d.state.field.scan(SEEDED_R2)
    photo = _photo(d)
    order_id = d.client.store.all(DepotOrder)[0].id
    d.state.field.start_visit()
    visit = d.state.field.visit  # ended at once: an open visit would send start_visit past every service
    assert visit is not None
    d.state.field.finish_visit(notes="", signed_by=None, strokes=[])
    assert d.state.field.visit is None
    unguarded = []
    for n, ((owner, name), call) in enumerate(CALLS.items()):
        state = AppState.build(d.client.services(tmp_path / f"session-{n}"))
        # Past every "nothing open" guard: a chassis, a swap slot, an RMA, an order, a pending sign-out.
        state.field.scan(SEEDED_R2)
        state.field.swap_slot = "FAN-WALL"
        state.after.rma_id = sid("rma", "exchange")
        state.after.order_id = order_id
        state.after.open_depot()
        state.after.log_view = ("ctl0.log", "text")
        state.after.enlarged = Enlarged(photo_id="p", kind=PhotoKind.LABEL, taken_at=photo.taken_at, data=b"x")
        state.account.confirming_sign_out = True
        state.incidents.ticket_id = "t"
        state.incidents.unit = UnitChoice(asset_id="a", serial="NBR2", where="site")
        state.rack.rack_id = sid("rack", "fra1", "R02")
        if name == "keep_visit_draft":
            state.field.visit = visit  # the report being typed
        state.shell.say("")
        _break(state)
        caplog.clear()
        with caplog.at_level(logging.ERROR, logger="rackside.ui"):
            call(state, photo)  # raises nothing: the boundary holds
        shown = state.shell.flash_is_error and INJECTED in state.shell.flash
        logged = any(r.exc_info and INJECTED in str(r.exc_info[1]) for r in caplog.records)
        if not (shown and logged):
            unguarded.append(f"{owner.__name__}.{name}: {state.shell.flash!r}, logged={logged}")
    assert not unguarded, "\n".join(unguarded)
