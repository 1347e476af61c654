"""Chassis-style labels rendered where truth is known: the symbols, the layouts (schemes) and the serials.

A label carries several barcodes (serial, part number, MAC address, GTIN, a support URL) in one of several real-world
schemes: GS1 DataMatrix and GS1-128 with real FNC1 (made by Debian's ``zint --gs1``: zxing-cpp's writer would encode
the text as plain data), GS1 digits printed without FNC1, ``S/N:`` prefixes, ANSI MH10.8.2 data identifiers in Code 39,
``SN``/``PN`` prefixes without a separator, bare values that only the serial patterns tell apart, and a QR code of
key/value lines. Everything is driven by a seeded RNG, so a run is repeatable.
"""

from __future__ import annotations

import io
import random
import shutil
import subprocess
from collections.abc import Sequence
from typing import Any, cast

import zxingcpp
from PIL import Image, ImageDraw, ImageFont

from app.scanning.serial import SerialPattern

PATTERNS = (
    SerialPattern("NB chassis", r"NB\d{9}"),
    SerialPattern("RX storage", r"RX-\d{4}-[A-Z0-9]{6}"),
    SerialPattern("J edge", r"J[0-9A-HJ-NP-Z]{9}"),
)
# The first five render with zxing-cpp alone (the easy frames use them); the rest are the real-world schemes.
STYLES = ("gs1-datamatrix", "prefixed", "bare", "gs1-128", "qr-fields")
REAL_STYLES = (*STYLES, "gs1-fnc1-128", "gs1-fnc1-datamatrix", "gs1-plain-128", "di-code39", "sn-pn-128")
F = zxingcpp.BarcodeFormat
ZINT = shutil.which("zint") or "/usr/bin/zint"


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


def _zint_gs1(hri: str, symbology: str, scale: int, *, height: int = 0) -> Image.Image:
    """A GS1 symbol with a real FNC1 (``]C1`` / ``]d2``), from Debian's zint; ``hri`` as ``[01]…[21]…``."""
    args = [ZINT, "--gs1", "-b", symbology, "--notext", "--direct", "--filetype=PNG", f"--scale={scale / 2}", "-d", hri]
    png = subprocess.run(args, check=True, capture_output=True, timeout=30).stdout
    image = Image.open(io.BytesIO(png)).convert("L")
    if height:
        image = image.resize((image.width, height), Image.Resampling.NEAREST)
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
    elif style == "qr-fields":
        rows.append(("info", _symbol(f"SN:{serial}\nPN:{part}\nMAC:{mac}", F.QRCode, 5)))
        rows.append((f"P/N {part}", _symbol(part, F.Code128, 2, height=70)))
    elif style == "gs1-fnc1-128":
        rows.append((f"P/N {part}", _symbol(f"P/N:{part}", F.Code128, 2, height=70)))
        rows.append(("(01)(21)", _zint_gs1(f"[01]{_gtin(rng)}[21]{serial}", "GS1_128", 2, height=80)))
    elif style == "gs1-fnc1-datamatrix":
        rows.append(("GS1", _zint_gs1(f"[01]{_gtin(rng)}[21]{serial}[240]{part}", "DATAMATRIX", 5)))
        rows.append((f"MAC {mac}", _symbol(f"MAC:{mac}", F.Code128, 2, height=60)))
    elif style == "gs1-plain-128":  # GS1 digits as plain Code 128 data, no FNC1: common on real labels
        rows.append((part, _symbol(part, F.Code128, 2, height=70)))
        rows.append((f"(01)(21){serial}", _symbol(f"01{_gtin(rng)}21{serial}", F.Code128, 2, height=80)))
    elif style == "di-code39":  # ANSI MH10.8.2 data identifiers, no envelope
        rows.append((f"(1P) {part}", _symbol(f"1P{part}", F.Code39, 2, height=70)))
        rows.append((f"(S) {serial}", _symbol(f"S{serial}", F.Code39, 2, height=80)))
        rows.append(("(Q) 1", _symbol("Q1", F.Code39, 2, height=60)))
    elif style == "sn-pn-128":  # "SN" / "PN" written before the values, no separator
        rows.append((f"PN {part}", _symbol(f"PN{part}", F.Code128, 2, height=70)))
        rows.append((f"SN {serial}", _symbol(f"SN{serial}", F.Code128, 2, height=80)))
    else:
        raise ValueError(f"unknown label style {style!r}")
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
