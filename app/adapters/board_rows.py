"""The desk board's index rows in the device database (table ``board_index``): kept so that the first board after a
start reads each incident's place instead of recomputing both clocks of every open incident (BENCHMARKS.md, desk
board). The rows are derived data, written only by app/services/incident_board.py; wiping the device drops them.

Straight to the driver, as ``LocalStore`` does for pulled pages: building SQLAlchemy rows for 10,000 small records
cost more than SQLite's work.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from app.adapters.local_store import LocalStore

_COLUMNS = (
    "ticket_id, stamp, terms, open, since_us, until_us, rank, due_us, at1_us, rank1, due1_us, at2_us, rank2, due2_us, "
    "opened_us, org_id, site_id, contract_id, tier_name"
)
_SELECT = f"SELECT {_COLUMNS} FROM board_index"
# Only for an incident still on the device: a place worked out on the sync's thread while the user signed out (the
# device wiped) must not be written after the wipe.
_UPSERT = (
    f"INSERT OR REPLACE INTO board_index ({_COLUMNS}) SELECT {', '.join('?' * 19)} "
    "WHERE EXISTS (SELECT 1 FROM records WHERE collection = 'tickets' AND id = ?1) "
    "OR EXISTS (SELECT 1 FROM overlay WHERE collection = 'tickets' AND id = ?1)"
)
_DELETE = "DELETE FROM board_index WHERE ticket_id = ?"


class Placement(NamedTuple):
    """One incident's place as the domain computed it, true while ``stamp`` (the record's) and ``terms`` (what its
    tier and place were read from) hold and ``since_us <= now < until_us``. Instants are microseconds since the
    epoch, UTC. A place is its ``rank`` (0 breached, 1 at risk, 2 on track, 3 no running clock) and the ``due`` that
    orders it within the rank; it takes ``rank1``/``due1_us`` from ``at1_us`` and ``rank2``/``due2_us`` from
    ``at2_us`` if nothing happens (an unused step starts at ``until_us``). ``open`` is False for restored and closed
    incidents (kept so they are not recomputed at every load).

    A named tuple, not a dataclass: a board loads 10,000 of them at once, and tuples of plain values are built
    faster and leave the garbage collector's tracking.
    """

    ticket_id: str
    stamp: str
    terms: str
    # 1 or 0 (SQLite keeps flags as integers; read as a truth value).
    open: int
    since_us: int
    until_us: int
    rank: int
    due_us: int
    at1_us: int
    rank1: int
    due1_us: int
    at2_us: int
    rank2: int
    due2_us: int
    opened_us: int
    org_id: str
    site_id: str
    contract_id: str
    tier_name: str

    def key_at(self, now_us: int) -> tuple[int, int]:
        """Rank and due as of ``now_us`` (inside ``since_us``..``until_us``)."""
        if now_us >= self.at2_us:
            return self.rank2, self.due2_us
        if now_us >= self.at1_us:
            return self.rank1, self.due1_us
        return self.rank, self.due_us


@dataclass(frozen=True)
class BoardRows:
    store: LocalStore

    def all(self) -> dict[str, Placement]:
        return {p.ticket_id: p for p in self._select(_SELECT, ())}

    def get_many(self, ticket_ids: Sequence[str]) -> dict[str, Placement]:
        found: dict[str, Placement] = {}
        for chunk in _chunks(ticket_ids):
            marks = ", ".join("?" * len(chunk))
            found.update((p.ticket_id, p) for p in self._select(f"{_SELECT} WHERE ticket_id IN ({marks})", chunk))
        return found

    def _select(self, sql: str, parameters: Sequence[str]) -> list[Placement]:
        # One statement on the driver's connection (its own read transaction): plain tuples, no SQLAlchemy row per
        # result, made into places in one pass (a third of the first board's time went to rows otherwise).
        with self.store.engine.connect() as conn:
            driver = conn.connection.driver_connection
            assert driver is not None
            return list(map(Placement._make, driver.execute(sql, tuple(parameters)).fetchall()))

    def put(self, placements: Iterable[Placement], *, drop: Iterable[str] = ()) -> None:
        """Write ``placements`` and forget the rows of ``drop`` (incidents that left the device), in one transaction."""
        written = [_row(p) for p in placements]
        gone = [(ticket_id,) for ticket_id in drop]
        if not written and not gone:
            return
        with self.store.engine.begin() as conn:
            if written:
                conn.exec_driver_sql(_UPSERT, written)
            if gone:
                conn.exec_driver_sql(_DELETE, gone)


def _row(p: Placement) -> tuple[object, ...]:
    return (
        p.ticket_id, p.stamp, p.terms, p.open, p.since_us, p.until_us, p.rank, p.due_us,
        p.at1_us, p.rank1, p.due1_us, p.at2_us, p.rank2, p.due2_us,
        p.opened_us, p.org_id, p.site_id, p.contract_id, p.tier_name,
    )  # fmt: skip


def _chunks(ids: Sequence[str], size: int = 500) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]
