"""The desk's KPIs over a period, computed from the records on this device (sync/domain/kpi.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app.adapters.local_store import as_utc
from app.services.rma.base import RmaBase
from sync.domain.kpi import KpiReport, confirmed_failures, kpi_report
from sync.domain.logistics import DepotOrder, ReturnObligation
from sync.domain.rma import Rma


@dataclass
class DeskKpis(RmaBase):
    def kpis(self, *, days: int | None = None) -> KpiReport:
        """The desk's KPIs from the records on this device: issuance time, turnaround, NFF rate, unreturned units.

        With ``days``, over the RMAs opened and units received in that many days up to now. Unreturned units are
        always as of today: an overdue unit stays overdue whenever its RMA was opened. First-time fix is the SLA
        attainment's (app/services/sla_attainment.py), counted from incidents and their visits."""
        if days is not None and days <= 0:
            raise ValueError("a KPI period covers at least one day")
        since = self._now() - timedelta(days=days) if days is not None else None

        def recent(moment: datetime) -> bool:
            return since is None or as_utc(moment) >= since

        orders = [o for o in self.store.all(DepotOrder) if recent(o.received_at)]
        return kpi_report(
            rmas=[r for r in self.store.all(Rma) if recent(r.created_at)],
            orders=orders,
            obligations=self.store.all(ReturnObligation),
            failures=confirmed_failures(orders),
            today=self._today(),
        )
