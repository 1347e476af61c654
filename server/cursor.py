"""Pull cursors: opaque to clients, "<version>.<scope fingerprint>" to the server.

The fingerprint ties a cursor to the scope it was issued for. If the caller's scope changed since (an assignment
added or removed), the cursor cannot say what they gained or lost, so the server asks for a reset.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.errors import InvalidCursor


@dataclass(frozen=True, kw_only=True)
class Cursor:
    version: int
    fingerprint: str

    def encode(self) -> str:
        return f"{self.version}.{self.fingerprint}"


def decode_cursor(text: str) -> Cursor | None:
    """None for the empty cursor (start from the beginning)."""
    if not text:
        return None
    version, _, fingerprint = text.partition(".")
    if not version.isdigit() or not fingerprint or len(text) > 100:
        raise InvalidCursor("this cursor was not issued by this server: pull again from the start")
    return Cursor(version=int(version), fingerprint=fingerprint)
