"""Pushes and pulls per device: a token bucket each, so one device (a runaway sync loop, a stolen token) cannot take
the server from everyone else. Over the limit a request answers 429 ``rate_limited`` with Retry-After; the client
treats that like no answer and tries again later (sync/transport.py), so nothing is lost or rejected.

Where the buckets live follows the database, because that is where the server's processes meet:

- PostgreSQL (any number of processes, on any number of hosts): one row per (device, kind) in the
  ``device_rate_buckets`` table, refilled and spent by a single ``INSERT … ON CONFLICT DO UPDATE`` in its own short
  transaction, so every process sees one bucket and a device cannot get N times the limit by landing on N processes.
  The row lock is held for that one statement only; the table is UNLOGGED (no WAL: a crash forgets the buckets,
  which only ever errs on the side of the device) and its rows stay bounded by the number of devices.
- SQLite (embedded: ``rackside server`` refuses ``--workers`` above 1 there): this process's memory. There is only
  one process, and on SQLite every writer waits for every other, so a write per pull page would cost more than the
  guard is worth.

The defaults are generous (a device syncs every 30 s; a full first pull is a few dozen pages), so they are a brake
on abuse, not a quota.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Engine, Float, bindparam, case, func, literal
from sqlalchemy.dialects.postgresql import insert as pg_insert

from server.tables import device_rate_buckets


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass(frozen=True, kw_only=True)
class Rate:
    per_minute: float
    burst: int


class DeviceRateLimiter(Protocol):
    def take(self, device_id: str, kind: str) -> None:
        """Spend one request of ``kind`` for this device, or raise RateLimited."""


def _retry_after(tokens: float, per_second: float) -> int:
    return max(1, math.ceil((1 - tokens) / per_second))


class MemoryRateLimiter:
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
                raise RateLimited(_retry_after(tokens, per_second))
            self._buckets[key] = (tokens - 1, now)
            self._buckets.move_to_end(key)
            while len(self._buckets) > self._max_keys:
                self._buckets.popitem(last=False)


class DatabaseRateLimiter:
    """Token buckets by (device, kind) in PostgreSQL, shared by every server process on that database."""

    def __init__(self, engine: Engine, rates: dict[str, Rate], *, clock: Callable[[], float] = time.time) -> None:
        # Wall-clock seconds, not monotonic: the processes sharing a bucket may run on different hosts.
        self._engine = engine
        self._rates = rates
        self._clock = clock
        b = device_rate_buckets.c
        burst = bindparam("burst", type_=Float)
        per_second = bindparam("per_second", type_=Float)
        now = bindparam("now", type_=Float)
        stmt = pg_insert(device_rate_buckets).values(
            device_id=bindparam("device_id"), kind=bindparam("kind"), tokens=burst - 1, at=now, granted=True
        )
        # The bucket refilled for the time since its last request, capped at the burst; spent only if a whole token.
        refilled = func.least(burst, b.tokens + (now - b.at) * per_second)
        granted = refilled >= literal(1.0)
        self._statement = stmt.on_conflict_do_update(
            index_elements=[b.device_id, b.kind],
            set_={
                "tokens": case((granted, refilled - 1), else_=refilled),
                "at": now,
                "granted": granted,
            },
        ).returning(b.granted, b.tokens)

    def take(self, device_id: str, kind: str) -> None:
        rate = self._rates[kind]
        per_second = rate.per_minute / 60
        with self._engine.begin() as conn:
            granted, tokens = conn.execute(
                self._statement,
                {
                    "device_id": device_id,
                    "kind": kind,
                    "burst": float(rate.burst),
                    "per_second": per_second,
                    "now": self._clock(),
                },
            ).one()
        if not granted:
            raise RateLimited(_retry_after(float(tokens), per_second))


def device_rate_limiter(engine: Engine, rates: dict[str, Rate]) -> DeviceRateLimiter:
    """The database's buckets where several processes may share it (PostgreSQL), this process's own on SQLite."""
    if engine.dialect.name == "postgresql":
        return DatabaseRateLimiter(engine, rates)
    return MemoryRateLimiter(rates)
