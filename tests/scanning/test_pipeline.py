"""The pipeline on real photos (the shared corpus) and on rendered chassis labels held off level."""

from __future__ import annotations

import io
import math
import os

import pytest
import zxingcpp
from PIL import Image

from app.scanning import Goal, SerialStatus, scan
from bench.label_art import PATTERNS, render_label
from bench.label_frames import make_label
from bench.scan import CORPUS, GOALS, Sample, corpus, read_ok

# What the pipeline can read, not how fast: a busy CI machine must not turn a time budget into a failed read.
# Speed is measured by bench/scan.py, with the real budgets.
UNHURRIED = 60_000.0
SAMPLES = list(corpus()) if CORPUS.exists() else []


def corpus_samples() -> list[Sample]:
    """The corpus is workspace data outside the repository (../shared/corpus, or RACKSIDE_CORPUS). Without it a test
    skips on a laptop but fails in CI (CI=true), where .ci/run's checkout has the shared folder beside it."""
    if not SAMPLES:
        message = f"barcode corpus not found at {CORPUS} (set RACKSIDE_CORPUS)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return SAMPLES


@pytest.mark.parametrize("fmt", sorted(GOALS))
def test_the_pipeline_meets_the_read_rate_goal_on_every_corpus_format(fmt: str) -> None:
    samples = [s for s in corpus_samples() if s.format == fmt]
    assert samples, f"no {fmt} samples in {CORPUS}"
    reads = [
        read_ok(
            [b.text for b in scan(s.path.read_bytes(), goal=Goal.ANY_BARCODE, budget_ms=UNHURRIED).barcodes], s.expected
        )
        for s in samples
    ]
    rate = 100 * sum(reads) / len(reads)
    assert rate >= GOALS[fmt], f"{fmt}: {rate:.1f} % of {len(reads)}"


def test_code39_is_read_in_standard_mode_so_serials_keep_their_plus_and_slash() -> None:
    samples = corpus_samples()
    sample = next(s for s in samples if s.path.name == "2.png" and s.format == "code39" and "12ab" in s.expected)
    texts = [b.text for b in scan(sample.path.read_bytes(), goal=Goal.ANY_BARCODE, budget_ms=UNHURRIED).barcodes]
    assert texts == ["12+A+B"]  # Full ASCII would have turned it into "12ab"


@pytest.mark.parametrize("tilt", [-15.0, -13.0, 13.0, 15.0])
def test_a_label_held_off_level_still_gives_its_serial(tilt: float) -> None:
    import random

    rng = random.Random(int(tilt))
    label = render_label(rng, "bare", "NB123456789")
    frame = Image.new("L", (1024, 768), 90)
    small = label.resize((label.width * 4 // 5, label.height * 4 // 5), Image.Resampling.BICUBIC)
    frame.paste(small, ((1024 - small.width) // 2, (768 - small.height) // 2))
    turned = frame.rotate(tilt, resample=Image.Resampling.BICUBIC, fillcolor=90)
    assert zxingcpp.read_barcodes(turned) == []  # what a raw decoder makes of it
    result = scan(turned, patterns=PATTERNS, budget_ms=UNHURRIED)
    assert (result.choice.status, result.serial) == (SerialStatus.FOUND, "NB123456789"), result.message
    assert any(stage.startswith("deskew") for stage in result.stages)
    # The position is reported in the caller's frame: the serial's corners run along the tilt (within the few
    # degrees a 1D read tolerates, since its edge is the scan line of the deskewed image).
    (x0, y0), (x1, y1) = result.choice.barcode.position[:2] if result.choice.barcode else ((0, 0), (0, 0))
    assert abs(-math.degrees(math.atan2(y1 - y0, x1 - x0)) - tilt) < 5


def test_rendered_labels_give_the_right_serial_and_never_a_wrong_one() -> None:
    wrong, right = [], 0
    for seed in range(12):
        label = make_label(seed)
        result = scan(label.jpeg, patterns=PATTERNS, budget_ms=UNHURRIED)
        if result.serial == label.serial:
            right += 1
        elif result.serial is not None:
            wrong.append((seed, result.serial, label.serial))
    assert not wrong
    assert right >= 11


def test_a_12_mp_photo_is_read_through_a_reduced_decode_in_well_under_the_budget() -> None:
    label = make_label(7, size=(4000, 3000), conditions=("clean",))
    result = scan(label.jpeg, patterns=PATTERNS, budget_ms=UNHURRIED)
    assert result.serial == label.serial
    assert result.elapsed_ms < 400
    assert max(max(x for x, _ in b.position) for b in result.barcodes) > 1500  # positions in full-size pixels
    assert Image.open(io.BytesIO(label.jpeg)).size == (4000, 3000)


def test_a_photo_of_no_barcode_offers_no_serial() -> None:
    """Rack clutter, text and noise: whatever a decoder makes of them (a one-character Code 39 "read"), nothing is
    offered as a serial."""
    import random

    from PIL import ImageDraw

    rng = random.Random(3)
    frame = Image.effect_noise((1600, 1200), 30).point(lambda v: v // 2 + 60)
    draw = ImageDraw.Draw(frame)
    for _ in range(40):
        x, y = rng.uniform(0, 1600), rng.uniform(0, 1200)
        draw.line((x, y, x + rng.uniform(-300, 300), y + rng.uniform(-20, 20)), fill=rng.randrange(256), width=3)
        draw.text((x, y), "I I1 |", fill=rng.randrange(256))
    result = scan(frame, patterns=PATTERNS, budget_ms=UNHURRIED)
    assert result.choice.status in (SerialStatus.NO_BARCODE, SerialStatus.UNRECOGNISED), result.message
    assert result.choice.candidates == () and result.serial is None
