"""What a user may do next with an incident: the steps and amendments the screens offer.

Derived from the one table of edges and roles (``incident.TRANSITIONS``, ``incident.AMENDMENTS``) and the incident's
tier (a tier that does not stop the clock for parts offers no "waiting for parts"; one without a parts extension
offers none), so a screen never offers a button the device or the server would then refuse.
"""

from __future__ import annotations

from sync.domain.incident import AMENDMENTS, TRANSITIONS, Amendment, IncidentStatus
from sync.domain.org import Role
from sync.domain.permissions import Action, may
from sync.domain.sla import Tier


def next_steps(status: IncidentStatus, role: Role | None, tier: Tier) -> tuple[IncidentStatus, ...]:
    """The statuses ``role`` may move an incident in ``status`` to, in the table's order."""
    if role is None:
        return ()
    return tuple(
        target
        for (origin, target), roles in TRANSITIONS.items()
        if origin is status and role in roles and (target is not IncidentStatus.WAITING_FOR_PARTS or tier.parts_pause)
    )


def amendments_allowed(status: IncidentStatus, role: Role | None, tier: Tier) -> tuple[Amendment, ...]:
    """The amendments ``role`` may make to an incident in ``status`` under ``tier``; none once closed."""
    if role is None or status is IncidentStatus.CLOSED:
        return ()
    return tuple(
        amendment
        for amendment, roles in AMENDMENTS.items()
        if role in roles and (amendment is not Amendment.EXTEND_FOR_PARTS or tier.parts_extension is not None)
    )


def may_visit_for(status: IncidentStatus, role: Role | None) -> bool:
    """Whether ``role`` may start a visit for an incident in ``status``: a visit's arrival is a response
    (``Incident.arrived``), so it needs the start-visit grant and a role that may respond; not once closed."""
    if role is None or status is IncidentStatus.CLOSED or not may(role, Action.START_VISIT):
        return False
    return any(role in roles for (_, target), roles in TRANSITIONS.items() if target is IncidentStatus.RESPONDED)
