"""Failed sign-ins, counted in the database, to slow password guessing without letting a guesser lock anyone out.

Only failures count: a correct password is never refused for attempts that succeeded, so a team enrolling eight
devices at once all get in. Three sliding windows, each a limit of failures within a number of seconds:

- per (username, address): the lock-out. Five wrong passwords for ``eli`` from one address hold that address back
  for ``eli``; Eli, from the field, on another address, signs in as usual. A success clears this count.
- per username, from anywhere: a slower backstop (many more failures over a longer window) against one account
  guessed from many addresses. A success does not clear it, so a guesser cannot reset it by timing.
- per address, any username: one address guessing many accounts. A success does not clear it either: on a shared
  address an attacker holding one valid account could otherwise reset the count between guesses at the others.

The failures live in the ``sign_in_failures`` table, so several server processes (``--workers``, or several hosts
on one PostgreSQL) share one count, and a restart forgets nothing. Keys are SHA-256 digests: no username or address
is stored. A failure is recorded once its password check failed, so a burst of parallel guesses can pass a limit by
the number checked at the same moment (each check is a memory-hard argon2 hash, and the server checks a bounded
number at once); they are then all counted.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine, delete, func, insert, select

from server.db import READ_ONLY
from server.settings import Settings
from server.tables import sign_in_failures


class Throttled(Exception):
    """Too many recent failed attempts: try again in ``retry_after`` seconds (whole, at least 1)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass(frozen=True, kw_only=True)
class Limit:
    max_failures: int
    window_seconds: float


def _key(kind: str, *parts: str) -> str:
    return hashlib.sha256("\n".join((kind, *parts)).encode()).hexdigest()


class SignInThrottle:
    def __init__(
        self,
        engine: Engine,
        *,
        per_user_address: Limit,
        per_username: Limit,
        per_address: Limit,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._per_user_address = per_user_address
        self._per_username = per_username
        self._per_address = per_address
        self._longest = max(per_user_address.window_seconds, per_username.window_seconds, per_address.window_seconds)

    def _limits(self, username: str, address: str) -> list[tuple[str, Limit]]:
        return [
            (_key("user+address", username, address), self._per_user_address),
            (_key("user", username), self._per_username),
            (_key("address", address), self._per_address),
        ]

    def check(self, *, username: str, address: str) -> None:
        """Allow a password check, or raise Throttled while any window holds its limit of failures."""
        now = self._clock()
        wait = 0.0
        with self._engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            for key, limit in self._limits(username, address):
                times = (
                    conn.execute(
                        select(sign_in_failures.c.at)
                        .where(sign_in_failures.c.key == key, sign_in_failures.c.at > now - limit.window_seconds)
                        .order_by(sign_in_failures.c.at.desc())
                        .limit(limit.max_failures)
                    )
                    .scalars()
                    .all()
                )
                if len(times) >= limit.max_failures:
                    # The oldest of the newest ``max_failures`` leaving the window frees one attempt.
                    wait = max(wait, float(times[-1]) + limit.window_seconds - now)
        if wait > 0:
            raise Throttled(max(1, math.ceil(wait)))

    def failed(self, *, username: str, address: str) -> None:
        now = self._clock()
        with self._engine.begin() as conn:
            # Forget what every window has let go of: the table holds at most the failures of the longest window.
            conn.execute(delete(sign_in_failures).where(sign_in_failures.c.at <= now - self._longest))
            conn.execute(insert(sign_in_failures), [{"key": k, "at": now} for k, _ in self._limits(username, address)])

    def succeeded(self, *, username: str, address: str) -> None:
        with self._engine.begin() as conn:
            conn.execute(
                delete(sign_in_failures).where(sign_in_failures.c.key == _key("user+address", username, address))
            )

    def count(self) -> int:
        """Failure rows held (for tests: the table stays bounded)."""
        with self._engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(sign_in_failures)).scalar_one())


def sign_in_throttle(engine: Engine, settings: Settings) -> SignInThrottle:
    return SignInThrottle(
        engine,
        per_user_address=Limit(
            max_failures=settings.sign_in_failures_per_username, window_seconds=settings.sign_in_window_seconds
        ),
        per_username=Limit(
            max_failures=settings.sign_in_failures_per_username_anywhere,
            window_seconds=settings.sign_in_backstop_window_seconds,
        ),
        per_address=Limit(
            max_failures=settings.sign_in_failures_per_address, window_seconds=settings.sign_in_window_seconds
        ),
    )
