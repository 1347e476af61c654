"""Keyboard-wedge scanners: a burst of keystrokes ending in Enter (or Tab) is one scan.

Keys are appended to a buffer the moment they arrive and completed scans wait in a queue, so nothing is lost while
the app is busy (a slow lookup, a sync): the UI drains the queue when it can. Scanners are often set to send a prefix
(e.g. STX, or an AIM identifier such as ``]C1``) and a suffix (ETX, CR LF); both are configurable and stripped.
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

# Flet's KeyboardEvent names for the keys that end a scan, and their characters in a text stream.
TERMINATOR_KEYS = {"Enter": "\r", "Numpad Enter": "\r", "Tab": "\t"}


@dataclass(frozen=True)
class WedgeConfig:
    prefix: str = ""  # removed from the start of a scan when present
    suffix: str = ""  # removed from the end of a scan when present (before the terminator)
    terminators: str = "\r\n\t"


class WedgeAssembler:
    """Feed it characters or key names; take completed scans with :meth:`drain` (thread-safe)."""

    def __init__(self, config: WedgeConfig | None = None) -> None:
        self.config = config or WedgeConfig()
        self._buffer: list[str] = []
        self._ready: deque[str] = deque()
        self._lock = threading.Lock()

    def feed(self, text: str) -> int:
        """Characters as they arrive (one or many). Returns how many scans completed."""
        completed = 0
        with self._lock:
            for ch in text:
                if ch in self.config.terminators:
                    completed += self._finish()
                else:
                    self._buffer.append(ch)
        return completed

    def key(self, name: str) -> int:
        """A key name from a keyboard event: a terminator, Backspace, or a printable key such as ``"A"``."""
        if name in TERMINATOR_KEYS:
            return self.feed(TERMINATOR_KEYS[name])
        if name == "Backspace":
            with self._lock:
                if self._buffer:
                    self._buffer.pop()
            return 0
        return self.feed(name) if len(name) == 1 else 0  # Shift, Alt …: no character of their own

    def drain(self) -> list[str]:
        """Every completed scan since the last drain, oldest first."""
        with self._lock:
            out = list(self._ready)
            self._ready.clear()
        return out

    @property
    def pending(self) -> str:
        """Characters of a scan still arriving."""
        with self._lock:
            return "".join(self._buffer)

    def _finish(self) -> int:
        scan = "".join(self._buffer)
        self._buffer.clear()
        prefix, suffix = self.config.prefix, self.config.suffix
        if prefix and scan.startswith(prefix):
            scan = scan[len(prefix) :]
        if suffix and scan.endswith(suffix):
            scan = scan[: -len(suffix)]
        if not scan.strip():
            return 0  # a lone Enter (or CR LF's second half) is not a scan
        self._ready.append(scan)
        return 1
