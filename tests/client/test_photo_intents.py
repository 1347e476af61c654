"""Photos taken in the flows: kept on the device with the record they belong to, bad pictures refused by name."""

from __future__ import annotations

import io
from collections.abc import Callable

from PIL import Image

from app.ui.photo_state import PendingPhoto
from server.seed import sid
from sync.domain.asset import Asset, Part
from sync.domain.evidence import Photo, PhotoKind
from sync.domain.installation import Installation
from sync.domain.service import FruSwap
from tests.client.conftest import Device

SEEDED_R2 = "NBR22600001"


def _jpeg(color: str, size: tuple[int, int] = (1600, 1200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=85)
    return out.getvalue()


def _open(d: Device) -> str:
    d.state.field.scan(SEEDED_R2)
    assert d.state.field.asset_id is not None
    return d.state.field.asset_id


def test_photos_taken_during_a_swap_are_attached_to_the_swap_and_a_bad_one_is_refused_by_name(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")
    asset_id = _open(d)
    asset = d.client.store.get(Asset, asset_id)
    assert asset is not None
    removed = asset.part_in("FAN-WALL")
    van = sid("loc", "van-engineer")
    spare = next(p for p in d.client.store.children(Part, van) if p.part_number_id == sid("pn", "FW-R-02"))
    d.state.field.start_swap("FAN-WALL")
    d.state.field.swap(
        removed_serial=removed or "",
        installed_serial=spare.serial,
        location_id=van,
        error_code="E-FAN",
        reason="tach",
        photos=[
            PendingPhoto(kind=PhotoKind.PART, data=_jpeg("gray")),
            PendingPhoto(kind=PhotoKind.DAMAGE, data=b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
        ],
    )
    swaps = [s for s in d.client.store.all(FruSwap) if s.asset_id == asset_id]
    assert len(swaps) == 1
    photos = d.field.photos_of(swaps[0].id)
    assert [p.kind for p in photos] == [PhotoKind.PART]
    assert (
        d.state.shell.flash_is_error and "1 photo(s) kept" in d.state.shell.flash and "refused" in d.state.shell.flash
    )
    assert d.client.store.pending_count() == 2  # the swap and the one good photo
    report = d.client.sync()
    assert (report.pushed, report.rejected) == (2, 0)


def test_a_label_photo_on_the_chassis_page_is_kept_small_and_shown_as_a_thumbnail(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")
    asset_id = _open(d)
    before = {p.id for p in d.client.store.children(Photo, asset_id)}
    shown = len(d.state.field.asset_photos)
    kept = d.state.field.add_photos(
        subject_collection="assets", subject_id=asset_id, kind=PhotoKind.LABEL, images=[_jpeg("white", (4000, 3000))]
    )
    assert kept == 1 and not d.state.shell.flash_is_error
    thumbs = d.state.field.asset_photos  # the chassis page's read model, reloaded by the intent
    assert len(thumbs) == shown + 1
    [photo] = [p for p in d.client.store.children(Photo, asset_id) if p.id not in before]
    assert max(photo.width, photo.height) <= 2048
    assert max(Image.open(io.BytesIO(thumbs[-1])).size) <= 320


def test_a_photo_for_an_installation_goes_onto_the_new_installation(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    asset_id = _open(d)
    before = {i.id for i in d.client.store.all(Installation)}
    rack = d.field.racks()[0].id
    d.state.field.open_install()
    d.state.field.install(
        rack_id=rack,
        u_position=30,
        depth_mm=d.field.rack_depth(rack) or 1000,
        rail_kit_id=None,
        photos=[PendingPhoto(kind=PhotoKind.INSTALL, data=_jpeg("navy"))],
    )
    assert not d.state.shell.flash_is_error, d.state.shell.flash
    new = [i for i in d.client.store.all(Installation) if i.id not in before and i.asset_id == asset_id]
    assert len(new) == 1
    assert [p.kind for p in d.field.photos_of(new[0].id)] == [PhotoKind.INSTALL]
