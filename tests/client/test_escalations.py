"""The desk's escalation notices on the device, against real SQLite files and the in-process server: a recorded
breach is a notice on the desk's home, "Seen" acknowledges it offline-first (gone at once, synced to the server, gone
on every other desk device), and an engineer has no escalations list.

Time is the device store's clock. Monday 7 December 2026, 09:00 UTC = 10:00 CET at Helix FRA1 (Europe/Berlin),
under "ProSupport Plus Mission Critical" (24×7; major: 2 h response), so a notice goes out at the breach itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from app.services.escalations import EscalationLine
from server.seed import sid
from sync.domain.commands import RecordBreach
from sync.domain.service import Severity
from sync.domain.sla import Clock
from sync.domain.ticket import Ticket
from tests.client.conftest import Device
from tests.client.test_incidents import FRA1, at, platinum_units, server_at

MONDAY_9_UTC = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _said(lines: Iterable[EscalationLine]) -> list[tuple[str, Clock, str, str]]:
    """Each notice line as the desk reads it in English."""
    return [(n.ticket_id, n.clock, n.title, str(n.breached_text)) for n in lines]


def test_the_desk_sees_a_recorded_breach_acknowledges_it_and_it_is_gone_everywhere(
    device: Callable[[str], Device], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    server_at(MONDAY_9_UTC + timedelta(hours=1), monkeypatch, tmp_path)  # an hour after the desk's work
    desk = device("desk")
    unit = platinum_units(desk, FRA1, idle=True)[0]  # FRA1's untouched ones are taken by seeded incidents
    # Received 06:00 UTC (07:00 CET), major: 2 h response, due 08:00 UTC (09:00 CET); nobody came.
    at(desk, MONDAY_9_UTC - timedelta(hours=3))
    ticket_id = desk.services.incidents.open_incident(
        asset_id=unit.id, symptom="fans at 100 %", severity=Severity.MAJOR
    )
    at(desk, MONDAY_9_UTC)
    escalations = desk.services.escalations
    assert ticket_id not in [n.ticket_id for n in escalations.notices()]  # late, but no breach on the record yet
    desk.client.store.execute(RecordBreach(ticket_id=ticket_id, clock=Clock.RESPONSE))
    mine = (ticket_id, Clock.RESPONSE, f"{unit.serial} · Helix FRA1 colo", "Mon 09:00 CET")
    assert mine in _said(escalations.notices())
    desk.client.sync()  # the server replays the same breach at the desk's time
    assert desk.client.store.rejections() == []

    # On the desk's home: the line, and "Seen" through the intent path.
    state = desk.state
    state.refresh()
    assert escalations.shown()
    assert mine in _said(state.incidents.escalations)
    state.incidents.acknowledge(ticket_id, Clock.RESPONSE)
    assert mine not in _said(state.incidents.escalations)
    assert ticket_id not in [n.ticket_id for n in escalations.notices()]
    seen = desk.client.store.get(Ticket, ticket_id)
    assert seen is not None
    assert (seen.response_breach_seen_by, seen.response_breach_seen_at) == (sid("user", "desk"), MONDAY_9_UTC)
    assert desk.client.store.pending_count() == 1  # saved on this device, to be sent

    desk.client.sync()
    assert desk.client.store.pending_count() == 0
    other_desk = device("desk")
    at(other_desk, MONDAY_9_UTC)
    assert ticket_id not in [n.ticket_id for n in other_desk.services.escalations.notices()]
    # Acknowledging it again from the other device is applied and changes nothing: the first one stays.
    at(other_desk, MONDAY_9_UTC + timedelta(minutes=30))
    other_desk.services.escalations.acknowledge(ticket_id, Clock.RESPONSE)
    other_desk.client.sync()
    assert other_desk.client.store.rejections() == []
    kept = other_desk.client.store.get(Ticket, ticket_id)
    assert kept is not None and kept.response_breach_seen_at == MONDAY_9_UTC


def test_a_seeded_breach_reaches_a_fresh_desk_device_as_a_notice(device: Callable[[str], Device]) -> None:
    desk = device("desk")
    at(desk, MONDAY_9_UTC)
    lines = desk.services.escalations.notices()
    # The seed records the response breach of its "backplane errors" incident at Helix ASH1 (Mission Critical, 24×7).
    assert [(line.clock, line.title.endswith("Helix ASH1 colo")) for line in lines].count((Clock.RESPONSE, True)) >= 1


def test_an_engineer_has_no_escalations(device: Callable[[str], Device]) -> None:
    engineer = device("engineer")
    at(engineer, MONDAY_9_UTC)
    assert engineer.services.escalations.shown() is False
    assert engineer.services.escalations.notices() == ()
    engineer.state.refresh()
    assert engineer.state.incidents.escalations == ()
