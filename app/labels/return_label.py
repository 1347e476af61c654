"""The printable return label of an RMA: a 4x6 inch PDF with the RMA number and the serial as Code 128 barcodes.

The depot's scan session reads the RMA number barcode back (or the serial, when the label is torn), so both are
drawn large with quiet zones wide enough for a handheld scanner or a webcam decoder.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.units import inch, mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

PAGE = (4 * inch, 6 * inch)
MARGIN = 6 * mm
BAR_WIDTH = 0.38 * mm
BAR_HEIGHT = 16 * mm


@dataclass(frozen=True, kw_only=True)
class ReturnLabel:
    rma_number: str
    serial: str
    ship_to: tuple[str, ...]
    ship_from: tuple[str, ...]
    packaging_rules: tuple[str, ...]
    item: str = ""
    return_due: date | None = None


def _barcode(canvas: Canvas, value: str, *, caption: str, top: float) -> float:
    """Draw one captioned barcode below ``top``, centred; return the y where the next block may start."""
    canvas.setFont("Helvetica-Bold", 8)
    canvas.drawString(MARGIN, top - 8, caption)
    code = Code128(value, barWidth=BAR_WIDTH, barHeight=BAR_HEIGHT, humanReadable=False, quiet=True)
    x = (PAGE[0] - code.width) / 2
    y = top - 12 - BAR_HEIGHT
    code.drawOn(canvas, x, y)
    canvas.setFont("Courier-Bold", 12)
    canvas.drawCentredString(PAGE[0] / 2, y - 13, value)
    return float(y - 24)


def _lines(canvas: Canvas, heading: str, lines: tuple[str, ...], *, top: float, size: float = 9) -> float:
    canvas.setFont("Helvetica-Bold", 8)
    canvas.drawString(MARGIN, top, heading)
    canvas.setFont("Helvetica", size)
    y = top - size - 2
    for line in lines:
        for part in simpleSplit(line, "Helvetica", size, PAGE[0] - 2 * MARGIN - 4):
            canvas.drawString(MARGIN + 4, y, part)
            y -= size + 2
    return y - 4


def render_return_label(label: ReturnLabel) -> bytes:
    """The label as PDF bytes; the same label always gives the same bytes (no timestamps inside)."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=PAGE, invariant=True)
    canvas.setTitle(f"Return label {label.rma_number}")
    width, height = PAGE
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawString(MARGIN, height - MARGIN - 14, "RETURN - RMA")
    canvas.setFont("Helvetica-Bold", 11)
    canvas.drawRightString(width - MARGIN, height - MARGIN - 14, label.rma_number)
    top = height - MARGIN - 24
    top = _barcode(canvas, label.rma_number, caption="RMA NUMBER", top=top)
    top = _barcode(canvas, label.serial, caption=f"SERIAL {label.item}".strip(), top=top)
    top = _lines(canvas, "SHIP TO", label.ship_to, top=top, size=10)
    top = _lines(canvas, "FROM", label.ship_from, top=top)
    if label.return_due is not None:
        canvas.setFont("Helvetica-Bold", 9)
        canvas.drawString(MARGIN, top, f"RETURN DUE BY {label.return_due.isoformat()}")
        top -= 14
    _lines(canvas, "PACKING", tuple(f"- {rule}" for rule in label.packaging_rules), top=top, size=7)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
