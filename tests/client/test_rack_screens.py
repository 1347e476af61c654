"""The installer's rack screens without a browser: the elevation read model, the rack label, the chassis waiting at
the site, and the batch flow's live checks and saves, on a real device store synced from the seeded server.

The seeded rack Quarry TYO1 / T01 (42U, 1070 mm) holds NBR12600008 (1U at U9), NBN42600028 (2U at U17–U18) and
NBG82600018 (4U at U35–U38); NBX12600023 (1U) is at the Tokyo site in no rack.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable

import zxingcpp
from PIL import Image

from app.services.racks import RackService
from server.seed import sid
from tests.client.conftest import Device

T01 = sid("rack", "tyo1", "T01")


def _chassis_bands(d: Device) -> list[tuple[int, int, tuple[str, ...]]]:
    view = d.state.rack.view
    assert view is not None
    return [(b.top_u, b.bottom_u, tuple(c.serial for c in b.chassis)) for b in view.bands if b.chassis]


def test_a_rack_label_names_its_rack_by_id_site_and_name_or_unique_name(device: Callable[[str], Device]) -> None:
    racks = RackService(store=device("installer").client.store)
    assert racks.rack_by_label(T01) == T01
    assert racks.rack_by_label("Quarry TYO1 / T01") == T01
    assert racks.rack_by_label(" quarry tyo1/t01 ") == T01
    assert racks.rack_by_label("t01") == T01
    assert racks.rack_by_label("R99") is None
    assert racks.rack_by_label("") is None


def _qr_photo(text: str) -> bytes:
    """A photo-like JPEG of a rack's QR label: the code on a grey wall, not alone on white."""
    raw = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode), scale=6)
    height, width = raw.shape[:2]
    code = Image.frombytes("L", (width, height), memoryview(raw).tobytes())  # type: ignore[arg-type]
    wall = Image.new("L", (width + 400, height + 300), 150)
    label = Image.new("L", (width + 40, height + 40), 255)
    label.paste(code, (20, 20))
    wall.paste(label, (180, 130))
    out = io.BytesIO()
    wall.save(out, "JPEG", quality=85)
    return out.getvalue()


def test_a_photo_of_the_racks_qr_label_opens_the_rack_and_a_photo_of_another_says_why_not(
    device: Callable[[str], Device],
) -> None:
    d = device("installer")
    assert asyncio.run(d.state.rack.read_label(_qr_photo(T01), from_camera=False)) is True
    assert d.state.rack.view is not None and d.state.rack.view.title == "Quarry TYO1 / T01"
    assert asyncio.run(d.state.rack.read_label(_qr_photo("Quarry TYO1 / T99"), from_camera=False)) is False
    assert d.state.shell.flash == "No rack on this device has the label Quarry TYO1 / T99"
    blank = io.BytesIO()
    Image.new("L", (640, 480), 200).save(blank, "JPEG")
    # A camera frame without a label stays quiet (the next frame comes); a photo without one says what to do.
    d.state.shell.flash = ""
    assert asyncio.run(d.state.rack.read_label(blank.getvalue(), from_camera=True)) is False
    assert d.state.shell.flash == ""
    assert asyncio.run(d.state.rack.read_label(blank.getvalue(), from_camera=False)) is False
    assert d.state.shell.flash == "No barcode found on the photo: try closer, square to the label"
    assert d.state.rack.view.title == "Quarry TYO1 / T01", "the rack on screen stays"


def test_the_elevation_draws_the_rack_top_down_with_each_chassis_as_tall_as_its_model(
    device: Callable[[str], Device],
) -> None:
    d = device("installer")
    assert d.state.rack.scan_label("T01")
    view = d.state.rack.view
    assert view is not None
    assert (view.title, view.height_u, view.depth_mm, view.used_u) == ("Quarry TYO1 / T01", 42, 1070, 7)
    assert _chassis_bands(d) == [(38, 35, ("NBG82600018",)), (18, 17, ("NBN42600028",)), (9, 9, ("NBR12600008",))]
    assert [b.top_u for b in view.bands][:5] == [42, 41, 40, 39, 38]  # empty Us one by one above the 4U
    assert sum(b.height_u for b in view.bands) == 42
    gpu = view.bands[4].chassis[0]
    assert (str(gpu.span), gpu.model, gpu.rail_kit) == ("4U at U35–U38", "NB-G8-4U — G8 GPU server 4U", "RK-L-750")
    assert [(w.serial, w.height_u) for w in d.state.rack.waiting] == [("NBX12600023", 1)]


def test_the_batch_refuses_taken_us_live_and_on_save_and_saves_a_free_placement(
    device: Callable[[str], Device],
) -> None:
    d = device("installer")
    rack = d.state.rack
    assert rack.scan_label("T01")
    rack.start_batch()

    rack.check(serial="nbx12600023", u_position=36, depth_mm=1070, rail_kit_id=None)
    assert (rack.placement.taken, rack.placement.ready) == ("U36 is taken by NBG82600018 (4U at U35–U38)", False)
    assert not rack.install(serial="nbx12600023", u_position=36, depth_mm=1070, rail_kit_id=None)
    assert d.state.shell.flash_is_error
    assert d.state.shell.flash == (
        "Installation was refused: U36 is taken by NBG82600018 (4U at U35–U38)."
        " Choose free Us: the rack view shows which are taken."
    )
    assert d.client.store.pending_count() == 0

    rack.check(serial="NBX12600023", u_position=34, depth_mm=1070, rail_kit_id=sid("rail", "RK-S"))
    assert rack.placement.taken == "" and rack.placement.ready
    assert rack.placement.fit_warnings == ("the rack is deeper than the rail kit can extend",)
    assert rack.install(serial="NBX12600023", u_position=34, depth_mm=1070, rail_kit_id=sid("rail", "RK-M"))
    assert rack.saved == ["NBX12600023 at U34 (RK-M-600)"]
    assert _chassis_bands(d) == [
        (38, 35, ("NBG82600018",)),
        (34, 34, ("NBX12600023",)),
        (18, 17, ("NBN42600028",)),
        (9, 9, ("NBR12600008",)),
    ]
    assert rack.waiting == []
    assert d.client.store.pending_count() == 1


def test_an_unknown_serial_or_a_missing_u_is_said_before_save(device: Callable[[str], Device]) -> None:
    d = device("installer")
    rack = d.state.rack
    assert rack.scan_label("T01")
    rack.check(serial="NBQ0000000", u_position=5, depth_mm=None, rail_kit_id=None)
    assert str(rack.placement.problem) == "NBQ0000000 is not known on this device"
    rack.check(serial="NBX12600023", u_position=None, depth_mm=None, rail_kit_id=None)
    assert str(rack.placement.problem) == "enter a U from 1 to 42"
    assert not rack.install(serial="NBX12600023", u_position=None, depth_mm=None, rail_kit_id=None)
    assert d.client.store.pending_count() == 0
