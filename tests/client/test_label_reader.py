"""The label reader keeps the pipeline's certainty: certain serials act, probable ones are offered, junk says why."""

from __future__ import annotations

import io

import zxingcpp
from PIL import Image

from app.scanning.serial import SerialPattern
from app.services.label_reader import LabelReader


def _label(*rows: str) -> bytes:
    """A white card with one Code 128 barcode per row, as a JPEG."""
    symbols = []
    for text in rows:
        raw = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128), scale=3)
        height, width = raw.shape[:2]
        bars = Image.frombytes("L", (width, height), memoryview(raw).tobytes())  # type: ignore[arg-type]
        symbols.append(bars.resize((width, 90), Image.Resampling.NEAREST))
    width = max(s.width for s in symbols) + 80
    card = Image.new("L", (width, sum(s.height + 60 for s in symbols) + 40), 255)
    y = 40
    for symbol in symbols:
        card.paste(symbol, (40, y))
        y += symbol.height + 60
    out = io.BytesIO()
    card.save(out, "JPEG", quality=90)
    return out.getvalue()


def test_a_labelled_serial_is_certain() -> None:
    read = LabelReader().read(_label("P/N:NB-R2-2U", "S/N:NBR22600001"))
    assert read.serial == "NBR22600001"
    assert read.suggestions == ()


def test_an_unlabelled_value_is_only_suggested_until_a_pattern_proves_it() -> None:
    image = _label("NBR22600042")
    unproven = LabelReader().read(image)
    assert unproven.serial is None
    assert unproven.suggestions == ("NBR22600042",)
    proven = LabelReader(lambda: [SerialPattern("NB chassis", r"NB[A-Z0-9]{2}\d{7}")]).read(image)
    assert proven.serial == "NBR22600042"


def test_bytes_that_are_not_an_image_get_a_reason_and_no_serial() -> None:
    read = LabelReader().read(b"<html>not a photo</html>")
    assert read.serial is None and read.suggestions == ()
    assert not read.found_anything
    assert "image" in read.message.lower()
