"""Which escalation notices are out for the desk: inside the incident's coverage window, once, until acknowledged.

World (tests/domain/world.py): TICKET is on the Berlin chassis under ServicePac NBD (9×5: 08:00-17:00 local,
Monday to Friday). Berlin is CET (UTC+1) until Sunday 29 March 2026 02:00, CEST (UTC+2) after. March 2026: Thursday
5, Friday 6, Monday 9, Tuesday 10, Friday 27, Monday 30. The breach times are set on the record as the server's
sweep would have recorded them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from sync.domain.escalations import Notice, breach_notices, notices_out
from sync.domain.incident import IncidentEvent, IncidentStatus
from sync.domain.org import Role
from sync.domain.sla import Clock
from sync.domain.ticket import Ticket
from tests.domain.world import CONTRACT, TICKET, world

S = IncidentStatus


def utc(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def breached(ticket: Ticket = TICKET, *, response: datetime | None = None, restore: datetime | None = None) -> Ticket:
    return replace(ticket, response_breached_at=response, restore_breached_at=restore)


@pytest.mark.parametrize(
    ("tier", "holidays", "breach", "out"),
    [
        # 24×7 (Mission Critical): at once, whatever the hour — Friday 18:00 CET, Sunday 03:00 CET.
        ("ProSupport Plus Mission Critical", (), utc(6, 17), utc(6, 17)),
        ("ProSupport Plus Mission Critical", (), utc(8, 2), utc(8, 2)),
        # 9×5: a breach inside the window (Thursday 13:00 CET) goes out at once.
        ("ServicePac NBD", (), utc(5, 12), utc(5, 12)),
        # 9×5: Friday 18:00 CET, after the window closed → Monday 08:00 CET = 07:00Z.
        ("ServicePac NBD", (), utc(6, 17), utc(9, 7)),
        # 9×5: at the very close (Friday 17:00 CET = 16:00Z) the window is shut already → Monday 08:00 CET.
        ("ServicePac NBD", (), utc(6, 16), utc(9, 7)),
        # 9×5: Tuesday 23:30 CET → Wednesday 08:00 CET, not at midnight.
        ("ServicePac NBD", (), utc(10, 22, 30), utc(11, 7)),
        # 9×5 with Monday 9 March a holiday of the site's contract → Tuesday 08:00 CET.
        ("ServicePac NBD", (date(2026, 3, 9),), utc(6, 17), utc(10, 7)),
        # 9×5 across the change to summer time: Friday 27 March 18:00 CET → Monday 30 March 08:00 CEST = 06:00Z.
        ("ServicePac NBD", (), utc(27, 17), utc(30, 6)),
    ],
)
def test_a_breach_notice_goes_out_at_the_first_covered_instant_of_the_incidents_window(
    tier: str, holidays: tuple[date, ...], breach: datetime, out: datetime
) -> None:
    ctx = world(Role.SERVICE_DESK).put(replace(CONTRACT, holidays=holidays))
    ticket = breached(replace(TICKET, tier_name=tier, contract_id=CONTRACT.id), response=breach)
    expected = Notice(
        ticket_id=TICKET.id, clock=Clock.RESPONSE, breached_at=breach, out_at=out, timezone="Europe/Berlin"
    )
    assert breach_notices(ctx, ticket) == (expected,)
    assert notices_out(ctx, [ticket], out) == (expected,)
    if out > breach:
        # Before the window opens nothing is out: not at the breach, not at midnight, not on the weekend.
        for moment in (breach, breach + (out - breach) / 2, out - timedelta(minutes=1)):
            assert notices_out(ctx, [ticket], moment) == ()


def test_a_restored_or_closed_incidents_notices_are_gone() -> None:
    ctx = world(Role.SERVICE_DESK)
    ticket = breached(response=utc(5, 12), restore=utc(6, 16))
    now = utc(20, 9)
    assert [(n.clock, n.out_at) for n in notices_out(ctx, [ticket], now)] == [
        (Clock.RESPONSE, utc(5, 12)),
        (Clock.RESTORE, utc(9, 7)),
    ]
    # Paused for the customer: still escalates.
    waiting = IncidentEvent(at=utc(5, 13), by="u-desk", role=Role.SERVICE_DESK, status=S.WAITING_FOR_CUSTOMER)
    paused = replace(ticket, status=S.WAITING_FOR_CUSTOMER, history=(waiting,))
    assert len(notices_out(ctx, [paused], now)) == 2
    for status in (S.RESTORED, S.CLOSED):
        assert notices_out(ctx, [replace(ticket, status=status)], now) == ()


def test_an_acknowledged_notice_is_gone_and_the_other_clocks_stays() -> None:
    ctx = world(Role.SERVICE_DESK)
    ticket = breached(response=utc(5, 12), restore=utc(6, 16))
    seen = ticket.with_breach_seen(Clock.RESPONSE, by="u-desk", at=utc(5, 14))
    assert [n.clock for n in notices_out(ctx, [seen], utc(20, 9))] == [Clock.RESTORE]
    both = seen.with_breach_seen(Clock.RESTORE, by="u-desk", at=utc(9, 8))
    assert notices_out(ctx, [both], utc(20, 9)) == ()


def test_each_recorded_breach_is_one_notice_however_often_the_desk_looks() -> None:
    ctx = world(Role.SERVICE_DESK)
    ticket = breached(response=utc(5, 12))
    looks = [notices_out(ctx, [ticket], utc(5, 12, minute)) for minute in (0, 1, 30)] + [
        notices_out(ctx, [ticket], utc(9, 9))
    ]
    assert [len(found) for found in looks] == [1, 1, 1, 1]
    # No breach recorded (due, but the sweep has not recorded it): no notice; the record is the one source.
    assert notices_out(ctx, [TICKET], utc(20, 9)) == ()


def test_notices_are_listed_oldest_out_first() -> None:
    ctx = world(Role.SERVICE_DESK)
    late = breached(replace(TICKET, id="t-b"), restore=utc(6, 17))  # out Monday 07:00Z
    early = breached(replace(TICKET, id="t-a"), response=utc(5, 12))  # out Thursday 12:00Z
    found = notices_out(ctx, [late, early], utc(9, 8))
    assert [(n.ticket_id, n.clock, n.out_at) for n in found] == [
        ("t-a", Clock.RESPONSE, utc(5, 12)),
        ("t-b", Clock.RESTORE, utc(9, 7)),
    ]
