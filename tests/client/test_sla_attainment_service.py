"""SLA attainment on the desk's device (app/services/sla_attainment.py): the KPI card's figures and a CSV that is the
server's report, line for line, for the same records and instant.

The incidents are tests/server/incidents.py's ``world`` (Helix: A met both clocks with one visit, B missed both;
one Quarry Edge Networks incident), synced to a service-desk device over the in-process server. As of
NOW = Tue 15 Sep 2026 12:00Z, with a two-day period, only those three incidents count (the seed's are of late
October and November).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from app.bootstrap import Client
from app.services.sla_attainment import SlaAttainmentService
from server.routes.reports import sla_attainment_csv
from server.store import Store
from sync.domain.sla_attainment import Tally
from tests.server.incidents import caller_of, world

NOW = datetime(2026, 9, 15, 12, 0, tzinfo=UTC)


def synced_desk(store: Store, enrolled: Callable[[str], Client]) -> SlaAttainmentService:
    world(store)
    desk = enrolled("desk")
    desk.sync()
    return SlaAttainmentService(store=desk.store, now=lambda: NOW)


def test_the_desk_card_gives_attainment_and_first_time_fix_per_customer(
    seeded_store: Store, enrolled: Callable[[str], Client]
) -> None:
    card = synced_desk(seeded_store, enrolled).card(days=2)
    assert card.total.incidents == 3
    helix = dict(card.customers)["Helix Cloud"]
    assert (helix.incidents, helix.response, helix.restore) == (2, Tally(1, 1, 0), Tally(1, 1, 0))
    assert (helix.visited_fixes, helix.first_time_fixes, str(helix.first_time_fix_percent)) == (1, 1, "100.0")
    assert [name for name, _ in card.customers] == ["Helix Cloud", "Quarry Edge Networks"]


def test_the_device_export_is_the_servers_report_for_the_same_records_and_instant(
    seeded_store: Store, enrolled: Callable[[str], Client]
) -> None:
    service = synced_desk(seeded_store, enrolled)
    device = service.csv(days=2).decode("utf-8-sig")
    server = sla_attainment_csv(seeded_store, caller_of(seeded_store, "desk"), now=NOW, first="2026-09", last="2026-09")
    assert device == server
    assert len(device.splitlines()) == 3  # the header, Helix's row and Quarry's


def test_a_period_of_no_days_is_refused(seeded_store: Store, enrolled: Callable[[str], Client]) -> None:
    service = SlaAttainmentService(store=enrolled("desk").store, now=lambda: NOW)
    with pytest.raises(ValueError, match="at least one day"):
        service.card(days=0)
