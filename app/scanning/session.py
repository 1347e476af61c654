"""A continuous scan session for the depot: scan box after box, no dialog in between.

Every scan is recorded the moment it arrives, a serial already scanned in this session is flagged as a duplicate
(and still recorded: the count of scans is a fact too), and each scan produces one feedback event the UI turns into a
colour and, where the device can, a sound.
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from app.scanning.pipeline import ScanResult
from app.scanning.serial import SerialChoice, SerialPattern, SerialStatus, choose_from_text


class Feedback(enum.Enum):
    """What the user should see and hear; ``tone`` names a short sound the UI may play."""

    ACCEPTED = ("accepted", "beep")
    DUPLICATE = ("duplicate", "double-beep")
    CHECK = ("check", "chirp")  # probable or ambiguous: the user confirms or picks
    REJECTED = ("rejected", "buzz")  # no serial recognised

    def __init__(self, label: str, tone: str) -> None:
        self.label = label
        self.tone = tone


@dataclass(frozen=True)
class SessionEntry:
    number: int  # 1-based, in arrival order
    at: datetime
    raw: str
    choice: SerialChoice
    feedback: Feedback
    duplicate_of: int | None = None  # the number of the first scan of the same serial

    @property
    def serial(self) -> str | None:
        return self.choice.serial


Listener = Callable[[SessionEntry], None]


class ScanSession:
    def __init__(
        self,
        *,
        patterns: Sequence[SerialPattern] = (),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.patterns = tuple(patterns)
        self._clock = clock
        self._entries: list[SessionEntry] = []
        self._first_by_serial: dict[str, int] = {}
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> None:
        self._listeners.append(listener)

    def record_text(self, raw: str) -> SessionEntry:
        """A wedge scan or typed text."""
        return self._record(raw, choose_from_text(raw, self.patterns))

    def record_result(self, result: ScanResult) -> SessionEntry:
        """A camera frame or photo already decoded by the pipeline."""
        raw = " | ".join(b.text for b in result.barcodes) or (result.problem or "")
        return self._record(raw, result.choice)

    @property
    def entries(self) -> tuple[SessionEntry, ...]:
        with self._lock:
            return tuple(self._entries)

    @property
    def serials(self) -> tuple[str, ...]:
        """Distinct serials in the order first scanned."""
        with self._lock:
            return tuple(self._first_by_serial)

    def _record(self, raw: str, choice: SerialChoice) -> SessionEntry:
        with self._lock:
            number = len(self._entries) + 1
            duplicate_of = None
            if choice.serial is not None and choice.status is SerialStatus.FOUND:
                duplicate_of = self._first_by_serial.get(choice.serial)
                self._first_by_serial.setdefault(choice.serial, number)
                feedback = Feedback.ACCEPTED if duplicate_of is None else Feedback.DUPLICATE
            elif choice.status in (SerialStatus.PROBABLE, SerialStatus.AMBIGUOUS):
                feedback = Feedback.CHECK
            else:
                feedback = Feedback.REJECTED
            entry = SessionEntry(number, self._clock(), raw, choice, feedback, duplicate_of)
            self._entries.append(entry)
        for listener in list(self._listeners):
            listener(entry)
        return entry
