"""Chassis labels "photographed" as easy 1024x768 frames: the label fills most of the frame, tilted up to 15°.

These frames are what tests use (quick and readable); ``handheld.py`` makes the hard hand-held photos the label bench
measures.
"""

from __future__ import annotations

import io
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageDraw, ImageFilter

from bench.label_art import STYLES, render_label, serial_for

CONDITIONS = ("clean", "tilt", "perspective", "blur", "glare", "low-light", "jpeg")


@dataclass(frozen=True)
class Label:
    jpeg: bytes
    serial: str
    style: str
    conditions: tuple[str, ...]
    size: tuple[int, int]


def photograph(label: Image.Image, rng: random.Random, conditions: Sequence[str], size: tuple[int, int]) -> Image.Image:
    width, height = size
    unit = width / 1024  # effects are specified for a 1024 px frame and scaled with it
    frame = Image.new("L", size, rng.randrange(40, 110))
    frame = ImageChops.add(frame, Image.effect_noise(size, 12).point(lambda v: v // 4), 1, -32)
    fill = rng.uniform(0.8, 0.92) * width / label.width
    fill = min(fill, 0.9 * height / label.height)
    tilt = rng.uniform(10, 15) * rng.choice((-1, 1)) if "tilt" in conditions else rng.uniform(-2, 2)
    jitter = 0.06 if "perspective" in conditions else 0.0
    corners = _placed(label.size, fill, tilt, jitter, (width / 2, height / 2), rng)
    coeffs = _perspective(corners, [(0, 0), (label.width, 0), (label.width, label.height), (0, label.height)])
    warped = label.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BILINEAR)
    mask = Image.new("L", label.size, 255).transform(size, Image.Transform.PERSPECTIVE, coeffs)
    frame.paste(warped, (0, 0), mask)
    if "blur" in conditions:
        frame = frame.filter(ImageFilter.GaussianBlur(rng.uniform(0.9, 1.4) * unit))
    if "glare" in conditions:
        glow = Image.new("L", size, 0)
        cx, cy, r = rng.uniform(0.3, 0.7) * width, rng.uniform(0.3, 0.7) * height, 0.12 * width
        ImageDraw.Draw(glow).ellipse((cx - r, cy - r * 0.6, cx + r, cy + r * 0.6), fill=rng.randrange(90, 150))
        frame = ImageChops.add(frame, glow.filter(ImageFilter.GaussianBlur(0.06 * width)))
    if "low-light" in conditions:
        frame = frame.point(lambda v: int(v * 0.3))
        frame = ImageChops.add(frame, Image.effect_noise(size, 8).point(lambda v: max(0, v - 128) // 2))
    if not {"blur", "low-light"} & set(conditions):
        frame = frame.filter(ImageFilter.GaussianBlur(0.5 * unit))  # no lens is perfectly sharp
    return frame


def _placed(
    size: tuple[int, int],
    fill: float,
    tilt: float,
    jitter: float,
    centre: tuple[float, float],
    rng: random.Random,
) -> list[tuple[float, float]]:
    w, h = size[0] * fill, size[1] * fill
    t = math.radians(tilt)
    out = []
    for x, y in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        x += rng.uniform(-jitter, jitter) * w
        y += rng.uniform(-jitter, jitter) * h
        out.append((centre[0] + x * math.cos(t) - y * math.sin(t), centre[1] + x * math.sin(t) + y * math.cos(t)))
    return out


def _perspective(dst: Sequence[tuple[float, float]], src: Sequence[tuple[float, float]]) -> tuple[float, ...]:
    """Coefficients Pillow wants: mapping output (frame) points to input (label) points."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return tuple(_solve(rows, rhs))


def _solve(a: list[list[float]], b: list[float]) -> list[float]:
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[pivot] = m[pivot], m[col]
        for r in range(n):
            if r != col:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col], strict=True)]
    return [m[i][n] / m[i][i] for i in range(n)]


def make_label(seed: int, *, size: tuple[int, int] = (1024, 768), conditions: Sequence[str] | None = None) -> Label:
    rng = random.Random(seed)
    style = STYLES[seed % len(STYLES)]
    if conditions is None:
        extra = [c for c in CONDITIONS if c != "clean"]
        conditions = ("clean",) if seed % 4 == 0 else tuple(rng.sample(extra, rng.choice((1, 1, 2))))
    serial = serial_for(rng)
    frame = photograph(render_label(rng, style, serial), rng, conditions, size)
    out = io.BytesIO()
    quality = rng.randrange(30, 45) if "jpeg" in conditions else 88
    frame.convert("RGB").save(out, "JPEG", quality=quality)
    return Label(out.getvalue(), serial, style, tuple(conditions), size)
