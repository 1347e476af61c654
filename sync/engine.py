"""The sync engine: push the outbox in order, then pull pages of changes since the cursor until caught up.

No timers, no UI: the caller decides when to run ``sync_once`` (the app's background task, the CLI, a test), and
``Backoff`` says how long to wait after a failure. The one thread is the pull's: while the device commits a page, it
fetches the next one (one request in flight at a time, still in order), and it ends with the pull.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

from sync.errors import INVALID_CURSOR, BadRequest
from sync.outbox import ClientStore, OutboxEntry
from sync.pages import PulledPage
from sync.protocol import MAX_PULL_PAGE, MAX_PUSH_BATCH, CommandResult, ErrorInfo, ResultStatus
from sync.transport import HttpTransport

# The largest batch and page the protocol allows: on a field link a round trip costs more than the bytes it carries.
DEFAULT_PUSH_BATCH = MAX_PUSH_BATCH
# A full pull of a scope is bounded by this many pages; more means a cursor that never advances (a server bug).
MAX_PAGES_PER_SYNC = 100_000


@dataclass
class SyncReport:
    pushed: int = 0
    rejected: int = 0
    pulled: int = 0
    requests: int = 0
    resets: int = 0


@dataclass(frozen=True)
class Progress:
    phase: str  # "push" or "pull"
    done: int
    total: int | None


ProgressFn = Callable[[Progress], None]


@dataclass
class SyncEngine:
    store: ClientStore
    transport: HttpTransport
    push_batch: int = DEFAULT_PUSH_BATCH
    page_size: int = MAX_PULL_PAGE
    on_progress: ProgressFn = field(default=lambda _p: None)

    def sync_once(self) -> SyncReport:
        """One full round. Raises sync.errors.Offline (try later) or ServerRefused (see sync/errors.py)."""
        report = SyncReport()
        self.push(report)
        self.pull(report)
        return report

    def push(self, report: SyncReport) -> None:
        total = self.store.pending_count()
        batch = min(self.push_batch, MAX_PUSH_BATCH)
        recorded = False
        try:
            while entries := self.store.pending(limit=batch):
                results = self._push_batch(entries, report)
                self.store.record_results(results)
                recorded = True
                report.pushed += len(results)
                report.rejected += sum(1 for r in results if r.rejected)
                self.on_progress(Progress("push", report.pushed, total))
        finally:
            # Once per push, even one cut short: a command rejected in batch 1 may undo what batch 2 relied on.
            if recorded:
                self.store.refresh_overlay()

    def _push_batch(self, entries: list[OutboxEntry], report: SyncReport) -> list[CommandResult]:
        report.requests += 1
        try:
            return list(self.transport.push([e.envelope() for e in entries]).results)
        except BadRequest as err:
            if len(entries) == 1:
                # The server will never take this command as it is (e.g. a type it does not know). Keep it visible
                # as a rejection instead of blocking every command behind it forever.
                info = ErrorInfo(code=err.code, message=err.message, details=err.details)
                return [CommandResult(command_id=entries[0].command_id, status=ResultStatus.REJECTED, error=info)]
            # Find the one bad command: push the rest one by one (rare; only after a client or server bug).
            return [r for entry in entries for r in self._push_batch([entry], report)]

    def pull(self, report: SyncReport) -> None:
        # The server's query for a page and the device's commit of the one before take about as long as each other:
        # overlapped, a large pull takes the longer of the two instead of their sum. A page fetched ahead is only
        # used after the page before it is stored, and the cursor it was asked with is that page's cursor.
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="rackside-pull") as fetcher:
            ahead: Future[PulledPage] | None = None
            for _ in range(MAX_PAGES_PER_SYNC):
                report.requests += 1
                if ahead is not None:
                    page, ahead = ahead.result(), None
                else:
                    page = self._changes(self.store.cursor())
                if page.reset:
                    report.resets += 1
                    self.store.begin_reset()
                    continue
                if page.has_more:
                    ahead = fetcher.submit(self._changes, page.cursor)
                self.store.apply_page(page.changes, page.cursor, complete=not page.has_more)
                report.pulled += len(page.changes)
                self.on_progress(Progress("pull", report.pulled, None))
                if not page.has_more:
                    return
        raise RuntimeError("pull did not finish: the server's cursor is not advancing")

    def _changes(self, since: str) -> PulledPage:
        try:
            return self.transport.changes(since=since, limit=self.page_size)
        except BadRequest as err:
            if err.code != INVALID_CURSOR or not since:
                raise
            # The server never issued this cursor (restored from an older backup, say): start over, as on a reset.
            return PulledPage(changes=[], cursor="", has_more=True, reset=True)


@dataclass
class Backoff:
    """Exponential backoff with full jitter, from ``base`` up to ``cap`` seconds; ``reset`` after a success."""

    base: float = 2.0
    cap: float = 300.0
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def next_delay(self) -> float:
        self.failures += 1
        return self.rng.uniform(0, min(self.cap, self.base * 2 ** (self.failures - 1)))

    def reset(self) -> None:
        self.failures = 0
