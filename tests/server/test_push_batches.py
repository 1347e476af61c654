"""A push batch is staged in memory and written at the end (server/staged.py): it must answer exactly as replaying
the batch one command at a time, a savepoint each, would; on SQLite and on PostgreSQL."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select

from server.accounts import Caller, authenticate, enroll
from server.apply import RMA_COUNTER, parse_batch, push, push_one_by_one
from server.seed import DEMO_PASSWORD, sid
from server.store import Store, StoreTxn
from server.tables import applied_commands, metadata, records
from sync import codec
from sync.domain.commands import (
    AddNote,
    AdvanceRma,
    Command,
    EditAsset,
    FieldChange,
    OpenTicket,
    RegisterAsset,
    StartVisit,
)
from sync.domain.contract import ServiceModel
from sync.domain.rma import RmaLane, RmaStatus, format_rma_number
from sync.domain.service import Severity
from sync.protocol import CommandEnvelope, CommandResult
from tests.sync.world import snapshot

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SKEW = timedelta(days=30)


def new_id() -> str:
    return str(uuid.uuid4())


def engineer(store: Store) -> Caller:
    _device, token, _user = enroll(
        store.engine, username="engineer", password=DEMO_PASSWORD, device_name="batch-test", now=NOW
    )
    return authenticate(store.engine, token)


def visible_assets(store: Store, caller: Caller) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(records.c.data, records.c.scope_text)
            .where(records.c.collection == "assets", records.c.deleted.is_(False))
            .order_by(records.c.version)
        ).all()
    found = [json.loads(r.data) for r in rows if caller.scope.sees(frozenset(r.scope_text.split()))]
    return [a for a in found if a.get("site_id")]


def envelopes(commands: list[tuple[str, Command]]) -> list[CommandEnvelope]:
    return [
        CommandEnvelope(command_id=cid, type=c.type_name, payload=codec.dump(c), device_time=NOW) for cid, c in commands
    ]


def mixed_batch(store: Store, caller: Caller) -> list[CommandEnvelope]:
    """Every way one command of a batch can depend on another: reads of records written earlier in the batch,
    rejections, commands resting on a rejected one, a command id repeated, natural keys claimed twice."""
    first, second = visible_assets(store, caller)[:2]
    ticket, lost_ticket, visit, serial = new_id(), new_id(), new_id(), first["serial"][:-4] + "9876"
    note_id = new_id()
    repeated = new_id()
    commands: list[tuple[str, Command]] = [
        (new_id(), OpenTicket(ticket_id=ticket, asset_id=first["id"], symptom="fan 3", severity=Severity.MINOR)),
        # Reads the ticket staged just before (and changes it: responded).
        (new_id(), StartVisit(visit_id=visit, asset_id=first["id"], ticket_id=ticket)),
        (new_id(), AddNote(note_id=note_id, subject_collection="visits", subject_id=visit, text="on site")),
        (repeated, AddNote(note_id=new_id(), subject_collection="assets", subject_id=second["id"], text="once")),
        # Rejected (no such chassis); the note on its ticket then has nothing to hang on.
        (new_id(), OpenTicket(ticket_id=lost_ticket, asset_id="no-such-asset", symptom="x", severity=Severity.MINOR)),
        (new_id(), AddNote(note_id=new_id(), subject_collection="tickets", subject_id=lost_ticket, text="lost")),
        # The same command id again, with another payload: the first outcome is the answer.
        (repeated, AddNote(note_id=new_id(), subject_collection="assets", subject_id=second["id"], text="twice")),
        # Two edits of one field, both based on the value the device saw: the second one finds the first's.
        (
            new_id(),
            EditAsset(
                asset_id=second["id"],
                base_version=None,
                changes=(FieldChange(field="lot", base_value=second["lot"], new_value="LOT-A"),),
            ),
        ),
        (
            new_id(),
            EditAsset(
                asset_id=second["id"],
                base_version=None,
                changes=(FieldChange(field="lot", base_value=second["lot"], new_value="LOT-B"),),
            ),
        ),
        # A serial already taken, then a new serial claimed twice: the second claim is a duplicate.
        (new_id(), register(first["serial"], first["org_id"])),
        (new_id(), register(serial, first["org_id"])),
        (new_id(), register(serial, first["org_id"])),
        # A create naming an id written earlier in the batch: a create only creates, so it is refused.
        (new_id(), AddNote(note_id=note_id, subject_collection="assets", subject_id=second["id"], text="same id")),
    ]
    return envelopes(commands)


def register(serial: str, org_id: str) -> RegisterAsset:
    return RegisterAsset(asset_id=new_id(), serial=serial, sku_id=sid("sku", "R2"), revision="B", owner_org_id=org_id)


def answers(results: list[CommandResult]) -> list[dict[str, Any]]:
    return [r.model_dump(mode="json") for r in results]


def stored(store: Store) -> tuple[dict[str, list[dict[str, Any]]], int]:
    rows = snapshot(store.engine)
    with store.engine.connect() as conn:
        outcomes = conn.execute(select(func.count()).select_from(applied_commands)).scalar_one()
    # Sorted: a table read without ORDER BY comes back in whatever order the rows were laid down.
    tables = ("records", "record_scopes", "applied_commands", "counters")
    return {
        name: sorted(rows[name], key=lambda r: json.dumps(r, sort_keys=True, default=str)) for name in tables
    }, outcomes


def restore(store: Store, rows: dict[str, list[dict[str, Any]]]) -> None:
    with store.engine.begin() as conn:
        for table in reversed(metadata.sorted_tables):
            conn.execute(delete(table))
        for table in metadata.sorted_tables:
            if rows[table.name]:
                conn.execute(insert(table), rows[table.name])


def test_a_staged_batch_answers_and_writes_exactly_as_one_command_at_a_time(seeded_store: Store) -> None:
    caller = engineer(seeded_store)
    batch = mixed_batch(seeded_store, caller)
    before = snapshot(seeded_store.engine)

    staged = push(seeded_store, caller, batch, now=NOW, max_skew=SKEW)
    staged_rows, _ = stored(seeded_store)
    restore(seeded_store, before)
    one_by_one = push_one_by_one(seeded_store, caller, batch, parse_batch(batch), now=NOW, max_skew=SKEW)
    one_by_one_rows, _ = stored(seeded_store)

    assert answers(staged) == answers(one_by_one)
    assert staged_rows == one_by_one_rows
    statuses = [(r.status.value, r.error.code if r.error else None) for r in staged]
    assert statuses == [
        ("applied", None),
        ("applied", None),
        ("applied", None),
        ("applied", None),
        ("rejected", "not_found"),
        ("rejected", "not_found"),
        ("duplicate", None),
        ("applied", None),
        ("applied", None),
        ("rejected", "duplicate"),
        ("applied", None),
        ("rejected", "duplicate"),
        ("rejected", "already_exists"),
    ], statuses
    # The visit saw the ticket opened before it in the batch, and answered it.
    ticket = next(r for r in staged[1].records if r.collection == "tickets")
    assert ticket.data is not None and ticket.data["status"] == "responded"
    assert ticket.version > staged[0].records[0].version
    # The second edit found the first one's value: kept, with a conflict recorded.
    assert {r.collection for r in staged[8].records} == {"assets", "conflicts"}
    versions = [w.version for r in staged if r.status.value == "applied" for w in r.records]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)


def test_a_replayed_batch_gets_every_first_outcome_again_and_writes_nothing(seeded_store: Store) -> None:
    caller = engineer(seeded_store)
    batch = mixed_batch(seeded_store, caller)
    first = push(seeded_store, caller, batch, now=NOW, max_skew=SKEW)
    rows, outcomes = stored(seeded_store)

    again = push(seeded_store, caller, batch, now=NOW + timedelta(minutes=5), max_skew=SKEW)

    assert stored(seeded_store) == (rows, outcomes)
    assert [r.status.value for r in again] == ["duplicate"] * len(batch)
    firsts = [r.first_status.value if r.first_status else r.status.value for r in first]
    assert [r.first_status.value for r in again if r.first_status] == firsts
    assert [r.error for r in again] == [r.error for r in first]
    # Each duplicate carries the server's current copy of what the command wrote.
    edited = again[8].records
    assert [r.data["lot"] for r in edited if r.collection == "assets" and r.data] == ["LOT-B"]


def test_a_command_id_saved_by_another_push_after_the_batch_looked_is_answered_as_a_duplicate(
    seeded_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    caller = engineer(seeded_store)
    asset = visible_assets(seeded_store, caller)[0]
    note = AddNote(note_id=new_id(), subject_collection="assets", subject_id=asset["id"], text="raced")
    [raced] = envelopes([(new_id(), note)])
    fresh = envelopes(
        [(new_id(), AddNote(note_id=new_id(), subject_collection="assets", subject_id=asset["id"], text="n"))]
    )
    [first] = push(seeded_store, caller, [raced], now=NOW, max_skew=SKEW)
    # The other push commits between this batch's look-up of its command ids and its commit: the look-up misses it.
    monkeypatch.setattr(StoreTxn, "command_results", lambda self, ids, user_id: {})

    results = push(seeded_store, caller, [*fresh, raced], now=NOW, max_skew=SKEW)

    assert [r.status.value for r in results] == ["applied", "duplicate"]
    assert results[1].first_status is not None and results[1].first_status.value == "applied"
    assert [r.id for r in results[1].records] == [r.id for r in first.records]
    _, outcomes = stored(seeded_store)
    with seeded_store.engine.connect() as conn:
        raced_rows = conn.execute(
            select(func.count()).select_from(applied_commands).where(applied_commands.c.command_id == raced.command_id)
        ).scalar_one()
    assert raced_rows == 1


def rmas_in(store: Store, status: str) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        rows = conn.execute(select(records.c.data).where(records.c.collection == "rmas").order_by(records.c.version))
        return [r for r in (json.loads(row.data) for row in rows) if r["status"] == status]


def test_an_rma_number_taken_by_a_command_rejected_later_goes_back_to_the_counter(seeded_store: Store) -> None:
    _device, token, _user = enroll(
        seeded_store.engine, username="desk", password=DEMO_PASSWORD, device_name="t", now=NOW
    )
    desk = authenticate(seeded_store.engine, token)
    triage = rmas_in(seeded_store, "triage")
    approvals: list[tuple[str, Command]] = [
        (new_id(), AdvanceRma(rma_id=rma["id"], to_status=RmaStatus.APPROVED, lane=RmaLane.REPAIR, model=model))
        for model in (ServiceModel.ADVANCE_EXCHANGE, None)
        for rma in triage
    ]
    batch = envelopes(approvals)
    before = snapshot(seeded_store.engine)

    staged = push(seeded_store, desk, batch, now=NOW, max_skew=SKEW)
    staged_rows, _ = stored(seeded_store)
    restore(seeded_store, before)
    one_by_one = push_one_by_one(seeded_store, desk, batch, parse_batch(batch), now=NOW, max_skew=SKEW)

    assert answers(staged) == answers(one_by_one)
    assert staged_rows == stored(seeded_store)[0]
    statuses = [(r.status.value, r.error.code if r.error else None) for r in staged]
    # The standard RMA offered advance exchange took a number, then was refused: the number is not lost.
    assert statuses == [
        ("rejected", "forbidden"),
        ("applied", None),
        ("applied", None),
        ("rejected", "illegal_transition"),
    ]
    counter = {row["name"]: row["value"] for row in before["counters"]}.get(RMA_COUNTER, 0)
    numbers = [r.records[0].data["number"] for r in staged[1:3] if r.records[0].data]
    assert numbers == [format_rma_number(counter + 1, year=NOW.year), format_rma_number(counter + 2, year=NOW.year)]
    assert {row["name"]: row["value"] for row in staged_rows["counters"]}[RMA_COUNTER] == counter + 2


def caller_of(store: Store, username: str) -> Caller:
    _device, token, _user = enroll(store.engine, username=username, password=DEMO_PASSWORD, device_name="t", now=NOW)
    return authenticate(store.engine, token)


@pytest.mark.parametrize("path", ["staged", "one_by_one"])
def test_a_command_id_is_one_users_another_users_same_id_is_neither_answered_nor_blocked(
    seeded_store: Store, path: str
) -> None:
    desk, mine = caller_of(seeded_store, "desk"), engineer(seeded_store)
    asset = visible_assets(seeded_store, mine)[0]
    shared_id = new_id()
    # The desk's command is rejected (no such asset), with details the engineer must never be told.
    missing = AddNote(note_id=new_id(), subject_collection="assets", subject_id="x", text="n")
    [theirs] = envelopes([(shared_id, missing)])
    [first] = push(seeded_store, desk, [theirs], now=NOW, max_skew=SKEW)
    assert first.status.value == "rejected"
    note = AddNote(note_id=new_id(), subject_collection="assets", subject_id=asset["id"], text="mine")
    [own] = envelopes([(shared_id, note)])

    def send(caller: Caller, batch: list[CommandEnvelope]) -> list[CommandResult]:
        if path == "staged":
            return push(seeded_store, caller, batch, now=NOW, max_skew=SKEW)
        return push_one_by_one(seeded_store, caller, batch, parse_batch(batch), now=NOW, max_skew=SKEW)

    [result] = send(mine, [own])
    assert (result.status.value, result.error) == ("applied", None)
    [again] = send(mine, [own])
    assert again.status.value == "duplicate" and again.first_status is not None
    assert again.first_status.value == "applied"
    [theirs_again] = send(desk, [theirs])
    assert theirs_again.status.value == "duplicate" and theirs_again.first_status is not None
    assert theirs_again.first_status.value == "rejected"
