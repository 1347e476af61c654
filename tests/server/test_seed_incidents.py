"""The demo seed (server/seed.py) has incidents in every state, clocks on track, at risk and breached as of its
"now", breaches recorded, sites in Europe, the US and Tokyo, contracts of several tier templates, and the site
beyond 160 km flagged on its contract. Read back from the stored records on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from server.seed import seed, sid
from server.store import Store
from server.tables import records
from sync import codec
from sync.domain.contract import Contract
from sync.domain.incident import IncidentStatus
from sync.domain.incident_terms import ticket_clocks
from sync.domain.org import Actor, Role
from sync.domain.site import Site
from sync.domain.sla import ClockStatus
from sync.domain.ticket import Ticket
from tests.domain.fakes import FakeContext

SEED_NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _world(store: Store) -> FakeContext:
    ctx = FakeContext(actor=Actor(user_id="t", org_id="t", role=Role.ADMIN, device_id="t"), now=SEED_NOW)
    with store.engine.connect() as conn:
        for collection, data in conn.execute(
            select(records.c.collection, records.c.data).where(records.c.deleted.is_(False))
        ):
            if collection in ("tickets", "contracts", "sites", "assets"):
                ctx.put(codec.load_entity(collection, json.loads(data)))
    return ctx


def test_the_seed_has_incidents_in_every_state_with_clocks_on_track_at_risk_and_breached(seeded_store: Store) -> None:
    world = _world(seeded_store)
    tickets = [e for e in world.records.values() if isinstance(e, Ticket)]
    assert {t.status for t in tickets} == set(IncidentStatus)
    clock_statuses = {state.status for t in tickets for state in ticket_clocks(world, t, SEED_NOW).values()}
    assert {ClockStatus.ON_TRACK, ClockStatus.AT_RISK, ClockStatus.BREACHED, ClockStatus.MET} <= clock_statuses
    assert {ClockStatus.MISSED, ClockStatus.BY_AGREEMENT} <= clock_statuses
    assert any(t.response_breached_at for t in tickets if t.status is IncidentStatus.OPEN)
    assert any(t.restore_breached_at for t in tickets if t.status is IncidentStatus.CLOSED)
    zones = {world.records[("sites", t.site_id)].timezone for t in tickets}  # type: ignore[attr-defined]
    assert {"Europe/Berlin", "America/New_York", "Asia/Tokyo"} <= zones
    assert len({t.tier_name for t in tickets}) >= 3


def test_seeded_contracts_name_tier_templates_and_flag_the_site_beyond_160_km(seeded_store: Store) -> None:
    world = _world(seeded_store)
    contracts = {c.number: c for c in world.records.values() if isinstance(c, Contract)}
    assert {n: c.tier_template for n, c in contracts.items()} == {
        "SC-A-PLAT-2026": "ProSupport Plus Mission Critical",
        "SC-A-GOLD-2026": "ProSupport NBD",
        "SC-B-SILV-2026": "ServicePac NBD",
        "SC-A-CTR-2026": "Foundation call-to-repair",
    }
    sydney = world.get(Site, sid("site", "syd-edge"))
    assert sydney is not None and sydney.distance_km == 240
    assert contracts["SC-B-SILV-2026"].flags == (
        "Quarry SYD edge: site is 240 km away, beyond 160 km: time by agreement",
    )
    assert all(not c.flags for n, c in contracts.items() if n != "SC-B-SILV-2026")


@pytest.mark.parametrize("hours_after_monday", range(0, 7 * 24, 7))
def test_seeding_at_any_hour_of_the_week_succeeds_and_keeps_a_breached_and_an_at_risk_incident(
    store: Store, hours_after_monday: int
) -> None:
    """make demo seeds at the real now: at 21:00 in Tokyo the 9×5 clock of TYO1's planned breach has not run out,
    and recording it failed the whole seed (RuleViolation). Every 7 h across a week, on each backend."""
    now = datetime(2026, 12, 7, 0, 0, tzinfo=UTC) + timedelta(hours=hours_after_monday)
    seed(store, assets=20, now=now)
    world = _world(store)
    tickets = [e for e in world.records.values() if isinstance(e, Ticket)]
    statuses = {state.status for t in tickets for state in ticket_clocks(world, t, now).values()}
    assert {ClockStatus.BREACHED, ClockStatus.AT_RISK} <= statuses
    # Every breach on record had run out when it was recorded (none early).
    for ticket in tickets:
        for recorded in (ticket.response_breached_at, ticket.restore_breached_at):
            assert recorded is None or recorded <= now
