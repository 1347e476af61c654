"""The client pipeline: upright, capped, metadata-free JPEGs, and a clear refusal for everything that is not a photo."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from app.photos.errors import DamagedImage, PhotoTooLarge, TooManyPixels, UnsupportedImage
from app.photos.pipeline import MAX_INPUT_BYTES, THUMB_SIDE, draft_size, process
from tests.photos import images


def test_exif_orientation_is_applied_and_no_exif_gps_or_comment_survives() -> None:
    source = images.photo(400, 200, orientation=6, gps=True)
    assert Image.open(io.BytesIO(source)).getexif().get_ifd(images.GPS_IFD)  # the source really has GPS

    result = process(source)

    out = Image.open(io.BytesIO(result.full))
    assert out.size == (200, 400) == (result.width, result.height)
    assert images.red_share_of_top_half(result.full) > 0.95  # the left (red) half is now on top
    assert len(out.getexif()) == 0 and "exif" not in out.info and "comment" not in out.info
    assert b"GPS" not in result.full and b"serial 12345" not in result.full
    thumb = Image.open(io.BytesIO(result.thumbnail))
    assert thumb.size == (160, 320) and len(thumb.getexif()) == 0


def test_the_identity_is_the_sha256_of_the_stored_bytes() -> None:
    result = process(images.photo())
    assert result.sha256 == hashlib.sha256(result.full).hexdigest()
    assert result.thumbnail_sha256 == hashlib.sha256(result.thumbnail).hexdigest()


def test_a_12_mp_photo_is_decoded_at_half_scale_and_capped() -> None:
    result = process(images.textured(4000, 3000))
    # draft() at 1/2 gives 2000x1500 directly: within the 2048 cap, with a quarter of the pixels to decode.
    assert (result.width, result.height) == (2000, 1500)
    assert max(Image.open(io.BytesIO(result.thumbnail)).size) == THUMB_SIDE


@pytest.mark.parametrize(
    ("size", "asked"),
    [((4000, 3000), (1792, 1344)), ((8000, 6000), (1792, 1344)), ((1000, 800), (1000, 800))],
)
def test_draft_asks_for_just_under_the_cap(size: tuple[int, int], asked: tuple[int, int]) -> None:
    assert draft_size(size, 2048) == asked


def test_a_png_named_jpg_is_read_by_its_bytes_and_comes_out_a_jpeg() -> None:
    # The picker's file name never decides: the bytes say PNG, the store gets a JPEG.
    result = process(images.png(alpha=True))
    out = Image.open(io.BytesIO(result.full))
    assert out.format == "JPEG" and out.mode == "RGB" and out.getpixel((0, 0)) == (255, 255, 255)


def test_webp_is_accepted() -> None:
    assert Image.open(io.BytesIO(process(images.webp()).full)).format == "JPEG"


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (images.truncated_jpeg(), DamagedImage),
        (images.HTML, UnsupportedImage),
        (images.SVG, UnsupportedImage),
        (b"", UnsupportedImage),
        (images.jpeg_claiming(20000, 20000), TooManyPixels),
        (images.png_claiming(20000, 20000), TooManyPixels),
        (images.png_claiming(10000, 9000), TooManyPixels),
    ],
    ids=["truncated-jpeg", "html", "svg", "empty", "jpeg-20000x20000", "png-20000x20000", "png-90mp"],
)
def test_hostile_files_get_a_clear_error(data: bytes, error: type[Exception]) -> None:
    with pytest.raises(error) as raised:
        process(data)
    assert raised.type is error and str(raised.value)


def test_a_file_over_the_size_cap_is_refused_before_decoding() -> None:
    with pytest.raises(PhotoTooLarge, match="at most 64 MiB"):
        process(b"\xff\xd8\xff" + bytes(MAX_INPUT_BYTES))
