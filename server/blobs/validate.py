"""What the server accepts as a blob: a JPEG, PNG or WebP that decodes, within the pixel limit; or, when the
upload says it is a log, a controller log (UTF-8 text or gzip-compressed text, sync/logtext.py), which never
reaches an image decoder.

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

from server.errors import (
    ApiError,
    BlobDamaged,
    BlobNotText,
    BlobTooManyPixels,
    BlobUnpackedTooLarge,
    BlobUnsupportedType,
)
from sync.logtext import LOG_MEDIA_TYPES, LogRefusal, NotALog, inspect_log

MEDIA_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
SNIFF_BYTES = 12
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)


_REFUSALS: dict[LogRefusal, type[ApiError]] = {
    LogRefusal.MARKUP: BlobUnsupportedType,
    LogRefusal.NOT_TEXT: BlobNotText,
    LogRefusal.DAMAGED: BlobDamaged,
    LogRefusal.UNPACKED_TOO_LARGE: BlobUnpackedTooLarge,
}


def declares_log(content_type: str | None) -> bool:
    """Whether an upload's Content-Type says it is a log (``text/plain``, ``application/gzip``; parameters ignored).
    Anything else, or none, is a picture: what every client sent before logs were accepted."""
    declared = (content_type or "").split(";", 1)[0].strip().lower()
    return declared in {t.split(";", 1)[0] for t in LOG_MEDIA_TYPES}


def inspect_text_log(data: bytes, *, max_text_bytes: int) -> BlobInfo:
    """Check ``data`` is an acceptable log; its media type comes from its bytes (gzip magic, else text)."""
    try:
        info = inspect_log(data, max_text_bytes=max_text_bytes)
    except NotALog as refused:
        details = {"max_text_bytes": max_text_bytes} if refused.reason is LogRefusal.UNPACKED_TOO_LARGE else None
        raise _REFUSALS[refused.reason](refused.message, details=details) from None
    return BlobInfo(media_type=info.media_type, width=0, height=0)


@dataclass(frozen=True, kw_only=True)
class BlobInfo:
    """What a checked blob is: its media type, and its pixels (0 x 0 for a log)."""

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


def inspect(data: bytes, *, max_pixels: int) -> BlobInfo:
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
    return BlobInfo(media_type=MEDIA_TYPES[fmt], width=width, height=height)
