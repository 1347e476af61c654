"""Leases in the database, on SQLite and PostgreSQL: one holder at a time, renewal by the holder, takeover after
expiry; and the abandoned-upload sweep of several server processes runs in one of them per interval."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

from server import lease
from server.blobs.store import DirectoryBlobStore
from server.blobs.sweeper import Sweeper
from server.store import Store

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_one_holder_at_a_time_until_it_expires_or_is_released(store: Store) -> None:
    engine = store.engine
    assert lease.acquire(engine, "job", holder="a", now=T0, seconds=60) is True
    assert lease.acquire(engine, "job", holder="b", now=T0 + timedelta(seconds=30), seconds=60) is False
    assert lease.acquire(engine, "job", holder="a", now=T0 + timedelta(seconds=30), seconds=60) is True  # renewed
    assert lease.acquire(engine, "job", holder="b", now=T0 + timedelta(seconds=80), seconds=60) is False
    assert lease.acquire(engine, "job", holder="b", now=T0 + timedelta(seconds=91), seconds=60) is True  # expired
    assert lease.acquire(engine, "other job", holder="a", now=T0 + timedelta(seconds=91), seconds=60) is True
    lease.release(engine, "job", holder="a")  # not the holder any more: changes nothing
    assert lease.acquire(engine, "job", holder="c", now=T0 + timedelta(seconds=100), seconds=60) is False
    lease.release(engine, "job", holder="b")
    assert lease.acquire(engine, "job", holder="c", now=T0 + timedelta(seconds=100), seconds=60) is True


def test_of_many_processes_asking_at_once_exactly_one_gets_the_lease(store: Store) -> None:
    barrier = threading.Barrier(8)
    winners: list[str] = []

    def ask(holder: str) -> None:
        barrier.wait()
        if lease.acquire(store.engine, "race", holder=holder, now=T0, seconds=60):
            winners.append(holder)

    threads = [threading.Thread(target=ask, args=(f"process-{n}",)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(winners) == 1


def test_of_two_server_processes_one_sweeps_per_interval(store: Store, tmp_path: Path) -> None:
    blobs = DirectoryBlobStore(tmp_path / "blobs")
    first, second = (
        Sweeper(blobs=blobs, engine=store.engine, max_age_seconds=3600, interval_seconds=3600, holder=holder)
        for holder in ("first", "second")
    )
    assert first.sweep_once() == 0  # swept (nothing was abandoned)
    assert second.sweep_once() is None  # the first holds the lease for this interval
    assert first.sweep_once() == 0  # the holder sweeps again next interval
