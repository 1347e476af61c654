"""From an image to barcodes and a serial, within a time budget.

The stages run cheapest first and stop as soon as the goal is met (a certain serial, or any barcode):

1. ``fast``     — greyscale at most 1024 px on the long side (a JPEG is decoded at that scale directly), zxing-cpp.
2. ``regions``  — 1D symbols located by their bars (``locate.py``), each rectified and decoded (``linear.py``): first in
                  a half-size 12 MP photo, then the regions it could not read at full size (``regions-full``).
3. ``full``     — the full resolution (capped at 4000 px) when the photo is larger, zxing-cpp with inverted retry.
4. ``deskew``   — raw decoders read 1D codes along rows and columns only, so a label held 10-15° off level is missed;
                  rotate by the tilt of the barcodes already found (a 2D code shows the label's angle), else by fixed
                  angles both ways.
5. ``zbar``     — the second decoder, where libzbar is installed.
6. ``contrast`` / ``rescale`` / ``threshold`` — only when nothing was found: stretched contrast with a global
                  histogram binarizer, a softened half-size or a doubled small image, and a local-mean threshold.

Each stage is checked against the budget before it starts; positions are always in the caller's image coordinates.
"""

from __future__ import annotations

import enum
import math
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial

import zxingcpp
from PIL import Image, ImageChops, ImageFilter, ImageOps

from app.scanning import linear
from app.scanning.decoders import Barcode, Decoder, Point, ZxingDecoder, zbar_decoder
from app.scanning.images import ImageProblem, Source, open_image
from app.scanning.serial import SerialChoice, SerialPattern, SerialStatus, choose_serial

FAST_SIDE = 1024
FULL_SIDE = 4000  # a 12 MP photo at full size: zxing-cpp needs 10-50 ms on it, the JPEG decode more
REGION_SIDE = 4000  # the full size of a 12 MP photo; larger ones are read reduced to this
ANALYSIS_SIDE = linear.ANALYSIS_SIDE
DEFAULT_BUDGET_MS = 350.0
_TILTS = (12.0, -12.0, 6.0, -6.0, 20.0, -20.0)


class Goal(enum.Enum):
    SERIAL = "serial"  # keep looking until the serial is certain (a label: several barcodes, one serial)
    ANY_BARCODE = "any"  # stop at the first barcode (a box label, a benchmark)


@dataclass(frozen=True)
class ScanResult:
    barcodes: tuple[Barcode, ...]
    choice: SerialChoice
    elapsed_ms: float
    stages: tuple[str, ...] = ()
    problem: str | None = None  # the input itself was unusable ("not an image", "image too large …")

    @property
    def serial(self) -> str | None:
        """The serial only when it is certain; a probable one is in ``choice`` for the user to confirm."""
        return self.choice.serial if self.choice.certain else None

    @property
    def message(self) -> str:
        if self.problem:
            return self.problem
        if self.choice.status is SerialStatus.FOUND:
            return f"serial {self.choice.serial} ({self.choice.reason})"
        if self.choice.status is SerialStatus.PROBABLE:
            return f"serial {self.choice.serial}? please confirm ({self.choice.reason})"
        return self.choice.reason


Transform = Callable[[Point], Point]


@dataclass
class _Run:
    source: Source
    patterns: Sequence[SerialPattern]
    goal: Goal
    deadline: float
    clock: Callable[[], float]
    found: dict[tuple[str, str], Barcode]
    stages: list[str]
    unread: list[linear.Pending] = field(default_factory=list)  # 1D regions the half-size pass could not read

    def satisfied(self) -> bool:
        if self.goal is Goal.ANY_BARCODE:
            return bool(self.found)
        return bool(self.found) and choose_serial(list(self.found.values()), self.patterns).certain

    def time_left(self) -> bool:
        return self.clock() < self.deadline

    def add(self, barcodes: list[Barcode], to_original: Transform) -> None:
        for barcode in barcodes:
            if barcode.key not in self.found:
                tl, tr, br, bl = (to_original(p) for p in barcode.position)
                self.found[barcode.key] = barcode.moved((tl, tr, br, bl))


_ZXING = ZxingDecoder()
_ZXING_HISTOGRAM = ZxingDecoder(binarizer=zxingcpp.Binarizer.GlobalHistogram)


def scan(
    image: bytes | Image.Image,
    *,
    patterns: Sequence[SerialPattern] = (),
    budget_ms: float = DEFAULT_BUDGET_MS,
    goal: Goal = Goal.SERIAL,
    use_zbar: bool = True,
    clock: Callable[[], float] = time.perf_counter,
) -> ScanResult:
    """Decode every barcode in a photo or camera frame and choose the serial. Never raises for bad input."""
    started = clock()
    try:
        source = open_image(image)
        run = _Run(source, patterns, goal, started + budget_ms / 1000, clock, {}, [])
        for name, step in _stages(run, use_zbar):
            if run.stages and (run.satisfied() or not run.time_left()):
                break
            run.stages.append(name)
            step()
    except ImageProblem as problem:
        choice = SerialChoice(SerialStatus.NO_BARCODE, None, None, str(problem))
        return ScanResult((), choice, (clock() - started) * 1000, (), str(problem))
    barcodes = tuple(run.found.values())
    return ScanResult(barcodes, choose_serial(barcodes, patterns), (clock() - started) * 1000, tuple(run.stages))


