"""Hand-held photos of whole chassis labels, as engineers take them in a rack.

The label is small in a large frame (10-40 % of its width), held up to 20° off level and sometimes sideways or upside
down, seen with up to 15 % perspective, lit unevenly (a gradient and a glare), sometimes moved during the exposure
(motion blur along a random direction), with sensor noise and JPEG loss, in 2 MP and 12 MP frames. Each photo records
the conditions it was made under, so a bench can report per condition. Seeded: a run is repeatable.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from bench.label_art import REAL_STYLES, render_label, serial_for

FRAMES = {"2MP": (1600, 1200), "12MP": (4000, 3000)}
# How wide the narrowest bar is in the photo: under about 1.5 px a 1D symbol is past what any decoder resolves.
_MODULE_BUCKETS = (
    (1.0, "narrow bar < 1 px"),
    (1.5, "narrow bar 1-1.5 px"),
    (2.5, "narrow bar 1.5-2.5 px"),
    (1e9, "narrow bar ≥ 2.5 px"),
)


@dataclass(frozen=True)
class Photo:
    jpeg: bytes
    serial: str
    style: str
    frame: str
    conditions: tuple[str, ...]


def make_photo(seed: int, frame: str | None = None) -> Photo:
    rng = random.Random(seed)
    style = REAL_STYLES[seed % len(REAL_STYLES)]
    frame = frame or ("12MP" if rng.random() < 0.5 else "2MP")
    serial = serial_for(rng)
    label = render_label(rng, style, serial)
    conditions: list[str] = [frame]
    size = FRAMES[frame]
    fill = rng.uniform(0.10, 0.40)
    conditions.append("small (10-20 %)" if fill < 0.2 else "medium (20-40 %)")
    tilt = rng.uniform(-20, 20)
    if abs(tilt) > 10:
        conditions.append("tilt 10-20°")
    turn = rng.choices((0, 90, 180, 270), weights=(70, 10, 10, 10))[0]
    if turn:
        conditions.append("upside down" if turn == 180 else "sideways")
    keystone = rng.uniform(0, 0.15)
    if keystone > 0.07:
        conditions.append("perspective 7-15 %")
    grey = place(label, size, fill, tilt + turn, keystone, rng)
    grey = _light(grey, rng, conditions)
    module = fill * size[0] / label.width * 2  # the label's narrowest bars are 2 px wide
    conditions.append(next(name for limit, name in _MODULE_BUCKETS if module < limit))
    if rng.random() < 0.35:
        conditions.append("motion blur")
        grey = _motion_blur(grey, rng.uniform(0.5, 1.3) * module, rng.uniform(0, 180))
    else:
        grey = _defocus(grey, rng.uniform(0.2, 0.5) * module)
    grey += np.random.default_rng(seed).normal(0, rng.uniform(2, 7), grey.shape).astype(np.float32)
    quality = rng.randrange(70, 92)
    if rng.random() < 0.25:
        conditions.append("low JPEG quality")
        quality = rng.randrange(35, 55)
    return Photo(jpeg(grey, quality), serial, style, frame, tuple(conditions))


def jpeg(grey: np.ndarray, quality: int) -> bytes:
    out = io.BytesIO()
    Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8)).convert("RGB").save(out, "JPEG", quality=quality)
    return out.getvalue()


def place(
    label: Image.Image, size: tuple[int, int], fill: float, angle: float, keystone: float, rng: random.Random
) -> np.ndarray:
    """The label warped into a cluttered grey frame: rotated about a random point, one side nearer the camera."""
    width, height = size
    w = fill * width
    h = w * label.height / label.width
    radius = math.hypot(w, h) / 2
    cx = rng.uniform(radius, width - radius) if width > 2 * radius else width / 2
    cy = rng.uniform(radius, height - radius) if height > 2 * radius else height / 2
    t = math.radians(angle)
    near = rng.choice((-1, 1))  # which side of the label is nearer: it looks taller
    corners = []
    for x, y in ((-w / 2, -h / 2), (w / 2, -h / 2), (w / 2, h / 2), (-w / 2, h / 2)):
        y *= 1 + near * keystone * (x / w)
        x *= 1 + rng.uniform(-keystone, keystone) / 3
        corners.append((cx + x * math.cos(t) - y * math.sin(t), cy + x * math.sin(t) + y * math.cos(t)))
    source = [(0, 0), (label.width, 0), (label.width, label.height), (0, label.height)]
    coeffs = _homography(corners, source)
    background = Image.new("L", size, rng.randrange(50, 120))
    draw = ImageDraw.Draw(background)
    for _ in range(12):  # rack clutter: rails, cables, other labels' edges
        x0, y0 = rng.uniform(0, width), rng.uniform(0, height)
        draw.line(
            (x0, y0, x0 + rng.uniform(-0.5, 0.5) * width, y0), fill=rng.randrange(20, 200), width=rng.randrange(2, 30)
        )
    warped = label.transform(size, Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC)
    mask = Image.new("L", label.size, 255).transform(size, Image.Transform.PERSPECTIVE, coeffs)
    background.paste(warped, (0, 0), mask)
    return np.asarray(background, dtype=np.float32)


def _light(grey: np.ndarray, rng: random.Random, conditions: list[str]) -> np.ndarray:
    """Exposure, a light gradient across the frame and a glare spot."""
    height, width = grey.shape
    gain = rng.uniform(0.55, 1.0)
    if rng.random() < 0.5:
        conditions.append("uneven light")
        angle = rng.uniform(0, 2 * math.pi)
        ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
        ramp = (xs / width - 0.5) * math.cos(angle) + (ys / height - 0.5) * math.sin(angle)
        grey = grey * (gain * (1 - rng.uniform(0.3, 0.6) * (ramp + 0.5)))
        cx, cy, r = rng.uniform(0.2, 0.8) * width, rng.uniform(0.2, 0.8) * height, rng.uniform(0.05, 0.15) * width
        glare = np.exp(-(((xs - cx) ** 2 + (ys - cy) ** 2) / (2 * r * r))) * rng.uniform(60, 140)
        return np.asarray(grey + glare, dtype=np.float32)
    return np.asarray(grey * gain, dtype=np.float32)


def _motion_blur(grey: np.ndarray, length: float, degrees: float) -> np.ndarray:
    """The camera moved ``length`` px along ``degrees`` during the exposure: the mean of shifted copies."""
    steps = max(2, math.ceil(length))
    t = math.radians(degrees)
    out = np.zeros_like(grey)
    for i in range(steps):
        d = (i / (steps - 1) - 0.5) * length
        out += np.roll(grey, (round(d * math.sin(t)), round(d * math.cos(t))), axis=(0, 1))
    return out / steps


def _defocus(grey: np.ndarray, radius: float) -> np.ndarray:
    image = Image.fromarray(np.clip(grey, 0, 255).astype(np.uint8))
    return np.asarray(image.filter(ImageFilter.GaussianBlur(radius)), dtype=np.float32)


def _homography(dst: list[tuple[float, float]], src: list[tuple[int, int]]) -> tuple[float, ...]:
    """Pillow's PERSPECTIVE coefficients: frame (output) points to label (input) points."""
    rows, rhs = [], []
    for (x, y), (u, v) in zip(dst, src, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        rhs += [u, v]
    return tuple(float(c) for c in np.linalg.solve(np.array(rows), np.array(rhs)))
