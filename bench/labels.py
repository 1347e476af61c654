"""Chassis-style labels rendered and "photographed" here, so the serial choice is measured where truth is known.

A label carries several barcodes (serial, part number, MAC address, GTIN, a support URL) in one of several real-world
layouts: GS1 DataMatrix, GS1-128, ``S/N:`` prefixes, bare values that only the serial patterns tell apart, a QR code of
key/value lines. The photograph adds what racks do to labels: tilt, perspective, blur, glare, low light, JPEG loss,
and a 12 MP size. Everything is driven by a seeded RNG, so a run is repeatable.
"""

from __future__ import annotations

import io
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import zxingcpp
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from app.scanning.serial import SerialPattern

PATTERNS = (
    SerialPattern("NB chassis", r"NB\d{9}"),
    SerialPattern("RX storage", r"RX-\d{4}-[A-Z0-9]{6}"),
    SerialPattern("J edge", r"J[0-9A-HJ-NP-Z]{9}"),
)
STYLES = ("gs1-datamatrix", "prefixed", "bare", "gs1-128", "qr-fields")
CONDITIONS = ("clean", "tilt", "perspective", "blur", "glare", "low-light", "jpeg")
F = zxingcpp.BarcodeFormat


@dataclass(frozen=True)
class Label:
    jpeg: bytes
    serial: str
    style: str
    conditions: tuple[str, ...]
    size: tuple[int, int]


def serial_for(rng: random.Random) -> str:
    family = rng.randrange(3)
    if family == 0:
        return f"NB{rng.randrange(10**9):09d}"
    if family == 1:
        tail = "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(6))
        return f"RX-{rng.randrange(10**4):04d}-{tail}"
    return "J" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(9))


def _gtin(rng: random.Random) -> str:
    body = f"0{rng.randrange(10**12):012d}"
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return body + str((10 - total % 10) % 10)


def _symbol(content: str, fmt: F, scale: int, *, gs1: bool = False, height: int = 0) -> Image.Image:
    barcode = zxingcpp.create_barcode(content, fmt, gs1=True) if gs1 else zxingcpp.create_barcode(content, fmt)
    raw = zxingcpp.write_barcode_to_image(barcode, scale=scale)
    h, w = raw.shape[:2]
    image = Image.frombytes("L", (w, h), memoryview(cast(Any, raw)).tobytes())
    if height and fmt in (F.Code128, F.Code39):
        image = image.resize((w, height), Image.Resampling.NEAREST)
    return image


def render_label(rng: random.Random, style: str, serial: str) -> Image.Image:
    """A white label about 900 px wide: rows of (caption, barcode image)."""
    part = f"900-{rng.randrange(10**5):05d}-0{rng.randrange(10)}"
    mac = "".join(rng.choice("0123456789ABCDEF") for _ in range(6))
    mac = f"001EC9{mac}"
    rows: list[tuple[str, Image.Image]] = []
    if style == "gs1-datamatrix":
        rows.append(("GS1", _symbol(f"(01){_gtin(rng)}(21){serial}(240){part}", F.DataMatrix, 5, gs1=True)))
        rows.append((f"P/N: {part}", _symbol(f"P/N:{part}", F.Code128, 2, height=70)))
        rows.append((f"MAC {mac}", _symbol(mac, F.Code128, 2, height=60)))
    elif style == "prefixed":
        rows.append((f"S/N: {serial}", _symbol(f"S/N:{serial}", F.Code128, 2, height=80)))
        rows.append((f"PN {part}", _symbol(f"PN {part}", F.Code39, 2, height=70)))
        rows.append(("support", _symbol(f"https://support.rackside.example/w?sn={serial}", F.QRCode, 4)))
    elif style == "bare":
        rows.append((serial, _symbol(serial, F.Code128, 3, height=80)))
        rows.append((part, _symbol(part, F.Code128, 2, height=70)))
        rows.append((mac, _symbol(mac, F.Code128, 2, height=60)))
    elif style == "gs1-128":
        rows.append(("GS1-128", _symbol(f"(01){_gtin(rng)}(21){serial}", F.Code128, 2, gs1=True, height=80)))
        rows.append((serial, _symbol(serial, F.Code39, 2, height=70)))
        rows.append(("MAC", _symbol(f"MAC:{mac}", F.DataMatrix, 5)))
    else:
        rows.append(("info", _symbol(f"SN:{serial}\nPN:{part}\nMAC:{mac}", F.QRCode, 5)))
        rows.append((f"P/N {part}", _symbol(part, F.Code128, 2, height=70)))
    return _compose(rows)


def _compose(rows: Sequence[tuple[str, Image.Image]]) -> Image.Image:
    font = ImageFont.load_default(size=22)
    width = max(900, max(symbol.width for _, symbol in rows) + 80)
    height = sum(symbol.height + 50 for _, symbol in rows) + 40
    label = Image.new("L", (width, height), 250)
    draw = ImageDraw.Draw(label)
    draw.rectangle((2, 2, width - 3, height - 3), outline=120, width=3)
    y = 24
    for caption, symbol in rows:
        draw.text((40, y), caption, fill=30, font=font)
        label.paste(symbol, (40, y + 28))
        y += symbol.height + 50
    return label


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
    import math

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
