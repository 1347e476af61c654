"""Camera scanning in the browser: Chromium's fake camera shows a chassis label; the app reads it and opens the chassis.

The fake camera plays a Y4M file the test writes itself (a label with a part number and a prefixed serial), so the
whole path runs for real: getUserMedia, the flet-camera control, take_picture() JPEG bytes, the scanning pipeline.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from playwright.sync_api import Browser

from tests.e2e.browser import CHROMIUM_ARGS, FletPage, require_chromium

SEEDED_SERIAL = "NBR22600001"
FRAME = (640, 480)


def _barcode(text: str, height: int) -> Image.Image:
    raw = zxingcpp.write_barcode_to_image(zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.Code128), scale=2)
    rows, cols = raw.shape[:2]
    bars = Image.frombytes("L", (cols, rows), memoryview(raw).tobytes())  # type: ignore[arg-type]
    return bars.resize((cols, height), Image.Resampling.NEAREST)


def _label_frame() -> Image.Image:
    frame = Image.new("L", FRAME, 235)
    draw = ImageDraw.Draw(frame)
    draw.rectangle((40, 60, 600, 420), fill=255)
    for y, text in ((90, "P/N:NB-R2-2U"), (260, f"S/N:{SEEDED_SERIAL}")):
        code = _barcode(text, 110)
        frame.paste(code, ((FRAME[0] - code.width) // 2, y))
    return frame


def write_y4m(path: Path, image: Image.Image, frames: int = 10) -> None:
    """YUV4MPEG2, 4:2:0: what Chromium's fake capture device plays in a loop."""
    ycbcr = image.convert("RGB").convert("YCbCr")
    y, cb, cr = ycbcr.split()
    half = (image.width // 2, image.height // 2)
    planes = y.tobytes() + cb.resize(half).tobytes() + cr.resize(half).tobytes()
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{image.width} H{image.height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + planes)


@pytest.fixture
def camera_browser(browser: Browser, tmp_path: Path) -> Iterator[Browser]:
    """A second Chromium from the same Playwright (one Playwright per process), with the fake camera."""
    chromium = require_chromium()
    clip = tmp_path / "label.y4m"
    write_y4m(clip, _label_frame())
    camera_args = [
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={clip}",
    ]
    camera = browser.browser_type.launch(executable_path=str(chromium), args=[*CHROMIUM_ARGS, *camera_args])
    yield camera
    camera.close()


def test_the_camera_reads_the_label_and_opens_the_chassis(
    field_app: Callable[..., FletPage], camera_browser: Browser
) -> None:
    app = field_app(name="camera", in_browser=camera_browser)
    app.see("Recent chassis")
    app.page.get_by_role("button", name="Scan with the camera").first.click()
    app.see("Installed FRUs", timeout=45_000)
    app.see(f"Opened {SEEDED_SERIAL}")
    app.shot("asset")
