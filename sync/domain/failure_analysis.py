"""The failure-analysis report: what the depot found in the units it graded, for engineering and suppliers.

Every graded depot order carries its error codes, root cause and corrective action (recorded at grading). This
module groups them over a period: which root causes recur and what was done about them, which error codes come
back most, and where confirmed failures cluster (SKU, part number, revision, lot). NFF outcomes are counted apart:
they are not failures of the product, but their rate is what the triage gate exists to drive down.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sync.domain.kpi import (
    FailureEvent,
    PatternKey,
    PatternRow,
    RepeatFailure,
    confirmed_failures,
    failure_patterns,
    repeat_failures,
)
from sync.domain.logistics import DepotGrade, DepotOrder

NO_CAUSE = "(no root cause recorded)"


@dataclass(frozen=True, kw_only=True)
class Period:
    """Graded at or after ``since`` and before ``until``; None leaves that end open."""

    since: datetime | None = None
    until: datetime | None = None

    def __post_init__(self) -> None:
        if self.since is not None and self.until is not None and self.until <= self.since:
            raise ValueError("the period ends before it starts")

    def holds(self, moment: datetime) -> bool:
        return (self.since is None or moment >= self.since) and (self.until is None or moment < self.until)


@dataclass(frozen=True, kw_only=True)
class RootCauseRow:
    """One root cause (grouped ignoring case and spacing), how often it was found and what was done about it."""

    cause: str
    orders: int
    share: float
    error_codes: tuple[tuple[str, int], ...]
    corrective_actions: tuple[str, ...]
    serials: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class FailureAnalysis:
    period: Period
    graded: int
    confirmed: int
    no_fault_found: int
    by_grade: dict[DepotGrade, int]
    root_causes: tuple[RootCauseRow, ...]
    # Why units came back that had nothing wrong with them (e.g. a rail kit too short for the rack).
    nff_causes: tuple[RootCauseRow, ...]
    error_codes: tuple[tuple[str, int], ...]
    patterns: dict[PatternKey, tuple[PatternRow, ...]]
    # Units the depot confirmed failed more than once, each failure within the window of the one before.
    repeats: tuple[RepeatFailure, ...]
    orders: tuple[DepotOrder, ...]

    @property
    def nff_rate(self) -> float | None:
        return self.no_fault_found / self.graded if self.graded else None


def _clean(text: str) -> str:
    return " ".join(text.split())


def _cause_key(text: str) -> str:
    return _clean(text).casefold()


def _distinct(texts: Iterable[str]) -> tuple[str, ...]:
    """Distinct non-empty texts in first-seen order, the same text in other case or spacing counted once."""
    seen: dict[str, str] = {}
    for text in texts:
        if cleaned := _clean(text):
            seen.setdefault(_cause_key(cleaned), cleaned)
    return tuple(seen.values())


def _ranked(counts: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def order_error_codes(order: DepotOrder) -> tuple[str, ...]:
    """Every error code the order captured, at any step or at grading, each once."""
    codes = [*order.error_codes, *(code for step in order.history for code in step.error_codes)]
    return tuple(dict.fromkeys(code.strip().upper() for code in codes if code.strip()))


def _root_causes(orders: Sequence[DepotOrder]) -> tuple[RootCauseRow, ...]:
    groups: dict[str, list[DepotOrder]] = {}
    for order in orders:
        groups.setdefault(_cause_key(order.root_cause) or NO_CAUSE, []).append(order)
    rows = [
        RootCauseRow(
            # Members share the key, so the first one's text is the cause as first written.
            cause=_clean(members[0].root_cause) if key != NO_CAUSE else NO_CAUSE,
            orders=len(members),
            share=len(members) / len(orders),
            error_codes=_ranked(Counter(code for o in members for code in order_error_codes(o))),
            corrective_actions=_distinct(o.corrective_action for o in members),
            serials=tuple(o.serial for o in members),
        )
        for key, members in groups.items()
    ]
    # A missing root cause is a gap in the report, not a cause: it goes last whatever its count.
    return tuple(sorted(rows, key=lambda r: (r.cause == NO_CAUSE, -r.orders, r.cause.casefold())))


def failure_analysis(
    orders: Iterable[DepotOrder],
    *,
    period: Period | None = None,
    sku_id: str | None = None,
    part_number_id: str | None = None,
) -> FailureAnalysis:
    """The report over depot orders graded in ``period``, optionally for one SKU or one part number."""
    within = period or Period()
    graded = sorted(
        (
            o
            for o in orders
            if o.grade is not None
            and o.graded_at is not None
            and within.holds(o.graded_at)
            and (sku_id is None or o.sku_id == sku_id)
            and (part_number_id is None or o.part_number_id == part_number_id)
        ),
        key=lambda o: (o.graded_at, o.id),
    )
    failed = [o for o in graded if o.grade is not DepotGrade.NO_FAULT_FOUND]
    events: list[FailureEvent] = confirmed_failures(failed)
    grades = Counter(o.grade for o in graded if o.grade is not None)
    return FailureAnalysis(
        period=within,
        graded=len(graded),
        confirmed=len(failed),
        no_fault_found=grades[DepotGrade.NO_FAULT_FOUND],
        by_grade={grade: grades[grade] for grade in DepotGrade},
        root_causes=_root_causes(failed),
        nff_causes=_root_causes([o for o in graded if o.grade is DepotGrade.NO_FAULT_FOUND]),
        error_codes=_ranked(Counter(code for o in failed for code in order_error_codes(o))),
        patterns={key: tuple(failure_patterns(events, key)) for key in PatternKey},
        repeats=tuple(repeat_failures(events)),
        orders=tuple(graded),
    )
