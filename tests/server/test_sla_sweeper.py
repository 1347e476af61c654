"""The server's SLA breach sweep (server/sla_sweeper.py), on SQLite and PostgreSQL, with a clock the test moves.

The incident is opened by the desk through the push path on a chassis under the seeded contract SC-A-PLAT-2026
(ProSupport Plus Mission Critical; a major incident gets 2 h response and 4 h restore, round the clock, so covered
time is elapsed time), at Helix FRA1 (18 km from its depot: no distance extra): received at T0 = Mon 23 Nov 2026
12:00Z, its response is due 14:00Z and its restore 16:00Z.

The seed has incidents of its own around 2 Nov 2026; each test first lets a sweep at T0 record their breaches
(``settled``), so what a later sweep raises is the test's incident alone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from prometheus_client import REGISTRY

from server import lease, sla_sweeper
from server.accounts import Caller, authenticate, enroll
from server.app import create_app
from server.apply import push, record_write
from server.seed import CUSTOMER_A, DEMO_PASSWORD, sid
from server.settings import Settings
from server.sla_sweeper import (
    LEASE,
    BreachSweeper,
    RaisedBreach,
    breach_command_id,
    due_breaches,
    record_breaches,
    sweep_once,
    wait_for_next_pass,
)
from server.store import Store
from sync import codec
from sync.clock import TEST_CLOCK_ENV, set_offset
from sync.domain.commands import Command, MoveIncident, OpenTicket
from sync.domain.incident import IncidentStatus
from sync.domain.service import Severity
from sync.domain.sla import Clock
from sync.domain.ticket import Ticket
from sync.protocol import CommandEnvelope, ResultStatus
from tests.support.asgi import run_lifespan

T0 = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SECOND, MINUTE = timedelta(seconds=1), timedelta(minutes=1)
H = timedelta(hours=1)
SYMPTOM = "fan wall FW1 loud, Ms Jane Roe on +49 30 1234567"


def caller_of(store: Store, username: str) -> Caller:
    _device, token, _user = enroll(store.engine, username=username, password=DEMO_PASSWORD, device_name="t", now=T0)
    return authenticate(store.engine, token)


def send(store: Store, caller: Caller, command: Command, at: datetime) -> None:
    envelope = CommandEnvelope(command_id=str(uuid.uuid4()), type=command.type_name, payload=codec.dump(command))
    [result] = push(store, caller, [envelope], now=at, max_skew=timedelta(days=1))
    assert result.status is ResultStatus.APPLIED, result.error


def platinum_asset(store: Store) -> str:
    [contract] = [r for r in store.live_records("contracts") if r.id == sid("contract", "A-PLAT")]
    assert contract.data is not None
    asset_ids: list[str] = json.loads(contract.data)["asset_ids"]
    return asset_ids[0]


def settled(store: Store) -> None:
    """Record the seeded incidents' breaches as of T0 and hand the lease back."""
    settle = sweeper(store, [T0], "settle")
    assert settle.sweep_once()
    settle.release()


def open_incident(store: Store, desk: Caller) -> str:
    settled(store)
    ticket_id = str(uuid.uuid4())
    send(
        store,
        desk,
        OpenTicket(ticket_id=ticket_id, asset_id=platinum_asset(store), symptom=SYMPTOM, severity=Severity.MAJOR),
        T0,
    )
    return ticket_id


def ticket(store: Store, ticket_id: str) -> dict[str, Any]:
    [record] = [r for r in store.live_records("tickets") if r.id == ticket_id]
    assert record.data is not None
    return {**json.loads(record.data), "version": record.version}


def sweeper(store: Store, now: list[datetime], holder: str = "one") -> BreachSweeper:
    return BreachSweeper(store=store, interval_seconds=60, holder=holder, clock=lambda: now[0])


def breaches_counted(clock: str) -> float:
    return REGISTRY.get_sample_value("rackside_sla_breaches_total", {"clock": clock}) or 0.0


