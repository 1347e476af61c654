"""Which escalation notices are out for the desk now: the one home of that question.

A notice belongs to a breach the server recorded (``RecordBreach``: once per clock, at the clock's due time). It
goes out at the first instant of the incident's coverage window at or after the breach (``sla_alerts.notice_at``, on
the tier's window in the site's zone with its holidays), so a business-hours tier's breach at Friday 18:00 reaches
the desk when the window opens on Monday, and a 24×7 tier's at once. It stays out until a desk user acknowledges it
(``AcknowledgeBreach``), and is gone as soon as the incident no longer escalates (restored or closed). Nothing here
sends anything: the desk's device lists what this answers, so there is one notice per breach however often anyone
looks, and no notice before the window opens.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sync.domain.context import Reader
from sync.domain.incident_terms import ticket_terms
from sync.domain.sla import Clock
from sync.domain.sla_alerts import escalates, notice_at
from sync.domain.sla_window import aware_utc
from sync.domain.ticket import Ticket

CLOCK_ORDER = {clock: rank for rank, clock in enumerate(Clock)}


@dataclass(frozen=True, kw_only=True)
class Notice:
    """One breach's escalation notice: which clock of which incident, when it breached and when the notice is out
    (UTC instants), and the site's zone to show them in."""

    ticket_id: str
    clock: Clock
    breached_at: datetime
    out_at: datetime
    timezone: str


def breach_notices(reader: Reader, ticket: Ticket) -> tuple[Notice, ...]:
    """The notices of ``ticket`` not acknowledged yet, whenever they go out (in clock order); none once the incident
    is restored or closed."""
    if not escalates(ticket.status):
        return ()
    pending = [c for c in Clock if ticket.breached_at(c) is not None and not ticket.breach_seen(c)]
    if not pending:
        return ()
    tier, place = ticket_terms(reader, ticket)
    coverage = place.coverage(tier)
    notices = []
    for clock in pending:
        breached = ticket.breached_at(clock)
        assert breached is not None  # pending holds recorded breaches only
        notices.append(
            Notice(
                ticket_id=ticket.id,
                clock=clock,
                breached_at=aware_utc(breached),
                out_at=notice_at(coverage, breached),
                timezone=place.timezone,
            )
        )
    return tuple(notices)


def notices_out(reader: Reader, tickets: Iterable[Ticket], now: datetime) -> tuple[Notice, ...]:
    """The notices of ``tickets`` that are out at ``now``: oldest out first (then incident id, response before
    restore)."""
    moment = aware_utc(now)
    out = [n for ticket in tickets for n in breach_notices(reader, ticket) if n.out_at <= moment]
    return tuple(sorted(out, key=lambda n: (n.out_at, n.ticket_id, CLOCK_ORDER[n.clock])))
