"""The advance-exchange ledger: return obligations aged on the calendar that set their due date."""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import Phrase, words
from app.services.aftersales_models import (
    LedgerRow,
)
from app.services.rma.base import RmaBase
from sync.domain.coverage import due_calendar
from sync.domain.exchange import aging_now
from sync.domain.logistics import ObligationStatus, ReturnObligation
from sync.domain.rma import Rma
from sync.domain.service import FruSwap
from sync.domain.site import Site


@dataclass
class ExchangeLedger(RmaBase):
    def _ledger_row(self, obligation: ReturnObligation) -> LedgerRow:
        calendar = due_calendar(
            self.store, contract_id=obligation.contract_id, timezone=obligation.timezone, site_id=obligation.site_id
        )
        row = aging_now(obligation, now=self._now(), calendar=calendar)
        site = self.store.get(Site, obligation.site_id) if obligation.site_id else None
        if obligation.source_collection == Rma.collection:
            rma = self.store.get(Rma, obligation.source_id)
            # The number reads "RMA-2026-000014" on its own.
            source: Phrase | str = (rma.number or words("RMA (no number yet)")) if rma else "RMA"
        else:
            swap = self.store.get(FruSwap, obligation.source_id)
            source = words("FRU swap {slot}", slot=swap.slot) if swap else words("FRU swap")
        return LedgerRow(
            obligation_id=obligation.id,
            serial=obligation.serial,
            replacement_serial=obligation.replacement_serial,
            source=source,
            site_name=site.name if site else "",
            due_on=obligation.due_on,
            status=obligation.status.value,
            days_overdue=row.days_overdue,
            business_days_left=row.business_days_left,
            penalty_due_cents=row.penalty_due_cents,
            currency=row.currency,
        )

    def ledger(self, *, open_only: bool = True) -> list[LedgerRow]:
        """Return obligations, the longest overdue first, then by due date."""
        found = [o for o in self.store.all(ReturnObligation) if not open_only or o.status is ObligationStatus.OPEN]
        rows = [self._ledger_row(o) for o in found]
        return sorted(rows, key=lambda r: (-r.days_overdue, r.due_on, r.serial))
