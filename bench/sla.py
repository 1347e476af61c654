"""SLA clocks at scale: the domain's recomputation, the server's breach sweep over its database, and the desk board's
first page from the device's local SQLite cache.

    python -m bench.sla [--device 5000] [--server 100000] [--board 10000] [--runs 3]

1. Domain only: both clocks of every open incident recomputed from its facts (every tier template, four zones with
   holidays, three distance zones, a third responded, a fifth paused for the customer), as the board and the sweep do.
2. Server: ``--server`` open incidents stored as records (an SQLite file; PostgreSQL too with
   RACKSIDE_BENCH_POSTGRES_URL), and the breach sweep's pass over them (server/sla_sweeper.py ``due_breaches``:
   read every incident record, decode it, recompute its clocks through the domain, list the breaches due); then
   recording breaches through the push path, per breach.
3. Device: ``--board`` open incidents in the device's local SQLite cache (filled as pulled pages), the clocks of
   ``--device`` of them recomputed from the records, and the desk board's first page: every open incident read,
   its clocks recomputed, ranked breached / at risk / on track, the first 50 kept (the work IncidentService.board
   does). Goal: ≤ 300 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from app.adapters.cached_reader import CachedReader
from app.adapters.local_store import LocalStore
from bench.report import write_section
from server.apply import record_write
from server.db import make_engine
from server.sla_sweeper import due_breaches, record_breaches
from server.store import Store
from sync import codec
from sync.domain.calendar import Coverage
from sync.domain.context import Reader
from sync.domain.contract import Contract, ServiceModel, ServiceTier
from sync.domain.entity import Entity
from sync.domain.incident import IncidentEvent, IncidentStatus
from sync.domain.incident_terms import ticket_clocks
from sync.domain.org import Organization, OrgKind, Role
from sync.domain.service import Severity
from sync.domain.site import Site, SiteKind
from sync.domain.sla import ClockFacts, Pause, PauseReason, ServicePlace, Tier, clock_states, risk_rank
from sync.domain.sla_alerts import escalates
from sync.domain.sla_catalogue import TEMPLATES
from sync.domain.ticket import Ticket
from sync.protocol import WireRecord

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
HOLIDAYS = frozenset({date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 31), date(2027, 1, 1)})
NOW = datetime(2026, 12, 23, 15, 0, tzinfo=UTC)
BOARD_PAGE = 50
BOARD_GOAL_MS = 300.0
CUSTOMER = "bench-customer"


def incidents(count: int, seed: int = 12) -> list[tuple[Tier, Severity, ServicePlace, ClockFacts]]:
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        received = NOW - timedelta(minutes=rng.randrange(0, 5 * 24 * 60))
        responded = received + timedelta(minutes=rng.randrange(5, 240)) if rng.random() < 1 / 3 else None
        if responded is not None and responded > NOW:
            responded = None
        pauses: tuple[Pause, ...] = ()
        if rng.random() < 0.2:
            start = received + (NOW - received) / 2
            pauses = (Pause(reason=PauseReason.WAITING_FOR_CUSTOMER, start=start, end=start + (NOW - start) / 2),)
        place = ServicePlace(
            timezone=rng.choice(ZONES), holidays=HOLIDAYS, distance_km=Decimal(rng.choice((10, 120, 200)))
        )
        facts = ClockFacts(received_at=received, responded_at=responded, pauses=pauses)
        out.append((rng.choice(TEMPLATES), rng.choice(list(Severity)), place, facts))
    return out


def recompute(batch: list[tuple[Tier, Severity, ServicePlace, ClockFacts]]) -> float:
    began = time.perf_counter()
    for tier, severity, place, facts in batch:
        clock_states(tier=tier, severity=severity, place=place, facts=facts, now=NOW)
    return time.perf_counter() - began


# A world of records: sites in four zones at three distances, one contract per tier template, open incidents -------


def world() -> list[Entity]:
    sites = [
        Site(
            id=f"site-{n}",
            org_id=CUSTOMER,
            name=f"Site {n}",
            kind=SiteKind.COLOCATION,
            timezone=zone,
            region="bench",
            distance_km=distance,
        )
        for n, (zone, distance) in enumerate((z, d) for z in ZONES for d in (10, 120, 200))
    ]
    tier = ServiceTier(name="Bench hours", response_hours=4, restore_hours=8, coverage=Coverage.ALWAYS)
    contracts = [
        Contract(
            id=f"contract-{n}",
            org_id=CUSTOMER,
            number=f"SC-BENCH-{n}",
            tier=tier,
            models=(ServiceModel.ON_SITE,),
            starts_on=date(2026, 1, 1),
            ends_on=date(2027, 12, 31),
            site_ids=tuple(s.id for s in sites),
            holidays=tuple(sorted(HOLIDAYS)),
            tier_template=template.name,
        )
        for n, template in enumerate(TEMPLATES)
    ]
    customer = Organization(id=CUSTOMER, org_id=CUSTOMER, name="Bench customer", kind=OrgKind.CUSTOMER)
    return [customer, *sites, *contracts]


def tickets(count: int, seed: int = 12) -> list[Ticket]:
    """Open incidents received over the last five days: a third responded, a fifth paused for the customer."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        received = NOW - timedelta(minutes=rng.randrange(0, 5 * 24 * 60))
        contract = rng.randrange(len(TEMPLATES))
        history: list[IncidentEvent] = []
        status = IncidentStatus.OPEN
        responded = None
        if rng.random() < 1 / 3:
            responded = min(received + timedelta(minutes=rng.randrange(5, 240)), NOW)
            status = IncidentStatus.RESPONDED
            history.append(IncidentEvent(at=responded, by="eng", role=Role.FIELD_ENGINEER, status=status))
        if rng.random() < 0.2:
            paused = max(received + (NOW - received) / 2, responded or received)
            status = IncidentStatus.WAITING_FOR_CUSTOMER if responded else IncidentStatus.OPEN_WAITING_FOR_CUSTOMER
            history.append(IncidentEvent(at=paused, by="desk", role=Role.SERVICE_DESK, status=status))
        out.append(
            Ticket(
                id=f"ticket-{n:06d}",
                org_id=CUSTOMER,
                site_id=f"site-{rng.randrange(len(ZONES) * 3)}",
                asset_id=f"asset-{n % 997}",
                symptom="bench incident",
                severity=rng.choice(list(Severity)),
                opened_at=received,
                status=status,
                tier_name=TEMPLATES[contract].name,
                contract_id=f"contract-{contract}",
                history=tuple(history),
                responded_at=responded,
            )
        )
    return out


