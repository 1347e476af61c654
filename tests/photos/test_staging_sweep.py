"""Abandoned uploads are swept from a real staging folder, at server start and periodically, and a sweep never
removes an upload that a request is writing or has touched recently."""

from __future__ import annotations

import asyncio
import fcntl
import hashlib
import os
import threading
import time
from pathlib import Path

import pytest

from server.app import create_app
from server.blobs.store import DirectoryBlobStore, OffsetMismatch
from server.migrate import upgrade
from server.settings import Settings
from tests.support.asgi import run_lifespan

HOUR = 3600.0


def key(n: int) -> str:
    return hashlib.sha256(f"upload-{n}".encode()).hexdigest()


def staged(store: DirectoryBlobStore, n: int, data: bytes, *, age_seconds: float = 0.0) -> Path:
    store.append(key(n), offset=0, data=data)
    path = store.root / "staging" / key(n)
    if age_seconds:
        then = time.time() - age_seconds
        os.utime(path, (then, then))
    return path


def test_a_sweep_removes_only_uploads_untouched_for_longer_than_the_threshold(tmp_path: Path) -> None:
    store = DirectoryBlobStore(tmp_path)
    old = staged(store, 1, b"abandoned", age_seconds=2 * HOUR)
    recent = staged(store, 2, b"paused a while", age_seconds=HOUR / 2)
    fresh = staged(store, 3, b"just written")
    stray = tmp_path / "staging" / "README"  # not a name the server makes: never touched
    stray.write_text("keep")
    os.utime(stray, (0, 0))

    assert store.sweep_staging(older_than_seconds=HOUR) == 1

    assert not old.exists()
    assert recent.read_bytes() == b"paused a while" and fresh.read_bytes() == b"just written"
    assert stray.exists()
    assert store.staged_size(key(1)) == 0  # a returning device is told to start over, not to continue into nothing


def test_an_old_upload_whose_append_is_in_progress_is_not_swept(tmp_path: Path) -> None:
    store = DirectoryBlobStore(tmp_path)
    path = staged(store, 1, b"slow link", age_seconds=2 * HOUR)
    with open(path, "ab") as writer:
        fcntl.flock(writer.fileno(), fcntl.LOCK_EX)  # what append holds while a chunk is being written
        assert store.sweep_staging(older_than_seconds=HOUR) == 0
        assert path.read_bytes() == b"slow link"
    assert store.sweep_staging(older_than_seconds=HOUR) == 1


def test_an_upload_touched_after_the_folder_was_listed_is_kept(tmp_path: Path) -> None:
    store = DirectoryBlobStore(tmp_path)
    path = staged(store, 1, b"first chunk", age_seconds=2 * HOUR)
    store.append(key(1), offset=len(b"first chunk"), data=b", second")  # the device came back: mtime is now
    assert store.sweep_staging(older_than_seconds=HOUR) == 0
    assert path.read_bytes() == b"first chunk, second"


def test_an_append_that_raced_a_sweep_is_told_to_start_over_instead_of_writing_into_a_removed_file(
    tmp_path: Path,
) -> None:
    store = DirectoryBlobStore(tmp_path)
    path = staged(store, 1, b"0123456789", age_seconds=2 * HOUR)
    outcome: list[BaseException | int] = []

    def append_next_chunk() -> None:
        try:
            outcome.append(store.append(key(1), offset=10, data=b"abcdef"))
        except OffsetMismatch as exc:
            outcome.append(exc)

    with open(path, "rb") as sweeper:
        fcntl.flock(sweeper.fileno(), fcntl.LOCK_EX)  # the sweep holds the upload's lock...
        writer = threading.Thread(target=append_next_chunk)
        writer.start()
        time.sleep(0.1)  # ...while the append opens the file and waits for the lock
        path.unlink()  # the sweep removes it, then lets go
    writer.join(timeout=5)

    assert len(outcome) == 1 and isinstance(outcome[0], OffsetMismatch), outcome
    assert outcome[0].staged == 0
    assert store.staged_size(key(1)) == 0  # the 6 bytes were not reported as kept in a file nobody can read


def test_the_server_sweeps_at_start_and_then_periodically(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    blob_dir = tmp_path / "blobs"
    store = DirectoryBlobStore(blob_dir)
    at_start = staged(store, 1, b"left from yesterday", age_seconds=2 * HOUR)
    kept = staged(store, 2, b"in progress")
    url = f"sqlite:///{tmp_path / 'server.db'}"
    upgrade(url)  # as `rackside server` does before it serves: the sweep's lease lives in the database
    settings = Settings(
        database_url=url,
        blob_dir=str(blob_dir),
        blob_staging_max_age_seconds=HOUR,
        blob_sweep_interval_seconds=0.05,
    )
    app = create_app(settings)
    later: list[Path] = []

    async def while_running() -> None:
        assert not at_start.exists(), "swept at start"
        later.append(staged(store, 3, b"abandoned while running", age_seconds=2 * HOUR))
        for _ in range(100):
            if not later[0].exists():
                return
            await asyncio.sleep(0.02)

    caplog.set_level("INFO", logger="rackside.server.blobs")
    sent = asyncio.run(run_lifespan(app, while_running))

    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert not later[0].exists(), "swept by the periodic sweep"
    assert kept.read_bytes() == b"in progress"
    assert [r.getMessage() for r in caplog.records].count("swept 1 abandoned uploads") == 2