def test_a_breach_is_recorded_once_when_its_clock_passes_due_and_never_again(
    seeded_store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="rackside.server.sla")
    ticket_id = open_incident(seeded_store, caller_of(seeded_store, "desk"))
    now = [T0 + 2 * H]
    sweep = sweeper(seeded_store, now)
    counted = breaches_counted("response"), breaches_counted("restore")

    assert sweep.sweep_once() == []  # exactly at 14:00 the response is still on time
    now[0] = T0 + 2 * H + MINUTE
    assert sweep.sweep_once() == [RaisedBreach(ticket_id=ticket_id, clock=Clock.RESPONSE)]
    first = ticket(seeded_store, ticket_id)
    assert (first["response_breached_at"], first["restore_breached_at"]) == ("2026-11-23T14:00:00Z", None)

    now[0] = T0 + 3 * H
    assert sweep.sweep_once() == []  # not raised again
    assert ticket(seeded_store, ticket_id)["version"] == first["version"]
    now[0] = T0 + 4 * H + MINUTE
    assert sweep.sweep_once() == [RaisedBreach(ticket_id=ticket_id, clock=Clock.RESTORE)]
    assert ticket(seeded_store, ticket_id)["restore_breached_at"] == "2026-11-23T16:00:00Z"
    now[0] = T0 + 30 * H
    assert sweep.sweep_once() == []

    assert (breaches_counted("response") - counted[0], breaches_counted("restore") - counted[1]) == (1.0, 1.0)
    lines = [r.getMessage() for r in caplog.records]
    assert f"SLA breach recorded: incident {ticket_id}, response clock" in lines
    assert f"SLA breach recorded: incident {ticket_id}, restore clock" in lines
    assert not [line for line in lines if "Jane" in line or "1234567" in line or "fan wall" in line]


def test_devices_pull_the_breach_as_a_change_of_the_incident(seeded_store: Store) -> None:
    ticket_id = open_incident(seeded_store, caller_of(seeded_store, "desk"))
    engineer = caller_of(seeded_store, "engineer")
    before = seeded_store.head_version()
    assert sweeper(seeded_store, [T0 + 3 * H]).sweep_once() == [RaisedBreach(ticket_id=ticket_id, clock=Clock.RESPONSE)]
    pulled = seeded_store.changes_since(since=before, scope=engineer.scope, limit=100)
    assert [(r.collection, r.id) for r in pulled] == [("tickets", ticket_id)]
    assert pulled[0].data is not None and json.loads(pulled[0].data)["response_breached_at"] == "2026-11-23T14:00:00Z"


def test_a_paused_incident_is_not_breached_while_it_waits_and_resumes_with_the_time_it_had_left(
    seeded_store: Store,
) -> None:
    desk = caller_of(seeded_store, "desk")
    ticket_id = open_incident(seeded_store, desk)
    send(
        seeded_store,
        desk,
        MoveIncident(ticket_id=ticket_id, to_status=IncidentStatus.OPEN_WAITING_FOR_CUSTOMER),
        T0 + H,
    )
    now = [T0 + 20 * H]
    sweep = sweeper(seeded_store, now)
    assert sweep.sweep_once() == []  # paused after 1 h of the 2 h: nothing is due while it waits
    send(seeded_store, desk, MoveIncident(ticket_id=ticket_id, to_status=IncidentStatus.OPEN), T0 + 21 * H)
    now[0] = T0 + 22 * H
    assert sweep.sweep_once() == []  # resuming is no breach: 1 h was left, due Tue 24 Nov 10:00Z
    now[0] = T0 + 22 * H + MINUTE
    assert sweep.sweep_once() == [RaisedBreach(ticket_id=ticket_id, clock=Clock.RESPONSE)]
    assert ticket(seeded_store, ticket_id)["response_breached_at"] == "2026-11-24T10:00:00Z"


@pytest.mark.parametrize("last", [IncidentStatus.RESTORED, IncidentStatus.CLOSED])
def test_restored_and_closed_incidents_never_escalate(seeded_store: Store, last: IncidentStatus) -> None:
    desk = caller_of(seeded_store, "desk")
    ticket_id = open_incident(seeded_store, desk)
    send(seeded_store, desk, MoveIncident(ticket_id=ticket_id, to_status=IncidentStatus.RESTORED), T0 + 5 * H)
    if last is IncidentStatus.CLOSED:
        send(seeded_store, desk, MoveIncident(ticket_id=ticket_id, to_status=IncidentStatus.CLOSED), T0 + 6 * H)
    assert sweeper(seeded_store, [T0 + 7 * H]).sweep_once() == []
    stored = ticket(seeded_store, ticket_id)
    assert (stored["status"], stored["response_breached_at"], stored["restore_breached_at"]) == (last.value, None, None)


