"""The SLA breach sweep: a breach is raised by the server when it happens, not only when someone looks.

Each pass reads the open incidents, recomputes both clocks of each with the domain
(sync/domain/incident_terms.py: the incident's tier, severity and pauses, in its site's calendar) and, for each clock
past due that has no breach on record, replays a ``RecordBreach`` command as the server's own user through the same
path a device's push takes (server/apply.py). The breach is therefore a normal versioned change of the incident:
devices pull it, and the desk board shows it.

Exactly once, however often it runs and however many processes run it:
- one process sweeps at a time: each sweep first takes the ``sla-breach-sweep`` lease (server/lease.py);
- a breach already on the record is not asked for again (``breaches_to_record``), and the domain refuses a second
  one for the same clock;
- each command's id is derived from the incident, the clock and its due time, so a sweep that died after its
  commit and is redone gets ``duplicate`` answers; and two sweeps that both got that far (a lease lost mid-sweep)
  are serialised by the push path's version lock, where the second reads the first's breach and records nothing.

When to look again: the pass also computes the earliest due time of a clock still running (``next_breach_at``), and
the next pass comes a second after it, at most the configured interval later (``seconds_to_next``), so a breach is
recorded within seconds of happening. Meanwhile the lease holder watches, every ``WATCH_SECONDS``, the incidents
written since the pass by any process (``BreachSweeper.watch``: an incident opened, resumed or moved to another tier,
or pushed already late by a device back online) and wakes earlier for them. Waking early changes nothing above:
every pass takes the lease and records only what is due.

Restored, closed and imported incidents never escalate. Logs carry the incident id, the clock and the count, never
the symptom, the contact or anyone's name; ``rackside_sla_breaches_total{clock=...}`` counts what was recorded.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from starlette.concurrency import run_in_threadpool

from server import accounts, lease
from server.accounts import Caller
from server.apply import ServerContext, push
from server.metrics import SLA_BREACHES
from server.scope import Scope
from server.staged import StagedBatch
from server.store import Store
from sync import codec
from sync.domain.commands import RecordBreach
from sync.domain.incident_terms import ticket_clocks
from sync.domain.org import Actor, Role
from sync.domain.sla import Clock
from sync.domain.sla_alerts import breaches_to_record, escalates, next_breach_at
from sync.domain.sla_window import aware_utc
from sync.domain.ticket import Ticket
from sync.protocol import MAX_PUSH_BATCH, CommandEnvelope, ResultStatus

log = logging.getLogger("rackside.server.sla")

LEASE = "sla-breach-sweep"
# The server's own user: it appears as the author of recorded breaches and owns their command ids.
SWEEP_USER = "system:sla-sweep"
SWEEPER = Caller(
    actor=Actor(user_id=SWEEP_USER, org_id="system", role=Role.ADMIN, device_id="server"),
    scope=Scope(keys=None, write_orgs=None),
    name="SLA sweep",
)
# Command ids of breaches are uuid5 of this namespace and "<incident id>/<clock>/<due instant>": the same breach,
# the same id. The due time is in it because an outcome is kept per id: had a tier change relieved the clock just
# before the command arrived (refused: not breached), the clock breaching later, at its new due time, is another id.
_BREACH_IDS = uuid.UUID("6f0c1a52-8e5b-4c1e-9a57-1d2b3c4d5e6f")


def breach_command_id(ticket_id: str, clock: Clock, due: datetime | None) -> str:
    moment = "" if due is None else due.isoformat()
    return str(uuid.uuid5(_BREACH_IDS, f"{ticket_id}/{clock.value}/{moment}"))


@dataclass(frozen=True, kw_only=True)
class RaisedBreach:
    ticket_id: str
    clock: Clock
    # The clock's due time when the pass saw it breached (it names the command); not part of what a breach is.
    due: datetime | None = field(default=None, compare=False)


@dataclass(frozen=True, kw_only=True)
class Scan:
    """What one pass over the open incidents found: the breaches to record now, and the earliest due time of a clock
    still running (``sla_alerts.next_breach_at``), when the next breach can happen if nothing changes; None: none."""

    due: list[RaisedBreach]
    next_breach: datetime | None


def due_breaches(store: Store, *, now: datetime) -> list[RaisedBreach]:
    """Clocks of open incidents past due without a breach on record, as of ``now`` (reads only)."""
    return scan(store, now=now).due


def scan(store: Store, *, now: datetime, since: int = 0) -> Scan:
    """The breaches due as of ``now`` and the next one to come, from one computation of each open incident's clocks
    (reads only); ``since``: only the incidents written after that version (the watch between passes)."""
    written = store.live_records(Ticket.collection, since=since)
    tickets = [codec.load(Ticket, json.loads(r.data)) for r in written if r.data]
    wanted: list[RaisedBreach] = []
    upcoming: list[datetime] = []
    with store.reading() as txn:
        # One batch for the whole pass: each site and contract is read and decoded once, however many incidents.
        batch = StagedBatch(txn)
        reader = ServerContext(batch, SWEEPER, now, batch.decoded)
        for ticket in tickets:
            recorded = frozenset(c for c in Clock if ticket.breached_at(c) is not None)
            # Both breaches on record: nothing left to raise, so no clocks to compute (most long-open incidents).
            if not escalates(ticket.status) or len(recorded) == len(Clock):
                continue
            states = ticket_clocks(reader, ticket, now)
            wanted.extend(
                RaisedBreach(ticket_id=ticket.id, clock=c, due=states[c].due)
                for c in breaches_to_record(states, recorded)
            )
            # A clock with its breach on record is not waited for (a tier change may have moved its due later).
            coming = next_breach_at({c: state for c, state in states.items() if c not in recorded})
            if coming is not None:
                upcoming.append(aware_utc(coming))
    return Scan(due=wanted, next_breach=min(upcoming, default=None))


def record_breaches(store: Store, breaches: Sequence[RaisedBreach], *, now: datetime) -> list[RaisedBreach]:
    """Replay a RecordBreach per breach as the server's user; the ones applied now (not before, not refused)."""
    recorded: list[RaisedBreach] = []
    for start in range(0, len(breaches), MAX_PUSH_BATCH):
        chunk = breaches[start : start + MAX_PUSH_BATCH]
        envelopes = [
            CommandEnvelope(
                command_id=breach_command_id(b.ticket_id, b.clock, b.due),
                type=RecordBreach.type_name,
                payload=codec.dump(RecordBreach(ticket_id=b.ticket_id, clock=b.clock)),
            )
            for b in chunk
        ]
        results = push(store, SWEEPER, envelopes, now=now, max_skew=timedelta(0))
        for breach, result in zip(chunk, results, strict=True):
            # Applied with no record written: the breach was on the incident already (another pass got there first).
            if result.status is ResultStatus.APPLIED and result.records:
                recorded.append(breach)
                SLA_BREACHES.labels(breach.clock.value).inc()
                log.info("SLA breach recorded: incident %s, %s clock", breach.ticket_id, breach.clock.value)
            elif result.status is ResultStatus.REJECTED and result.error is not None:
                log.warning(
                    "SLA breach not recorded: incident %s, %s clock: %s",
                    breach.ticket_id,
                    breach.clock.value,
                    result.error.code,
                )
    return recorded


