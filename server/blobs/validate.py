"""What the server accepts as a blob: a JPEG, PNG or WebP that decodes, within the pixel limit.

The format comes from the bytes (magic numbers), never from a name or a header, and Pillow opens the file with that
single format allowed, so an SVG, an HTML page or a TIFF never reaches a decoder. The pixel count is read from the
header and refused before any decoding (Pillow itself only warns up to twice its limit). JPEGs are decoded at 1/8
scale to check them: enough to find a truncated or corrupt file at a fraction of the memory.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

from PIL import Image

from server.errors import BlobDamaged, BlobTooManyPixels, BlobUnsupportedType

MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
SNIFF_BYTES = 12
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)


@dataclass(frozen=True, kw_only=True)
class ImageInfo:
    media_type: str
    width: int
    height: int


def sniff(head: bytes) -> str | None:
    """The accepted format these first bytes announce, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "PNG"
    if len(head) >= SNIFF_BYTES and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def inspect(data: bytes, *, max_pixels: int) -> ImageInfo:
    """Check ``data`` is an acceptable image; raises the ApiError that says why not."""
    fmt = sniff(data[:SNIFF_BYTES])
    if fmt is None:
        raise BlobUnsupportedType("only JPEG, PNG and WebP images are accepted")
    try:
        image = Image.open(io.BytesIO(data), formats=(fmt,))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BlobTooManyPixels(f"the image has more than {max_pixels} pixels") from None
    except DECODE_ERRORS:
        raise BlobDamaged(f"the {fmt} image cannot be read") from None
    width, height = image.size
    if width < 1 or height < 1 or width * height > max_pixels:
        raise BlobTooManyPixels(
            f"{width}x{height} is more than {max_pixels} pixels", details={"width": width, "height": height}
        )
    try:
        if fmt == "JPEG":
            image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
        image.load()
    except DECODE_ERRORS:
        raise BlobDamaged(f"the {fmt} image is truncated or corrupt") from None
    finally:
        image.close()
    return ImageInfo(media_type=MEDIA_TYPES[fmt], width=width, height=height)
