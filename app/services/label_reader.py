"""Turn a photo or camera frame of a label into a serial the UI can act on.

The scanning pipeline says how sure it is; this service keeps that distinction for the screens: a certain serial
opens at once, a probable or ambiguous one is offered for the user to confirm, and nothing else is ever presented
as the serial.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from app.scanning.pipeline import scan
from app.scanning.serial import SerialPattern, SerialStatus

# A camera frame gets a short budget (the next frame is coming); a picked photo gets the full one.
FRAME_BUDGET_MS = 250.0
PHOTO_BUDGET_MS = 600.0


@dataclass(frozen=True)
class LabelRead:
    serial: str | None  # certain: act on it
    suggestions: tuple[str, ...]  # plausible candidates for the user to confirm, best first
    message: str
    barcodes: int
    elapsed_ms: float

    @property
    def found_anything(self) -> bool:
        return self.serial is not None or bool(self.suggestions)


class LabelReader:
    def __init__(self, patterns: Callable[[], Sequence[SerialPattern]] = tuple) -> None:
        self._patterns = patterns

    def texts(self, image: bytes, *, from_camera: bool = False) -> tuple[str, ...]:
        """Every barcode's text in the image, as printed (a rack's label carries the rack, not a serial)."""
        result = scan(image, patterns=(), budget_ms=FRAME_BUDGET_MS if from_camera else PHOTO_BUDGET_MS)
        return tuple(dict.fromkeys(b.text for b in result.barcodes))

    def read(self, image: bytes, *, from_camera: bool = False) -> LabelRead:
        result = scan(image, patterns=self._patterns(), budget_ms=FRAME_BUDGET_MS if from_camera else PHOTO_BUDGET_MS)
        choice = result.choice
        suggestions: tuple[str, ...] = ()
        if choice.status is SerialStatus.PROBABLE and choice.serial:
            suggestions = choice.candidates or (choice.serial,)  # the proposal first, then the other readings
        elif choice.status is SerialStatus.AMBIGUOUS:
            suggestions = choice.candidates
        return LabelRead(
            serial=result.serial,
            suggestions=suggestions,
            message=result.message,
            barcodes=len(result.barcodes),
            elapsed_ms=result.elapsed_ms,
        )
