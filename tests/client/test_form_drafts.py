"""Issue 11, "lost drafts", for the installation form and the depot order's step form, without a browser: what is
typed is kept on the device under the form's draft key (per chassis; per depot order and stage), Back from a changed
form asks, a restart finds it, saving drops it and a refused save keeps it (app/ui/drafts.py, the intents in
app/ui/field_state.py and app/ui/aftersales_state.py). The browser side is tests/e2e/test_drafts.py."""

from __future__ import annotations

from collections.abc import Callable

from app.ui import routes
from app.ui.drafts import depot_order_key, install_key
from app.ui.state import AppState
from server.seed import sid
from sync.domain.logistics import DepotGrade, DepotStage
from tests.client.conftest import Device

SEEDED_R2 = "NBR22600001"
INSTALL_BLANK = {"rack": "", "rail": "", "u": "1", "depth": ""}
ORDER_BLANK = {"code": "", "note": "", "carrier": "", "tracking": "", "cause": "", "action": ""}
# Seeded RMA 8 is received at the depot: its order stands at its first stage.
RECEIVED_ORDER = sid("depot-order", sid("rma", 8))


def _installation_form(device: Callable[[str], Device]) -> tuple[Device, str, str]:
    """An engineer's device with the seeded R2 chassis's installation form open: the device, the chassis, its draft."""
    d = device("engineer")
    d.state.field.scan(SEEDED_R2)
    asset_id = d.state.field.asset_id
    assert asset_id is not None
    d.state.field.open_install()
    return d, asset_id, install_key(asset_id)


def test_an_installation_draft_outlives_back_and_a_restart_a_refusal_keeps_it_and_saving_drops_it(
    device: Callable[[str], Device],
) -> None:
    d, asset_id, key = _installation_form(device)
    state = d.state
    rack = sid("rack", "fra1", "R02")  # holds NBR22600025, a 2U at U11–U12; NBR22600001 is a 2U too
    assert key == f"install:{asset_id}"
    drafts = state.shell.drafts
    drafts.show(routes.INSTALL, key)  # as the form does when it renders
    typed = {"rack": rack, "rail": "", "u": "12", "depth": "1000"}
    drafts.keep(key, typed, blank=INSTALL_BLANK)

    state.shell.back()
    assert (state.shell.route, state.shell.leaving) == (routes.INSTALL, True)
    state.shell.back()  # Back again leaves, keeping the draft
    assert state.shell.route == routes.ASSET
    assert AppState.build(d.services).shell.drafts.load(key) == typed  # a restart on the same device finds it

    state.field.open_install()
    state.field.install(rack_id=rack, u_position=12, depth_mm=1000, rail_kit_id=None)
    assert state.shell.flash_is_error and state.shell.flash.startswith("Installation was refused: U12 is taken")
    assert drafts.load(key) == typed

    state.field.install(rack_id=rack, u_position=9, depth_mm=1000, rail_kit_id=None)
    assert not state.shell.flash_is_error, state.shell.flash
    assert state.shell.route == routes.ASSET
    assert drafts.load(key) == {}


def test_a_depot_step_drops_its_stages_draft_only_when_saved(device: Callable[[str], Device]) -> None:
    state = device("depot").state
    after, drafts = state.after, state.shell.drafts
    after.open_depot()
    after.open_order(RECEIVED_ORDER)
    assert after.order is not None and after.order.stage is DepotStage.RECEIVED
    received = depot_order_key(RECEIVED_ORDER, DepotStage.RECEIVED)
    assert received == f"depot-order:{RECEIVED_ORDER}:received"
    drafts.show(routes.DEPOT_ORDER, received)
    typed = {**ORDER_BLANK, "note": "box dented, unit fine"}
    drafts.keep(received, typed, blank=ORDER_BLANK)
    state.shell.back()
    assert (state.shell.route, state.shell.leaving) == (routes.DEPOT_ORDER, True)
    state.shell.keep_editing()

    after.advance_order(to_stage=DepotStage.SHIPPED, error_codes=(), note="box dented, unit fine")
    assert state.shell.flash_is_error  # received → shipped is not a step: nothing saved, the draft stays
    assert drafts.load(received) == typed

    after.advance_order(to_stage=DepotStage.TRIAGE, error_codes=(), note="box dented, unit fine")
    assert not state.shell.flash_is_error, state.shell.flash
    assert after.order is not None and after.order.stage is DepotStage.TRIAGE
    assert drafts.load(received) == {}


def test_grading_drops_the_root_cause_and_action_and_keeps_a_note_typed_for_the_next_step(
    device: Callable[[str], Device],
) -> None:
    state = device("depot").state
    after, drafts = state.after, state.shell.drafts
    after.open_depot()
    after.open_order(RECEIVED_ORDER)
    after.advance_order(to_stage=DepotStage.TRIAGE, error_codes=(), note="")
    after.advance_order(to_stage=DepotStage.REPAIR, error_codes=("E-FAN3",), note="")
    after.advance_order(to_stage=DepotStage.BURN_IN, error_codes=(), note="new fan wall")
    assert after.order is not None and after.order.stage is DepotStage.BURN_IN
    burn_in = depot_order_key(RECEIVED_ORDER, DepotStage.BURN_IN)
    drafts.keep(
        burn_in,
        {**ORDER_BLANK, "note": "ship with old rails", "cause": "fan 3 bearing wear", "action": "fan wall replaced"},
        blank=ORDER_BLANK,
    )
    after.grade_order(
        grade=DepotGrade.REPAIRED_TESTED, root_cause="fan 3 bearing wear", corrective_action="fan wall replaced"
    )
    assert not state.shell.flash_is_error, state.shell.flash
    assert drafts.load(burn_in) == {"code": "", "note": "ship with old rails", "carrier": "", "tracking": ""}


def test_photos_taken_in_an_unsaved_installation_outlive_back_and_a_restart_and_go_with_its_save(
    device: Callable[[str], Device],
) -> None:
    d, asset_id, key = _installation_form(device)
    state = d.state
    drafts = state.shell.drafts
    drafts.show(routes.INSTALL, key)
    front, rails = b"\xff\xd8 front of the rack", b"\xff\xd8 rails"
    drafts.keep_photos(key, [("install", front), ("install", rails)])  # no field typed: the photos alone

    state.shell.back()
    assert (state.shell.route, state.shell.leaving) == (routes.INSTALL, True), "a form with photos is changed"
    state.shell.back()
    assert state.shell.route == routes.ASSET
    assert AppState.build(d.services).shell.drafts.photos(key) == [("install", front), ("install", rails)]

    drafts.keep_photos(key, [("install", rails)])  # one removed from the form
    assert drafts.photos(key) == [("install", rails)]
    drafts.saved(key)
    assert (drafts.photos(key), drafts.unsaved(routes.INSTALL)) == ([], False)


def test_sign_out_wipes_the_photos_of_unsaved_forms_with_the_rest(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.shell.drafts.keep_photos("install:any", [("install", b"\xff\xd8 x")])
    d.client.store.wipe()
    assert d.state.shell.drafts.photos("install:any") == []
