"""`rackside scan IMAGE... [--json]`: every barcode, the chosen serial and the time, per image."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bench.label_frames import make_label
from rackside.cli import app


def test_scan_prints_barcodes_serial_and_time_per_image_as_json(tmp_path: Path) -> None:
    label = make_label(1)
    photo, junk = tmp_path / "label.jpg", tmp_path / "junk.jpg"
    photo.write_bytes(label.jpeg)
    junk.write_bytes(b"no picture here")
    result = CliRunner().invoke(app, ["scan", "--json", str(photo), str(junk)])
    assert result.exit_code == 0, result.output
    first, second = (json.loads(line) for line in result.output.splitlines())
    assert first["serial"] == label.serial and first["status"] == "found" and first["ms"] > 0
    assert {b["format"] for b in first["barcodes"]} >= {"Code128"}
    assert all(len(b["position"]) == 4 for b in first["barcodes"])
    assert second["serial"] is None and second["problem"].startswith("not an image")


def test_scan_in_plain_text_says_which_serial_and_why(tmp_path: Path) -> None:
    label = make_label(1)
    (tmp_path / "label.jpg").write_bytes(label.jpeg)
    result = CliRunner().invoke(app, ["scan", str(tmp_path / "label.jpg"), str(tmp_path / "missing.jpg")])
    assert result.exit_code == 2  # a file that cannot be read is reported and fails the run
    assert f"=> serial {label.serial}" in result.output and "ms)" in result.output


def _label_png(path: Path, *symbols: tuple[str, str]) -> Path:
    """A white label of 1D symbols one above the other, written as PNG."""
    import zxingcpp
    from PIL import Image

    images = []
    for text, fmt in symbols:
        raw = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, getattr(zxingcpp.BarcodeFormat, fmt)), 3)
        h, w = raw.shape[:2]
        images.append(Image.frombytes("L", (w, h), bytes(memoryview(raw))).resize((w, 90)))
    label = Image.new("L", (max(i.width for i in images) + 80, sum(i.height + 40 for i in images) + 40), 255)
    y = 40
    for image in images:
        label.paste(image, (40, y))
        y += image.height + 40
    label.save(path)
    return path


def test_scan_explains_a_data_identifier_choice(tmp_path: Path) -> None:
    image = _label_png(tmp_path / "di.png", ("SX12345678", "Code39"), ("1P900-12345-01", "Code39"))
    result = CliRunner().invoke(app, ["scan", str(image)])
    assert result.exit_code == 0, result.output
    assert "=> serial X12345678 (data identifier S" in result.output
    assert "ANSI MH10.8.2" in result.output and "'1P' in Code39" in result.output
    assert "read as part '900-12345-01': data identifier 1P" in result.output


def test_scan_explains_gs1_digits_without_fnc1_and_uses_the_patterns_given(tmp_path: Path) -> None:
    image = _label_png(tmp_path / "gs1.png", ("010950110153000321NB123456789", "Code128"))
    asked = CliRunner().invoke(app, ["scan", "--json", str(image)])
    report = json.loads(asked.output)
    assert (report["status"], report["serial"]) == ("probable", "NB123456789")
    assert "without FNC1" in report["reason"] and "confirm" in report["reason"]
    assert {"role": "gtin", "value": "09501101530003", "why": "GS1 AI (01) GTIN"} in report["barcodes"][0]["readings"]
    known = CliRunner().invoke(app, ["scan", "--json", "--pattern", r"NB chassis=NB\d{9}", str(image)])
    report = json.loads(known.output)
    assert (report["status"], report["serial"]) == ("found", "NB123456789")
    assert "matches the NB chassis serial pattern" in report["reason"]
    bad = CliRunner().invoke(app, ["scan", "--pattern", "no-equals", str(image)])
    assert bad.exit_code == 2 and "NAME=REGEX" in bad.output


def test_scan_explains_a_wrong_gtin_check_digit(tmp_path: Path) -> None:
    image = _label_png(tmp_path / "gtin.png", ("010950110153000421NB123456789", "Code128"))
    result = CliRunner().invoke(app, ["scan", str(image)])
    assert "=> serial NB123456789? please confirm" in result.output
    assert "GTIN 09501101530004 has a wrong check digit" in result.output
