"""The storage contract: every method's rule is in its docstring, and tests/server/test_store_contract.py checks
each rule on SQLite and on PostgreSQL.

Records are stored as JSON text with a few indexed columns (natural key, parent key) beside them; the domain never
sees SQL, and the server never re-parses a record just to send it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, Engine, and_, exists, insert, select, update
from sqlalchemy.exc import IntegrityError

from server.db import READ_ONLY
from server.scope import Scope
from server.tables import applied_commands, counters, metadata, record_scopes, records

VERSION_COUNTER = "version"


class StoreError(Exception):
    """Base of storage errors."""


class NaturalKeyTaken(StoreError):
    """Another record of the collection already has this natural key (serial, RMA number)."""


@dataclass(frozen=True, kw_only=True)
class RecordWrite:
    collection: str
    id: str
    org_id: str
    natural_key: str | None
    parent_key: str | None
    scope: frozenset[str]
    data: str


@dataclass(frozen=True, kw_only=True)
class StoredRecord:
    collection: str
    id: str
    org_id: str
    version: int
    deleted: bool
    data: str | None
    scope: frozenset[str]


@dataclass(frozen=True, kw_only=True)
class StoredCommand:
    command_id: str
    status: str
    result: str


def _scope_text(keys: frozenset[str]) -> str:
    return " ".join(sorted(keys))


def _row_to_record(row: object) -> StoredRecord:
    return StoredRecord(
        collection=row.collection,  # type: ignore[attr-defined]
        id=row.id,  # type: ignore[attr-defined]
        org_id=row.org_id,  # type: ignore[attr-defined]
        version=row.version,  # type: ignore[attr-defined]
        deleted=row.deleted,  # type: ignore[attr-defined]
        data=row.data,  # type: ignore[attr-defined]
        scope=frozenset(row.scope_text.split()),  # type: ignore[attr-defined]
    )


_RECORD_COLUMNS = (
    records.c.collection,
    records.c.id,
    records.c.org_id,
    records.c.version,
    records.c.deleted,
    records.c.data,
    records.c.scope_text,
)


class StoreTxn:
    """One open transaction. Nothing it writes is visible to anyone else until the transaction commits."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def get(self, collection: str, record_id: str) -> StoredRecord | None:
        """The record, tombstone included, or None if it never existed."""
        row = self._conn.execute(
            select(*_RECORD_COLUMNS).where(records.c.collection == collection, records.c.id == record_id)
        ).first()
        return _row_to_record(row) if row else None

    def find(self, collection: str, natural_key: str) -> StoredRecord | None:
        """The live record whose natural key is ``natural_key``, or None."""
        row = self._conn.execute(
            select(*_RECORD_COLUMNS).where(
                records.c.collection == collection, records.c.natural_key == natural_key, records.c.deleted.is_(False)
            )
        ).first()
        return _row_to_record(row) if row else None

    def children(self, collection: str, parent_key: str) -> list[StoredRecord]:
        """Live records of ``collection`` whose parent key is ``parent_key``, oldest version first."""
        rows = self._conn.execute(
            select(*_RECORD_COLUMNS)
            .where(records.c.collection == collection, records.c.parent_key == parent_key, records.c.deleted.is_(False))
            .order_by(records.c.version)
        )
        return [_row_to_record(r) for r in rows]

    def next_value(self, counter: str, *, step: int = 1) -> int:
        """Add ``step`` to a named counter and return its new value.

        The counter row stays locked until this transaction ends, so values are handed out in commit order: a
        transaction that took value 41 has committed (or rolled back) before any other can take 42.
        """
        updated = self._conn.execute(
            update(counters)
            .where(counters.c.name == counter)
            .values(value=counters.c.value + step)
            .returning(counters.c.value)
        ).scalar_one_or_none()
        if updated is not None:
            return int(updated)
        self._conn.execute(insert(counters).values(name=counter, value=step))
        return step

    def write(self, items: Sequence[RecordWrite]) -> list[StoredRecord]:
        """Create or replace records, giving each a fresh version greater than any before, in ``items`` order.

        A record's scope keys are remembered: keys it loses stay as inactive rows, so users who saw it through those
        keys receive a tombstone. Raises NaturalKeyTaken when a natural key belongs to another record.
        """
        if not items:
            return []
        last = self.next_value(VERSION_COUNTER, step=len(items))
        first = last - len(items) + 1
        stored: list[StoredRecord] = []
        for offset, item in enumerate(items):
            stored.append(self._write_one(item, first + offset))
        return stored

    def _write_one(self, item: RecordWrite, version: int) -> StoredRecord:
        values = {
            "org_id": item.org_id,
            "natural_key": item.natural_key,
            "parent_key": item.parent_key,
            "scope_text": _scope_text(item.scope),
            "version": version,
            "deleted": False,
            "data": item.data,
        }
        old_keys = {
            row.scope_key: row.active
            for row in self._conn.execute(
                select(record_scopes.c.scope_key, record_scopes.c.active).where(
                    record_scopes.c.collection == item.collection, record_scopes.c.id == item.id
                )
            )
        }
        try:
            with self._conn.begin_nested():
                if old_keys or self.get(item.collection, item.id) is not None:
                    self._conn.execute(
                        update(records)
                        .where(records.c.collection == item.collection, records.c.id == item.id)
                        .values(**values)
                    )
                else:
                    self._conn.execute(insert(records).values(collection=item.collection, id=item.id, **values))
        except IntegrityError as exc:
            raise NaturalKeyTaken(f"{item.collection} natural key {item.natural_key!r} is taken") from exc
        self._sync_scopes(item.collection, item.id, item.scope, old_keys)
        return StoredRecord(
            collection=item.collection,
            id=item.id,
            org_id=item.org_id,
            version=version,
            deleted=False,
            data=item.data,
            scope=item.scope,
        )

    def _sync_scopes(self, collection: str, record_id: str, keys: frozenset[str], old: dict[str, bool]) -> None:
        new_rows = [
            {"collection": collection, "id": record_id, "scope_key": k, "active": True} for k in keys - set(old)
        ]
        if new_rows:
            self._conn.execute(insert(record_scopes), new_rows)
        where = and_(record_scopes.c.collection == collection, record_scopes.c.id == record_id)
        revived = [k for k, active in old.items() if k in keys and not active]
        lost = [k for k, active in old.items() if k not in keys and active]
        if revived:
            self._conn.execute(
                update(record_scopes).where(where, record_scopes.c.scope_key.in_(revived)).values(active=True)
            )
        if lost:
            self._conn.execute(
                update(record_scopes).where(where, record_scopes.c.scope_key.in_(lost)).values(active=False)
            )

    def delete(self, collection: str, record_id: str) -> StoredRecord | None:
        """Turn a live record into a tombstone with a fresh version; None if there was no such live record."""
        current = self.get(collection, record_id)
        if current is None or current.deleted:
            return None
        version = self.next_value(VERSION_COUNTER)
        self._conn.execute(
            update(records)
            .where(records.c.collection == collection, records.c.id == record_id)
            .values(version=version, deleted=True, data=None, natural_key=None)
        )
        return StoredRecord(
            collection=collection,
            id=record_id,
            org_id=current.org_id,
            version=version,
            deleted=True,
            data=None,
            scope=current.scope,
        )

    def command_result(self, command_id: str) -> StoredCommand | None:
        """The stored outcome of a command already processed, or None."""
        row = self._conn.execute(
            select(applied_commands.c.command_id, applied_commands.c.status, applied_commands.c.result).where(
                applied_commands.c.command_id == command_id
            )
        ).first()
        return StoredCommand(command_id=row.command_id, status=row.status, result=row.result) if row else None

    def save_command_result(
        self, *, command_id: str, device_id: str, user_id: str, type_name: str, status: str, result: str, at: datetime
    ) -> None:
        """Remember a command's outcome; a second save of the same command id fails the transaction."""
        self._conn.execute(
            insert(applied_commands).values(
                command_id=command_id,
                device_id=device_id,
                user_id=user_id,
                type=type_name,
                status=status,
                result=result,
                applied_at=at,
            )
        )

    @contextmanager
    def savepoint(self) -> Iterator[None]:
        """Everything written inside is undone if the block raises; the outer transaction goes on."""
        with self._conn.begin_nested():
            yield


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create_schema(self) -> None:
        """For tests and throwaway databases only; real databases are created by Alembic (server/migrations)."""
        metadata.create_all(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[StoreTxn]:
        """A write transaction, committed when the block ends normally and rolled back if it raises."""
        with self.engine.begin() as conn:
            yield StoreTxn(conn)

    def changes_since(self, *, since: int, scope: Scope, limit: int) -> list[StoredRecord]:
        """Records and tombstones with version > ``since`` that ``scope`` sees or used to see, in version order.

        A record the scope used to see but no longer does comes back with its data; the caller turns it into a
        tombstone for that user (``scope.sees(record.scope)`` is False).
        """
        query = select(*_RECORD_COLUMNS).where(records.c.version > since)
        if scope.keys is not None:
            query = query.where(
                exists().where(
                    record_scopes.c.collection == records.c.collection,
                    record_scopes.c.id == records.c.id,
                    record_scopes.c.scope_key.in_(sorted(scope.keys)),
                )
            )
        query = query.order_by(records.c.version).limit(limit)
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            return [_row_to_record(r) for r in conn.execute(query)]

    def head_version(self) -> int:
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            value = conn.execute(select(counters.c.value).where(counters.c.name == VERSION_COUNTER)).scalar()
        return int(value or 0)
