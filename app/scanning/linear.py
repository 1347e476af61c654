"""Reading the 1D symbols ``locate.py`` found: each region cut out of the largest image at hand, turned so its bars
stand upright, scaled so a narrow bar is a couple of pixels wide, then decoded.

A rectified crop is what zxing-cpp's 1D readers want: every row crosses the whole symbol, so it is read with
``try_rotate`` off (the angle is known) and ``try_downscale`` off (the scale is chosen here); a second binarizer and a
doubled scale are tried only on a crop that gave nothing. Mild perspective needs no more: the row through the middle
of a trapezoid still crosses every bar, and the reader tolerates the bars' slowly changing width.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

import numpy as np
import zxingcpp
from PIL import Image, ImageFilter

from app.scanning.decoders import Barcode, Point, from_zxing
from app.scanning.locate import Region, find_regions

ANALYSIS_SIDE = 2000  # bars of a label a fifth of a 12 MP frame wide are still bars at this size
_LINEAR = zxingcpp.BarcodeFormats((zxingcpp.BarcodeFormat.Code128, zxingcpp.BarcodeFormat.Code39Std))
_MAX_CROP = 1800  # px across the bars; a symbol wider than that is read at a reduced scale
_QUIET = 0.12  # of the region's length, added at each end: the quiet zone a decoder needs


@dataclass(frozen=True)
class Crop:
    image: Image.Image
    to_source: Callable[[Point], Point]  # from crop pixels to the source image's pixels


@dataclass(frozen=True)
class Pending:
    """A region still to read, and the factor from its (analysis) pixels to the original photo's pixels."""

    region: Region
    to_original: float


def regions_of(source: Image.Image) -> tuple[list[Region], float]:
    """The bar-code regions of an image, each at its bars' true angle, and the factor from analysis pixels to the
    image's pixels."""
    factor = max(1, math.ceil(max(source.size) / ANALYSIS_SIDE))
    analysis = source.reduce(factor) if factor > 1 else source
    return [_refined(analysis, r) for r in find_regions(np.asarray(analysis))], float(factor)


def find(base: Image.Image, to_original: float) -> list[Pending]:
    """The regions of ``base`` (an image ``to_original`` times smaller than the photo), ready to read."""
    regions, factor = regions_of(base)
    return [Pending(r, factor * to_original) for r in regions]


def read(
    base: Image.Image,
    to_original: float,
    pending: list[Pending],
    *,
    upscale: bool,
    stop: Callable[[], bool],
    add: Callable[[list[Barcode]], None],
) -> list[Pending]:
    """Read each region from ``base``, handing what it decodes to ``add`` in the photo's coordinates, until ``stop``
    says enough; returns the regions that gave nothing (or were not reached), for a sharper image to try."""
    unread = []
    for item in pending:
        if stop():
            unread.append(item)
            continue
        factor = item.to_original / to_original
        for crop in crops(base, item.region, factor, upscale=upscale):
            barcodes = decode_crop(crop)
            if barcodes:
                add([b.moved(_corners(b, lambda p: (p[0] * to_original, p[1] * to_original))) for b in barcodes])
                break
        else:
            unread.append(item)
    return unread


def _refined(analysis: Image.Image, region: Region) -> Region:
    """The angle at which the bars stand upright in the crop: the one whose column means keep the most contrast.

    The tiles' gradient angle is biased by a few degrees for bars near the pixel size (a central difference does not
    respond alike along x and y at high frequencies), and a label seen at a slant shears its bars against its edges;
    both cost a long symbol every scan line, so the angle is searched over the crop itself.
    """
    across, along = 2 * region.half_across, 2 * region.half_along * 0.6

    def contrast(angle: float) -> float:
        turned = replace(region, angle=angle)
        crop = _rectified(analysis, turned, 1.0, across, along, 1.0).image
        return float(np.asarray(crop, dtype=np.float32).mean(axis=0).var())

    best = region.angle
    for step, reach in ((math.radians(2), 4), (math.radians(0.5), 2)):  # ±8° by 2°, then ±1° by 0.5°
        best = max((best + k * step for k in range(-reach, reach + 1)), key=contrast)
    return replace(region, angle=best)


