"""The desk board's index on the device: every incident's place in the risk order, kept in the device database.

Recomputing both clocks of 10,000 open incidents costs more than a screen may take (BENCHMARKS.md), and so does
reading and decoding them all. So the index keeps, per incident, its sort key with the instant that key may stop
being true (``sla.rank_changes_at``: a clock turns at risk or breaches; never, once the incident is breached) and the
stamps it was computed from: the record's and those of the contract and site its tier and place were read from. A
load reads the stamps (index scans, no decoding), recomputes only the places whose stamps changed or whose instant
passed, writes those back, and sorts. Due times stay the domain's: a place is a cache of its answer, never read as
the truth of a due time, and the rows of the first page are recomputed for their countdowns.

The rows live in the device database (app/adapters/board_rows.py), so the first board after a start reads them
instead of recomputing everything, and the sync fills them after each round (``IncidentService.index_after_sync``)
so the first board after a pull does not either. A paused clock keeps its place until its record changes: its status
cannot change while paused, only its due time, which orders it within its rank.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from hashlib import sha256
from importlib.metadata import PackageNotFoundError, version

from app.adapters.board_rows import BoardRows, Placement
from app.adapters.cached_reader import CachedReader
from app.adapters.local_store import LocalStore
from sync.domain.contract import Contract
from sync.domain.incident import IncidentStatus, incident_clocks
from sync.domain.incident_terms import ticket_terms
from sync.domain.site import Site
from sync.domain.sla import RISK_ORDER, ClockStatus, rank_changes_at, risk_rank
from sync.domain.sla_catalogue import TEMPLATES
from sync.domain.sla_window import aware_utc
from sync.domain.ticket import Ticket

CLOSED_STATES = frozenset({IncidentStatus.RESTORED, IncidentStatus.CLOSED})
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FOREVER = datetime.max.replace(tzinfo=UTC)
NO_RUNNING_CLOCK = len(RISK_ORDER)


MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """An instant as whole microseconds since the epoch, exact (timedelta arithmetic, no float)."""
    return (aware_utc(moment) - EPOCH) // MICROSECOND


@cache
def rules() -> str:
    """What the kept places were computed with besides the records: this app's version and its tier templates. A
    row computed by another version is recomputed, so an update that changes the rules never shows old places."""
    try:
        app_version = version("rackside")
    except PackageNotFoundError:  # run from a source tree that was never installed
        app_version = "source"
    return sha256(f"{app_version}|{TEMPLATES!r}".encode()).hexdigest()[:16]


def risk_of(placement: Placement) -> ClockStatus | None:
    return RISK_ORDER[placement.rank] if placement.rank < NO_RUNNING_CLOCK else None


@dataclass(frozen=True)
class Stamps:
    """The stamps of everything a place is computed from, read once per load (``LocalStore.stamps``)."""

    tickets: Mapping[str, str]
    contracts: Mapping[str, str]
    sites: Mapping[str, str]

    @classmethod
    def read(cls, store: LocalStore) -> Stamps:
        return cls(
            tickets=store.stamps(Ticket.collection),
            contracts=store.stamps(Contract.collection),
            sites=store.stamps(Site.collection),
        )

    def terms(self, contract_id: str, site_id: str) -> str:
        return f"{rules()}|{self.contracts.get(contract_id, '')}|{self.sites.get(site_id, '')}"


@dataclass
class BoardIndex:
    store: LocalStore
    _rows: BoardRows = field(init=False)
    # Every incident's kept place, read from the device database at the first load, then kept in step with it.
    _placed: dict[str, Placement] | None = None

    def __post_init__(self) -> None:
        self._rows = BoardRows(self.store)

    def open_incidents(self, now: datetime) -> list[Placement]:
        """Every open incident on the device with its place as of ``now``, most at risk first."""
        now_us = micros(now)
        stamps = Stamps.read(self.store)
        placed = self._load(stamps.tickets)
        stale = [i for i, stamp in stamps.tickets.items() if not _holds(placed.get(i), stamp, stamps, now_us)]
        fresh = self._place(stale, stamps, now)
        placed.update((p.ticket_id, p) for p in fresh)
        self._rows.put(fresh)
        return sorted((p for p in placed.values() if p.open), key=Placement.sort_key)

    def _load(self, tickets: Mapping[str, str]) -> dict[str, Placement]:
        """The kept places, without those of incidents that left the device; rows another index (the sync's) wrote
        since the last load are read, not recomputed."""
        if self._placed is None:
            self._placed = self._rows.all()
        else:
            moved = [i for i, stamp in tickets.items() if (p := self._placed.get(i)) is None or p.stamp != stamp]
            self._placed.update(self._rows.get_many(moved))
        gone = [i for i in self._placed if i not in tickets]
        for ticket_id in gone:
            del self._placed[ticket_id]
        self._rows.put((), drop=gone)
        return self._placed

    def _place(self, ticket_ids: Iterable[str], stamps: Stamps, now: datetime) -> list[Placement]:
        reader = CachedReader(self.store)
        return [place(reader, t, stamps, now) for t in self.store.get_many(Ticket, list(ticket_ids))]


def _holds(kept: Placement | None, stamp: str, stamps: Stamps, now_us: int) -> bool:
    """Whether a kept place is still the domain's answer: same record, and for an open incident the same terms and
    an instant inside the span it was computed for (a test clock set back recomputes it)."""
    if kept is None or kept.stamp != stamp:
        return False
    if not kept.open:
        return True  # restored or closed: only a change to the record reopens it
    return kept.since_us <= now_us < kept.until_us and kept.terms == stamps.terms(kept.contract_id, kept.site_id)


def place(reader: CachedReader, ticket: Ticket, stamps: Stamps, now: datetime) -> Placement:
    """One incident's place as of ``now``, from the domain's clocks (``incident_clocks``)."""
    contract_id, site_id = ticket.contract_id or "", ticket.site_id or ""
    rank, due, until = NO_RUNNING_CLOCK, FOREVER, FOREVER
    is_open = ticket.status not in CLOSED_STATES
    if is_open:
        tier, where = ticket_terms(reader, ticket)
        states = incident_clocks(ticket.incident(), tier=tier, place=where, now=now)
        rank, due = risk_rank(states)
        until = rank_changes_at(states, where.coverage(tier), now) or FOREVER
    return Placement(
        ticket_id=ticket.id,
        stamp=stamps.tickets.get(ticket.id, ""),
        terms=stamps.terms(contract_id, site_id),
        open=is_open,
        rank=rank,
        due_us=micros(due),
        opened_us=micros(ticket.opened_at),
        since_us=micros(now),
        until_us=micros(until),
        org_id=ticket.org_id,
        site_id=site_id,
        contract_id=contract_id,
        tier_name=ticket.tier_name,
    )
