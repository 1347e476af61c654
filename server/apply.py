"""Replays pushed commands through sync/domain, each command all or nothing, and remembers every outcome.

A batch runs in one database transaction: a rejected command undoes only its own writes, and the answer goes back
only after the commit, so a client never learns of an outcome that could still be lost. A command id seen before
gets its first outcome again (``duplicate``) and changes nothing. Command ids are per user: the same id from another
user is another command, never answered with (nor blocked by) this one's outcome.

Normally a batch is staged (server/staged.py): its reads are cached and its writes held in memory, then written in
a few statements. It first runs optimistically, without holding the version counter while it decides, so concurrent
batches proceed side by side; if another batch committed a change to something it read, it runs again, and after
OPTIMISTIC_TRIES such clashes it runs with the counter locked from the start (docs/architecture.md).

If that final write clashes with another transaction (a command id or a natural key saved meanwhile), the batch is
undone and replayed one command at a time, a savepoint each, where every clash gets its own per-command answer.
Both ways give the same answers; tests/server/test_push_batches.py holds them to it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy.exc import IntegrityError

from server.accounts import Caller
from server.blobs.catalog import Naming
from server.metrics import PUSH_CONFLICTS
from server.scope import Scope
from server.staged import StagedBatch
from server.store import (
    CommandOutcome,
    NaturalKeyTaken,
    RecordWrite,
    Store,
    StoredCommand,
    StoredRecord,
    StoreTxn,
    WriteConflict,
)
from sync import codec
from sync.domain.commands import Command
from sync.domain.entity import Entity
from sync.domain.errors import AlreadyExists, DomainError, DuplicateRecord, Forbidden
from sync.domain.handlers import decide
from sync.domain.org import Actor
from sync.domain.rma import format_rma_number
from sync.protocol import CommandEnvelope, CommandResult, ErrorInfo, ResultStatus, WireRecord

E = TypeVar("E", bound=Entity)
RMA_COUNTER = "rma_number"
# Optimistic runs of a batch before it takes the version counter for its whole run: a clash means another batch
# wrote what this one read (the same chassis, ticket or counter), and a batch that keeps losing must still finish.
OPTIMISTIC_TRIES = 3


def effective_time(device_time: datetime | None, server_now: datetime, max_skew: timedelta) -> datetime:
    """When the user did it, as far as facts go: the device's word, clamped to [now - max_skew, now].

    Device clocks never order anything; this only fills timestamps like ``performed_at``. A device clock set to the
    future, or years in the past, cannot push an SLA clock or a return window around.
    """
    if device_time is None or device_time.tzinfo is None:
        return server_now
    moment = device_time.astimezone(UTC)
    return min(max(moment, server_now - max_skew), server_now)


class Records(Protocol):
    """What replaying a command reads and counts with: a StoreTxn, or a StagedBatch over one."""

    def get(self, collection: str, record_id: str) -> StoredRecord | None: ...

    def find(self, collection: str, natural_key: str) -> StoredRecord | None: ...

    def children(self, collection: str, parent_key: str) -> list[StoredRecord]: ...

    def next_value(self, counter: str) -> int: ...

    def blob_naming(self, sha256: str, *, org_id: str, scope: Scope) -> Naming | None: ...


class ServerContext:
    def __init__(
        self, txn: Records, caller: Caller, now: datetime, decoded: dict[tuple[str, str, int], Entity] | None = None
    ) -> None:
        self._txn = txn
        self._caller = caller
        self._now = now
        # Records already turned into entities, by (collection, id, version): a batch's commands read the same site
        # and contracts again and again. Only where a version never names two contents (a staged batch).
        self._decoded = decoded
        # Blobs this command may name because the caller can already read them (not because its org uploaded
        # them): the namings it writes count for others at once (tables.blob_refs.vouched).
        self.vouched: set[str] = set()

    @property
    def actor(self) -> Actor:
        return self._caller.actor

    @property
    def now(self) -> datetime:
        return self._now

    def _visible(self, kind: type[E], stored: StoredRecord | None) -> E | None:
        if stored is None or stored.deleted or stored.data is None or not self._caller.scope.sees(stored.scope):
            return None
        if self._decoded is None:
            return codec.load(kind, json.loads(stored.data))
        key = (stored.collection, stored.id, stored.version)
        entity = self._decoded.get(key)
        if not isinstance(entity, kind):
            entity = self._decoded[key] = codec.load(kind, json.loads(stored.data))
        return entity

    def get(self, kind: type[E], record_id: str) -> E | None:
        return self._visible(kind, self._txn.get(kind.collection, record_id))

    def find(self, kind: type[E], natural_key: str) -> E | None:
        return self._visible(kind, self._txn.find(kind.collection, natural_key))

    def children(self, kind: type[E], parent_id: str) -> list[E]:
        found = (self._visible(kind, r) for r in self._txn.children(kind.collection, parent_id))
        return [e for e in found if e is not None]

    def exists(self, collection: str, record_id: str) -> bool:
        return self._txn.get(collection, record_id) is not None

    def may_name_blob(self, sha256: str) -> bool:
        """True if the caller's organization uploaded this blob, the caller can read it through a record it sees, or
        nobody has uploaded it yet (a device pushes a photo's record before its bytes; that naming grants reading only
        once the caller's organization uploads them). Never true for another organization's blob named by hash alone.
        """
        naming = self._txn.blob_naming(sha256, org_id=self._caller.actor.org_id, scope=self._caller.scope)
        if naming == "readable":
            self.vouched.add(sha256)
        return naming is not None

    def blob_names_of(self, entity: Entity) -> frozenset[str]:
        """The blobs the stored copy of ``entity``'s record names (none if it is new)."""
        stored = self._txn.get(entity.collection, entity.id)
        if stored is None or stored.deleted or stored.data is None:
            return frozenset()
        return codec.load(type(entity), json.loads(stored.data)).blob_names()

    def issue_rma_number(self) -> str | None:
        return format_rma_number(self._txn.next_value(RMA_COUNTER), year=self._now.year)


def record_write(entity: Entity, *, named_by: str | None = None, vouched: frozenset[str] = frozenset()) -> RecordWrite:
    """How ``entity`` is stored; ``named_by`` is the organization whose command wrote it (None: its own, as when
    seeding) and ``vouched`` the blobs that organization could read when naming them (see tables.blob_refs)."""
    return RecordWrite(
        collection=entity.collection,
        id=entity.id,
        org_id=entity.org_id,
        natural_key=entity.natural_key(),
        parent_key=entity.parent_key(),
        scope=entity.scope_keys(),
        data=codec.dumps(codec.dump(entity)),
        blobs=entity.blob_names(),
        named_by=named_by,
        vouched=vouched & entity.blob_names(),
    )


def _record_writes(entities: Sequence[Entity], context: ServerContext, caller: Caller) -> list[RecordWrite]:
    vouched = frozenset(context.vouched)
    return [record_write(e, named_by=caller.actor.org_id, vouched=vouched) for e in entities]


def wire_record(stored: StoredRecord, caller: Caller) -> WireRecord:
    if stored.deleted or stored.data is None or not caller.scope.sees(stored.scope):
        return WireRecord(collection=stored.collection, id=stored.id, version=stored.version, deleted=True)
    return WireRecord(collection=stored.collection, id=stored.id, version=stored.version, data=json.loads(stored.data))


def _current(txn: Records, caller: Caller, keys: Sequence[tuple[str, str]]) -> list[WireRecord]:
    """The server's copy of records, as this caller may see them (unseen ones are left out, not tombstoned)."""
    out = []
    for collection, record_id in keys:
        stored = txn.get(collection, record_id)
        if stored is not None and caller.scope.sees(stored.scope):
            out.append(wire_record(stored, caller))
    return out


def parse_batch(envelopes: Sequence[CommandEnvelope]) -> list[Command]:
    """Every command of a batch, or the first malformed one's error: a batch is checked whole before any applies."""
    commands = []
    for index, envelope in enumerate(envelopes):
        try:
            commands.append(codec.load_command(envelope.type, envelope.payload))
        except DomainError as err:
            err.details = {**err.details, "index": index, "command_id": envelope.command_id}
            raise
    return commands


def push(
    store: Store, caller: Caller, envelopes: Sequence[CommandEnvelope], *, now: datetime, max_skew: timedelta
) -> list[CommandResult]:
    commands = parse_batch(envelopes)
    try:
        for attempt in range(OPTIMISTIC_TRIES + 1):
            try:
                with store.transaction() as txn:
                    batch = StagedBatch(txn, lock_first=attempt == OPTIMISTIC_TRIES)
                    return _push_staged(batch, txn, caller, envelopes, commands, now=now, max_skew=max_skew)
            except WriteConflict:
                PUSH_CONFLICTS.inc()
                continue
        raise AssertionError("a batch run with the version counter locked cannot conflict")
    except (IntegrityError, NaturalKeyTaken):
        # Another transaction saved one of these command ids, or took a natural key, after this batch looked.
        return push_one_by_one(store, caller, envelopes, commands, now=now, max_skew=max_skew)


def push_one_by_one(
    store: Store,
    caller: Caller,
    envelopes: Sequence[CommandEnvelope],
    commands: Sequence[Command],
    *,
    now: datetime,
    max_skew: timedelta,
) -> list[CommandResult]:
    """The batch replayed a savepoint per command: slow, but every clash with a concurrent push is per command."""
    with store.transaction() as txn:
        # The version counter first, as a flushing batch takes it: a rejected command saves its outcome and an RMA
        # command takes a number before any write would take the counter, and the other order could deadlock.
        txn.lock_versions()
        return [
            _apply_one(txn, caller, envelope, command, now=now, max_skew=max_skew)
            for envelope, command in zip(envelopes, commands, strict=True)
        ]


def _push_staged(
    batch: StagedBatch,
    txn: StoreTxn,
    caller: Caller,
    envelopes: Sequence[CommandEnvelope],
    commands: Sequence[Command],
    *,
    now: datetime,
    max_skew: timedelta,
) -> list[CommandResult]:
    answered = txn.command_results((e.command_id for e in envelopes), user_id=caller.actor.user_id)
    # The records a batch is about, read in a few queries: its commands' subjects, and what replays send back.
    # The ids commands create are looked up too: the create-only check reads each one, and one query for the whole
    # batch costs less than a round trip per command (a fifth of a 20-note push on PostgreSQL).
    batch.prefetch(
        [
            *(key for command in commands for key in command.subjects()),
            *(key for command in commands for key in command.creates()),
            *((c, i) for stored in answered.values() for c, i in json.loads(stored.result).get("records", [])),
        ]
    )
    results = []
    for envelope, command in zip(envelopes, commands, strict=True):
        earlier = answered.get(envelope.command_id)
        if earlier is not None:
            results.append(_duplicate(batch, caller, envelope.command_id, earlier.status, earlier.result))
            continue
        result, outcome = _apply_staged(batch, caller, envelope, command, now=now, max_skew=max_skew)
        batch.outcomes.append(outcome)
        # The same command id again later in this batch is a duplicate of this outcome.
        answered[envelope.command_id] = StoredCommand(
            command_id=outcome.command_id, status=outcome.status, result=outcome.result
        )
        results.append(result)
    batch.flush()
    return [_final_versions(batch, r) for r in results]


def _final_versions(batch: StagedBatch, result: CommandResult) -> CommandResult:
    """The answer with the versions its records got when the batch was written (see StagedBatch.final_version)."""
    records = [r.model_copy(update={"version": batch.final_version(r.version)}) for r in result.records]
    return result.model_copy(update={"records": records})


def _apply_staged(
    batch: StagedBatch,
    caller: Caller,
    envelope: CommandEnvelope,
    command: Command,
    *,
    now: datetime,
    max_skew: timedelta,
) -> tuple[CommandResult, CommandOutcome]:
    context = ServerContext(batch, caller, effective_time(envelope.device_time, now, max_skew), batch.decoded)
    try:
        with batch.attempt():
            entities = _decide(command, context, batch, caller)
            try:
                written = batch.stage(_record_writes(entities, context, caller))
            except NaturalKeyTaken as exc:
                raise DuplicateRecord(str(exc), details=exc.details()) from exc
    except DomainError as err:
        error = ErrorInfo(code=err.code, message=err.message, details=err.details)
        subjects = list(command.subjects())
        outcome = _outcome(
            caller, envelope, ResultStatus.REJECTED, {"error": error.model_dump(), "records": subjects}, now
        )
        result = CommandResult(
            command_id=envelope.command_id,
            status=ResultStatus.REJECTED,
            error=error,
            records=_current(batch, caller, subjects),
        )
        return result, outcome
    keys = [[s.collection, s.id] for s in written]
    result = CommandResult(
        command_id=envelope.command_id,
        status=ResultStatus.APPLIED,
        records=[wire_record(s, caller) for s in written],
    )
    return result, _outcome(caller, envelope, ResultStatus.APPLIED, {"records": keys}, now)


def _decide(command: Command, context: ServerContext, txn: Records, caller: Caller) -> list[Entity]:
    entities = decide(command, context)
    for entity in entities:
        if not caller.scope.may_write(entity.org_id):
            raise Forbidden(f"you may not write records of organization {entity.org_id}")
        # The backstop behind ``decide``'s create-only rule: handlers read only what the caller sees, so a record
        # the caller cannot see that a command would write is one it would make from nothing over someone else's
        # (a derived id, such as a stock level or a part named by its serial). Refused without saying whose.
        stored = txn.get(entity.collection, entity.id)
        if stored is not None and not caller.scope.sees(stored.scope):
            raise AlreadyExists(
                f"a record this command would write already exists ({entity.collection})",
                details={"collection": entity.collection},
            )
        # Whatever command wrote it, a record may newly name only blobs the caller may name (its declared blob
        # fields; a hash in text names nothing). The same answer for a blob that exists and one that does not.
        names = entity.blob_names()
        if names:
            for name in sorted(names - context.blob_names_of(entity)):
                if not context.may_name_blob(name):
                    raise Forbidden("a record may only name a blob your organization uploaded or can already see")
    return entities


def _duplicate(txn: Records, caller: Caller, command_id: str, status: str, result: str) -> CommandResult:
    stored: dict[str, Any] = json.loads(result)
    keys = [(c, i) for c, i in stored.get("records", [])]
    error = ErrorInfo(**stored["error"]) if stored.get("error") else None
    return CommandResult(
        command_id=command_id,
        status=ResultStatus.DUPLICATE,
        first_status=ResultStatus(status),
        error=error,
        records=_current(txn, caller, keys),
    )


def _apply_one(
    txn: StoreTxn, caller: Caller, envelope: CommandEnvelope, command: Command, *, now: datetime, max_skew: timedelta
) -> CommandResult:
    previous = txn.command_result(envelope.command_id, user_id=caller.actor.user_id)
    if previous is not None:
        return _duplicate(txn, caller, envelope.command_id, previous.status, previous.result)
    context = ServerContext(txn, caller, effective_time(envelope.device_time, now, max_skew))
    try:
        with txn.savepoint():
            entities = _decide(command, context, txn, caller)
            try:
                written = txn.write(_record_writes(entities, context, caller))
            except NaturalKeyTaken as exc:
                raise DuplicateRecord(str(exc), details=exc.details()) from exc
            keys = [[s.collection, s.id] for s in written]
            _save(txn, caller, envelope, ResultStatus.APPLIED, {"records": keys}, now)
        return CommandResult(
            command_id=envelope.command_id,
            status=ResultStatus.APPLIED,
            records=[wire_record(s, caller) for s in written],
        )
    except IntegrityError:
        # A concurrent request saved the same command id first (its savepoint is undone): its outcome wins.
        again = txn.command_result(envelope.command_id, user_id=caller.actor.user_id)
        if again is None:
            raise
        return _duplicate(txn, caller, envelope.command_id, again.status, again.result)
    except DomainError as err:
        error = ErrorInfo(code=err.code, message=err.message, details=err.details)
        subjects = list(command.subjects())
        try:
            with txn.savepoint():
                _save(
                    txn,
                    caller,
                    envelope,
                    ResultStatus.REJECTED,
                    {"error": error.model_dump(), "records": subjects},
                    now,
                )
        except IntegrityError:
            # The same command id was saved by a concurrent request in the meantime: its outcome wins.
            again = txn.command_result(envelope.command_id, user_id=caller.actor.user_id)
            if again is not None:
                return _duplicate(txn, caller, envelope.command_id, again.status, again.result)
            raise
        return CommandResult(
            command_id=envelope.command_id,
            status=ResultStatus.REJECTED,
            error=error,
            records=_current(txn, caller, subjects),
        )


def _outcome(
    caller: Caller, envelope: CommandEnvelope, status: ResultStatus, result: dict[str, Any], now: datetime
) -> CommandOutcome:
    return CommandOutcome(
        command_id=envelope.command_id,
        device_id=caller.actor.device_id,
        user_id=caller.actor.user_id,
        type_name=envelope.type,
        status=status.value,
        result=codec.dumps(result),
        at=now,
    )


def _save(
    txn: StoreTxn,
    caller: Caller,
    envelope: CommandEnvelope,
    status: ResultStatus,
    result: dict[str, Any],
    now: datetime,
) -> None:
    txn.save_command_results([_outcome(caller, envelope, status, result, now)])
