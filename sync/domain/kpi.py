"""After-sales KPIs, computed from the records and never typed in.

KPI                 from                                   definition
issuance time       RMA history                            first submitted → first approved (hours)
turnaround (TAT)    RMA history                            first submitted → first outcome (days)
depot turnaround    depot orders                           received → graded (hours)
NFF rate            graded depot orders                    no_fault_found / all graded
unreturned units    open return obligations, today         past due: days overdue and the penalty owed
repeat failures     failure events per unit                a unit failing again within the window
failure patterns    confirmed failures (graded, not NFF)   counts by SKU / part number / revision / lot

SLA attainment and first-time fix (from incidents and the visits tied to them) are sync/domain/sla_attainment.py's.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from statistics import median

from sync.domain.exchange import Aging, aging
from sync.domain.logistics import DepotGrade, DepotOrder, ObligationStatus, ReturnObligation
from sync.domain.rma import Rma, RmaStatus

OUTCOMES = frozenset({RmaStatus.REPAIRED, RmaStatus.REPLACED, RmaStatus.CREDITED, RmaStatus.RETURNED_NFF})
REPEAT_WINDOW_DAYS = 90
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)


def _first(rma: Rma, statuses: frozenset[RmaStatus], *, after: datetime | None = None) -> datetime | None:
    return next((c.at for c in rma.history if c.status in statuses and (after is None or c.at >= after)), None)


def issuance_hours(rma: Rma) -> float | None:
    submitted = _first(rma, frozenset({RmaStatus.SUBMITTED}))
    approved = _first(rma, frozenset({RmaStatus.APPROVED}), after=submitted) if submitted else None
    return (approved - submitted) / HOUR if submitted and approved else None


def turnaround_days(rma: Rma) -> float | None:
    submitted = _first(rma, frozenset({RmaStatus.SUBMITTED}))
    done = _first(rma, OUTCOMES, after=submitted) if submitted else None
    return (done - submitted) / DAY if submitted and done else None


def depot_turnaround_hours(order: DepotOrder) -> float | None:
    return (order.graded_at - order.received_at) / HOUR if order.graded_at else None


def nff_rate(orders: Iterable[DepotOrder]) -> float | None:
    grades = [o.grade for o in orders if o.grade is not None]
    return grades.count(DepotGrade.NO_FAULT_FOUND) / len(grades) if grades else None


def unreturned(obligations: Iterable[ReturnObligation], today: date) -> list[Aging]:
    """Open obligations past their due date, the longest overdue first."""
    late = [aging(o, today=today) for o in obligations if o.status is ObligationStatus.OPEN]
    return sorted((a for a in late if a.overdue), key=lambda a: (-a.days_overdue, a.serial))


@dataclass(frozen=True, kw_only=True)
class FailureEvent:
    """A unit failing: ``unit`` names what failed (a chassis serial, or a chassis slot for FRU swaps)."""

    unit: str
    at: datetime
    sku_id: str | None = None
    part_number_id: str | None = None
    revision: str = ""
    lot: str = ""


@dataclass(frozen=True, kw_only=True)
class RepeatFailure:
    unit: str
    failures: int
    first_at: datetime
    last_at: datetime


def repeat_failures(events: Iterable[FailureEvent], *, window_days: int = REPEAT_WINDOW_DAYS) -> list[RepeatFailure]:
    """Units that failed again within ``window_days`` of a previous failure; ``failures`` counts the whole chain."""
    by_unit: dict[str, list[datetime]] = defaultdict(list)
    for event in events:
        by_unit[event.unit].append(event.at)
    window = timedelta(days=window_days)
    out = []
    for unit, moments in by_unit.items():
        moments.sort()
        chained = [b for a, b in zip(moments, moments[1:], strict=False) if b - a <= window]
        if chained:
            out.append(RepeatFailure(unit=unit, failures=len(chained) + 1, first_at=moments[0], last_at=moments[-1]))
    return sorted(out, key=lambda r: (-r.failures, r.unit))


class PatternKey(StrEnum):
    SKU = "sku"
    PART_NUMBER = "part_number"
    REVISION = "revision"
    LOT = "lot"


_KEYS: dict[PatternKey, Callable[[FailureEvent], str | None]] = {
    PatternKey.SKU: lambda e: e.sku_id,
    PatternKey.PART_NUMBER: lambda e: e.part_number_id,
    PatternKey.REVISION: lambda e: e.revision or None,
    PatternKey.LOT: lambda e: e.lot or None,
}


@dataclass(frozen=True, kw_only=True)
class PatternRow:
    key: str
    failures: int
    share: float


def failure_patterns(events: Sequence[FailureEvent], by: PatternKey) -> list[PatternRow]:
    """Failures grouped by one attribute, most first; events without that attribute are left out."""
    counts = Counter(k for k in map(_KEYS[by], events) if k)
    total = sum(counts.values())
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return [PatternRow(key=key, failures=n, share=n / total) for key, n in ranked]


def confirmed_failures(orders: Iterable[DepotOrder]) -> list[FailureEvent]:
    """Depot-confirmed failures: graded units that were not NFF."""
    return [
        FailureEvent(
            unit=o.serial,
            at=o.received_at,
            sku_id=o.sku_id,
            part_number_id=o.part_number_id,
            revision=o.revision,
            lot=o.lot,
        )
        for o in orders
        if o.grade is not None and o.grade is not DepotGrade.NO_FAULT_FOUND
    ]


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return sum(present) / len(present) if present else None


def _median(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return float(median(present)) if present else None


@dataclass(frozen=True, kw_only=True)
class KpiReport:
    rmas: int
    issuance_hours_median: float | None
    issuance_hours_mean: float | None
    turnaround_days_median: float | None
    depot_turnaround_hours_median: float | None
    nff_rate: float | None
    unreturned: tuple[Aging, ...]
    # Penalties due on them, one total per currency (amounts in different currencies are never added up).
    unreturned_penalties: tuple[tuple[str, int], ...]
    repeat_failures: tuple[RepeatFailure, ...]
    patterns: dict[PatternKey, tuple[PatternRow, ...]]


def penalties_by_currency(late: Sequence[Aging]) -> tuple[tuple[str, int], ...]:
    totals: dict[str, int] = {}
    for row in late:
        totals[row.currency] = totals.get(row.currency, 0) + row.penalty_due_cents
    return tuple(sorted(totals.items()))


def kpi_report(
    *,
    rmas: Sequence[Rma],
    orders: Sequence[DepotOrder],
    obligations: Sequence[ReturnObligation],
    failures: Sequence[FailureEvent],
    today: date,
) -> KpiReport:
    late = unreturned(obligations, today)
    confirmed = confirmed_failures(orders)
    return KpiReport(
        rmas=len(rmas),
        issuance_hours_median=_median(issuance_hours(r) for r in rmas),
        issuance_hours_mean=_mean(issuance_hours(r) for r in rmas),
        turnaround_days_median=_median(turnaround_days(r) for r in rmas),
        depot_turnaround_hours_median=_median(depot_turnaround_hours(o) for o in orders),
        nff_rate=nff_rate(orders),
        unreturned=tuple(late),
        unreturned_penalties=penalties_by_currency(late),
        repeat_failures=tuple(repeat_failures(failures)),
        patterns={key: tuple(failure_patterns(confirmed, key)) for key in PatternKey},
    )
