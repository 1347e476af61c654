"""Abandoned uploads are swept: once when the server starts, then every ``interval`` while it runs.

A device that lost its signal mid-upload resumes from the kept offset, so staged bytes are kept for a long time
(``Settings.blob_staging_max_age_seconds``, a day by default); only bytes untouched for that long go, with their
rows in the unfinished-upload ledger. The store decides per upload (the directory store under the upload's own
lock), so a sweep never removes an upload a request is writing to.

Several server processes share one database and one store: each sweep first takes the ``blob-staging-sweep`` lease
in the database (server/lease.py) for one interval, so one process sweeps per interval however many run; when it
stops, another takes over once the lease expires.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from server import lease
from server.blobs.store import BlobStore
from server.blobs.uploads import UploadLedger

log = logging.getLogger("rackside.server.blobs")

LEASE = "blob-staging-sweep"


@dataclass(frozen=True, kw_only=True)
class Sweeper:
    blobs: BlobStore
    engine: Engine
    max_age_seconds: float
    interval_seconds: float
    holder: str

    def sweep_once(self) -> int | None:
        """Sweep if this process holds the lease; how many uploads went, or None when another process sweeps."""
        now = datetime.now(UTC)
        if not lease.acquire(self.engine, LEASE, holder=self.holder, now=now, seconds=self.interval_seconds):
            return None
        swept = self.blobs.sweep_staging(older_than_seconds=self.max_age_seconds)
        UploadLedger(self.engine).sweep(untouched_since=now - timedelta(seconds=self.max_age_seconds))
        return swept


async def sweep_once(sweeper: Sweeper) -> int | None:
    swept = await run_in_threadpool(sweeper.sweep_once)
    if swept:
        log.info("swept %d abandoned uploads", swept)
    return swept


async def _sweep_forever(sweeper: Sweeper) -> None:
    while True:
        await asyncio.sleep(sweeper.interval_seconds)
        try:
            await sweep_once(sweeper)
        except Exception as exc:
            # A full or unmounted disk, an unreachable bucket or database (or a bug) must not stop the next
            # sweep, nor the server.
            log.warning("sweeping abandoned uploads failed: %s", type(exc).__name__)


@asynccontextmanager
async def staging_sweeper(
    blobs: BlobStore, *, engine: Engine, max_age_seconds: float, interval_seconds: float
) -> AsyncIterator[asyncio.Task[None]]:
    """Sweep now, then keep sweeping in the background until the block ends (the server's lifespan)."""
    sweeper = Sweeper(
        blobs=blobs,
        engine=engine,
        max_age_seconds=max_age_seconds,
        interval_seconds=interval_seconds,
        holder=uuid.uuid4().hex,
    )
    await sweep_once(sweeper)
    task = asyncio.create_task(_sweep_forever(sweeper), name="rackside-staging-sweeper")
    try:
        yield task
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        try:
            await run_in_threadpool(lease.release, engine, LEASE, holder=sweeper.holder)
        except Exception as exc:
            log.warning("giving up the sweep lease failed: %s", type(exc).__name__)