# The sweep wakes this long after the next due time (a clock is breached once now is past it, not at it), and never
# sooner than this after the last pass, whatever a clock says.
BREACH_MARGIN_SECONDS = 1.0
MIN_WAIT_SECONDS = 1.0
# Between passes the lease holder looks this often at the incidents written since (opened, resumed, re-tiered by any
# process): one indexed query, and a breach of one of them is due sooner than the planned pass only if it says so.
WATCH_SECONDS = 2.0


@dataclass(frozen=True, kw_only=True)
class Swept:
    """One sweep: the breaches recorded (None: another process holds the lease) and the next one to come."""

    recorded: list[RaisedBreach] | None
    next_breach: datetime | None
    # The store's head before the pass read the incidents: the watch looks at what was written after it. None: not
    # the lease holder, nothing to watch.
    seen: int | None = None


def _utcnow() -> datetime:
    # The server's now (server.accounts.utcnow), looked up at each call so the whole server shares one clock.
    return accounts.utcnow()


@dataclass(frozen=True, kw_only=True)
class BreachSweeper:
    store: Store
    interval_seconds: float
    holder: str
    # Injected so tests move time instead of sleeping; the lease runs on the same clock.
    clock: Callable[[], datetime] = field(default=_utcnow)

    @property
    def lease_seconds(self) -> float:
        # Held across the gap to the next sweep, so the same process keeps sweeping; a process that died hands over
        # after two intervals (at least a minute, so a long pass never outlives its lease).
        return max(2 * self.interval_seconds, 60.0)

    def sweep_once(self) -> list[RaisedBreach] | None:
        """Sweep if this process holds the lease: the breaches recorded, or None when another process sweeps."""
        return self.sweep().recorded

    def sweep(self) -> Swept:
        """One pass if this process holds the lease, and when the next breach can happen."""
        now = self.clock()
        if not self._hold():
            return Swept(recorded=None, next_breach=None)
        seen = self.store.head_version()  # before reading: whatever commits later is the watch's to see
        found = scan(self.store, now=now)
        # A pass over many incidents takes a while: renew before writing, and leave the writing to whoever took the
        # lease meanwhile (its own pass finds the same breaches; recording twice would be harmless, only wasted).
        if found.due and not self._hold():
            return Swept(recorded=None, next_breach=None)
        recorded = record_breaches(self.store, found.due, now=now)
        return Swept(recorded=recorded, next_breach=found.next_breach, seen=seen)

    def watch(self, since: int) -> tuple[int, datetime | None]:
        """The incidents written after version ``since`` by any process: the store's head read up to, and the earliest
        moment one of them can breach (now, if one already has; None: none can)."""
        seen = self.store.head_version()
        now = self.clock()
        found = scan(self.store, now=now, since=since)
        return seen, (now if found.due else found.next_breach)

    def seconds_to_next(self, swept: Swept) -> float:
        """How long to wait after ``swept``: until just past the next breach (a clock breaches once now is past its
        due time), at most the interval (incidents opened or resumed since the pass may breach sooner; another
        process's lease may lapse), at least a second."""
        if swept.next_breach is None:
            return self.interval_seconds
        return self.seconds_until(swept.next_breach)

    def seconds_until(self, breach: datetime) -> float:
        """How long to wait to see a breach due at ``breach``: just past it, at least a second, at most the interval."""
        wait = (breach - self.clock()).total_seconds() + BREACH_MARGIN_SECONDS
        return min(self.interval_seconds, max(MIN_WAIT_SECONDS, wait))

    def _hold(self) -> bool:
        return lease.acquire(self.store.engine, LEASE, holder=self.holder, now=self.clock(), seconds=self.lease_seconds)

    def release(self) -> None:
        lease.release(self.store.engine, LEASE, holder=self.holder)


