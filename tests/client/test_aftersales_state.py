"""The after-sales UI state without Flet rendering: intents call services, move routes and say what happened."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable

from PIL import Image

from app.ui import routes
from server.seed import sid
from sync.domain.contract import ServiceModel
from sync.domain.evidence import PhotoKind
from sync.domain.rma import RmaLane, RmaStatus
from sync.domain.service import Severity
from tests.client.conftest import Device


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), "steelblue").save(out, "JPEG", quality=80)
    return out.getvalue()


def test_desk_and_depot_intents_walk_an_exchange_and_back_leads_up_one_level(device: Callable[[str], Device]) -> None:
    admin = device("admin")
    state = admin.state
    after = state.after
    assert state.after is after
    after.open_desk()
    assert state.shell.route == routes.DESK
    rma_id = sid("rma", "exchange")
    after.open_rma(rma_id)
    assert state.shell.route == routes.DESK_RMA
    after.approve(lane=RmaLane.REPLACE, model=ServiceModel.ADVANCE_EXCHANGE)
    assert state.shell.flash.startswith("Approval saved") and not state.shell.flash_is_error
    assert after.label() is None and state.shell.flash_is_error  # no number until the approval syncs
    admin.client.sync()
    assert after.label() is not None and state.shell.flash.endswith("RMA-2026-000014.pdf")
    after.ship_replacement(serial="NBRP-UI-1", carrier="DHL", tracking="1", location_id=None)
    assert after.services.rma.page(rma_id).status is RmaStatus.REPLACEMENT_SHIPPED
    after.ship_replacement(serial="NBRP-UI-2", carrier="DHL", tracking="2", location_id=None)
    assert state.shell.flash_is_error and "refused" in state.shell.flash
    state.shell.back()
    assert state.shell.route == routes.DESK
    state.shell.back()
    assert state.shell.route == "/"

    after.open_depot()
    before = after.scan_generation
    for code in ("RMA-2026-000014", "RMA-2026-000014", "   "):
        after.scan_box(code)
    assert after.scan_generation == before + 3
    assert [line.outcome for line in after.session_lines] == ["refused", "duplicate", "received"]
    order_id = after.session_lines[-1].depot_order_id
    assert order_id is not None
    after.open_order(order_id)
    assert state.shell.route == routes.DEPOT_ORDER
    after.open_rma(rma_id)
    assert state.shell.route == routes.DEPOT_RMA
    state.shell.back()
    assert state.shell.route == routes.DEPOT_ORDER
    after.advance_order(to_stage=after.services.depot.order_page(order_id).steps[0].stage, error_codes=(), note="")
    assert after.services.rma.page(rma_id).status is RmaStatus.INSPECTION


def test_an_engineer_drafts_from_the_chassis_page_and_submits(device: Callable[[str], Device]) -> None:
    eli = device("engineer")
    state = eli.state
    state.field.scan("NBR22600001")
    after = state.after
    after.start_draft()
    assert state.shell.route == routes.RMA_DRAFT
    after.draft(
        model=ServiceModel.STANDARD,
        symptom="",
        repro_steps="",
        severity=Severity.MAJOR,
        part_serial=None,
        controller_involved=False,
        rack_depth_mm=None,
        rail_kit_id=None,
    )
    assert state.shell.flash_is_error and state.shell.route == routes.RMA_DRAFT
    after.draft(
        model=ServiceModel.STANDARD,
        symptom="no POST",
        repro_steps="power on",
        severity=Severity.CRITICAL,
        part_serial=None,
        controller_involved=False,
        rack_depth_mm=1000,
        rail_kit_id=None,
    )
    assert state.shell.route == routes.ASSET_RMA and after.rma_id is not None
    after.attach_evidence(b"\xff\xd8 not really a photo", PhotoKind.INSTALL)
    assert state.shell.flash_is_error and "refused" in state.shell.flash  # the photo pipeline names a bad picture
    after.attach_evidence(_jpeg(), PhotoKind.INSTALL)
    assert not state.shell.flash_is_error, state.shell.flash
    after.submit()
    page = after.services.rma.page(after.rma_id)
    assert page.status is RmaStatus.SUBMITTED
    assert [i.done for i in page.checklist if i.item.value == "install_photos"] == [True]
    state.shell.back()
    assert state.shell.route == "/asset"


def test_a_controller_log_picked_on_the_rma_page_is_recorded_as_a_log_and_opens_as_text(
    device: Callable[[str], Device],
) -> None:
    eli = device("engineer")
    state = eli.state
    state.field.scan("NBR22600001")
    after = state.after
    after.start_draft()
    after.draft(
        model=ServiceModel.STANDARD,
        symptom="RAID degraded",
        repro_steps="boot",
        severity=Severity.MAJOR,
        part_serial=None,
        controller_involved=True,
        rack_depth_mm=1000,
        rail_kit_id=None,
    )
    assert after.rma_id is not None
    log = b"ctl0: PD 0:3 predictive failure\nctl0: rebuild started\n"
    after.attach_evidence(b"<html><script>alert(1)</script></html>", PhotoKind.LOG, "evil.log")
    assert state.shell.flash_is_error and after.logs == []  # markup is refused on the device, nothing recorded
    after.attach_evidence(log, PhotoKind.LOG, "/home/eli/ctl0.log")
    assert not state.shell.flash_is_error, state.shell.flash
    after.attach_evidence(_jpeg(), PhotoKind.LOG, "screen.jpg")  # a screenshot of the logs is a picture: photo pipeline
    [recorded] = after.logs
    assert (recorded.file_name, recorded.size, recorded.media_type) == (
        "ctl0.log",
        len(log),
        "text/plain; charset=utf-8",
    )
    page = after.services.rma.page(after.rma_id)
    assert [i.done for i in page.checklist if i.item.value == "controller_logs"] == [True]
    asyncio.run(after.read_log(recorded))
    assert after.log_view == ("ctl0.log", log.decode())
    assert asyncio.run(after.log_file(recorded)) == log
    after.close_log()
    assert after.log_view is None


def test_a_double_tap_on_a_queue_row_keeps_the_rma_under_the_queue(device: Callable[[str], Device]) -> None:
    desk = device("desk")
    after = desk.state.after
    after.open_desk()
    after.open_rma(sid("rma", "exchange"))
    after.open_rma(sid("rma", "exchange"))  # the second tap lands on the RMA page already open
    assert desk.state.shell.route == routes.DESK_RMA
    desk.state.shell.back()
    assert desk.state.shell.route == routes.DESK
