"""Sync as the user sees it: one round at a time on a worker thread, with a status the UI can always show."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from app.adapters.local_store import LocalStore, NotEnrolled, Rejection, as_utc
from app.i18n import Phrase, words
from sync.domain.errors import DomainError
from sync.engine import Backoff, Progress, SyncEngine
from sync.errors import DeviceRevoked, Offline, ProtocolTooOld, ServerRefused, SyncError
from sync.protocol import MAX_PULL_PAGE
from sync.transport import HttpTransport

log = logging.getLogger("rackside.app.sync")


class SyncPhase(StrEnum):
    SIGNED_OUT = "signed out"
    OFFLINE = "offline"
    SYNCING = "syncing"
    SYNCED = "synced"
    NEEDS_UPDATE = "app update needed"
    REVOKED = "device revoked"
    ERROR = "sync error"


NO_CONNECTION = words("no connection: everything is kept on this device")


@dataclass(frozen=True, kw_only=True)
class SyncStatus:
    phase: SyncPhase
    pending: int
    rejected: int
    last_sync: datetime | None
    message: Phrase | str = ""  # the device's own words are a Phrase; a server's refusal comes as it sent it
    pushed: int = 0
    pulled: int = 0
    push_total: int | None = None

    @property
    def push_fraction(self) -> float | None:
        if not self.push_total:
            return None
        return min(1.0, self.pushed / self.push_total)


StatusListener = Callable[[SyncStatus], None]
TransportFactory = Callable[[], HttpTransport]


class SyncRunner:
    """Runs sync rounds; never two at once. The UI calls ``run_once`` from a worker thread and listens to status."""

    def __init__(
        self,
        store: LocalStore,
        transport: TransportFactory,
        *,
        backoff: Backoff | None = None,
        after_round: Callable[[], None] | None = None,
        pull_page: int = MAX_PULL_PAGE,
    ) -> None:
        self._store = store
        self._transport = transport
        # Changes asked for per pull request: smaller pages show a first sync's progress sooner and lose less to a
        # dropped link, at more round trips (rackside client --pull-page).
        self._pull_page = pull_page
        # Derived data to bring up to date on this thread after a round, before the screens hear of it (the board).
        self._after_round = after_round
        self._lock = threading.Lock()
        self._listeners: list[StatusListener] = []
        self.backoff = backoff or Backoff()
        self._status = self._idle(SyncPhase.SYNCED if store.identity() else SyncPhase.SIGNED_OUT)

    def _idle(self, phase: SyncPhase, message: Phrase | str = "") -> SyncStatus:
        return SyncStatus(
            phase=phase,
            pending=self._store.pending_count(),
            rejected=len(self._store.rejections()),
            last_sync=as_utc(pulled) if (pulled := self._store.last_pull_at()) else None,
            message=message,
        )

    @property
    def status(self) -> SyncStatus:
        return self._status

    def refresh(self) -> SyncStatus:
        """Recount pending work after a local change, keeping the phase."""
        self._publish(replace(self._idle(self._status.phase, self._status.message)))
        return self._status

    @property
    def busy(self) -> bool:
        """True while a round runs (on any thread)."""
        return self._lock.locked()

    def listen(self, listener: StatusListener) -> None:
        self._listeners.append(listener)

    def _publish(self, status: SyncStatus) -> None:
        self._status = status
        for listener in list(self._listeners):
            listener(status)

    def run_once(self) -> SyncStatus:
        """One push-and-pull round; returns the resulting status. Safe to call from any thread."""
        if not self._lock.acquire(blocking=False):
            return self._status
        try:
            return self._run()
        finally:
            self._lock.release()

    def _run(self) -> SyncStatus:
        if self._store.identity() is None:
            self._publish(self._idle(SyncPhase.SIGNED_OUT))
            return self._status
        total = self._store.pending_count()
        self._publish(replace(self._idle(SyncPhase.SYNCING), push_total=total))

        def progress(p: Progress) -> None:
            if p.phase == "push":
                self._publish(replace(self._status, pushed=p.done))
            else:
                self._publish(replace(self._status, pulled=p.done))

        try:
            with self._transport() as transport:
                SyncEngine(
                    store=self._store, transport=transport, on_progress=progress, page_size=self._pull_page
                ).sync_once()
        except Offline:
            self._publish(self._idle(SyncPhase.OFFLINE, NO_CONNECTION))
        except DeviceRevoked:
            self._store.wipe()
            self._publish(self._idle(SyncPhase.REVOKED, words("this device was revoked; local data was removed")))
        except ProtocolTooOld as err:
            self._publish(self._idle(SyncPhase.NEEDS_UPDATE, err.message))
        except (ServerRefused, NotEnrolled) as err:
            self._publish(self._idle(SyncPhase.ERROR, str(err)))
        else:
            self.backoff.reset()
            self._bring_up_to_date()
            self._publish(self._idle(SyncPhase.SYNCED))
        return self._status

    def _bring_up_to_date(self) -> None:
        if self._after_round is None:
            return
        try:
            self._after_round()
        except DomainError as err:
            # Derived data only: the round's records are saved; the screen that needs them recomputes and says why.
            log.warning("bringing derived data up to date after a sync round failed: %s", err.code)

    def probe(self) -> bool:
        """Ask the server whether it answers, between rounds; a healthy device that gets no answer is offline at once
        (without waiting for the next round). Returns whether it answered. Never raises."""
        if self._store.identity() is None:
            return False
        try:
            with self._transport() as transport:
                answered = transport.reachable()
        except (NotEnrolled, SyncError):
            answered = False
        if not answered and self._status.phase is SyncPhase.SYNCED and not self._lock.locked():
            self._publish(self._idle(SyncPhase.OFFLINE, NO_CONNECTION))
        return answered

    def next_delay(self, interval: float) -> float:
        """Seconds until the next round: the interval when healthy, growing backoff while offline."""
        if self._status.phase in (SyncPhase.OFFLINE, SyncPhase.ERROR):
            return max(1.0, self.backoff.next_delay())
        return interval

    def rejections(self) -> list[Rejection]:
        return self._store.rejections()

    def discard(self, command_id: str) -> None:
        self._store.discard_rejection(command_id)
        self.refresh()
