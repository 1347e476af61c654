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

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from hashlib import sha256
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NamedTuple

from app.adapters.board_rows import BoardRows, Placement
from app.adapters.cached_reader import CachedReader
from app.adapters.local_store import LocalStore
from sync.domain import (
    calendar,
    coverage,
    incident,
    incident_terms,
    sla,
    sla_catalogue,
    sla_contract,
    sla_window,
)
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
# A place keeps its next two steps (on track → at risk → breached); working them out asks the domain at most this
# often per incident (an answer at a change's very instant may not have changed yet: then it asks a moment later).
KEPT_STEPS = 3
MAX_ASKS = 6


MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    """An instant as whole microseconds since the epoch, exact (timedelta arithmetic, no float)."""
    return (aware_utc(moment) - EPOCH) // MICROSECOND


# The domain modules a place is computed with: a change to any of them (an update, or a developer's edit that keeps
# the version number) makes every kept place be recomputed.
RULE_MODULES = (calendar, coverage, incident, incident_terms, sla, sla_catalogue, sla_contract, sla_window)


@cache
def rules() -> str:
    """What the kept places were computed with besides the records: this app's version, its tier templates and the
    code of the rules. A row computed by other rules is recomputed, so an update never shows old places."""
    try:
        app_version = version("rackside")
    except PackageNotFoundError:  # run from a source tree that was never installed
        app_version = "source"
    digest = sha256(f"{app_version}|{TEMPLATES!r}".encode())
    for module in RULE_MODULES:
        # Source or compiled module, whichever the app ships: either changes when the rules do.
        digest.update(Path(module.__file__).read_bytes() if module.__file__ else module.__name__.encode())
    return digest.hexdigest()[:16]


class Ranked(NamedTuple):
    """An open incident's place as of one instant, with what the board filters on."""

    ticket_id: str
    rank: int
    org_id: str
    site_id: str
    tier_name: str

    @property
    def risk(self) -> ClockStatus | None:
        return RISK_ORDER[self.rank] if self.rank < NO_RUNNING_CLOCK else None


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

    def terms_of(self) -> Callable[[str, str], str]:
        """``terms``, remembered per contract and site for one load (10,000 incidents share a few of each)."""
        known: dict[tuple[str, str], str] = {}

        def of(contract_id: str, site_id: str) -> str:
            key = (contract_id, site_id)
            if key not in known:
                known[key] = self.terms(contract_id, site_id)
            return known[key]

        return of


@dataclass
class BoardIndex:
    store: LocalStore
    _rows: BoardRows = field(init=False)
    # Every incident's kept place, read from the device database at the first load, then kept in step with it.
    _placed: dict[str, Placement] | None = None

    def __post_init__(self) -> None:
        self._rows = BoardRows(self.store)

    def open_incidents(self, now: datetime) -> list[Ranked]:
        """Every open incident on the device with its place as of ``now``, most at risk first (rank, due, then
        receipt and id, so equal dues keep one order on every device)."""
        now_us = micros(now)
        stamps = Stamps.read(self.store)
        placed = self._load(stamps.tickets)
        terms = stamps.terms_of()
        stale = [i for i, stamp in stamps.tickets.items() if not _holds(placed.get(i), stamp, terms, now_us)]
        fresh = self._place(stale, stamps, now)
        placed.update((p.ticket_id, p) for p in fresh)
        self._rows.put(fresh)
        now_open = [(p.key_at(now_us), p) for p in placed.values() if p.open]
        now_open.sort(key=lambda kp: (*kp[0], kp[1].opened_us, kp[1].ticket_id))
        return [
            Ranked(ticket_id=p.ticket_id, rank=rank, org_id=p.org_id, site_id=p.site_id, tier_name=p.tier_name)
            for (rank, _due), p in now_open
        ]

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


def _holds(kept: Placement | None, stamp: str, terms: Callable[[str, str], str], now_us: int) -> bool:
    """Whether a kept place is still the domain's answer: same record, and for an open incident the same terms and
    an instant inside the span it was computed for (a test clock set back recomputes it)."""
    if kept is None or kept.stamp != stamp:
        return False
    if not kept.open:
        return True  # restored or closed: only a change to the record reopens it
    return kept.since_us <= now_us < kept.until_us and kept.terms == terms(kept.contract_id, kept.site_id)


def place(reader: CachedReader, ticket: Ticket, stamps: Stamps, now: datetime) -> Placement:
    """One incident's place as of ``now`` and the next two it takes if nothing happens, each the domain's answer
    (``incident_clocks``, ``risk_rank``) at the instant it starts (``rank_changes_at``)."""
    contract_id, site_id = ticket.contract_id or "", ticket.site_id or ""
    is_open = ticket.status not in CLOSED_STATES
    steps, until = (
        _steps(reader, ticket, now) if is_open else ([(micros(now), NO_RUNNING_CLOCK, micros(FOREVER))], FOREVER)
    )
    until_us = micros(until)
    (since_us, rank, due_us), *later = steps
    (at1_us, rank1, due1_us), (at2_us, rank2, due2_us) = [*later, *[(until_us, rank, due_us)] * 2][:2]
    return Placement(
        ticket_id=ticket.id,
        stamp=stamps.tickets.get(ticket.id, ""),
        terms=stamps.terms(contract_id, site_id),
        open=is_open,
        since_us=since_us,
        until_us=until_us,
        rank=rank,
        due_us=due_us,
        at1_us=at1_us,
        rank1=rank1,
        due1_us=due1_us,
        at2_us=at2_us,
        rank2=rank2,
        due2_us=due2_us,
        opened_us=micros(ticket.opened_at),
        org_id=ticket.org_id,
        site_id=site_id,
        contract_id=contract_id,
        tier_name=ticket.tier_name,
    )


def _steps(reader: CachedReader, ticket: Ticket, now: datetime) -> tuple[list[tuple[int, int, int]], datetime]:
    """Up to three places (from, rank, due) from ``now`` on, and the instant the last stops being known to hold.

    Each is the domain asked again at the instant the last may change: a place worked out ahead, not by the app,
    so a start after a night (when many incidents turned at risk or breached) recomputes only what changed since."""
    tier, where = ticket_terms(reader, ticket)
    coverage = where.coverage(tier)
    happened = ticket.incident()
    steps: list[tuple[int, int, int]] = []
    at = now
    for _ in range(MAX_ASKS):
        states = incident_clocks(happened, tier=tier, place=where, now=at)
        rank, due = risk_rank(states)
        if not steps or steps[-1][1:] != (rank, micros(due)):
            if len(steps) == KEPT_STEPS:
                return steps, at
            steps.append((micros(at), rank, micros(due)))
        change = rank_changes_at(states, coverage, at)
        if change is None:
            return steps, FOREVER
        # The domain's answer holds until ``change``; one that changes nothing yet there is asked a moment later.
        at = max(aware_utc(change), at + MICROSECOND)
    return steps, at
