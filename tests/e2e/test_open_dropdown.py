"""An open drop-down stays open while a sync round changes the screen under it (issue 11: a sync round must not
swallow what the user is doing): the round that sends the chassis just saved, and a round that brings another
device's install into the rack on screen."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from app.bootstrap import Client
from app.services.field import FieldService
from server.seed import DEMO_PASSWORD, sid
from sync.domain.asset import Asset
from tests.e2e.browser import FletPage
from tests.e2e.processes import ServerProcess

ROUND_S = 10.0  # the app's rounds 10 s apart: the menu is surely open before the round each step waits for


def _open_rail_kit_menu(app: FletPage, serial: str, u: str, typed: str, option: str) -> None:
    app.fill_form_field("Chassis serial", serial)
    app.fill_form_field("U position (bottom)", u)
    app.type("Rail kit", typed)
    expect(app.page.get_by_text(option, exact=True).last).to_be_visible()


def _pick_open_option(app: FletPage, option: str) -> None:
    """The option is still on screen, in the menu left open, and one tap picks it."""
    shown = app.page.get_by_text(option, exact=True).last
    expect(shown).to_be_visible()
    shown.click()
    expect(app.field("Rail kit")).to_have_value(option)


def test_the_rail_kit_menu_stays_open_while_rounds_send_the_last_chassis_and_bring_another_devices(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    app = field_app("installer", width=400, name="open-dropdown", interval=ROUND_S)
    app.page.set_viewport_size({"width": 400, "height": 3000})
    app.see("Recent chassis")
    app.press("Racks")
    app.type("Rack label", "T01", enter=True)
    app.see("Quarry TYO1 / T01")
    app.press("Install chassis into this rack")
    app.see("Next chassis")
    _open_rail_kit_menu(app, "NBG82600048", "30", "RK-L", "RK-L-750 (750–1100 mm)")
    _pick_open_option(app, "RK-L-750 (750–1100 mm)")
    app.see("Fits, and the Us are free")
    app.press("Save and next chassis")
    app.see("NBG82600048 at U30 (RK-L-750)")

    # The round that sends the saved chassis comes while the next chassis's menu is open.
    _open_rail_kit_menu(app, "NBN42600058", "20", "RK-M", "RK-M-600 (600–900 mm)")
    expect(app.page.get_by_role("button", name=re.compile(r"1 to send"))).to_be_visible(timeout=1_000)
    app.see_nothing_pending()
    _pick_open_option(app, "RK-M-600 (600–900 mm)")
    app.press("Save anyway (misfit is recorded)")
    app.see("NBN42600058 at U20 (RK-M-600)")

    # Another device moves the 1U at U39 to U41; the round that brings it redraws the rack under the open menu of the
    # next chassis (a new, empty form: typing into a drop-down that holds a choice would be a different test).
    laptop = Client.open(tmp_path / "installer-laptop")
    laptop.enroll(server_url=server.url, username="installer", password=DEMO_PASSWORD, device_name="laptop")
    laptop.sync()
    moved = laptop.store.find(Asset, "NBR12600038")
    assert moved is not None
    _open_rail_kit_menu(app, "NBX12600023", "25", "RK-L", "RK-L-750 (750–1100 mm)")
    FieldService(store=laptop.store).record_installation(
        asset_id=moved.id, rack_id=sid("rack", "tyo1", "T01"), u_position=41, measured_depth_mm=1070, rail_kit_id=None
    )
    assert laptop.sync().rejected == 0
    expect(app.page.get_by_role("button", name=re.compile(r"^NBR12600038, 1U at U41"))).to_be_visible(timeout=30_000)
    _pick_open_option(app, "RK-L-750 (750–1100 mm)")