def test_of_two_server_processes_only_the_lease_holder_sweeps_and_the_breach_is_recorded_once(
    seeded_store: Store,
) -> None:
    ticket_id = open_incident(seeded_store, caller_of(seeded_store, "desk"))
    now = [T0 + 3 * H]
    first, second = sweeper(seeded_store, now, "first"), sweeper(seeded_store, now, "second")
    assert first.sweep_once() == [RaisedBreach(ticket_id=ticket_id, clock=Clock.RESPONSE)]
    assert second.sweep_once() is None  # the first holds the lease
    version = ticket(seeded_store, ticket_id)["version"]
    first.release()  # the first shuts down: the second takes over at once
    now[0] = T0 + 5 * H
    assert second.sweep_once() == [RaisedBreach(ticket_id=ticket_id, clock=Clock.RESTORE)]
    assert first.sweep_once() is None
    assert ticket(seeded_store, ticket_id)["version"] > version


def test_two_passes_that_both_saw_the_breach_due_record_it_once(seeded_store: Store) -> None:
    # Both processes read the incident before either wrote (a lease lost mid-pass): the command ids are the same
    # breach's, so the second write is a duplicate and changes nothing.
    ticket_id = open_incident(seeded_store, caller_of(seeded_store, "desk"))
    at = T0 + 3 * H
    seen_by_first, seen_by_second = due_breaches(seeded_store, now=at), due_breaches(seeded_store, now=at)
    assert seen_by_first == seen_by_second == [RaisedBreach(ticket_id=ticket_id, clock=Clock.RESPONSE)]
    assert record_breaches(seeded_store, seen_by_first, now=at) == seen_by_first
    version = ticket(seeded_store, ticket_id)["version"]
    assert record_breaches(seeded_store, seen_by_second, now=at + MINUTE) == []
    assert ticket(seeded_store, ticket_id)["version"] == version


def test_the_server_sweeps_at_start_and_gives_the_lease_up_when_it_stops(
    seeded_store: Store, db_url: str, tmp_path: Path
) -> None:
    # T0 is in the past of any machine running this test: the incident is long overdue by the real clock.
    ticket_id = open_incident(seeded_store, caller_of(seeded_store, "desk"))
    app = create_app(
        Settings(database_url=db_url, blob_dir=str(tmp_path / "blobs"), sla_sweep_interval_seconds=3600),
        store=seeded_store,
    )
    seen: list[dict[str, Any]] = []

    async def while_running() -> None:
        seen.append(ticket(seeded_store, ticket_id))
        assert not lease.acquire(seeded_store.engine, LEASE, holder="other", now=datetime.now(UTC), seconds=60)

    sent = asyncio.run(run_lifespan(app, while_running))

    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert (seen[0]["response_breached_at"], seen[0]["restore_breached_at"]) == (
        "2026-11-23T14:00:00Z",
        "2026-11-23T16:00:00Z",
    )
    assert lease.acquire(seeded_store.engine, LEASE, holder="other", now=datetime.now(UTC), seconds=60)


def test_a_sweeper_that_lost_its_lease_during_a_long_pass_leaves_the_writing_to_the_new_holder(
    seeded_store: Store,
) -> None:
    ticket_id = open_incident(seeded_store, caller_of(seeded_store, "desk"))
    start = T0 + 3 * H
    calls: list[datetime] = []

    def slow_clock() -> datetime:
        # The third reading is taken after the pass: by then the pass outlasted the lease (120 s) and another
        # process took it over.
        calls.append(start)
        if len(calls) == 3:
            assert lease.acquire(seeded_store.engine, LEASE, holder="other", now=start + 130 * SECOND, seconds=120)
            return start + 140 * SECOND
        return start

    slow = BreachSweeper(store=seeded_store, interval_seconds=60, holder="slow", clock=slow_clock)
    assert slow.sweep_once() is None
    assert ticket(seeded_store, ticket_id)["response_breached_at"] is None
    taken_over = sweeper(seeded_store, [start + 150 * SECOND], "other")
    assert taken_over.sweep_once() == [RaisedBreach(ticket_id=ticket_id, clock=Clock.RESPONSE)]


def test_a_breach_commands_id_names_the_incident_the_clock_and_the_due_time() -> None:
    first = breach_command_id("t1", Clock.RESPONSE, T0)
    assert first == breach_command_id("t1", Clock.RESPONSE, T0)  # the same breach again: a duplicate
    others = {
        breach_command_id("t1", Clock.RESTORE, T0),
        breach_command_id("t2", Clock.RESPONSE, T0),
        breach_command_id("t1", Clock.RESPONSE, T0 + H),  # due later after a tier change: another breach
    }
    assert first not in others and len(others) == 3