async def _pass(sweeper: BreachSweeper) -> tuple[float, int | None]:
    """One sweep on a worker thread: the seconds to wait before the next (``seconds_to_next``), and the version the
    watch starts from."""
    swept = await run_in_threadpool(sweeper.sweep)
    if swept.recorded:
        log.info("SLA sweep recorded %d breaches", len(swept.recorded))
    return sweeper.seconds_to_next(swept), swept.seen


async def sweep_once(sweeper: BreachSweeper) -> float:
    """One sweep on a worker thread; the seconds to wait before the next (``seconds_to_next``)."""
    return (await _pass(sweeper))[0]


async def _sweep_guarded(sweeper: BreachSweeper) -> tuple[float, int | None]:
    try:
        return await _pass(sweeper)
    except Exception as exc:
        # An unreachable database (or a bug in one incident's data) must not stop the next sweep, nor the server.
        log.warning("the SLA breach sweep failed: %s", type(exc).__name__)
        return sweeper.interval_seconds, None


async def wait_for_next_pass(sweeper: BreachSweeper, wait: float, seen: int | None) -> None:
    """Sleep ``wait`` seconds, or less: the lease holder watches the incidents written meanwhile (``seen``: from that
    version) and wakes just past the first breach one of them brings sooner."""
    loop = asyncio.get_running_loop()
    wake = loop.time() + wait
    while (left := wake - loop.time()) > 0:
        await asyncio.sleep(min(WATCH_SECONDS, left))
        if seen is None:
            continue
        try:
            seen, soonest = await run_in_threadpool(sweeper.watch, seen)
        except Exception as exc:
            log.warning("watching for new incidents failed: %s", type(exc).__name__)  # the planned pass still comes
            continue
        if soonest is not None:
            wake = min(wake, loop.time() + sweeper.seconds_until(soonest))


async def _sweep_forever(sweeper: BreachSweeper, first: tuple[float, int | None]) -> None:
    wait, seen = first
    while True:
        await wait_for_next_pass(sweeper, wait, seen)
        wait, seen = await _sweep_guarded(sweeper)


@asynccontextmanager
async def breach_sweeper(
    store: Store, *, interval_seconds: float, clock: Callable[[], datetime] = _utcnow
) -> AsyncIterator[BreachSweeper | None]:
    """Sweep now, then again just after the next breach is due, at most ``interval_seconds`` later, in the background
    until the block ends (the server's lifespan); an interval of 0 or less turns the sweep off in this process."""
    if interval_seconds <= 0:
        yield None
        return
    sweeper = BreachSweeper(store=store, interval_seconds=interval_seconds, holder=uuid.uuid4().hex, clock=clock)
    first = await _sweep_guarded(sweeper)
    task = asyncio.create_task(_sweep_forever(sweeper, first), name="rackside-sla-sweeper")
    try:
        yield sweeper
    finally:
        task.cancel()
        try:
            await task
        except asyncio.CancelledError:
            pass
        try:
            await run_in_threadpool(sweeper.release)
        except Exception as exc:
            log.warning("giving up the SLA sweep lease failed: %s", type(exc).__name__)
