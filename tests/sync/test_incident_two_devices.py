"""Incidents worked offline on two devices, synced through a real server on SQLite and PostgreSQL.

- An incident opened offline and responded on two devices while both were offline converges, on the server and on
  both devices, on exactly one response time: the earliest real one, whichever device syncs first.
- Two desks changing the severity from the same value: the later one (server order) is on the record and the other
  is kept as a conflict both devices see, never silently dropped; resolving it is an amendment in the history.

Device clocks are set per step (``store.clock``): the server takes a device's time for the facts it records, clamped
to the last 7 days, so the times below are hours before the real now.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from app.bootstrap import Client
from server.seed import sid
from sync.domain.asset import Asset
from sync.domain.commands import AmendIncident, MoveIncident, OpenTicket, ResolveConflict, StartVisit
from sync.domain.conflict import Conflict
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.incident_terms import ticket_clocks
from sync.domain.service import Severity
from sync.domain.sla import Clock
from sync.domain.ticket import Ticket

S = IncidentStatus
# Whole minutes, a few hours back: inside the server's skew window, and exact through JSON.
BASE = (datetime.now(UTC) - timedelta(hours=5)).replace(second=0, microsecond=0)


def at(minutes: int) -> datetime:
    return BASE + timedelta(minutes=minutes)


def set_clock(device: Client, moment: datetime) -> None:
    device.store.clock = lambda: moment


def fra1_asset(device: Client) -> Asset:
    assets = [a for a in device.store.all(Asset) if a.site_id == sid("site", "fra1")]
    return sorted(assets, key=lambda a: a.serial)[0]


def dues(device: Client, ticket: Ticket) -> dict[Clock, datetime | None]:
    """The due times as this device computes them, from its own copies of the contract and the site."""
    return {clock: state.due for clock, state in ticket_clocks(device.store, ticket, at(1)).items()}


def ticket_on(device: Client, ticket_id: str) -> Ticket:
    ticket = device.store.get(Ticket, ticket_id)
    assert ticket is not None
    return ticket


@pytest.mark.parametrize("first_to_sync", ["late_responder", "early_responder"])
def test_an_incident_responded_offline_on_two_devices_converges_on_the_earliest_response(
    enrolled: Callable[[str], Client], first_to_sync: str
) -> None:
    opener, early, late = enrolled("engineer"), enrolled("engineer"), enrolled("desk")
    for device in (opener, early, late):
        device.sync()
    asset = fra1_asset(opener)
    ticket_id = f"incident-{first_to_sync}"
    # Opened offline at +0 (the engineer's device computes its clocks itself), synced later.
    set_clock(opener, at(0))
    opener.store.execute(
        OpenTicket(ticket_id=ticket_id, asset_id=asset.id, symptom="fans at 100 %", severity=Severity.MAJOR)
    )
    assert ticket_on(opener, ticket_id).status is S.OPEN
    offline_dues = dues(opener, ticket_on(opener, ticket_id))
    assert offline_dues[Clock.RESPONSE] is not None
    opener.sync()
    early.sync()
    late.sync()
    # The desk, reading the server's copy, sees the due times the engineer's device computed offline.
    assert dues(late, ticket_on(late, ticket_id)) == offline_dues
    # Both offline now: the engineer arrives at +20, the desk calls back at +45, each sure it was first.
    set_clock(early, at(20))
    early.store.execute(StartVisit(visit_id=f"visit-{first_to_sync}", asset_id=asset.id, ticket_id=ticket_id))
    set_clock(late, at(45))
    late.store.execute(MoveIncident(ticket_id=ticket_id, to_status=S.RESPONDED, note="called back", from_status=S.OPEN))
    assert ticket_on(early, ticket_id).responded_at == at(20)
    assert ticket_on(late, ticket_id).responded_at == at(45)

    order = (late, early) if first_to_sync == "late_responder" else (early, late)
    for device in order:
        report = device.sync()
        assert report.rejected == 0
    for device in (opener, early, late):
        device.sync()

    copies = [ticket_on(device, ticket_id) for device in (opener, early, late)]
    assert all(c == copies[0] for c in copies), "every device holds the server's one copy"
    ticket = copies[0]
    assert ticket.status is S.RESPONDED
    assert ticket.responded_at == at(20)
    assert ticket.incident().clock_facts().responded_at == at(20)
    # One real step moved it; the other response is in the history for its author, never as a second state change.
    assert [(e.status, e.late) for e in ticket.history if not e.late] == [(S.RESPONDED, False)]
    assert len(ticket.history) == (2 if first_to_sync == "late_responder" else 1)


def test_a_conflicting_severity_change_is_kept_as_a_conflict_both_devices_see(
    enrolled: Callable[[str], Client],
) -> None:
    first, second = enrolled("desk"), enrolled("admin")
    first.sync()
    asset = fra1_asset(first)
    set_clock(first, at(0))
    first.store.execute(OpenTicket(ticket_id="incident-sev", asset_id=asset.id, symptom="PSU", severity=Severity.MAJOR))
    first.sync()
    second.sync()
    # Offline, from the same "major": one desk makes it critical, the other minor.
    set_clock(first, at(10))
    first.store.execute(
        AmendIncident(
            ticket_id="incident-sev",
            amendment=Amendment.CHANGE_SEVERITY,
            value="critical",
            reason="cluster down",
            base_value="major",
        )
    )
    set_clock(second, at(12))
    second.store.execute(
        AmendIncident(
            ticket_id="incident-sev",
            amendment=Amendment.CHANGE_SEVERITY,
            value="minor",
            reason="one node only",
            base_value="major",
        )
    )
    assert first.sync().rejected == 0
    assert second.sync().rejected == 0
    first.sync()

    for device in (first, second):
        ticket = ticket_on(device, "incident-sev")
        assert ticket.severity is Severity.MINOR  # the later one in server order
        conflicts = [c for c in device.store.children(Conflict, "incident-sev") if not c.resolved]
        assert [(c.field, c.base_value, c.kept_value, c.overwritten_value) for c in conflicts] == [
            ("severity", "major", "minor", "critical")
        ]
    (conflict,) = first.store.children(Conflict, "incident-sev")
    set_clock(first, at(20))
    first.store.execute(ResolveConflict(conflict_id=conflict.id, chosen_value="critical"))
    assert first.sync().rejected == 0
    second.sync()
    ticket = ticket_on(second, "incident-sev")
    assert ticket.severity is Severity.CRITICAL
    assert [(e.amendment, e.value) for e in ticket.history] == [
        (Amendment.CHANGE_SEVERITY, "critical"),
        (Amendment.CHANGE_SEVERITY, "minor"),
        (Amendment.CHANGE_SEVERITY, "critical"),
    ]
    resolved = second.store.get(Conflict, conflict.id)
    assert resolved is not None and resolved.resolved and resolved.resolved_value == "critical"
