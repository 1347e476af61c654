"""The field engineer's flows in a real browser against a real server, with screenshots for people to look at."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from app.bootstrap import Client
from server.seed import DEMO_PASSWORD
from sync.domain.asset import Asset
from sync.domain.evidence import Photo, PhotoKind
from tests.e2e.browser import FletPage
from tests.e2e.checks import sync_until
from tests.e2e.processes import ServerProcess

# Seeded chassis n=1: an R2 2U rackmount (730 mm deep) at Helix ASH1, a site the demo engineer is assigned to.
SEEDED_SERIAL = "NBR22600001"


def test_wedge_scan_of_a_seeded_serial_opens_the_chassis_page(field_app: Callable[..., FletPage]) -> None:
    for width, name in ((400, "phone"), (1280, "laptop")):
        app = field_app(width=width, name=f"scan-{name}")
        app.see("Recent chassis")
        app.shot("home")
        app.wedge_scan(SEEDED_SERIAL)
        app.see("Installed FRUs")
        app.see("Covered: ProSupport Plus Mission Critical")  # the tier template the contract is sold as
        app.shot("asset")


def test_unknown_serial_offers_registration_and_registers_the_chassis(field_app: Callable[..., FletPage]) -> None:
    app = field_app(name="register")
    app.wedge_scan("s/n: nbx9-e2e-001")
    app.see("NBX9-E2E-001 is not known on this device")
    app.pick("SKU", "R1", "NB-R1-1U — R1 rackmount 1U")
    app.type("Revision", "D")
    app.pick("Customer (owner)", "Helix", "Helix Cloud")
    app.shot("form")
    app.press("Register chassis")
    app.see("Registered NBX9-E2E-001")
    app.see("not installed")
    app.shot("registered")


def test_installation_with_a_misfitting_rail_kit_warns_before_save_and_keeps_the_warning(
    field_app: Callable[..., FletPage],
) -> None:
    app = field_app(name="install")
    app.wedge_scan(SEEDED_SERIAL)
    app.press("Install / move")
    app.pick("Rack", "R02", "Helix FRA1 colo / R02 (1200 mm, 42U)")
    app.type("U position (bottom)", "15")  # free in the seeded R02 (U11–U12 and U21–U22 are taken)
    app.pick("Rail kit", "RK-M", "RK-M-600 (600–900 mm)")
    app.see("the rack is deeper than the rail kit can extend")
    app.shot("warning")
    app.press("Save anyway (misfit is recorded)")
    app.see("Installation saved on this device")
    app.see("fit warning: the rack is deeper than the rail kit can extend")
    app.shot("saved")


def _swap_fan_wall(app: FletPage, *, photo: bytes | None = None) -> None:
    app.wedge_scan(SEEDED_SERIAL)
    app.page.get_by_role("button", name="Swap").first.click()
    app.see("Swap FRU in slot FAN-WALL")
    app.page.get_by_role("button", name="FWEL").first.click()  # first spare fan wall in Eli's van
    app.type("Reason", "fan 3 tach failure")
    if photo is not None:
        app.choose_files("Add photos", [{"name": "fan-wall.jpg", "mimeType": "image/jpeg", "buffer": photo}])
        app.see("1 photo(s) will be saved with this record")
    app.shot("swap-form")
    app.press("Save swap")
    app.see("FRU swap saved on this device")


def test_fru_swap_updates_the_slot_and_reaches_the_server(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    app = field_app(name="swap")
    _swap_fan_wall(app, photo=_photo_of_a_part())
    app.see("1 photo(s) saved on this device")
    app.see_nothing_pending()
    app.shot("after")
    desk = _desk(server, tmp_path)

    # The chip can read "synced" a moment before the round that pushes the swap, and its photo can follow a round
    # later (seen under load): wait for the server's copy of both.
    def photos_of_swaps(c: Client) -> list[Photo]:
        return [p for p in c.store.all(Photo) if p.subject_collection == "fru_swaps"]

    sync_until(desk, lambda c: _fan_wall(c).startswith("FWEL") and bool(photos_of_swaps(c)))
    swap_photos = photos_of_swaps(desk)
    assert [p.kind for p in swap_photos] == [PhotoKind.PART]
    assert max(swap_photos[0].width, swap_photos[0].height) <= 2048


def test_a_swap_made_offline_is_kept_and_syncs_when_the_server_returns(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    app = field_app(name="offline")
    app.see("all sent at")
    server.stop()
    app.see("offline since", timeout=30_000)
    _swap_fan_wall(app)
    app.see("(1 to send)", timeout=30_000)
    app.shot("pending")
    server.start()
    app.see_nothing_pending(timeout=60_000)
    app.shot("synced")
    sync_until(_desk(server, tmp_path), lambda c: _fan_wall(c).startswith("FWEL"))


def _photo_of_a_part() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (3000, 2000), "darkgray").save(out, "JPEG", quality=80)
    return out.getvalue()


def _desk(server: ServerProcess, tmp_path: Path) -> Client:
    desk = Client.open(tmp_path / "desk-check")
    desk.enroll(server_url=server.url, username="desk", password=DEMO_PASSWORD, device_name="check")
    desk.sync()
    return desk


def _fan_wall(desk: Client) -> str:
    asset = desk.store.find(Asset, SEEDED_SERIAL)
    assert asset is not None
    return asset.part_in("FAN-WALL") or ""
