"""What the signed-in user may do, as the screens ask it: which RMA actions (the home's work areas come from
app/services/homes.py).

The one place views get "which actions may this user take"; it asks the domain's permission table
(sync/domain/permissions.py) and restates no role set.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.adapters.local_store import LocalStore
from app.services.aftersales_models import RmaPage
from sync.domain.permissions import RmaAction

__all__ = ["Permissions", "RmaAction"]


@dataclass(frozen=True)
class Permissions:
    store: LocalStore

    def rma_actions(self, page: RmaPage) -> frozenset[RmaAction]:
        """The buttons of an RMA page: the RMA service computed them from the domain's table for this user."""
        return frozenset(page.actions)
