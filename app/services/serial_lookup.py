"""A serial this device does not hold: ask the server before offering to register it, and fetch it when it is there.

Another device may have registered the chassis since this one last synced. Registering it again here would be
refused by the server later, as a duplicate, after the work was done; so the device asks first
(``GET /api/v1/assets/lookup``, docs/sync-protocol.md 5.7), with a short timeout. Three answers:

    KNOWN       the server holds it and this user may see it: a sync round brings it (``fetch``)
    NOT_KNOWN   no chassis the user may see has that serial: offer to register it
    UNASKED     offline, signed out, or no answer in time: offer to register, and say the server was not asked

Both methods block (HTTP, a sync round): the UI calls them on a worker thread.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import httpx

from app.adapters.local_store import LocalStore, NotEnrolled
from app.services.sync_status import SyncPhase, SyncRunner, TransportFactory
from sync.domain.asset import Asset
from sync.errors import SyncError

# Long enough for a slow mobile link, short enough that the person holding the scanner does not wait for nothing.
LOOKUP_TIMEOUT = httpx.Timeout(2.5)


class ServerAnswer(StrEnum):
    KNOWN = "known"
    NOT_KNOWN = "not known"
    UNASKED = "unasked"


@dataclass(frozen=True, kw_only=True)
class SerialLookup:
    answer: ServerAnswer
    serial: str
    site_name: str | None = None
    rack_name: str | None = None


@dataclass
class SerialLookupService:
    store: LocalStore
    transport: TransportFactory
    runner: SyncRunner
    sleep: Callable[[float], None] = time.sleep

    def ask(self, serial: str) -> SerialLookup:
        """What the server says about ``serial`` (already normalised); never raises for want of a connection."""
        if self.runner.status.phase is SyncPhase.OFFLINE:
            # Known to be offline (the last round, or the 3 s health probe): waiting for a timeout would tell nothing.
            return SerialLookup(answer=ServerAnswer.UNASKED, serial=serial)
        try:
            with self.transport() as transport:
                found = transport.lookup_asset(serial, timeout=LOOKUP_TIMEOUT)
        except (NotEnrolled, SyncError):  # no answer in time, signed out, or refused (revoked, too old)
            return SerialLookup(answer=ServerAnswer.UNASKED, serial=serial)
        if found is None:
            return SerialLookup(answer=ServerAnswer.NOT_KNOWN, serial=serial)
        return SerialLookup(
            answer=ServerAnswer.KNOWN, serial=found.serial, site_name=found.site_name, rack_name=found.rack_name
        )

    def fetch(self, serial: str, *, rounds: int = 2, patience: float = 90.0) -> str | None:
        """Sync until the chassis is on this device; its id, or None once ``rounds`` rounds of this call's own (or
        ``patience`` seconds) passed without it. A round already running (the background one) may bring it: wait
        for that instead of starting another."""
        deadline = time.monotonic() + patience
        ran = 0
        while ran < rounds and time.monotonic() < deadline:
            if (found := self.store.find(Asset, serial)) is not None:
                return found.id
            if self.runner.busy:
                self.sleep(0.25)
                continue
            ran += 1
            if self.runner.run_once().phase not in (SyncPhase.SYNCED, SyncPhase.SYNCING):
                break  # offline, signed out, refused: more rounds now would end the same
        found = self.store.find(Asset, serial)
        return found.id if found else None
