"""Failed sign-in attempts, counted per username and per client address, to slow password guessing.

Each key keeps the times of its recent failed attempts (a sliding window). While a key holds ``max_failures`` of
them, further attempts are refused without checking the password, until the oldest one leaves the window. An attempt
counts as failed from the moment it is allowed, so a burst of parallel guesses cannot all slip in before the first
of them is known to be wrong; a successful one takes its mark back and clears its username, so a user who mistyped
a few times (fewer than the limit) signs in at once, as fast as without the throttle.

A success does not clear its address: on a shared address an attacker holding one valid account could otherwise
reset the count between guesses at the others.

The counts live in this process's memory: right for the embedded server (one process). Several server processes
each count on their own, which multiplies the allowance by their number; a restart forgets them.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass

from server.settings import Settings


class Throttled(Exception):
    """Too many recent failed attempts: try again in ``retry_after`` seconds (whole, at least 1)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"try again in {retry_after} seconds")
        self.retry_after = retry_after


@dataclass(frozen=True, kw_only=True)
class Limit:
    max_failures: int
    window_seconds: float


class _Window:
    """Failure times per key, oldest key first; at most ``max_keys`` keys, so a flood of made-up usernames costs
    bounded memory (the least recently failed keys are forgotten first)."""

    def __init__(self, limit: Limit, *, max_keys: int) -> None:
        self.limit = limit
        self.max_keys = max_keys
        self.failures: OrderedDict[str, deque[float]] = OrderedDict()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self.failures.get(key)
        if times is None:
            return deque()
        while times and times[0] <= now - self.limit.window_seconds:
            times.popleft()
        if not times:
            del self.failures[key]
        return times

    def wait(self, key: str, now: float) -> float:
        """Seconds until ``key`` may try again; 0 when it may now."""
        times = self._recent(key, now)
        if len(times) < self.limit.max_failures:
            return 0.0
        return times[len(times) - self.limit.max_failures] + self.limit.window_seconds - now

    def mark(self, key: str, now: float) -> None:
        times = self.failures.setdefault(key, deque())
        times.append(now)
        self.failures.move_to_end(key)
        while len(self.failures) > self.max_keys:
            self.failures.popitem(last=False)

    def unmark(self, key: str, when: float) -> None:
        times = self.failures.get(key)
        if times is not None and when in times:
            times.remove(when)
            if not times:
                del self.failures[key]

    def clear(self, key: str) -> None:
        self.failures.pop(key, None)


class SignInThrottle:
    def __init__(
        self,
        *,
        per_username: Limit,
        per_address: Limit,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        self._usernames = _Window(per_username, max_keys=max_keys)
        self._addresses = _Window(per_address, max_keys=max_keys)
        self._clock = clock
        self._lock = threading.Lock()

    def attempt(self, *, username: str, address: str) -> float:
        """Allow a password check, or raise Throttled. The allowed attempt counts as failed until ``succeeded`` is
        called with the ticket returned here."""
        with self._lock:
            now = self._clock()
            wait = max(self._usernames.wait(username, now), self._addresses.wait(address, now))
            if wait > 0:
                raise Throttled(max(1, math.ceil(wait)))
            self._usernames.mark(username, now)
            self._addresses.mark(address, now)
            return now

    def succeeded(self, *, username: str, address: str, ticket: float) -> None:
        with self._lock:
            self._usernames.clear(username)
            self._addresses.unmark(address, ticket)


def sign_in_throttle(settings: Settings) -> SignInThrottle:
    window = settings.sign_in_window_seconds
    return SignInThrottle(
        per_username=Limit(max_failures=settings.sign_in_failures_per_username, window_seconds=window),
        per_address=Limit(max_failures=settings.sign_in_failures_per_address, window_seconds=window),
    )
