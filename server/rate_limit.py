"""Pushes and pulls per device: a token bucket each, so one device (a runaway sync loop, a stolen token) cannot take
the server from everyone else. Over the limit a request answers 429 ``rate_limited`` with Retry-After; the client
treats that like no answer and tries again later (sync/transport.py), so nothing is lost or rejected.

The buckets live in this process's memory, not the database, on purpose: counting in the database would turn every
pull page into a write transaction, and on SQLite every writer waits for every other, so the guard would cost more
than what it guards. Each server process therefore counts on its own: with ``--workers N`` a device may send up to N
times the limit. The defaults are generous (a device syncs every 30 s; a full first pull is a few dozen pages), so
they are a brake on abuse, not a quota; the enrollment throttle, which is a security boundary, is in the database.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass(frozen=True, kw_only=True)
class Rate:
    per_minute: float
    burst: int


class DeviceRateLimiter:
    """Token buckets by (device, kind); at most ``max_keys`` kept, the least recently used forgotten first (a
    forgotten bucket starts full again, which only ever errs on the side of the device)."""

    def __init__(
        self, rates: dict[str, Rate], *, clock: Callable[[], float] = time.monotonic, max_keys: int = 100_000
    ) -> None:
        self._rates = rates
        self._clock = clock
        self._max_keys = max_keys
        self._buckets: OrderedDict[tuple[str, str], tuple[float, float]] = OrderedDict()  # tokens, at
        self._lock = threading.Lock()

    def take(self, device_id: str, kind: str) -> None:
        """Spend one request of ``kind`` for this device, or raise RateLimited."""
        rate = self._rates[kind]
        per_second = rate.per_minute / 60
        with self._lock:
            now = self._clock()
            key = (device_id, kind)
            tokens, at = self._buckets.get(key, (float(rate.burst), now))
            tokens = min(float(rate.burst), tokens + (now - at) * per_second)
            if tokens < 1:
                self._buckets[key] = (tokens, now)
                raise RateLimited(max(1, math.ceil((1 - tokens) / per_second)))
            self._buckets[key] = (tokens - 1, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)
