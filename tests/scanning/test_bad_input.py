"""Bad input gives a clear result object: never an exception, never a serial presented as certain."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from app.scanning import Goal, SerialStatus, scan
from bench.label_frames import make_label


def png_header_claiming(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    # A valid file that decompresses to 400 MP of pixels: only the header may ever be read.
    pixels = zlib.compress(b"", 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def blank_png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (640, 480), 200).save(out, "PNG")
    return out.getvalue()


LABEL = make_label(1).jpeg


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "not an image: no bytes"),
        (b"%PDF-1.7 this is not a picture", "not an image"),
        (png_header_claiming(20000, 20000), "image too large"),
        (LABEL[: len(LABEL) // 3], "not a readable image"),
        (LABEL[:200], "not a"),
        (blank_png(), "no barcode found"),
    ],
)
def test_bad_input_is_a_clear_result(data: bytes, message: str) -> None:
    result = scan(data, budget_ms=200)
    assert message in result.message
    assert result.serial is None and result.barcodes == ()
    assert result.choice.status is SerialStatus.NO_BARCODE


def test_a_decompression_bomb_is_refused_before_any_pixel_is_decoded() -> None:
    result = scan(png_header_claiming(20000, 20000))
    assert result.stages == ()  # refused from the header alone: no decoding stage ran


def test_a_pillow_image_is_accepted_as_well_as_bytes() -> None:
    image = Image.open(io.BytesIO(LABEL))
    result = scan(image, goal=Goal.ANY_BARCODE)
    assert result.barcodes
