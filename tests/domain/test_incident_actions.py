"""What the screens offer next, written out status by status and role by role (never read from the table)."""

from __future__ import annotations

import pytest

from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.incident_actions import amendments_allowed, next_steps
from sync.domain.org import Role
from sync.domain.sla_catalogue import FOUNDATION_24X7, FOUNDATION_NBD

S = IncidentStatus
ENG, DESK, CUST, DEPOT, INST = Role.FIELD_ENGINEER, Role.SERVICE_DESK, Role.CUSTOMER, Role.DEPOT, Role.INSTALLER

# FOUNDATION_NBD stops the clock for parts and grants a parts extension; FOUNDATION_24X7 does neither.
STEPS = [
    (S.OPEN, ENG, True, (S.RESPONDED, S.OPEN_WAITING_FOR_CUSTOMER, S.RESTORED)),
    (S.OPEN, DESK, True, (S.RESPONDED, S.OPEN_WAITING_FOR_CUSTOMER, S.RESTORED)),
    (S.OPEN, CUST, True, ()),
    (S.OPEN, DEPOT, True, ()),
    (S.OPEN, INST, True, ()),
    (S.OPEN_WAITING_FOR_CUSTOMER, CUST, True, (S.OPEN,)),
    (S.OPEN_WAITING_FOR_CUSTOMER, ENG, True, (S.OPEN, S.RESPONDED, S.RESTORED)),
    (S.RESPONDED, ENG, True, (S.WAITING_FOR_CUSTOMER, S.WAITING_FOR_PARTS, S.RESTORED)),
    (S.RESPONDED, ENG, False, (S.WAITING_FOR_CUSTOMER, S.RESTORED)),
    (S.RESPONDED, CUST, True, ()),
    (S.WAITING_FOR_CUSTOMER, CUST, True, (S.RESPONDED,)),
    (S.WAITING_FOR_PARTS, DEPOT, True, (S.RESPONDED,)),
    (S.WAITING_FOR_PARTS, ENG, True, (S.RESPONDED, S.RESTORED)),
    (S.RESTORED, ENG, True, ()),
    (S.RESTORED, DESK, True, (S.CLOSED,)),
    (S.RESTORED, CUST, True, (S.CLOSED,)),
    (S.CLOSED, DESK, True, ()),
]


@pytest.mark.parametrize(("status", "role", "parts_tier", "expected"), STEPS)
def test_steps_offered_by_status_role_and_tier(
    status: IncidentStatus, role: Role, parts_tier: bool, expected: tuple[IncidentStatus, ...]
) -> None:
    tier = FOUNDATION_NBD if parts_tier else FOUNDATION_24X7
    assert next_steps(status, role, tier) == expected


def test_nobody_signed_in_is_offered_nothing() -> None:
    assert next_steps(S.OPEN, None, FOUNDATION_NBD) == ()
    assert amendments_allowed(S.OPEN, None, FOUNDATION_NBD) == ()


AMENDS = [
    (S.OPEN, DESK, True, (Amendment.CHANGE_SEVERITY, Amendment.CHANGE_TIER, Amendment.EXTEND_FOR_PARTS)),
    (S.OPEN, DESK, False, (Amendment.CHANGE_SEVERITY, Amendment.CHANGE_TIER)),
    (S.RESPONDED, ENG, True, (Amendment.EXTEND_FOR_PARTS,)),
    (S.RESPONDED, ENG, False, ()),
    (S.RESPONDED, CUST, True, ()),
    (S.RESTORED, DESK, True, (Amendment.CHANGE_SEVERITY, Amendment.CHANGE_TIER, Amendment.EXTEND_FOR_PARTS)),
    (S.CLOSED, DESK, True, ()),
]


@pytest.mark.parametrize(("status", "role", "parts_tier", "expected"), AMENDS)
def test_amendments_offered_by_status_role_and_tier(
    status: IncidentStatus, role: Role, parts_tier: bool, expected: tuple[Amendment, ...]
) -> None:
    tier = FOUNDATION_NBD if parts_tier else FOUNDATION_24X7
    assert amendments_allowed(status, role, tier) == expected
