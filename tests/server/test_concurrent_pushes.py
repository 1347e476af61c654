"""Concurrent push batches on PostgreSQL (docs/architecture.md, "Versions and concurrent pushes").

A batch decides without holding the version counter and takes it only to write: so one batch deciding never holds
up another, a batch whose reads were changed by a batch that committed meanwhile is redone instead of writing on
stale reads, and versions still become visible in the order they were handed out.

PostgreSQL only: on SQLite every writer holds the database's write lock from BEGIN, so writers queue by design (the
storage contract and the push-batch tests run on both backends).
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from server.accounts import Caller, authenticate, enroll
from server.apply import push
from server.db import make_engine
from server.migrate import upgrade
from server.seed import DEMO_PASSWORD, seed
from server.staged import StagedBatch
from server.store import Store, WriteConflict
from server.tables import applied_commands, records
from sync.domain.commands import AddNote, EditAsset, FieldChange
from sync.protocol import CommandEnvelope
from tests.conftest import database_url
from tests.server.records import everything, item
from tests.server.test_push_batches import envelopes, visible_assets

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SKEW = timedelta(days=30)
WAIT = 20.0  # seconds a thread may take before the test calls it blocked


@pytest.fixture
def pg(tmp_path: Path) -> Iterator[Store]:
    url = database_url("postgres", tmp_path)
    upgrade(url)
    store = Store(make_engine(url))
    yield store
    store.engine.dispose()


def in_thread(work: Callable[[], object]) -> tuple[threading.Thread, list[object]]:
    """Run ``work`` in a thread; its result (or exception) lands in the list."""
    out: list[object] = []

    def run() -> None:
        try:
            out.append(work())
        except Exception as exc:  # handed to the test, which asserts on it
            out.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, out


def flushed(store: Store, *writes: str, reads: tuple[str, ...] = ()) -> list[int]:
    """A whole batch in its own transaction: read ``reads``, stage ``writes``, flush, commit. Its final versions."""
    with store.transaction() as txn:
        batch = StagedBatch(txn)
        for record_id in reads:
            batch.get("assets", record_id)
        staged = batch.stage([item(w) for w in writes])
        batch.flush()
        return [batch.final_version(s.version) for s in staged]


def test_a_batch_deciding_holds_up_no_other_batch(pg: Store) -> None:
    flushed(pg, "a1", "a2")
    with pg.transaction() as txn:
        slow = StagedBatch(txn)
        slow.get("assets", "a1")
        [provisional] = slow.stage([item("n-slow")])
        # While the slow batch is still deciding, another batch reads, writes and commits.
        thread, out = in_thread(lambda: flushed(pg, "n-fast", reads=("a2",)))
        thread.join(WAIT)
        assert not thread.is_alive(), "the second batch waited for the first one to finish deciding"
        assert out == [[3]]
        slow.flush()
        final = slow.final_version(provisional.version)
    assert (provisional.version, final) == (3, 4)
    assert [(r.id, r.version) for r in everything(pg)] == [("a1", 1), ("a2", 2), ("n-fast", 3), ("n-slow", 4)]


@pytest.mark.parametrize(
    ("read", "committed_meanwhile"),
    [
        pytest.param(lambda b: b.get("assets", "a1"), item("a1", revision=2), id="record-rewritten"),
        pytest.param(lambda b: b.get("assets", "new"), item("new"), id="record-created"),
        pytest.param(lambda b: b.find("assets", "SER-1"), item("other", natural_key="SER-1"), id="natural-key-taken"),
        pytest.param(
            lambda b: b.children("notes", "a1"),
            item("note-9", collection="notes", parent_key="a1"),
            id="child-added",
        ),
    ],
)
def test_a_batch_whose_reads_changed_meanwhile_conflicts_and_writes_nothing(
    pg: Store, read: Callable[[StagedBatch], object], committed_meanwhile: object
) -> None:
    flushed(pg, "a1")
    with pytest.raises(WriteConflict), pg.transaction() as txn:
        batch = StagedBatch(txn)
        read(batch)
        batch.stage([item("n1")])
        with pg.transaction() as other:
            other.write([committed_meanwhile])  # type: ignore[list-item]
        batch.flush()
    assert "n1" not in {r.id for r in everything(pg)}


def test_a_batch_whose_reads_are_untouched_writes_after_what_committed_meanwhile(pg: Store) -> None:
    flushed(pg, "a1", "a2")
    with pg.transaction() as txn:
        batch = StagedBatch(txn)
        batch.get("assets", "a1")
        batch.find("assets", "SER-1")
        batch.children("notes", "a1")
        [staged] = batch.stage([item("n1", collection="notes", parent_key="a1")])
        with pg.transaction() as other:
            other.write([item("a2", revision=2), item("b", natural_key="SER-2"), item("c", parent_key="a2")])
        batch.flush()
        assert batch.final_version(staged.version) == 6
    assert [(r.id, r.version) for r in everything(pg)] == [("a1", 1), ("a2", 3), ("b", 4), ("c", 5), ("n1", 6)]


def test_a_counter_moved_by_another_batch_meanwhile_is_a_conflict(pg: Store) -> None:
    with pytest.raises(WriteConflict), pg.transaction() as txn:
        batch = StagedBatch(txn)
        assert batch.next_value("rma_number") == 1
        with pg.transaction() as other:
            other.next_value("rma_number")
        batch.flush()
    with pg.transaction() as txn:
        assert txn.counter_value("rma_number") == 1


def test_versions_become_visible_in_the_order_they_were_handed_out(pg: Store) -> None:
    """A reader must never pass a version that commits later: the second batch to write waits for the first to
    commit, so a pull sees neither, then the first, then both; never the second without the first."""
    flushed(pg, "a0")
    with pg.transaction() as txn:
        first = StagedBatch(txn)
        first.stage([item("first")])
        first.flush()  # holds the version counter until this transaction ends
        thread, out = in_thread(lambda: flushed(pg, "second"))
        time.sleep(0.5)
        assert thread.is_alive(), "the second batch wrote while the first held the versions before it"
        assert [r.id for r in everything(pg, since=1)] == [] and pg.head_version() == 1
    thread.join(WAIT)
    assert out == [[3]]
    assert [(r.id, r.version) for r in everything(pg, since=1)] == [("first", 2), ("second", 3)]


@pytest.fixture
def seeded_pg(pg: Store) -> Store:
    seed(pg, assets=10)
    return pg


def enrolled(store: Store, name: str) -> Caller:
    _device, token, _user = enroll(store.engine, username="engineer", password=DEMO_PASSWORD, device_name=name, now=NOW)
    return authenticate(store.engine, token)


def test_concurrent_pushes_editing_one_chassis_lose_no_update(seeded_pg: Store) -> None:
    """Eight devices edit one chassis's lot at once, each from the value they all saw. Run one after another, the
    first edit applies and each later one finds a value it did not expect and keeps it as a conflict: exactly seven
    conflicts. Two batches deciding on the same read and both applying cleanly would leave fewer."""
    devices = 8
    callers = [enrolled(seeded_pg, f"device-{n}") for n in range(devices)]
    asset = visible_assets(seeded_pg, callers[0])[0]
    batches: list[list[CommandEnvelope]] = [
        envelopes(
            [
                (
                    str(uuid.uuid4()),
                    AddNote(
                        note_id=str(uuid.uuid4()), subject_collection="assets", subject_id=asset["id"], text=f"d{n}"
                    ),
                ),
                (
                    str(uuid.uuid4()),
                    EditAsset(
                        asset_id=asset["id"],
                        base_version=None,
                        changes=(FieldChange(field="lot", base_value=asset["lot"], new_value=f"LOT-{n}"),),
                    ),
                ),
            ]
        )
        for n in range(devices)
    ]
    start = threading.Barrier(devices)

    def device(n: int) -> list[str]:
        start.wait()
        return [r.status.value for r in push(seeded_pg, callers[n], batches[n], now=NOW, max_skew=SKEW)]

    threads = [in_thread(lambda n=n: device(n)) for n in range(devices)]  # type: ignore[misc]
    for thread, _ in threads:
        thread.join(WAIT * 3)
    assert [out for _, out in threads] == [[["applied", "applied"]]] * devices
    with seeded_pg.engine.connect() as conn:
        conflicts = conn.execute(
            select(func.count()).select_from(records).where(records.c.collection == "conflicts")
        ).scalar_one()
        outcomes = conn.execute(select(func.count()).select_from(applied_commands)).scalar_one()
        versions = conn.execute(select(records.c.version)).scalars().all()
    assert conflicts == devices - 1
    assert outcomes == devices * 2
    assert len(versions) == len(set(versions)) and max(versions) == seeded_pg.head_version()


def test_two_first_uses_of_a_counter_on_a_brand_new_database_both_succeed_in_order(pg: Store) -> None:
    """Both transactions find no row for the counter; the second waits for the first and then counts on from it,
    instead of failing its whole push on the counter's primary key."""
    first_took = threading.Event()
    release = threading.Event()

    def first() -> int:
        with pg.transaction() as txn:
            value = txn.next_value("rma:quarry:2026")
            first_took.set()
            release.wait(WAIT)
            return value

    def second() -> int:
        with pg.transaction() as txn:
            return txn.next_value("rma:quarry:2026")

    one, one_out = in_thread(first)
    assert first_took.wait(WAIT)
    two, two_out = in_thread(second)
    time.sleep(0.5)  # the second is now waiting on the first's uncommitted row
    assert two.is_alive(), two_out
    release.set()
    one.join(WAIT)
    two.join(WAIT)
    assert (one_out, two_out) == ([1], [2])
