"""A customer's signature, drawn on screen as strokes, turned into a small PNG whose SHA-256 names it."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence

from PIL import Image, ImageDraw

Point = tuple[float, float]
Stroke = Sequence[Point]
SIGNATURE_SIZE = (600, 200)
# Room the screen keeps beside the pad (the view's padding on both sides, and a little air).
PAD_MARGIN = 48


def pad_size(screen_width: float) -> tuple[int, int]:
    """The pad as drawn on a screen this wide: the stored size's 3:1 shape, never wider than the screen (a 600 px
    pad was cut at 400 px)."""
    width = int(max(120, min(SIGNATURE_SIZE[0], screen_width - PAD_MARGIN)))
    return width, round(width * SIGNATURE_SIZE[1] / SIGNATURE_SIZE[0])


def to_stored_size(strokes: Sequence[Stroke], pad_width: int) -> list[list[Point]]:
    """Strokes drawn on a pad ``pad_width`` wide, scaled to SIGNATURE_SIZE, so every signature is stored alike."""
    scale = SIGNATURE_SIZE[0] / pad_width
    return [[(x * scale, y * scale) for x, y in stroke] for stroke in strokes]


def render_signature(strokes: Sequence[Stroke], *, size: tuple[int, int] = SIGNATURE_SIZE) -> bytes:
    """Black strokes on white, as PNG. Raises ValueError when nothing was drawn: an empty signature is no signature."""
    if not any(len(s) >= 2 for s in strokes):
        raise ValueError("the signature is empty")
    image = Image.new("L", size, 255)
    draw = ImageDraw.Draw(image)
    for stroke in strokes:
        points = [(max(0.0, min(x, size[0] - 1)), max(0.0, min(y, size[1] - 1))) for x, y in stroke]
        if len(points) >= 2:
            draw.line(points, fill=0, width=3, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def signature_digest(png: bytes) -> str:
    return hashlib.sha256(png).hexdigest()
