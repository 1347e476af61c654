"""A push batch's reads and writes, held in memory over one transaction and written in a few statements at the end.

Replaying a command one statement at a time (a savepoint, an id lookup, each read, a counter update, the write, the
outcome: ~13 round trips through SQLAlchemy) is what made a push of 1,000 commands take two seconds. Here:

- each command's writes are staged (with their versions, in order) and later reads see them, exactly as if they
  had been written: ``get``, ``find`` and ``children`` answer from the staged writes first, and everything read
  from the database is cached for the whole batch;
- a command that fails stages nothing, and counters it moved (RMA numbers) move back (``attempt``);
- ``flush`` writes every staged record, the counters and every outcome in a handful of statements.

Concurrent batches (docs/architecture.md, "Versions and concurrent pushes"). An *optimistic* batch takes no lock
while it reads and decides: it notes the committed head version when it starts, remembers every record, natural
key, parent and counter it read, and takes the version counter lock only in ``flush``. Holding it, it looks at what
was committed since it started; if any of that touches what it read, the batch raises WriteConflict and the caller
redoes it. Otherwise its decisions are exactly what they would have been had it run alone at the end, so it takes
real versions (the provisional ones it staged, shifted by what others committed meanwhile: ``final_version``),
writes and commits with the lock held, which keeps versions visible in commit order. A *locked* batch
(``lock_first``) takes the counter lock before reading, as every batch once did: it cannot conflict, and it is the
last resort after repeated conflicts. On SQLite every writer holds the database's write lock from BEGIN, so the two
are the same.

A natural key is checked against the staged writes and the database before a command's writes are staged, so a
clash rejects that command only, as the database's unique constraint would have.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from server.blobs.catalog import Naming
from server.scope import Scope
from server.store import CommandOutcome, NaturalKeyTaken, RecordWrite, StoredRecord, StoreTxn, WriteConflict
from sync.domain.entity import Entity

Key = tuple[str, str]


@dataclass(frozen=True)
class _Staged:
    record: StoredRecord
    natural_key: str | None
    parent_key: str | None


class StagedBatch:
    def __init__(self, txn: StoreTxn, *, lock_first: bool = False) -> None:
        self._txn = txn
        self._locked = lock_first
        # Optimistic: the committed head, so everything at or below it is what later reads see at least.
        self._base = txn.lock_versions() if lock_first else txn.committed_head()
        self._version = self._base
        self._shift = 0  # provisional to real versions, known after flush
        self._writes: list[RecordWrite] = []
        self._staged: dict[Key, _Staged] = {}  # ordered by each record's latest write
        self._natural: dict[Key, str] = {}  # (collection, natural key) -> id, of staged records
        self._staged_children: dict[Key, dict[str, None]] = {}  # (collection, parent) -> ids, by latest write
        self._read: dict[Key, StoredRecord | None] = {}
        self._found: dict[Key, StoredRecord | None] = {}
        self._children: dict[Key, list[StoredRecord]] = {}
        self._counters: dict[str, int] = {}
        self._counters_read: dict[str, int] = {}
        self.outcomes: list[CommandOutcome] = []
        self.decoded: dict[tuple[str, str, int], Entity] = {}  # for ServerContext: versions here are never reused

    # reads ----------------------------------------------------------------------------------------------------
    def prefetch(self, keys: Iterable[Key]) -> None:
        """Read these records in a few queries now instead of one query each later."""
        wanted = [k for k in dict.fromkeys(keys) if k not in self._read]
        found = self._txn.get_many(wanted)
        for key in wanted:
            self._read[key] = found.get(key)

    def get(self, collection: str, record_id: str) -> StoredRecord | None:
        key = (collection, record_id)
        staged = self._staged.get(key)
        if staged is not None:
            return staged.record
        if key not in self._read:
            self._read[key] = self._txn.get(collection, record_id)
        return self._read[key]

    def find(self, collection: str, natural_key: str) -> StoredRecord | None:
        holder = self._natural.get((collection, natural_key))
        if holder is not None:
            return self._staged[(collection, holder)].record
        key = (collection, natural_key)
        if key not in self._found:
            found = self._found[key] = self._txn.find(collection, natural_key)
            if found is not None:
                self._read.setdefault((collection, found.id), found)
        stored = self._found[key]
        # A staged write of that record took the key elsewhere (it would be in ``_natural`` otherwise).
        return None if stored is None or (collection, stored.id) in self._staged else stored

    def children(self, collection: str, parent_key: str) -> list[StoredRecord]:
        key = (collection, parent_key)
        if key not in self._children:
            self._children[key] = self._txn.children(collection, parent_key)
            for child in self._children[key]:
                self._read.setdefault((collection, child.id), child)
        # Rewritten records get a newer version, so they come after the others, in the order they were written.
        kept = [r for r in self._children[key] if (collection, r.id) not in self._staged]
        staged = [self._staged[(collection, i)].record for i in self._staged_children.get(key, ())]
        return kept + staged

    def blob_naming(self, sha256: str, *, org_id: str, scope: Scope) -> Naming | None:
        # Read from the database, not the staged writes: a naming staged in this batch was itself allowed by this.
        return self._txn.blob_naming(sha256, org_id=org_id, scope=scope)

    def next_value(self, counter: str) -> int:
        if counter not in self._counters:
            # Read without a lock when optimistic: flush adds what this batch took, under the version lock.
            value = self._txn.next_value(counter, step=0) if self._locked else self._txn.counter_value(counter)
            self._counters[counter] = self._counters_read[counter] = value
        self._counters[counter] += 1
        return self._counters[counter]

    # writes ---------------------------------------------------------------------------------------------------
    @contextmanager
    def attempt(self) -> Iterator[None]:
        """One command: if the block raises, counters it moved go back (its writes were never staged)."""
        counters = dict(self._counters)
        try:
            yield
        except BaseException:
            self._counters = counters
            raise

    def stage(self, items: list[RecordWrite]) -> list[StoredRecord]:
        """Write records (as far as this batch can tell), with fresh versions in ``items`` order; raises
        NaturalKeyTaken, staging none of them, when a natural key belongs to another record."""
        self._check_natural_keys(items)
        written = []
        for item in items:
            self._version += 1
            key = (item.collection, item.id)
            record = StoredRecord(
                collection=item.collection,
                id=item.id,
                org_id=item.org_id,
                version=self._version,
                deleted=False,
                data=item.data,
                scope=item.scope,
            )
            old = self._staged.pop(key, None)
            if old is not None:
                if old.natural_key is not None:
                    del self._natural[(item.collection, old.natural_key)]
                if old.parent_key is not None:
                    del self._staged_children[(item.collection, old.parent_key)][item.id]
            self._staged[key] = _Staged(record, item.natural_key, item.parent_key)
            if item.natural_key is not None:
                self._natural[(item.collection, item.natural_key)] = item.id
            if item.parent_key is not None:
                self._staged_children.setdefault((item.collection, item.parent_key), {})[item.id] = None
            self._writes.append(item)
            written.append(record)
        return written

    def _check_natural_keys(self, items: list[RecordWrite]) -> None:
        claimed: dict[Key, str] = {}
        # What the records written by this call will hold once written: a record may hand its key to another.
        rekeyed = {(i.collection, i.id): i.natural_key for i in items}
        for item in items:
            if item.natural_key is None:
                continue
            key = (item.collection, item.natural_key)
            holder = claimed.setdefault(key, item.id)
            if holder == item.id:
                found = self.find(item.collection, item.natural_key)
                if found is None or rekeyed.get((found.collection, found.id), item.natural_key) != item.natural_key:
                    holder = item.id
                else:
                    holder = found.id
            if holder != item.id:
                raise NaturalKeyTaken.of(item.collection, item.natural_key)

    def flush(self) -> None:
        """Write everything staged, the counters and the outcomes. WriteConflict: a transaction that committed
        after this batch began changed something it read (redo the batch). An IntegrityError means another
        transaction got in first (a command id, a natural key): the caller rolls the batch back."""
        if not self._locked:
            head = self._txn.lock_versions()  # waits for any batch flushing now; all up to head is committed
            if head != self._base:
                self._check_unchanged()
            self._shift = head - self._base
            self._locked = True
        for counter, value in self._counters.items():
            moved = value - self._counters_read[counter]
            if moved and self._txn.next_value(counter, step=moved) != value:
                # Another batch took numbers from this counter since this one read it.
                raise WriteConflict(f"counter {counter} moved while the batch was deciding")
        written = self._txn.write(self._writes)
        if written and written[-1].version != self._version + self._shift:
            raise RuntimeError("the version counter moved while it was locked")
        self._txn.save_command_results(self.outcomes)

    def final_version(self, version: int) -> int:
        """The version a record read or staged by this batch has once flushed: staged versions are provisional
        (they start at the head this batch began from) and move up past whatever others committed meanwhile."""
        return version + self._shift if version > self._base else version

    def _check_unchanged(self) -> None:
        read = set(self._read)  # records found absent too: one created since is a change
        for changed in self._txn.changed_since(self._base):
            if (
                (changed.collection, changed.id) in read
                or (changed.natural_key is not None and (changed.collection, changed.natural_key) in self._found)
                or (changed.parent_key is not None and (changed.collection, changed.parent_key) in self._children)
            ):
                raise WriteConflict(f"{changed.collection} {changed.id} changed while the batch was deciding")
