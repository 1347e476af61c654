"""LocalStore.stamps and get_many on a real SQLite file: what the desk board's index relies on to re-read only the
records that changed (app/services/incident_board.py)."""

from __future__ import annotations

from collections.abc import Callable

from sync.domain.incident import IncidentStatus
from sync.domain.service import Severity
from sync.domain.ticket import Ticket
from tests.client.conftest import Device

SEEDED_R2 = "NBR22600001"


def test_a_stamp_changes_with_a_pending_change_and_again_when_the_server_answers(
    device: Callable[[str], Device],
) -> None:
    d = device("desk")
    store, incidents = d.client.store, d.services.incidents
    before = store.stamps(Ticket.collection)
    unit_id = d.field.open_by_scan(SEEDED_R2).asset_id
    assert unit_id is not None
    ticket_id = incidents.open_incident(asset_id=unit_id, symptom="fan", severity=Severity.MINOR)
    opened = store.stamps(Ticket.collection)
    assert set(opened) == set(before) | {ticket_id}
    assert opened[ticket_id].startswith("pending:")
    assert {i: s for i, s in opened.items() if i != ticket_id} == before  # nothing else moved
    incidents.move(ticket_id, IncidentStatus.RESPONDED)
    moved = store.stamps(Ticket.collection)[ticket_id]
    assert moved != opened[ticket_id]
    # The pending change wins over the server's copy, as in ``get``.
    assert [t.status for t in store.get_many(Ticket, [ticket_id])] == [IncidentStatus.RESPONDED]
    d.client.sync()
    synced = store.stamps(Ticket.collection)[ticket_id]
    assert synced.isdigit() and synced not in (opened[ticket_id], moved)  # the server's version now
    [ticket] = store.get_many(Ticket, [ticket_id])
    assert ticket.status is IncidentStatus.RESPONDED


def test_get_many_returns_what_get_returns_in_the_order_asked_and_skips_unknown_ids(
    device: Callable[[str], Device],
) -> None:
    d = device("desk")
    store = d.client.store
    ids = sorted(store.stamps(Ticket.collection))[:3]
    assert len(ids) == 3, "the seed has incidents"
    wanted = [ids[2], "no-such-id", ids[0], ids[1]]
    assert store.get_many(Ticket, wanted) == [store.get(Ticket, i) for i in (ids[2], ids[0], ids[1])]
    assert store.get_many(Ticket, []) == []
