"""What the signed-in user may do, as the screens ask it: which after-sales screens to offer, which RMA actions.

This is the one place views get "which actions may this user take". Today it reads the role sets the RMA service
and the home screen used and the RMA service's action list; it is to ask the domain's permission table
(sync/domain/permissions.py, issue 10) once that lands, without any view changing.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.adapters.local_store import LocalStore
from app.services.aftersales_models import RmaPage
from sync.domain.org import Role
from sync.domain.rma import RmaStatus


class RmaAction(StrEnum):
    """What a user can do on an RMA page; the values are the RMA service's action names."""

    SUBMIT = "submit"
    ANSWER = "answer"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    REJECT = "reject"
    SHIP_REPLACEMENT = "ship_replacement"
    AWAIT_RETURN = "await_return"
    CLOSE = "close"
    LABEL = "label"
    ADD_EVIDENCE = "add_evidence"


class Screen(StrEnum):
    """After-sales work areas offered on the home screen."""

    DESK = "desk"
    DEPOT = "depot"


# Until the domain's table lands: who works the desk queue and the depot's scan session (was views/aftersales_entry).
_SCREENS: dict[Screen, frozenset[Role]] = {
    Screen.DESK: frozenset({Role.SERVICE_DESK, Role.ADMIN}),
    Screen.DEPOT: frozenset({Role.DEPOT, Role.ADMIN}),
}
# Evidence can be added while the RMA is still being triaged (was views/rma.EDITABLE).
_EVIDENCE_OPEN = frozenset({RmaStatus.DRAFT, RmaStatus.SUBMITTED, RmaStatus.TRIAGE, RmaStatus.NEEDS_INFO})


@dataclass(frozen=True)
class Permissions:
    store: LocalStore

    def _role(self) -> Role | None:
        identity = self.store.identity()
        return identity.role if identity else None

    def screens(self) -> frozenset[Screen]:
        role = self._role()
        return frozenset(screen for screen, roles in _SCREENS.items() if role in roles)

    def rma_actions(self, page: RmaPage) -> frozenset[RmaAction]:
        actions = {RmaAction(name) for name in page.actions}
        if page.status in _EVIDENCE_OPEN:
            actions.add(RmaAction.ADD_EVIDENCE)
        return frozenset(actions)
