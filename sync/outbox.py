"""What the engine needs from a client's local store, whatever holds it (SQLite on devices, memory in tests)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sync.pages import PulledRecord
from sync.protocol import CommandEnvelope, CommandResult, WireRecord


@dataclass(frozen=True, kw_only=True)
class OutboxEntry:
    seq: int
    command_id: str
    type: str
    payload: dict[str, Any]
    device_time: datetime

    def envelope(self) -> CommandEnvelope:
        return CommandEnvelope(
            command_id=self.command_id, type=self.type, payload=self.payload, device_time=self.device_time
        )


class ClientStore(Protocol):
    """Each method is one local transaction: a crash between two calls loses nothing and repeats nothing harmful."""

    def pending(self, *, limit: int) -> list[OutboxEntry]:
        """The oldest ``limit`` commands not yet answered by the server, in the order they were made."""
        ...

    def pending_count(self) -> int: ...

    def record_results(self, results: Sequence[CommandResult]) -> None:
        """Take answered commands out of the outbox; keep the server's copies; keep rejections visible."""
        ...

    def refresh_overlay(self) -> None:
        """Recompute the local effects of the commands still pending (after a push has recorded its answers)."""
        ...

    def cursor(self) -> str: ...

    def apply_page(self, changes: Sequence[WireRecord | PulledRecord], cursor: str, *, complete: bool) -> None:
        """Store a page of server state and its cursor together. Never adds outbox work."""
        ...

    def begin_reset(self) -> None:
        """The server asked for a full re-pull: forget the cursor, and drop what the full pull does not bring back."""
        ...
