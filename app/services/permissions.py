"""What the signed-in user may do, as the screens ask it: which after-sales screens to offer, which RMA actions.

The one place views get "which actions may this user take"; it asks the domain's permission table
(sync/domain/permissions.py) and restates no role set.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.adapters.local_store import LocalStore
from app.services.aftersales_models import RmaPage
from sync.domain.permissions import Action, RmaAction, may

__all__ = ["Permissions", "RmaAction", "Screen"]


class Screen(StrEnum):
    """After-sales work areas offered on the home screen."""

    DESK = "desk"
    DEPOT = "depot"


_OPENS: dict[Screen, Action] = {Screen.DESK: Action.OPEN_DESK_QUEUE, Screen.DEPOT: Action.OPEN_DEPOT_SESSION}


@dataclass(frozen=True)
class Permissions:
    store: LocalStore

    def screens(self) -> frozenset[Screen]:
        role = self.store.role()
        return frozenset(screen for screen, action in _OPENS.items() if may(role, action))

    def rma_actions(self, page: RmaPage) -> frozenset[RmaAction]:
        """The buttons of an RMA page: the RMA service computed them from the domain's table for this user."""
        return frozenset(page.actions)