# Server: the sweep's pass ---------------------------------------------------------------------------------------


def server_store(url: str, count: int) -> tuple[Store, float]:
    store = Store(make_engine(url))
    store.create_schema()
    began = time.perf_counter()
    entities: list[Entity] = [*world(), *tickets(count)]
    for start in range(0, len(entities), 5000):
        with store.transaction() as txn:
            txn.write([record_write(e) for e in entities[start : start + 5000]])
    return store, time.perf_counter() - began


def server_rows(label: str, url: str, count: int, runs: int) -> list[str]:
    store, filled = server_store(url, count)
    try:
        passes = []
        found = []
        for _ in range(runs):
            began = time.perf_counter()
            found = due_breaches(store, now=NOW)
            passes.append(time.perf_counter() - began)
        sample = found[:1000]
        began = time.perf_counter()
        recorded = record_breaches(store, sample, now=NOW)
        per_breach = (time.perf_counter() - began) / max(len(recorded), 1)
    finally:
        store.engine.dispose()
    median = statistics.median(passes)
    return [
        f"| server, {label}: the sweep's pass (read, decode, recompute, list the breaches due: {len(found):,}) "
        f"| {count:,} | {median:.2f} s | {median / count * 1e6:.0f} µs |",
        f"| server, {label}: recording breaches through the push path (the first {len(recorded):,} of them) "
        f"| — | {per_breach * len(recorded):.2f} s | {per_breach * 1e6:.0f} µs per breach |",
        f"| server, {label}: writing the incident records (setup, for scale) | {count:,} | {filled:.1f} s | — |",
    ]


# Device: the local cache ----------------------------------------------------------------------------------------


def device_store(folder: Path, count: int) -> LocalStore:
    store = LocalStore(folder / "device.db")
    entities: list[Entity] = [*world(), *tickets(count)]
    version = 0
    for start in range(0, len(entities), 5000):
        page = []
        for entity in entities[start : start + 5000]:
            version += 1
            page.append(
                WireRecord(collection=entity.collection, id=entity.id, version=version, data=codec.dump(entity))
            )
        store.apply_page(page, str(version), complete=start + 5000 >= len(entities))
    return store


def board_first_page(store: LocalStore, reader: Reader) -> list[Ticket]:
    """The desk board's work: open incidents read, their clocks recomputed, ranked, the first page kept."""
    open_tickets = [t for t in store.all(Ticket) if escalates(t.status)]
    ranked = sorted(
        ((risk_rank(ticket_clocks(reader, t, NOW)), t.opened_at, t.id, t) for t in open_tickets),
        key=lambda item: item[:3],
    )
    return [item[3] for item in ranked[:BOARD_PAGE]]


