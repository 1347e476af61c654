"""`rackside scan IMAGE... [--json]`: every barcode, the chosen serial and the time, per image."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bench.labels import make_label
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
