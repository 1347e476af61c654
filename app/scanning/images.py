"""Turning bytes into a greyscale image safely and cheaply.

The header is checked before any pixel is decoded, so a 20000x20000 "decompression bomb" costs nothing. JPEG photos
are decoded at a reduced scale through Pillow's ``draft()`` (the DCT does the shrinking), so a first look at a 12 MP
photo costs a fraction of a full decode; the full resolution is decoded only if that first look was not enough.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field

from PIL import Image

MAX_PIXELS = 64_000_000  # a 50 MP phone sensor fits; anything larger is refused before decoding


class ImageProblem(Exception):
    """Why the input is not a usable image; the message is what the user sees."""


@dataclass
class Source:
    """An opened image, decoded lazily at the resolutions asked for (each kept once decoded)."""

    size: tuple[int, int]
    _data: bytes | None = None
    _image: Image.Image | None = None
    _cache: dict[int, Image.Image] = field(default_factory=dict)

    @property
    def long_side(self) -> int:
        return max(self.size)

    def grey(self, long_side: int | None = None) -> Image.Image:
        """The image in greyscale with its long side at most ``long_side`` (None: full resolution)."""
        target = self.long_side if long_side is None else min(long_side, self.long_side)
        if target not in self._cache:
            self._cache[target] = self._decode(target)
        return self._cache[target]

    def _decode(self, target: int) -> Image.Image:
        try:
            if self._image is not None:
                image = self._image
                if image.mode != "L":
                    image = image.convert("L")
            else:
                assert self._data is not None
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", Image.DecompressionBombWarning)
                    image = Image.open(io.BytesIO(self._data))
                    scale = target / self.long_side
                    if image.format == "JPEG" and scale < 1:
                        image.draft("L", (int(self.size[0] * scale) + 1, int(self.size[1] * scale) + 1))
                    image = image.convert("L")
        except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError) as err:
            raise ImageProblem(f"not a readable image: {err}") from err
        if max(image.size) > target:
            factor = target / max(image.size)
            image = image.resize(
                (max(1, round(image.width * factor)), max(1, round(image.height * factor))), Image.Resampling.BOX
            )
        return image


def open_image(source: bytes | Image.Image, *, max_pixels: int = MAX_PIXELS) -> Source:
    """Check the input and its header; raises :class:`ImageProblem` with a clear reason."""
    if isinstance(source, Image.Image):
        _check_size(source.size, max_pixels)
        return Source(size=source.size, _image=source)
    if not source:
        raise ImageProblem("not an image: no bytes")
    try:
        with warnings.catch_warnings():
            # The size guard below is ours; Pillow's own warning (an error under pytest) must not pre-empt it.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(source)) as probe:
                size = probe.size
    except Image.DecompressionBombError as err:
        raise ImageProblem(f"image too large: refused before decoding ({err})") from err
    except (OSError, ValueError, SyntaxError, EOFError) as err:
        raise ImageProblem("not an image (or a format this device cannot read)") from err
    _check_size(size, max_pixels)
    return Source(size=size, _data=bytes(source))


def _check_size(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width <= 0 or height <= 0:
        raise ImageProblem("not an image: it has no pixels")
    if width * height > max_pixels:
        raise ImageProblem(
            f"image too large: {width}x{height} px is over {max_pixels // 1_000_000} MP; refused before decoding"
        )
