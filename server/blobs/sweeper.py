"""Abandoned uploads are swept: once when the server starts, then every ``interval`` while it runs.

A device that lost its signal mid-upload resumes from the kept offset, so staged bytes are kept for a long time
(``Settings.blob_staging_max_age_seconds``, a day by default); only bytes untouched for that long go. The store
decides per upload under the upload's own lock, so a sweep never removes an upload a request is writing to.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.concurrency import run_in_threadpool

from server.blobs.store import BlobStore

log = logging.getLogger("rackside.server.blobs")


async def sweep_once(blobs: BlobStore, *, max_age_seconds: float) -> int:
    swept = await run_in_threadpool(lambda: blobs.sweep_staging(older_than_seconds=max_age_seconds))
    if swept:
        log.info("swept %d abandoned uploads", swept)
    return swept


async def _sweep_forever(blobs: BlobStore, *, max_age_seconds: float, interval_seconds: float) -> None:
    while True:
        await asyncio.sleep(interval_seconds)
        try:
            await sweep_once(blobs, max_age_seconds=max_age_seconds)
        except Exception as exc:
            # A full or unmounted disk (or a bug) must not stop the next sweep, nor the server.
            log.warning("sweeping abandoned uploads failed: %s", type(exc).__name__)


@asynccontextmanager
async def staging_sweeper(
    blobs: BlobStore, *, max_age_seconds: float, interval_seconds: float
) -> AsyncIterator[asyncio.Task[None]]:
    """Sweep now, then keep sweeping in the background until the block ends (the server's lifespan)."""
    await sweep_once(blobs, max_age_seconds=max_age_seconds)
    task = asyncio.create_task(
        _sweep_forever(blobs, max_age_seconds=max_age_seconds, interval_seconds=interval_seconds),
        name="rackside-staging-sweeper",
    )
    try:
        yield task
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