def timed(work: Callable[[], object], runs: int) -> float:
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        timings.append(time.perf_counter() - began)
    return statistics.median(timings)


def device_rows(device: int, board: int, runs: int) -> list[str]:
    with tempfile.TemporaryDirectory() as folder:
        store = device_store(Path(folder), max(device, board))
        try:
            everything = store.all(Ticket)
            some = everything[:device]
            read = timed(lambda: store.all(Ticket), runs)

            def recompute_some() -> None:
                reader = CachedReader(store)  # one cache per pass, as a screen's refresh makes
                for ticket in some:
                    ticket_clocks(reader, ticket, NOW)

            clocks = timed(recompute_some, runs)
            direct = timed(lambda: board_first_page(store, store), runs)
            cached = timed(lambda: board_first_page(store, CachedReader(store)), runs)
        finally:
            store.close()
    verdict = "yes" if cached * 1000 <= BOARD_GOAL_MS else "NO"
    direct_verdict = "yes" if direct * 1000 <= BOARD_GOAL_MS else "NO"
    return [
        f"| device: the clocks of {device:,} incidents recomputed from their records | {device:,} "
        f"| {clocks:.2f} s | {clocks / device * 1e6:.0f} µs |",
        f"| device: reading every incident from the local cache (`LocalStore.all`) | {board:,} | {read:.2f} s "
        f"| {read / board * 1e6:.0f} µs |",
        f"| device: desk board first page, the store as the clocks' reader (a read per site and contract) "
        f"| {board:,} | {direct * 1000:.0f} ms | goal ≤ {BOARD_GOAL_MS:.0f} ms: {direct_verdict} |",
        f"| device: desk board first page, sites and contracts read once | {board:,} | {cached * 1000:.0f} ms "
        f"| goal ≤ {BOARD_GOAL_MS:.0f} ms: {verdict} |",
    ]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", type=int, default=5_000)
    parser.add_argument("--server", type=int, default=100_000)
    parser.add_argument("--board", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args(argv)
    domain = []
    for label, count in (("device", args.device), ("server", args.server)):
        batch = incidents(count)
        median = statistics.median(recompute(batch) for _ in range(args.runs))
        domain.append(f"| domain only ({label}) | {count:,} | {median:.2f} s | {median / count * 1e6:.0f} µs |")
        print(domain[-1], flush=True)
    rows = [*domain]
    with tempfile.TemporaryDirectory() as folder:
        rows += server_rows("SQLite", f"sqlite:///{Path(folder) / 'server.db'}", args.server, args.runs)
        print(*rows[-3:], sep="\n", flush=True)
    postgres = os.environ.get("RACKSIDE_BENCH_POSTGRES_URL")
    if postgres:
        rows += server_rows("PostgreSQL", postgres, args.server, args.runs)
        print(*rows[-3:], sep="\n", flush=True)
    rows += device_rows(args.device, args.board, args.runs)
    print(*rows[-4:], sep="\n", flush=True)
    command = (
        f"python -m bench.sla --device {args.device} --server {args.server} --board {args.board} --runs {args.runs}"
    )
    body = (
        f"## SLA clocks (`{command}`)\n\n"
        "Both clocks of every open incident recomputed as of one instant (median of the runs). Incidents: every tier "
        "template, sites in four zones with holidays at 10, 120 and 200 km, a third responded, a fifth paused.\n\n"
        "| what | open incidents | time | per incident |\n|---|---|---|---|\n" + "\n".join(rows) + "\n\n"
        "What limits the desk board: nothing about an incident's clocks is stored (due times move with pauses and "
        "amendments), so a first page of the board reads and decodes every open incident and recomputes both "
        "clocks of each before it can rank them; the domain's share alone is the first row per incident, so with "
        "10,000 open incidents no first page comes near 300 ms this way. Read through `LocalStore` itself, each "
        "incident also costs a query and a connection per site and contract (the store-as-reader row); "
        "`app/adapters/cached_reader.py` reads each once. Meeting the goal needs the ranking without the "
        "recomputation: a local index of (incident, status, the instant it turns at risk, the instant it breaches), "
        "written whenever an incident record is written (both instants hold until its next event; a paused clock has "
        "neither), so the first page is one indexed query and 50 records decoded. The sweep's pass has the same "
        "shape on the server: reading and decoding every open incident, then the domain; recording a breach is a "
        "push of one command, so a first sweep over a backlog of tens of thousands of breaches takes minutes, "
        "while a steady sweep records the few that fall due each interval."
    )
    if not args.no_write:
        write_section("sla", body)


if __name__ == "__main__":
    main()
