"""Between two sync rounds: ask the server every few seconds whether it answers, and let stale news go.

A round runs every ``interval`` seconds (30 by default) and, while offline, after a growing backoff. Waiting for the
next round to find a lost connection took up to half a minute (26 s was measured), and a connection back could wait
minutes. The watch probes ``GET /api/v1/health`` (2 s timeout, no token) every ``PROBE_EVERY`` seconds instead: a
change of answer ends the wait at once, so the next round (or the offline chip) follows within seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Protocol

from app.services.sync_status import SyncPhase, SyncRunner

PROBE_EVERY = 3.0
log = logging.getLogger("rackside.ui")


class Watcher(Protocol):
    """What the watch needs of the UI: show the runner's status, and drop a feedback line that is stale."""

    def see_status(self) -> None: ...

    def expire_news(self, now: float) -> None: ...


async def wait_for_next_round(
    runner: SyncRunner, watcher: Watcher, delay: float, *, probe_every: float = PROBE_EVERY
) -> bool:
    """Wait up to ``delay`` seconds; True when the server's answer changed (a round should run now)."""
    deadline = time.monotonic() + delay
    online = runner.status.phase is not SyncPhase.OFFLINE
    while (left := deadline - time.monotonic()) > 0:
        await asyncio.sleep(min(probe_every, left))
        watcher.expire_news(time.monotonic())
        try:
            answered = await asyncio.to_thread(runner.probe)
        except Exception:  # noqa: BLE001 - the background task's boundary: a bug here must not stop syncing
            log.exception("reachability probe failed")
            return True
        if answered != online:
            watcher.see_status()
            return True
    return False
