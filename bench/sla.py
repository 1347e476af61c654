"""Recomputing SLA clocks: the engine's cost for a device's and a server's open incidents.

Incidents are seeded (every tier template, four zones with holidays, three distance zones, a third responded, a
fifth paused for the customer) and recomputed from their facts at one instant, as the desk board and the breach
sweep do. The issue's goals are on the whole feature (board query included); these figures are the domain's share.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from bench.report import write_section
from sync.domain.service import Severity
from sync.domain.sla import ClockFacts, Pause, PauseReason, ServicePlace, Tier, clock_states
from sync.domain.sla_catalogue import TEMPLATES

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
HOLIDAYS = frozenset({date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 31), date(2027, 1, 1)})
NOW = datetime(2026, 12, 23, 15, 0, tzinfo=UTC)


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--device", type=int, default=5_000)
    parser.add_argument("--server", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for label, count in (("device", args.device), ("server", args.server)):
        batch = incidents(count)
        runs = [recompute(batch) for _ in range(args.runs)]
        median = statistics.median(runs)
        rows.append(f"| {label} | {count:,} | {median:.2f} | {median / count * 1e6:.0f} |")
        print(rows[-1], flush=True)
    body = (
        f"## SLA clocks (`python -m bench.sla --device {args.device} --server {args.server} --runs {args.runs}`)\n\n"
        "Both clocks of every open incident recomputed from its facts (median of the runs; domain only, no I/O).\n\n"
        "| where | open incidents | seconds | µs per incident |\n|---|---|---|---|\n" + "\n".join(rows)
    )
    write_section("sla", body)


if __name__ == "__main__":
    main()
