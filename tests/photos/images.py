"""Pictures the tests make themselves: real photos with EXIF, and hostile files built byte by byte."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

ORIENTATION = 0x0112
GPS_IFD = 0x8825


def photo(width: int = 400, height: int = 200, *, orientation: int | None = None, gps: bool = False) -> bytes:
    """A JPEG whose left half is red and right half blue, so a rotation can be seen in the result."""
    image = Image.new("RGB", (width, height), (0, 0, 255))
    image.paste((255, 0, 0), (0, 0, width // 2, height))
    exif = Image.Exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    if gps:
        exif.get_ifd(GPS_IFD).update({1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 3.0)})
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=90, exif=exif.tobytes(), comment=b"serial 12345 taken at home")
    return out.getvalue()


def textured(width: int, height: int, *, quality: int = 90) -> bytes:
    """A camera-like JPEG (gradients and noise): plain colour would decode unrealistically fast."""
    base = Image.radial_gradient("L").resize((width, height))
    noise = Image.effect_noise((max(1, width // 4), max(1, height // 4)), 40).resize((width, height))
    ramp = Image.linear_gradient("L").resize((width, height))
    out = io.BytesIO()
    Image.merge("RGB", (base, noise, ramp)).save(out, format="JPEG", quality=quality)
    return out.getvalue()


def png(width: int = 64, height: int = 48, *, alpha: bool = False) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", (width, height), (10, 200, 30, 0) if alpha else (10, 200, 30))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def webp(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (90, 90, 200)).save(out, format="WEBP")
    return out.getvalue()


def truncated_jpeg() -> bytes:
    whole = textured(640, 480)
    return whole[: len(whole) // 2]


HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small valid JPEG whose frame header (SOF0) is rewritten to claim ``width`` x ``height``."""
    data = bytearray(photo(16, 16))
    at = data.index(b"\xff\xc0")
    # SOF0: marker(2) length(2) precision(1) height(2) width(2)
    struct.pack_into(">HH", data, at + 5, height, width)
    return bytes(data)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header (IHDR) claiming ``width`` x ``height``, with a tiny IDAT: a decompression-bomb lookalike."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")
    )


def red_share_of_top_half(data: bytes) -> float:
    image = Image.open(io.BytesIO(data)).convert("RGB")
    top = image.crop((0, 0, image.width, image.height // 2))
    pixels = list(top.get_flattened_data())
    return sum(1 for r, _g, b in pixels if r > 128 and b < 128) / len(pixels)
