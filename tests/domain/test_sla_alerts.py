"""Breaches are recorded once and notices go out inside coverage. ServicePac 24×7 8 h from Mon 2 Mar 2026 09:00Z:
response due 13:00Z, restore 17:00Z. Berlin is CET (UTC+1) in early March.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

import pytest

from sync.domain.incident import IncidentStatus
from sync.domain.service import Severity
from sync.domain.sla import (
    Clock,
    ClockFacts,
    ClockState,
    Pause,
    PauseReason,
    ServicePlace,
    clock_states,
    risk_rank,
)
from sync.domain.sla_alerts import breaches_to_record, escalates, next_breach_at, notice_at
from sync.domain.sla_catalogue import NINE_BY_FIVE, SERVICEPAC_24X7_8H, TWENTY_FOUR_BY_SEVEN
from sync.domain.sla_window import CoverageWindow

RECEIVED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
BERLIN = ServicePlace(timezone="Europe/Berlin")
NONE: frozenset[Clock] = frozenset()


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def states(facts: ClockFacts, now: datetime) -> Mapping[Clock, ClockState]:
    return clock_states(tier=SERVICEPAC_24X7_8H, severity=Severity.CRITICAL, place=BERLIN, facts=facts, now=now)


@pytest.mark.parametrize(
    ("facts", "now", "recorded", "record", "next_breach"),
    [
        # Nothing late yet: the sweep looks again at the response due time.
        (ClockFacts(received_at=RECEIVED), utc(2, 10), NONE, (), utc(2, 13)),
        # Response late and running: recorded once; the restore clock is next.
        (ClockFacts(received_at=RECEIVED), utc(2, 14), NONE, (Clock.RESPONSE,), utc(2, 17)),
        (ClockFacts(received_at=RECEIVED), utc(2, 14), frozenset({Clock.RESPONSE}), (), utc(2, 17)),
        # Responded late at 14:00Z: a missed clock is recorded too (once), and never breaches again.
        (ClockFacts(received_at=RECEIVED, responded_at=utc(2, 14)), utc(2, 15), NONE, (Clock.RESPONSE,), utc(2, 17)),
        # Closed on time (restored 16:00Z): nothing to record, nothing to look at ever again — even years later.
        (
            ClockFacts(received_at=RECEIVED, responded_at=utc(2, 10), restored_at=utc(2, 16)),
            datetime(2030, 1, 1, tzinfo=UTC),
            NONE,
            (),
            None,
        ),
        # Paused since 12:00Z for the customer: no breach time while it waits.
        (
            ClockFacts(
                received_at=RECEIVED,
                responded_at=utc(2, 10),
                pauses=(Pause(reason=PauseReason.WAITING_FOR_CUSTOMER, start=utc(2, 12)),),
            ),
            utc(2, 20),
            NONE,
            (),
            None,
        ),
    ],
)
def test_breaches_are_recorded_once_and_the_sweep_knows_when_to_look_again(
    facts: ClockFacts,
    now: datetime,
    recorded: frozenset[Clock],
    record: tuple[Clock, ...],
    next_breach: datetime | None,
) -> None:
    current = states(facts, now)
    assert breaches_to_record(current, recorded) == record
    assert next_breach_at(current) == next_breach


@pytest.mark.parametrize(
    ("window", "moment", "expected"),
    [
        # Saturday 7 March 23:00 CET on 9×5: the notice waits for Monday 08:00 CET.
        (NINE_BY_FIVE, utc(7, 22), utc(9, 7)),
        # Thursday 12:00 CET is inside the window: at once.
        (NINE_BY_FIVE, utc(5, 11), utc(5, 11)),
        # Midnight on 24×7 is covered: at once.
        (TWENTY_FOUR_BY_SEVEN, utc(7, 23), utc(7, 23)),
    ],
)
def test_escalation_notices_go_out_inside_the_coverage_window(
    window: CoverageWindow, moment: datetime, expected: datetime
) -> None:
    assert notice_at(window.at(timezone="Europe/Berlin"), moment) == expected


def test_the_board_puts_breached_first_then_at_risk_then_on_track_then_the_rest() -> None:
    # All ServicePac 24×7 8 h, looked at Mon 2 Mar 15:30Z.
    now = utc(2, 15, 30)
    incidents = {
        # Received 09:00Z: response breached (due 13:00Z).
        "breached": ClockFacts(received_at=RECEIVED),
        # Received 07:00Z, responded 08:00Z: restore due 15:00Z, breached too but later than 13:00Z: second.
        "breached-later": ClockFacts(received_at=utc(2, 7), responded_at=utc(2, 8)),
        # Received 12:00Z: response due 16:00Z with 3 h 30 of 4 h used (87.5 %): at risk.
        "at-risk": ClockFacts(received_at=utc(2, 12)),
        # Received 15:00Z: on track.
        "on-track": ClockFacts(received_at=utc(2, 15)),
        # Restored: nothing running, last.
        "done": ClockFacts(received_at=utc(2, 10), responded_at=utc(2, 11), restored_at=utc(2, 12)),
    }
    ranked = sorted(incidents, key=lambda name: risk_rank(states(incidents[name], now)))
    assert ranked == ["breached", "breached-later", "at-risk", "on-track", "done"]


@pytest.mark.parametrize(
    ("status", "watched"),
    [
        (IncidentStatus.OPEN, True),
        (IncidentStatus.OPEN_WAITING_FOR_CUSTOMER, True),
        (IncidentStatus.RESPONDED, True),
        (IncidentStatus.WAITING_FOR_CUSTOMER, True),
        (IncidentStatus.WAITING_FOR_PARTS, True),
        (IncidentStatus.RESTORED, False),
        (IncidentStatus.CLOSED, False),
    ],
)
def test_the_sweep_watches_open_and_paused_incidents_never_restored_or_closed_ones(
    status: IncidentStatus, watched: bool
) -> None:
    assert escalates(status) is watched
