"""SLA attainment on this device: the desk's KPI card and its CSV export, from the incidents and visits it holds.

The figures and the CSV are sync/domain/sla_report.py's, the same the server answers at
``GET /api/v1/reports/sla-attainment.csv``; this module only picks the period (incidents received in the last
``days``), names customers, and reads the records through a cache so each site and contract is read once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from app.adapters.cached_reader import CachedReader
from app.adapters.local_store import LocalStore, as_utc
from sync.domain.org import Organization
from sync.domain.service import Visit
from sync.domain.sla_attainment import Attainment, AttainmentRow, Grouping, rollup, total
from sync.domain.sla_report import attainment_csv, attainment_report
from sync.domain.ticket import Ticket


@dataclass(frozen=True, kw_only=True)
class AttainmentCard:
    days: int | None
    total: Attainment
    # (customer name, that customer's figures), by name.
    customers: tuple[tuple[str, Attainment], ...]


@dataclass
class SlaAttainmentService:
    store: LocalStore
    now: Callable[[], datetime] | None = None

    def _rows(self, days: int | None) -> tuple[CachedReader, list[AttainmentRow], datetime]:
        if days is not None and days <= 0:
            raise ValueError("a report covers at least one day")
        now = as_utc((self.now or self.store.clock)())
        reader = CachedReader(self.store)
        rows = attainment_report(
            reader,
            tickets=self.store.all(Ticket),
            visits=self.store.all(Visit),
            now=now,
            since=None if days is None else now - timedelta(days=days),
        )
        return reader, rows, now

    def card(self, *, days: int | None) -> AttainmentCard:
        """Response and restore attainment and first-time fix over incidents received in the last ``days`` (all:
        None), overall and per customer."""
        reader, rows, _ = self._rows(days)

        def name(customer_id: str) -> str:
            org = reader.get(Organization, customer_id)
            return org.name if org else customer_id

        customers = sorted(((name(a.key[0]), a) for a in rollup(rows, Grouping.CUSTOMER)), key=lambda c: c[0])
        return AttainmentCard(days=days, total=total(rows), customers=tuple(customers))

    def csv(self, *, days: int | None) -> bytes:
        """The CSV the server's report endpoint gives, for the incidents on this device; UTF-8 with a BOM so
        spreadsheet programs read accents right."""
        reader, rows, now = self._rows(days)
        return ("\ufeff" + attainment_csv(reader, rows, now=now)).encode()