def crops(source: Image.Image, region: Region, factor: float, *, upscale: bool = True) -> Iterator[Crop]:
    """The region upright at the source's full scale (or less, for a very long symbol), then at twice that."""
    across = 2 * region.half_across * (1 + 2 * _QUIET) * factor
    along = 2 * region.half_along * factor + 6 * factor
    scale = min(1.0, _MAX_CROP / across)
    yield _rectified(source, region, factor, across, along, scale)
    if upscale and scale == 1.0 and across < _MAX_CROP / 2:
        yield _rectified(source, region, factor, across, along, 2.0)


def _rectified(source: Image.Image, region: Region, factor: float, across: float, along: float, scale: float) -> Crop:
    nx, ny = math.cos(region.angle), math.sin(region.angle)
    cx, cy = region.cx * factor, region.cy * factor
    width, height = max(8, round(across * scale)), max(8, round(along * scale))

    def to_source(p: Point) -> Point:
        u, v = p[0] / scale - across / 2, p[1] / scale - along / 2
        return (cx + u * nx - v * ny, cy + u * ny + v * nx)

    # Pillow's affine maps each output pixel to its input pixel: exactly to_source, written as coefficients.
    ox, oy = to_source((0.0, 0.0))
    coefficients = (nx / scale, -ny / scale, ox, ny / scale, nx / scale, oy)
    resample = Image.Resampling.BICUBIC if scale > 1 else Image.Resampling.BILINEAR
    image = source.transform((width, height), Image.Transform.AFFINE, coefficients, resample, fillcolor=255)
    return Crop(image, to_source)


def decode_crop(crop: Crop) -> list[Barcode]:
    """The crop as it is, then as scan bands: at several heights, the rows of a band averaged along the bars (the
    noise and JPEG blocks average out, the bars do not) and sharpened against the lens's and the hand's blur."""
    attempts = [(crop.image, crop.to_source)]
    for count in (3, 6):
        attempts.append(_bands(crop, count))
    for image, to_source in attempts:
        found = zxingcpp.read_barcodes(
            image,
            formats=_LINEAR,
            try_rotate=False,
            try_downscale=False,
            try_invert=False,
            text_mode=zxingcpp.TextMode.Plain,
            binarizer=zxingcpp.Binarizer.LocalAverage,
        )
        barcodes = [b for r in found if (b := from_zxing(r)) is not None]
        if barcodes:
            return [b.moved(_corners(b, to_source)) for b in barcodes]
    return []


_BAND_ROWS = 12


def _bands(crop: Crop, count: int) -> tuple[Image.Image, Callable[[Point], Point]]:
    pixels = np.asarray(crop.image, dtype=np.float32)
    height = pixels.shape[0]
    edges = [round(height * (0.15 + 0.7 * k / count)) for k in range(count + 1)]
    rows = [pixels[a:b].mean(axis=0) for a, b in zip(edges, edges[1:], strict=False) if b > a]
    if not rows:
        return crop.image, crop.to_source
    stacked = np.repeat(np.stack(rows), _BAND_ROWS, axis=0)
    image = Image.fromarray(np.clip(stacked, 0, 255).astype(np.uint8)).filter(ImageFilter.UnsharpMask(2, 150, 0))

    def to_source(p: Point) -> Point:
        band = min(len(rows) - 1, max(0, int(p[1] // _BAND_ROWS)))
        return crop.to_source((p[0], (edges[band] + edges[band + 1]) / 2))

    return image, to_source


def _corners(barcode: Barcode, to_source: Callable[[Point], Point]) -> tuple[Point, Point, Point, Point]:
    tl, tr, br, bl = (to_source(p) for p in barcode.position)
    return (tl, tr, br, bl)
