"""The incident state machine, written out edge by edge and role by role, and clocks read off incident histories.

Clock scenarios use ServicePac 24×7 8 h (response 4 h, restore 8 h, elapsed time) unless they say otherwise,
received Mon 2 Mar 2026 09:00Z, so response is due 13:00Z and restore 17:00Z before any pause.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.domain.errors import Forbidden, IllegalTransition, InvalidInput, RuleViolation
from sync.domain.incident import (
    Amendment,
    Incident,
    IncidentStatus,
    check_transition,
    incident_clocks,
    open_incident,
)
from sync.domain.org import Role
from sync.domain.service import Severity
from sync.domain.sla import Clock, ClockStatus, ServicePlace, Tier
from sync.domain.sla_catalogue import (
    FOUNDATION_24X7,
    FOUNDATION_CALL_TO_REPAIR,
    FOUNDATION_NBD,
    PROSUPPORT_PLUS_MISSION_CRITICAL,
    SERVICEPAC_24X7_8H,
    SERVICEPAC_NBD,
)

S = IncidentStatus
ENG, INST, DEPOT, DESK, ADMIN, CUST = (
    Role.FIELD_ENGINEER,
    Role.INSTALLER,
    Role.DEPOT,
    Role.SERVICE_DESK,
    Role.ADMIN,
    Role.CUSTOMER,
)
# The whole matrix, literally: every (from, to) edge and exactly the roles that may take it.
EDGES: dict[tuple[IncidentStatus, IncidentStatus], set[Role]] = {
    (S.OPEN, S.RESPONDED): {ENG, DESK, ADMIN},
    (S.OPEN, S.OPEN_WAITING_FOR_CUSTOMER): {ENG, DESK, ADMIN},
    (S.OPEN, S.RESTORED): {ENG, DESK, ADMIN},
    (S.OPEN_WAITING_FOR_CUSTOMER, S.OPEN): {ENG, DESK, ADMIN, CUST},
    (S.OPEN_WAITING_FOR_CUSTOMER, S.RESPONDED): {ENG, DESK, ADMIN},
    (S.OPEN_WAITING_FOR_CUSTOMER, S.RESTORED): {ENG, DESK, ADMIN},
    (S.RESPONDED, S.WAITING_FOR_CUSTOMER): {ENG, DESK, ADMIN},
    (S.RESPONDED, S.WAITING_FOR_PARTS): {ENG, DESK, ADMIN},
    (S.RESPONDED, S.RESTORED): {ENG, DESK, ADMIN},
    (S.WAITING_FOR_CUSTOMER, S.RESPONDED): {ENG, DESK, ADMIN, CUST},
    (S.WAITING_FOR_CUSTOMER, S.RESTORED): {ENG, DESK, ADMIN},
    (S.WAITING_FOR_PARTS, S.RESPONDED): {ENG, DESK, ADMIN, DEPOT},
    (S.WAITING_FOR_PARTS, S.RESTORED): {ENG, DESK, ADMIN},
    (S.RESTORED, S.CLOSED): {DESK, ADMIN, CUST},
}


@pytest.mark.parametrize("current", list(IncidentStatus))
@pytest.mark.parametrize("target", list(IncidentStatus))
@pytest.mark.parametrize("role", list(Role))
def test_every_pair_of_states_for_every_role(current: IncidentStatus, target: IncidentStatus, role: Role) -> None:
    allowed = EDGES.get((current, target))
    if allowed is None:
        with pytest.raises(IllegalTransition):
            check_transition(current, target, role)
    elif role in allowed:
        check_transition(current, target, role)
    else:
        with pytest.raises(Forbidden):
            check_transition(current, target, role)


@pytest.mark.parametrize(
    ("amendment", "roles"),
    [
        (Amendment.CHANGE_SEVERITY, {DESK, ADMIN}),
        (Amendment.CHANGE_TIER, {DESK, ADMIN}),
        (Amendment.EXTEND_FOR_PARTS, {ENG, DESK, ADMIN}),
    ],
)
@pytest.mark.parametrize("role", list(Role))
def test_who_may_amend_an_incident(amendment: Amendment, roles: set[Role], role: Role) -> None:
    incident = fresh(SERVICEPAC_24X7_8H)
    value = {
        Amendment.CHANGE_SEVERITY: "minor",
        Amendment.CHANGE_TIER: "ServicePac 24×7 24 h",
        Amendment.EXTEND_FOR_PARTS: "",
    }[amendment]

    def amend() -> Incident:
        return incident.amended(amendment, value, at=T(1), by="u", role=role, reason="why", tier=SERVICEPAC_24X7_8H)

    if role in roles:
        assert amend().history[-1].amendment is amendment
    else:
        with pytest.raises(Forbidden):
            amend()


RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BERLIN = ServicePlace(timezone="Europe/Berlin")


def T(hours: float) -> datetime:  # noqa: N802 - reads as a time axis: T(2) is two hours after receipt
    return RECEIVED + timedelta(hours=hours)


def fresh(tier: Tier, severity: Severity = Severity.CRITICAL) -> Incident:
    return open_incident(received_at=RECEIVED, severity=severity, tier_name=tier.name)


def walk(incident: Incident, tier: Tier, *steps: tuple[float, IncidentStatus]) -> Incident:
    for hours, status in steps:
        incident = incident.moved(status, at=T(hours), by="eng-1", role=ENG, tier=tier)
    return incident


def clocks(incident: Incident, tier: Tier, now: float) -> dict[Clock, tuple[ClockStatus, datetime | None]]:
    states = incident_clocks(incident, tier=tier, place=BERLIN, now=T(now))
    return {clock: (state.status, state.due) for clock, state in states.items()}


def test_pause_and_resolve_in_one_step_keeps_the_pause() -> None:
    # Responded 10:00Z, waiting for the customer from 12:00Z, restored straight from the pause at 20:00Z: the
    # 8 h pause moves restore from 17:00Z to Tue 01:00Z, so it is met (ignoring the pause it would be missed).
    tier = SERVICEPAC_24X7_8H
    incident = walk(fresh(tier), tier, (1, S.RESPONDED), (3, S.WAITING_FOR_CUSTOMER), (11, S.RESTORED))
    assert clocks(incident, tier, 30) == {
        Clock.RESPONSE: (ClockStatus.MET, T(4)),
        Clock.RESTORE: (ClockStatus.MET, T(16)),
    }


def test_a_reply_with_a_pause_fulfils_the_response_clock() -> None:
    # Reply and pause saved together at 10:00Z: response met at 10:00Z; the restore clock waits from then on.
    tier = SERVICEPAC_24X7_8H
    incident = walk(fresh(tier), tier, (1, S.RESPONDED), (1, S.WAITING_FOR_CUSTOMER))
    facts = incident.clock_facts()
    assert facts.responded_at == T(1)
    state = incident_clocks(incident, tier=tier, place=BERLIN, now=T(5))
    assert state[Clock.RESPONSE].status is ClockStatus.MET
    # Paused 4 h by now: restore due 17:00Z + 4 h = 21:00Z, shown as paused.
    assert (state[Clock.RESTORE].due, state[Clock.RESTORE].paused) == (T(12), True)


def test_a_pause_before_any_response_holds_the_response_clock_without_fulfilling_it() -> None:
    # Waiting for the customer 10:00Z-12:00Z before anyone responded: response due 13:00Z + 2 h = 15:00Z, running.
    tier = SERVICEPAC_24X7_8H
    incident = walk(fresh(tier), tier, (1, S.OPEN_WAITING_FOR_CUSTOMER), (3, S.OPEN))
    assert incident.clock_facts().responded_at is None
    assert clocks(incident, tier, 3) == {
        Clock.RESPONSE: (ClockStatus.ON_TRACK, T(6)),
        Clock.RESTORE: (ClockStatus.ON_TRACK, T(10)),
    }


def test_a_remote_fix_at_first_contact_meets_both_clocks() -> None:
    tier = SERVICEPAC_24X7_8H
    incident = walk(fresh(tier), tier, (2, S.RESTORED))
    assert clocks(incident, tier, 2) == {
        Clock.RESPONSE: (ClockStatus.MET, T(4)),
        Clock.RESTORE: (ClockStatus.MET, T(8)),
    }


def test_waiting_for_parts_is_refused_where_the_tier_does_not_allow_it() -> None:
    tier = SERVICEPAC_24X7_8H
    incident = walk(fresh(tier), tier, (1, S.RESPONDED))
    with pytest.raises(RuleViolation, match="does not stop the clock while waiting for parts"):
        walk(incident, tier, (2, S.WAITING_FOR_PARTS))
    # ServicePac NBD allows it.
    assert walk(fresh(SERVICEPAC_NBD), SERVICEPAC_NBD, (1, S.RESPONDED), (2, S.WAITING_FOR_PARTS)).status is (
        S.WAITING_FOR_PARTS
    )


def test_a_parts_extension_is_refused_where_the_tier_grants_none_and_recorded_with_who_and_why() -> None:
    with pytest.raises(RuleViolation, match="grants no parts extension"):
        fresh(FOUNDATION_24X7).amended(
            Amendment.EXTEND_FOR_PARTS, "", at=T(1), by="desk-anna", role=DESK, reason="no PSU", tier=FOUNDATION_24X7
        )
    with pytest.raises(InvalidInput, match="say why"):
        fresh(SERVICEPAC_24X7_8H).amended(
            Amendment.EXTEND_FOR_PARTS, "", at=T(1), by="desk-anna", role=DESK, reason=" ", tier=SERVICEPAC_24X7_8H
        )
    extended = fresh(SERVICEPAC_24X7_8H).amended(
        Amendment.EXTEND_FOR_PARTS, "", at=T(1), by="desk-anna", role=DESK, reason="no PSU", tier=SERVICEPAC_24X7_8H
    )
    state = incident_clocks(extended, tier=SERVICEPAC_24X7_8H, place=BERLIN, now=T(1))[Clock.RESTORE]
    # 48 h from receipt: Wed 4 Mar 09:00Z.
    assert state.due == T(48)
    assert state.extension is not None and (state.extension.by, state.extension.reason) == ("desk-anna", "no PSU")


def test_a_severity_change_midway_recomputes_from_receipt() -> None:
    # Mission Critical, critical: response 0.5 h, restore 4 h. Downgraded to minor at 09:10Z: response 2 h,
    # restore 24 h, both counted from 09:00Z receipt — the same as an incident opened as minor.
    tier = PROSUPPORT_PLUS_MISSION_CRITICAL
    incident = fresh(tier).amended(
        Amendment.CHANGE_SEVERITY, "minor", at=T(1 / 6), by="desk-anna", role=DESK, reason="one PSU of two", tier=tier
    )
    assert incident.severity is Severity.MINOR
    expected = {Clock.RESPONSE: (ClockStatus.ON_TRACK, T(2)), Clock.RESTORE: (ClockStatus.ON_TRACK, T(24))}
    assert clocks(incident, tier, 0.5) == expected
    assert clocks(fresh(tier, Severity.MINOR), tier, 0.5) == expected
    assert incident.history[-1].note == "one PSU of two"


def test_a_tier_change_midway_recomputes_from_receipt_under_the_new_tier() -> None:
    # Opened under Foundation NBD (Mon 10:00 CET → due Tue 17:00 CET = 16:00Z); upgraded to call-to-repair at
    # 11:00Z: 2 h / 6 h from the 09:00Z receipt, so response is already missed if nobody answered by 11:00Z.
    incident = fresh(FOUNDATION_NBD)
    assert clocks(incident, FOUNDATION_NBD, 1) == {
        Clock.RESPONSE: (ClockStatus.ON_TRACK, datetime(2026, 3, 3, 16, 0, tzinfo=UTC)),
        Clock.RESTORE: (ClockStatus.ON_TRACK, datetime(2026, 3, 3, 16, 0, tzinfo=UTC)),
    }
    upgraded = incident.amended(
        Amendment.CHANGE_TIER,
        FOUNDATION_CALL_TO_REPAIR.name,
        at=T(2),
        by="desk-anna",
        role=DESK,
        reason="contract upgraded",
        tier=FOUNDATION_NBD,
    )
    assert clocks(upgraded, FOUNDATION_CALL_TO_REPAIR, 2) == {
        Clock.RESPONSE: (ClockStatus.AT_RISK, T(2)),
        Clock.RESTORE: (ClockStatus.ON_TRACK, T(6)),
    }
    assert clocks(upgraded, FOUNDATION_CALL_TO_REPAIR, 2.01)[Clock.RESPONSE][0] is ClockStatus.BREACHED
    with pytest.raises(InvalidInput, match="is under Foundation call-to-repair"):
        clocks(upgraded, FOUNDATION_NBD, 2)


def test_history_runs_forward_and_a_closed_incident_is_not_amended() -> None:
    tier = SERVICEPAC_24X7_8H
    incident = walk(fresh(tier), tier, (2, S.RESPONDED))
    with pytest.raises(InvalidInput, match="runs forward"):
        walk(incident, tier, (1, S.RESTORED))
    closed = walk(incident, tier, (3, S.RESTORED)).moved(S.CLOSED, at=T(4), by="desk-anna", role=DESK, tier=tier)
    with pytest.raises(IllegalTransition, match="closed"):
        closed.amended(Amendment.CHANGE_SEVERITY, "minor", at=T(5), by="d", role=DESK, reason="late", tier=tier)


def test_an_unknown_severity_is_a_clear_error() -> None:
    with pytest.raises(InvalidInput, match="severity is one of critical, major, minor"):
        fresh(SERVICEPAC_24X7_8H).amended(
            Amendment.CHANGE_SEVERITY, "urgent", at=T(1), by="d", role=DESK, reason="x", tier=SERVICEPAC_24X7_8H
        )


# Any walk along the table's edges, at any pace, leaves a history whose clock facts are consistent.
@settings(max_examples=200, deadline=None)
@given(
    tier=st.sampled_from([SERVICEPAC_NBD, SERVICEPAC_24X7_8H, FOUNDATION_NBD]),
    choices=st.lists(st.tuples(st.integers(min_value=0, max_value=20), st.integers(0, 6 * 60)), max_size=12),
)
def test_every_walk_along_the_table_gives_consistent_clock_facts(tier: Tier, choices: list[tuple[int, int]]) -> None:
    incident = fresh(tier)
    now = RECEIVED
    for pick, minutes in choices:
        options = sorted(
            target
            for (source, target) in EDGES
            if source is incident.status and (target is not S.WAITING_FOR_PARTS or tier.parts_pause)
        )
        if not options:
            break
        now += timedelta(minutes=minutes)
        incident = incident.moved(options[pick % len(options)], at=now, by="u", role=ADMIN, tier=tier)
    facts = incident.clock_facts()  # validates order, overlap, only the last pause open
    moves = [(e.status, e.at) for e in incident.history if e.status is not None]
    first_contact = next((at for status, at in moves if status in (S.RESPONDED, S.RESTORED)), None)
    assert facts.responded_at == first_contact
    assert (facts.restored_at is not None) == (incident.status in (S.RESTORED, S.CLOSED))
    paused = incident.status in (S.OPEN_WAITING_FOR_CUSTOMER, S.WAITING_FOR_CUSTOMER, S.WAITING_FOR_PARTS)
    assert (bool(facts.pauses) and facts.pauses[-1].end is None) == paused
    states = incident_clocks(incident, tier=tier, place=BERLIN, now=now)
    if incident.status in (S.RESTORED, S.CLOSED):
        assert {state.status for state in states.values()} <= {ClockStatus.MET, ClockStatus.MISSED}
