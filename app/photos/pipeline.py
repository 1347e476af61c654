"""Turn what the camera or the file picker gave into the two files a photo is: a JPEG capped at 2048 px on its long
side and a 320 px thumbnail, upright, with no EXIF (no GPS, no device serial): the site is recorded explicitly.

Speed comes from Pillow's ``draft()``: a JPEG decoder can produce 1/2, 1/4 or 1/8 of the picture directly from the
DCT coefficients, so a 12 MP photo is decoded at 2000x1500 instead of 4000x3000 (a quarter of the work) and a 48 MP
one at 1/4. The long side may then end a little under the cap (2000 rather than 2048): a cap, not a target.
"""

from __future__ import annotations

import hashlib
import io
import struct
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from app.photos.errors import DamagedImage, PhotoTooLarge, TooManyPixels, UnsupportedImage

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
LONG_SIDE = 2048
THUMB_SIDE = 320
JPEG_QUALITY = 85
THUMB_QUALITY = 80
# Accept a long side down to this share of the cap so that draft() may pick the next smaller DCT scale.
DRAFT_FLOOR = 0.875
MAX_INPUT_BYTES = 64 * 1024 * 1024
# Under Pillow's own warning threshold (89.5 MP), so our error comes first for anything a phone can take (48 MP).
MAX_PIXELS = 89_000_000
# What a broken file makes Pillow raise, depending on where it breaks.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, struct.error, IndexError)


@dataclass(frozen=True, kw_only=True)
class ProcessedPhoto:
    full: bytes
    thumbnail: bytes
    width: int
    height: int
    sha256: str
    thumbnail_sha256: str


def process(
    data: bytes, *, long_side: int = LONG_SIDE, thumb_side: int = THUMB_SIDE, quality: int = JPEG_QUALITY
) -> ProcessedPhoto:
    """Re-encode one picture. Raises a PhotoRejected subclass that says why a file is not a usable photo."""
    image = open_image(data)
    try:
        image = _decode_upright(image, long_side)
        full = _jpeg(image, quality, icc=image.info.get("icc_profile"))
        thumb = image.copy()
        thumb.thumbnail((thumb_side, thumb_side), Image.Resampling.BILINEAR, reducing_gap=2.0)
        thumbnail = _jpeg(thumb, THUMB_QUALITY, icc=None)
    except DECODE_ERRORS as exc:
        raise DamagedImage(f"the picture is damaged and cannot be read ({type(exc).__name__})") from exc
    return ProcessedPhoto(
        full=full,
        thumbnail=thumbnail,
        width=image.width,
        height=image.height,
        sha256=hashlib.sha256(full).hexdigest(),
        thumbnail_sha256=hashlib.sha256(thumbnail).hexdigest(),
    )


def open_image(data: bytes, *, max_pixels: int = MAX_PIXELS, max_bytes: int = MAX_INPUT_BYTES) -> Image.Image:
    """Read only the header, with an explicit format list: SVG, HTML or a TIFF never reach a decoder."""
    if len(data) > max_bytes:
        raise PhotoTooLarge(f"the file is {len(data) // 2**20} MiB; at most {max_bytes // 2**20} MiB is accepted")
    try:
        image = Image.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise TooManyPixels("the picture has too many pixels to be a photo") from exc
    except UnidentifiedImageError as exc:
        raise UnsupportedImage("this file is not a JPEG, PNG or WebP picture") from exc
    except DECODE_ERRORS as exc:
        raise DamagedImage(f"the picture is damaged and cannot be read ({type(exc).__name__})") from exc
    width, height = image.size
    if width < 1 or height < 1 or width * height > max_pixels:
        raise TooManyPixels(f"{width}x{height} pixels is more than the {max_pixels // 1_000_000} MP accepted")
    return image


def draft_size(size: tuple[int, int], long_side: int) -> tuple[int, int]:
    """The size to ask draft() for: the smallest it may return while keeping the long side near the cap."""
    width, height = size
    floor = max(1, int(long_side * DRAFT_FLOOR))
    longest = max(width, height)
    if longest <= floor:
        return size
    return max(1, width * floor // longest), max(1, height * floor // longest)


def _decode_upright(image: Image.Image, long_side: int) -> Image.Image:
    if image.format == "JPEG":
        image.draft("RGB", draft_size(image.size, long_side))
    image.load()
    upright = ImageOps.exif_transpose(image) or image
    upright = _flatten(upright)
    if max(upright.size) > long_side:
        upright.thumbnail((long_side, long_side), Image.Resampling.LANCZOS, reducing_gap=3.0)
    return upright


def _flatten(image: Image.Image) -> Image.Image:
    """JPEG holds RGB or grey: lay transparency over white, turn palettes and CMYK into RGB."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGB", rgba.size, (255, 255, 255))
        white.paste(rgba, mask=rgba.getchannel("A"))
        return white
    converted = image.convert("RGB")
    converted.info.pop("icc_profile", None)  # a CMYK profile would misdescribe RGB pixels
    return converted


def _jpeg(image: Image.Image, quality: int, *, icc: object) -> bytes:
    # Nothing of the source's metadata may ride along: Pillow copies a JPEG comment from image.info when saving.
    image.info = {}
    out = io.BytesIO()
    options: dict[str, object] = {"quality": quality}
    if isinstance(icc, bytes):
        options["icc_profile"] = icc
    image.save(out, format="JPEG", **options)
    return out.getvalue()
