"""The state every RMA job shares: the store, the id maker and the clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from app.adapters.local_store import LocalStore
from app.i18n import words
from app.ids import new_id
from sync.domain.coverage import site_day
from sync.domain.errors import NotFound
from sync.domain.rma import Rma


@dataclass
class RmaBase:
    """What every RMA job reads with: the device's store, an id maker and a clock."""

    store: LocalStore
    make_id: Callable[[], str] = new_id
    now: Callable[[], datetime] | None = None

    def _now(self) -> datetime:
        return (self.now or self.store.clock)()

    def _today(self) -> date:
        return self._now().date()

    def _site_today(self, site_id: str | None) -> date:
        """Today on the site's calendar (contract terms and due dates run by the customer's days, not UTC's)."""
        return site_day(self.store, site_id, self._now())

    def _rma(self, rma_id: str) -> Rma:
        rma = self.store.get(Rma, rma_id)
        if rma is None:
            raise NotFound(words("this RMA is not on this device"))
        return rma
