"""Finding 1D symbols in large hand-held photos: regions at their bars' angle, rectified and read at the right scale."""

from __future__ import annotations

import io
import random
import time

import numpy as np
import pytest
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter

from app.scanning import SerialStatus, scan
from app.scanning.linear import regions_of
from app.scanning.locate import find_regions
from bench.handheld import jpeg, place
from bench.label_art import PATTERNS, render_label

UNHURRIED = 60_000.0  # what the pipeline can read, not how fast (bench/labels.py measures time)


def photo(style: str, angle: float, *, keystone: float = 0.06, fill: float = 0.3, seed: int = 5) -> bytes:
    """A 12 MP photo of one label of ``style`` turned ``angle``° (clockwise as seen), seen at a slant."""
    rng = random.Random(seed)
    label = render_label(rng, style, "NB123456789")
    return jpeg(place(label, (4000, 3000), fill, angle, keystone, rng), 85)


@pytest.mark.parametrize(("turned", "normal"), [(0, 0.0), (9, -9.0), (-14, 14.0), (20, -20.0), (90, -90.0)])
def test_regions_stand_the_bars_upright_within_a_degree(turned: float, normal: float) -> None:
    label = render_label(random.Random(1), "bare", "NB123456789")
    frame = Image.new("L", (1600, 1200), 90)
    frame.paste(label, (350, 400))
    regions, _ = regions_of(frame.rotate(turned, resample=Image.Resampling.BICUBIC, fillcolor=90))
    assert len(regions) >= 3  # the three symbols of the label, at least
    gap = (regions[0].degrees - normal + 90) % 180 - 90  # the normal to the bars is known modulo 180°
    assert abs(gap) < 1.0, regions[0]


def test_rails_and_cable_edges_are_not_bar_codes() -> None:
    frame = Image.new("L", (1600, 1200), 80)
    draw = ImageDraw.Draw(frame)
    for y in range(100, 1100, 90):
        draw.line((50, y, 1500, y + 40), fill=200, width=6)  # two edges each: a rail, not a symbol
    assert find_regions(np.asarray(frame)) == []


def test_a_long_gs1_128_symbol_10_degrees_off_level_in_a_12_mp_photo_is_read_where_raw_zxing_reads_nothing() -> None:
    data = photo("gs1-fnc1-128", 10)
    assert zxingcpp.read_barcodes(Image.open(io.BytesIO(data))) == []  # out of the box: every format, try_rotate
    result = scan(data, patterns=PATTERNS, budget_ms=UNHURRIED, clock=time.thread_time)
    assert (result.choice.status, result.serial) == (SerialStatus.FOUND, "NB123456789"), result.message
    assert "GS1 AI (21)" in result.choice.reason and "regions" in result.stages
    barcode = result.choice.barcode
    assert barcode is not None and barcode.gs1  # the real FNC1 made by zint survives: ]C1
    xs = [x for x, _ in barcode.position]
    ys = [y for _, y in barcode.position]
    # Positions are in the 12 MP photo's pixels, along the symbol: about 10° (the label's own slant adds a little).
    assert 0 < min(xs) and max(xs) < 4000 and 0 < min(ys) and max(ys) < 3000 and max(xs) - min(xs) > 600
    (x0, y0), (x1, y1) = barcode.position[:2]
    assert abs(np.degrees(np.arctan2(y1 - y0, x1 - x0)) - 10) < 4


# Each labelling scheme, held the ways engineers hold a phone: tilted with perspective, sideways, upside down.
HELD = [
    ("gs1-fnc1-128", -9),
    ("gs1-plain-128", 12),
    ("di-code39", 8),
    ("di-code39", 97),
    ("sn-pn-128", -15),
    ("sn-pn-128", 186),
    ("prefixed", 263),
    ("bare", 17),
    ("gs1-fnc1-datamatrix", 14),
]


@pytest.mark.parametrize(("style", "angle"), HELD)
def test_a_hand_held_12_mp_photo_of_a_whole_label_gives_its_serial(style: str, angle: float) -> None:
    result = scan(photo(style, angle, keystone=0.1), patterns=PATTERNS, budget_ms=UNHURRIED, clock=time.thread_time)
    assert (result.choice.status, result.serial) == (SerialStatus.FOUND, "NB123456789"), result.message


def test_a_symbol_broken_by_a_blurred_stretch_is_one_region_from_end_to_end() -> None:
    raw = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode("NB123456789-X", zxingcpp.BarcodeFormat.Code128), 3)
    h, w = raw.shape[:2]
    symbol = Image.frombytes("L", (w, h), bytes(memoryview(raw))).resize((w, 120))
    frame = Image.new("L", (1600, 1200), 240)
    frame.paste(symbol, (400, 500))
    smudge = (400 + w // 2 - 20, 480, 400 + w // 2 + 20, 640)  # glare or a finger: no edges in a 40 px stretch
    frame.paste(frame.crop(smudge).filter(ImageFilter.GaussianBlur(12)), smudge[:2])
    turned = frame.rotate(-7, resample=Image.Resampling.BICUBIC, fillcolor=240)
    regions = find_regions(np.asarray(turned))
    assert len(regions) == 1, regions
    assert 2 * regions[0].half_across > 0.8 * w  # the whole symbol (w has quiet zones), not one half of it
