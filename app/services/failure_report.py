"""The failure-analysis report on this device: the domain's report with names people read, and a CSV export.

The figures come from sync/domain/failure_analysis.py; this module only picks the period and filters, puts SKU and
part codes in place of ids, and writes the per-order lines as CSV for engineering and supplier claims.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from app.adapters.local_store import LocalStore, as_utc
from sync.domain.catalog import PartNumber, Sku
from sync.domain.failure_analysis import FailureAnalysis, Period, RootCauseRow, failure_analysis, order_error_codes
from sync.domain.kpi import PatternKey, PatternRow
from sync.domain.logistics import DepotOrder
from sync.domain.rma import Rma

DEFAULT_PERIOD_DAYS = 90
CSV_COLUMNS = (
    "graded_at",
    "serial",
    "rma_number",
    "sku",
    "part_number",
    "revision",
    "lot",
    "grade",
    "error_codes",
    "root_cause",
    "corrective_action",
    "received_at",
    "depot_hours",
)
# A spreadsheet runs a cell that starts with one of these as a formula; free text typed at the depot must not.
NAMED = frozenset({PatternKey.SKU, PatternKey.PART_NUMBER})  # keyed by ids, shown by code
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, kw_only=True)
class NamedRow:
    label: str
    failures: int
    share: float


@dataclass(frozen=True, kw_only=True)
class FailureReportPage:
    days: int | None
    sku_id: str | None
    analysis: FailureAnalysis
    sku_choices: tuple[tuple[str, str], ...]  # (id, code) of SKUs that have graded orders on this device
    patterns: dict[PatternKey, tuple[NamedRow, ...]]

    @property
    def root_causes(self) -> tuple[RootCauseRow, ...]:
        return self.analysis.root_causes

    @property
    def nff_causes(self) -> tuple[RootCauseRow, ...]:
        return self.analysis.nff_causes


def _cell(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


@dataclass
class FailureReportService:
    store: LocalStore
    now: Callable[[], datetime] | None = None

    def _orders(self) -> list[DepotOrder]:
        return [
            replace(o, received_at=as_utc(o.received_at), graded_at=as_utc(o.graded_at) if o.graded_at else None)
            for o in self.store.all(DepotOrder)
        ]

    def _period(self, days: int | None) -> Period:
        if days is None:
            return Period()
        if days <= 0:
            raise ValueError("a report covers at least one day")
        now = as_utc((self.now or self.store.clock)())
        return Period(since=now - timedelta(days=days))

    def _names(self) -> Callable[[str | None], str]:
        codes = {s.id: s.code for s in self.store.all(Sku)} | {p.id: p.code for p in self.store.all(PartNumber)}
        return lambda key: codes.get(key, key) if key else ""

    def analysis(self, *, days: int | None = DEFAULT_PERIOD_DAYS, sku_id: str | None = None) -> FailureAnalysis:
        return failure_analysis(self._orders(), period=self._period(days), sku_id=sku_id)

    def page(self, *, days: int | None = DEFAULT_PERIOD_DAYS, sku_id: str | None = None) -> FailureReportPage:
        orders = self._orders()
        name = self._names()
        report = failure_analysis(orders, period=self._period(days), sku_id=sku_id)
        graded_skus = {o.sku_id for o in orders if o.grade is not None and o.sku_id}
        return FailureReportPage(
            days=days,
            sku_id=sku_id,
            analysis=report,
            sku_choices=tuple(sorted(((s, name(s)) for s in graded_skus), key=lambda choice: choice[1])),
            patterns={key: self._named(rows, name if key in NAMED else str) for key, rows in report.patterns.items()},
        )

    @staticmethod
    def _named(rows: tuple[PatternRow, ...], name: Callable[[str], str]) -> tuple[NamedRow, ...]:
        named = [NamedRow(label=name(r.key), failures=r.failures, share=r.share) for r in rows]
        return tuple(sorted(named, key=lambda r: (-r.failures, r.label)))  # ties read in code order, not id order

    def csv(self, *, days: int | None = DEFAULT_PERIOD_DAYS, sku_id: str | None = None) -> bytes:
        """One line per graded order, oldest first; UTF-8 with a BOM so spreadsheet programs read accents right."""
        report = self.analysis(days=days, sku_id=sku_id)
        name = self._names()
        numbers = {r.id: r.number or "" for r in self.store.all(Rma)}
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(CSV_COLUMNS)
        for order in report.orders:
            graded_at = order.graded_at or order.received_at
            writer.writerow(
                [
                    graded_at.isoformat(timespec="minutes"),
                    _cell(order.serial),
                    numbers.get(order.rma_id or "", ""),
                    _cell(name(order.sku_id)),
                    _cell(name(order.part_number_id)),
                    _cell(order.revision),
                    _cell(order.lot),
                    order.grade.value if order.grade else "",
                    _cell(" ".join(order_error_codes(order))),
                    _cell(order.root_cause),
                    _cell(order.corrective_action),
                    order.received_at.isoformat(timespec="minutes"),
                    f"{(graded_at - order.received_at) / timedelta(hours=1):.1f}",
                ]
            )
        return ("\ufeff" + out.getvalue()).encode()