def _stages(run: _Run, use_zbar: bool) -> Iterator[tuple[str, Callable[[], None]]]:
    source = run.source
    zbar = zbar_decoder() if use_zbar else None
    fast_side = min(FAST_SIDE, source.long_side)
    full_side = min(FULL_SIDE, source.long_side)

    def decode(decoder: Decoder, side: int, *, thorough: bool) -> None:
        image = source.grey(side)
        run.add(decoder.decode(image, thorough=thorough), _scaled(source, image))

    yield "fast", lambda: decode(_ZXING, fast_side, thorough=False)
    if source.long_side > fast_side:
        region_side = min(REGION_SIDE, source.long_side)
        yield "regions", partial(_regions, run, min(ANALYSIS_SIDE, source.long_side), first=True)
        if region_side > ANALYSIS_SIDE:
            yield "regions-full", partial(_regions, run, region_side, first=False)
    if full_side > fast_side:
        yield "full", lambda: decode(_ZXING, full_side, thorough=True)
    for angle in _tilt_angles(run):
        yield f"deskew{angle:+.0f}", partial(_rotated, run, _ZXING, fast_side, angle)
    if zbar is not None:
        yield "zbar", lambda: decode(zbar, full_side, thorough=True)
    # Below: only for images where nothing at all was read; they cost more and rarely add to a partial read.
    if run.found:
        return
    yield "contrast", lambda: _enhanced(run, _ZXING_HISTOGRAM, fast_side, _stretch)
    if source.long_side < 600:
        yield "upscale", lambda: _enhanced(run, _ZXING, fast_side, _double)
    yield "rescale", lambda: _enhanced(run, _ZXING_HISTOGRAM, fast_side, _soften_half)
    if zbar is not None:
        yield "zbar-rescale", lambda: _enhanced(run, zbar, fast_side, _soften_half)
    yield "threshold", lambda: _enhanced(run, _ZXING, fast_side, _local_threshold)
    if zbar is not None:
        yield "zbar-threshold", lambda: _enhanced(run, zbar, fast_side, _local_threshold)


def _regions(run: _Run, side: int, *, first: bool) -> None:
    """1D symbols found, rectified and decoded one region at a time (``locate.py``, ``linear.py``). The first pass
    looks at a half-size 12 MP photo (a cheap JPEG decode); regions it could not read are read again from the full
    size, where a small label's narrow bars are a pixel or two wide."""
    base = run.source.grey(side)
    to_original = run.source.long_side / max(base.size)
    pending = linear.find(base, to_original) if first else run.unread
    last = side >= run.source.long_side
    run.unread = linear.read(
        base,
        to_original,
        pending,
        upscale=last,
        stop=lambda: not run.time_left() or run.satisfied(),
        add=lambda barcodes: run.add(barcodes, lambda p: p),
    )


def _tilt_angles(run: _Run) -> Iterator[float]:
    """The label's own tilt first (read from barcodes already found), then fixed angles; generated lazily, since
    a decoded stage can reveal the angle for the next."""
    tried: list[float] = []
    for fixed in _TILTS:
        measured = [a for b in run.found.values() if abs(a := _tilt(b.position)) > 3]
        for angle in [*measured, fixed]:
            if all(abs(angle - seen) > 2.5 for seen in tried):
                tried.append(angle)
                yield angle


def _tilt(corners: tuple[Point, ...]) -> float:
    (x0, y0), (x1, y1) = corners[0], corners[1]
    angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
    return (angle + 45) % 90 - 45  # a 2D code's orientation is only known modulo 90°


def _scaled(source: Source, image: Image.Image) -> Transform:
    factor = source.long_side / max(image.size)
    return lambda p: (p[0] * factor, p[1] * factor)


def _rotated(run: _Run, decoder: Decoder, side: int, angle: float) -> None:
    base = run.source.grey(side)
    turned = base.rotate(angle, resample=Image.Resampling.BILINEAR, expand=True, fillcolor=255)
    t = math.radians(angle)
    cos, sin = math.cos(t), math.sin(t)
    (cx, cy), (ox, oy) = (base.width / 2, base.height / 2), (turned.width / 2, turned.height / 2)
    scale = _scaled(run.source, base)

    def back(p: Point) -> Point:
        dx, dy = p[0] - ox, p[1] - oy
        return scale((cx + dx * cos - dy * sin, cy + dx * sin + dy * cos))

    run.add(decoder.decode(turned, thorough=False), back)


def _enhanced(run: _Run, decoder: Decoder, side: int, change: Callable[[Image.Image], Image.Image]) -> None:
    base = run.source.grey(side)
    changed = change(base)
    factor = base.width / changed.width
    scale = _scaled(run.source, base)
    run.add(decoder.decode(changed, thorough=True), lambda p: scale((p[0] * factor, p[1] * factor)))


def _stretch(image: Image.Image) -> Image.Image:
    return ImageOps.autocontrast(image, cutoff=2)


def _double(image: Image.Image) -> Image.Image:
    return image.resize((image.width * 2, image.height * 2), Image.Resampling.BICUBIC)


def _soften_half(image: Image.Image) -> Image.Image:
    """Moiré, JPEG blocks and print texture blur away at half size; the modules survive."""
    half = image.resize((max(1, image.width // 2), max(1, image.height // 2)), Image.Resampling.BOX)
    return half.filter(ImageFilter.GaussianBlur(0.7))


def _local_threshold(image: Image.Image) -> Image.Image:
    """Each pixel against the mean of its neighbourhood: uneven light (a glare, a shadow) stops mattering."""
    radius = max(4, min(image.size) // 24)
    background = image.filter(ImageFilter.BoxBlur(radius))
    return ImageChops.subtract(image, background, 1.0, 128).point(lambda v: 255 if v > 122 else 0)
