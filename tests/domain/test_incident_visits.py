"""Who may start a visit for an incident, by role and status (a visit's arrival is the incident's response)."""

from __future__ import annotations

import pytest

from sync.domain.incident import IncidentStatus
from sync.domain.incident_actions import may_visit_for
from sync.domain.org import Role

S = IncidentStatus
OPEN_STATES = [
    S.OPEN,
    S.OPEN_WAITING_FOR_CUSTOMER,
    S.RESPONDED,
    S.WAITING_FOR_CUSTOMER,
    S.WAITING_FOR_PARTS,
    S.RESTORED,
]

# Role → may start a visit for an incident that is not closed. Written out, not derived.
MAY_VISIT = {
    Role.FIELD_ENGINEER: True,
    Role.INSTALLER: False,  # starts visits, but may not respond to an incident
    Role.SERVICE_DESK: True,
    Role.ADMIN: True,
    Role.DEPOT: False,
    Role.CUSTOMER: False,
}


@pytest.mark.parametrize("status", OPEN_STATES)
@pytest.mark.parametrize("role", list(MAY_VISIT))
def test_who_may_start_a_visit_for_an_open_incident(role: Role, status: IncidentStatus) -> None:
    assert may_visit_for(status, role) is MAY_VISIT[role]


@pytest.mark.parametrize("role", list(Role))
def test_nobody_starts_a_visit_for_a_closed_incident_or_without_a_role(role: Role) -> None:
    assert may_visit_for(S.CLOSED, role) is False
    assert may_visit_for(S.OPEN, None) is False