def test_an_imported_incident_from_before_tiers_never_escalates(seeded_store: Store) -> None:
    # A record written before incidents named a tier (imported from the old ticket list): no tier, no history, open
    # for weeks. It runs under "No contract" (no committed time), so no sweep ever raises a breach on it.
    settled(seeded_store)
    imported = Ticket(
        id="imported-1",
        org_id=CUSTOMER_A,
        site_id=sid("site", "fra1"),
        asset_id="asset-imported",
        symptom="imported from the old ticket list",
        severity=Severity.CRITICAL,
        opened_at=T0 - 30 * 24 * H,
    )
    with seeded_store.transaction() as txn:
        txn.write([record_write(imported)])
    assert sweeper(seeded_store, [T0 + 3 * H]).sweep_once() == []
    stored = ticket(seeded_store, "imported-1")
    assert (stored["tier_name"], stored["response_breached_at"], stored["restore_breached_at"]) == ("", None, None)


def test_the_sweep_looks_again_just_after_the_next_due_time_and_records_the_breach_seconds_after_it_happened(
    seeded_store: Store,
) -> None:
    ticket_id = open_incident(seeded_store, caller_of(seeded_store, "desk"))
    now = [T0 + H]
    sweep = BreachSweeper(store=seeded_store, interval_seconds=600, holder="one", clock=lambda: now[0])
    swept = sweep.sweep()
    # The response is due at 14:00Z, an hour away: the configured 10 minutes bound the wait.
    assert (swept.recorded, swept.next_breach) == ([], datetime(2026, 11, 23, 14, 0, tzinfo=UTC))
    assert sweep.seconds_to_next(swept) == 600.0
    now[0] = T0 + 2 * H - 5 * MINUTE
    swept = sweep.sweep()
    # Five minutes before it: wake a second after it (a clock is breached once now is past its due time).
    assert (swept.recorded, sweep.seconds_to_next(swept)) == ([], 301.0)
    now[0] += 301 * SECOND
    swept = sweep.sweep()
    assert swept.recorded == [RaisedBreach(ticket_id=ticket_id, clock=Clock.RESPONSE)]
    assert ticket(seeded_store, ticket_id)["response_breached_at"] == "2026-11-23T14:00:00Z"
    # Next comes the restore, due at 16:00Z; the recorded response is not waited for again.
    assert swept.next_breach == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert sweep.seconds_to_next(swept) == 600.0


def test_with_nothing_running_or_without_the_lease_the_sweep_waits_the_interval(seeded_store: Store) -> None:
    desk = caller_of(seeded_store, "desk")
    ticket_id = open_incident(seeded_store, desk)
    send(
        seeded_store,
        desk,
        MoveIncident(ticket_id=ticket_id, to_status=IncidentStatus.OPEN_WAITING_FOR_CUSTOMER),
        T0 + H,
    )
    now = [T0 + 90 * MINUTE]
    holder = BreachSweeper(store=seeded_store, interval_seconds=600, holder="one", clock=lambda: now[0])
    other = BreachSweeper(store=seeded_store, interval_seconds=600, holder="two", clock=lambda: now[0])
    swept = holder.sweep()
    # Paused: its due time moves while it waits, so no breach is coming.
    assert (swept.recorded, swept.next_breach, holder.seconds_to_next(swept)) == ([], None, 600.0)
    send(seeded_store, desk, MoveIncident(ticket_id=ticket_id, to_status=IncidentStatus.OPEN), T0 + 100 * MINUTE)
    now[0] = T0 + 101 * MINUTE
    # Resumed at 13:40Z with 1 h left of the 2 h response: due 14:40Z.
    swept = holder.sweep()
    assert (swept.recorded, swept.next_breach) == ([], datetime(2026, 11, 23, 14, 40, tzinfo=UTC))
    assert holder.seconds_to_next(swept) == 600.0
    now[0] = T0 + 2 * H + 35 * MINUTE
    assert holder.seconds_to_next(holder.sweep()) == 301.0
    # The other process does not hold the lease: it sweeps nothing and knows nothing of the next due time.
    swept = other.sweep()
    assert (swept.recorded, swept.next_breach, other.seconds_to_next(swept)) == (None, None, 600.0)


