"""The desk board's index on the device: every incident's place in the risk order, kept between reloads.

Recomputing both clocks of 10,000 open incidents costs more than a screen may take (about 60 µs each, BENCHMARKS.md),
and reading them all from SQLite costs as much again. So the index keeps, per incident, the decoded record and its
sort key with the instant that key stops being true (``sla.status_changes_at``: an on-track clock turns at risk, an
at-risk one breaches). A reload reads only the record stamps (``LocalStore.stamps``), decodes the records that
changed, recomputes the keys that changed or expired, and sorts. A paused clock keeps its key until its record
changes: its status cannot change while paused, only its due time, which orders it among its rank.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from app.adapters.cached_reader import CachedReader
from app.adapters.local_store import LocalStore
from sync.domain.incident import IncidentStatus, incident_clocks
from sync.domain.incident_terms import ticket_terms
from sync.domain.sla import RISK_ORDER, ClockStatus, risk_rank, status_changes_at
from sync.domain.sla_window import aware_utc
from sync.domain.ticket import Ticket

CLOSED_STATES = frozenset({IncidentStatus.RESTORED, IncidentStatus.CLOSED})
FOREVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True, kw_only=True)
class Placed:
    """One open incident's place: rank (0 breached, 1 at risk, 2 on track, 3 no running clock) and the due time
    that orders it within its rank, true from ``since`` (when it was computed: a clock set back recomputes it)
    until ``until``."""

    ticket: Ticket
    rank: int
    due: datetime
    since: datetime
    until: datetime
    # Computed once: rank, due, then receipt and id so equal dues keep one order on every device.
    key: tuple[int, datetime, datetime, str]

    @property
    def risk(self) -> ClockStatus | None:
        return RISK_ORDER[self.rank] if self.rank < len(RISK_ORDER) else None

    def sort_key(self) -> tuple[int, datetime, datetime, str]:
        return self.key


@dataclass
class BoardIndex:
    store: LocalStore
    _records: dict[str, tuple[str, Ticket]] = field(default_factory=dict)
    _placed: dict[str, Placed] = field(default_factory=dict)

    def open_incidents(self, now: datetime) -> list[Placed]:
        """Every open incident on the device with its place as of ``now``, most at risk first."""
        self._sync_records()
        reader = CachedReader(self.store)
        for ticket_id, (_stamp, ticket) in self._records.items():
            placed = self._placed.get(ticket_id)
            if ticket.status in CLOSED_STATES:
                self._placed.pop(ticket_id, None)
            elif placed is None or placed.ticket is not ticket or not placed.since <= now < placed.until:
                self._placed[ticket_id] = self._place(reader, ticket, now)
        return sorted(self._placed.values(), key=Placed.sort_key)

    def _sync_records(self) -> None:
        stamps = self.store.stamps(Ticket.collection)
        for gone in set(self._records) - set(stamps):
            del self._records[gone]
            self._placed.pop(gone, None)
        changed = [i for i, stamp in stamps.items() if self._records.get(i, ("", None))[0] != stamp]
        for ticket in self.store.get_many(Ticket, changed):
            self._records[ticket.id] = (stamps[ticket.id], ticket)

    @staticmethod
    def _place(reader: CachedReader, ticket: Ticket, now: datetime) -> Placed:
        tier, place = ticket_terms(reader, ticket)
        states = incident_clocks(ticket.incident(), tier=tier, place=place, now=now)
        rank, due = risk_rank(states)
        coverage = place.coverage(tier)
        changes: Iterable[datetime | None] = (status_changes_at(s, coverage, now) for s in states.values())
        until = min((c for c in changes if c is not None), default=FOREVER)
        key = (rank, due, aware_utc(ticket.opened_at), ticket.id)
        return Placed(ticket=ticket, rank=rank, due=due, since=now, until=until, key=key)
