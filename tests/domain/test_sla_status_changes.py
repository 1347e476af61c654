"""When a clock's status next changes (sla.status_changes_at), and an incident's board key (sla.rank_changes_at): the
instant the board may keep an order until."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sync.domain.service import Severity
from sync.domain.sla import (
    Clock,
    ClockFacts,
    ClockState,
    ClockStatus,
    Pause,
    PauseReason,
    ServicePlace,
    Tier,
    clock_state,
    clock_states,
    rank_changes_at,
    status_changes_at,
)
from sync.domain.sla_catalogue import FOUNDATION_NBD, PROSUPPORT_PLUS_MISSION_CRITICAL

BERLIN = ServicePlace(timezone="Europe/Berlin")
MONDAY_9_UTC = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # 10:00 CET


def state_at(now: datetime, facts: ClockFacts, *, tier: Tier = PROSUPPORT_PLUS_MISSION_CRITICAL) -> ClockState:
    return clock_state(Clock.RESPONSE, tier=tier, severity=Severity.MAJOR, place=BERLIN, facts=facts, now=now)


@pytest.mark.parametrize(
    ("minutes", "status", "changes_at_minutes"),
    [
        # Major under Mission Critical, 24×7: 2 h response; at risk past 90 min, breached past 120.
        (0, ClockStatus.ON_TRACK, 90),
        (45, ClockStatus.ON_TRACK, 90),
        (100, ClockStatus.AT_RISK, 120),
        (130, ClockStatus.BREACHED, None),
    ],
)
def test_a_running_24x7_clock_changes_at_three_quarters_and_at_its_due_time(
    minutes: int, status: ClockStatus, changes_at_minutes: int | None
) -> None:
    facts = ClockFacts(received_at=MONDAY_9_UTC)
    now = MONDAY_9_UTC + timedelta(minutes=minutes)
    state = state_at(now, facts)
    assert state.status is status
    coverage = BERLIN.coverage(PROSUPPORT_PLUS_MISSION_CRITICAL)
    expected = None if changes_at_minutes is None else MONDAY_9_UTC + timedelta(minutes=changes_at_minutes)
    assert status_changes_at(state, coverage, now) == expected


def test_the_instant_is_where_the_status_really_turns_in_a_business_hours_window() -> None:
    # Foundation NBD, 9×5 (08:00-17:00 Berlin): a call Friday 16:00 CET is due at Monday's close.
    received = datetime(2026, 12, 4, 15, 0, tzinfo=UTC)
    facts = ClockFacts(received_at=received)
    now = received + timedelta(minutes=30)
    state = state_at(now, facts, tier=FOUNDATION_NBD)
    assert state.status is ClockStatus.ON_TRACK
    turn = status_changes_at(state, BERLIN.coverage(FOUNDATION_NBD), now)
    assert turn is not None
    assert state_at(turn - timedelta(minutes=1), facts, tier=FOUNDATION_NBD).status is ClockStatus.ON_TRACK
    assert state_at(turn + timedelta(minutes=1), facts, tier=FOUNDATION_NBD).status is ClockStatus.AT_RISK


def test_a_paused_or_stopped_clock_keeps_its_status() -> None:
    paused = ClockFacts(
        received_at=MONDAY_9_UTC,
        pauses=(Pause(reason=PauseReason.WAITING_FOR_CUSTOMER, start=MONDAY_9_UTC + timedelta(minutes=10)),),
    )
    now = MONDAY_9_UTC + timedelta(hours=5)
    coverage = BERLIN.coverage(PROSUPPORT_PLUS_MISSION_CRITICAL)
    assert status_changes_at(state_at(now, paused), coverage, now) is None
    met = ClockFacts(received_at=MONDAY_9_UTC, responded_at=MONDAY_9_UTC + timedelta(minutes=5))
    assert status_changes_at(state_at(now, met), coverage, now) is None


@pytest.mark.parametrize(
    ("minutes", "rank_changes_at_minutes"),
    [
        # Major under Mission Critical, 24×7, both clocks running: response 2 h (at risk past 90 min), restore 4 h
        # (at risk past 180 min). The board's key follows the worst clock until one breaches, then holds.
        (0, 90),  # response turns at risk
        (100, 120),  # response breaches (the restore is still on track)
        (130, None),  # breached: the restore turning at risk (180) or breaching (240) orders nothing differently
        (250, None),
    ],
)
def test_an_incidents_board_key_changes_with_its_clocks_until_it_is_breached(
    minutes: int, rank_changes_at_minutes: int | None
) -> None:
    facts = ClockFacts(received_at=MONDAY_9_UTC)
    now = MONDAY_9_UTC + timedelta(minutes=minutes)
    states = clock_states(
        tier=PROSUPPORT_PLUS_MISSION_CRITICAL, severity=Severity.MAJOR, place=BERLIN, facts=facts, now=now
    )
    coverage = BERLIN.coverage(PROSUPPORT_PLUS_MISSION_CRITICAL)
    expected = None if rank_changes_at_minutes is None else MONDAY_9_UTC + timedelta(minutes=rank_changes_at_minutes)
    assert rank_changes_at(states, coverage, now) == expected


def test_a_responded_incidents_board_key_changes_with_its_restore_clock() -> None:
    # Responded after 10 min: the restore (4 h) alone runs; at risk past 180 min, breached past 240.
    facts = ClockFacts(received_at=MONDAY_9_UTC, responded_at=MONDAY_9_UTC + timedelta(minutes=10))
    coverage = BERLIN.coverage(PROSUPPORT_PLUS_MISSION_CRITICAL)
    for minutes, expected in ((20, 180), (200, 240)):
        now = MONDAY_9_UTC + timedelta(minutes=minutes)
        states = clock_states(
            tier=PROSUPPORT_PLUS_MISSION_CRITICAL, severity=Severity.MAJOR, place=BERLIN, facts=facts, now=now
        )
        assert rank_changes_at(states, coverage, now) == MONDAY_9_UTC + timedelta(minutes=expected)