def test_a_breach_already_past_when_it_is_seen_never_makes_the_sweep_spin(seeded_store: Store) -> None:
    # A clock exactly at its due time is still on time; the next look is at least a second away, never at once.
    open_incident(seeded_store, caller_of(seeded_store, "desk"))
    now = [T0 + 2 * H]
    sweep = BreachSweeper(store=seeded_store, interval_seconds=600, holder="one", clock=lambda: now[0])
    swept = sweep.sweep()
    assert (swept.recorded, swept.next_breach) == ([], T0 + 2 * H)
    now[0] += 5 * SECOND  # the pass took a while
    assert sweep.seconds_to_next(swept) == 1.0


def test_on_the_test_clock_the_servers_sweep_wakes_a_second_after_the_due_time_and_records_it(
    seeded_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The server's own clock (no clock injected): real time shifted by RACKSIDE_TEST_CLOCK_FILE, as in the e2e tests.
    ticket_id = open_incident(seeded_store, caller_of(seeded_store, "desk"))
    clock_file = tmp_path / "clock"
    monkeypatch.setenv(TEST_CLOCK_ENV, str(clock_file))

    def move_to(moment: datetime) -> None:
        set_offset(clock_file, moment - datetime.now(UTC))

    move_to(T0 + 2 * H - 2 * MINUTE)
    sweep = BreachSweeper(store=seeded_store, interval_seconds=3600, holder="server")
    wait = asyncio.run(sweep_once(sweep))
    # Two minutes and a second, less the moments the pass took on this machine.
    assert 110.0 < wait <= 121.0
    move_to(T0 + 2 * H - 2 * MINUTE + timedelta(seconds=wait) + 2 * SECOND)  # the sleep, and then some
    asyncio.run(sweep_once(sweep))
    assert ticket(seeded_store, ticket_id)["response_breached_at"] == "2026-11-23T14:00:00Z"


def test_between_passes_the_lease_holder_sees_an_incident_opened_since_and_when_it_can_breach(
    seeded_store: Store,
) -> None:
    desk = caller_of(seeded_store, "desk")
    settled(seeded_store)
    now = [T0]
    sweep = BreachSweeper(store=seeded_store, interval_seconds=3600, holder="one", clock=lambda: now[0])
    swept = sweep.sweep()
    assert swept.recorded == [] and swept.seen is not None
    assert sweep.watch(swept.seen) == (swept.seen, None), "nothing written since the pass"
    opened = OpenTicket(
        ticket_id=str(uuid.uuid4()), asset_id=platinum_asset(seeded_store), symptom="psu", severity=Severity.MAJOR
    )
    send(seeded_store, desk, opened, T0)  # after the pass: its response is due at 14:00Z, inside the hour's wait
    seen, soonest = sweep.watch(swept.seen)
    assert seen > swept.seen and soonest == datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    now[0] = T0 + 2 * H - 10 * SECOND
    assert sweep.seconds_until(soonest) == 11.0  # a second past its due time, not the hour
    assert sweep.watch(seen) == (seen, None), "looked at once, not again"
    # Pushed already late (a device back online with an incident opened hours ago): wake now.
    late = OpenTicket(
        ticket_id=str(uuid.uuid4()), asset_id=platinum_asset(seeded_store), symptom="fan", severity=Severity.MAJOR
    )
    send(seeded_store, desk, late, T0 - 3 * H)
    assert sweep.watch(seen)[1] == now[0]


def test_the_sweep_wakes_for_an_incident_pushed_already_late_instead_of_waiting_out_its_interval(
    seeded_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sla_sweeper, "WATCH_SECONDS", 0.05)
    desk = caller_of(seeded_store, "desk")
    settled(seeded_store)
    now = [T0 + 3 * H]
    sweep = BreachSweeper(store=seeded_store, interval_seconds=3600, holder="one", clock=lambda: now[0])
    swept = sweep.sweep()
    late = OpenTicket(
        ticket_id=str(uuid.uuid4()), asset_id=platinum_asset(seeded_store), symptom="psu", severity=Severity.MAJOR
    )

    async def main() -> None:
        waiting = asyncio.create_task(wait_for_next_pass(sweep, 3600, swept.seen))
        await asyncio.sleep(0.2)
        assert not waiting.done(), "nothing new: it waits out the interval"
        send(seeded_store, desk, late, T0)  # its response was due at 14:00Z, an hour before the sweep's now
        await asyncio.wait_for(waiting, timeout=30)  # a second or so, not the hour planned

    asyncio.run(main())
    assert sweep.sweep_once() == [RaisedBreach(ticket_id=late.ticket_id, clock=Clock.RESPONSE)]
