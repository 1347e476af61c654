"""Which blobs are stored, which organizations uploaded them, and who may read or name one.

A blob is readable by a caller whose organization uploaded it, or who can see a live record naming it in one of its
declared blob fields (tables.blob_refs: a photo's bytes and thumbnail, a visit's signature; never text such as a
caption) where that naming counts: the naming organization uploaded the bytes itself, or could already read them when
it named them. Knowing a hash is never enough: an organization that has not uploaded a blob must upload its bytes (the
server checks them) before it counts as an uploader, so the existence of another organization's blob is never
revealed and never claimed by name alone.

A command may name a blob (``blob_naming``) that its organization uploaded, that the caller can already read, or
that nobody has stored yet: devices push a photo's record before its bytes (app/photos/uploads.py), and such a
naming grants reading only once the naming organization has uploaded those bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import Connection, Engine, and_, exists, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from server.db import READ_ONLY
from server.errors import StorageQuotaExceeded
from server.scope import Scope
from server.tables import blob_owners, blob_refs, blob_usage, blobs, record_scopes, records


@dataclass(frozen=True, kw_only=True)
class StoredBlob:
    sha256: str
    storage_name: str
    size: int
    media_type: str
    width: int
    height: int


_COLUMNS = (blobs.c.sha256, blobs.c.storage_name, blobs.c.size, blobs.c.media_type, blobs.c.width, blobs.c.height)


def _row(row: object) -> StoredBlob:
    return StoredBlob(
        sha256=row.sha256,  # type: ignore[attr-defined]
        storage_name=row.storage_name,  # type: ignore[attr-defined]
        size=int(row.size),  # type: ignore[attr-defined]
        media_type=row.media_type,  # type: ignore[attr-defined]
        width=int(row.width),  # type: ignore[attr-defined]
        height=int(row.height),  # type: ignore[attr-defined]
    )


def _owned_by(conn: Connection, sha256: str, org_id: str) -> bool:
    query = select(blob_owners.c.org_id).where(blob_owners.c.sha256 == sha256, blob_owners.c.org_id == org_id)
    return conn.execute(query).first() is not None


def named_by_a_visible_record(conn: Connection, sha256: str, scope: Scope) -> bool:
    """Whether a live record ``scope`` sees names this blob, by a naming that counts (see the module's docstring)."""
    counts = or_(
        blob_refs.c.vouched.is_(True),
        exists().where(blob_owners.c.sha256 == blob_refs.c.sha256, blob_owners.c.org_id == blob_refs.c.named_by),
    )
    query = (
        select(blob_refs.c.id)
        .join(records, and_(records.c.collection == blob_refs.c.collection, records.c.id == blob_refs.c.id))
        .where(blob_refs.c.sha256 == sha256, records.c.deleted.is_(False), counts)
    )
    if scope.keys is not None:
        query = query.where(
            exists().where(
                record_scopes.c.collection == records.c.collection,
                record_scopes.c.id == records.c.id,
                record_scopes.c.active.is_(True),
                record_scopes.c.scope_key.in_(sorted(scope.keys)),
            )
        )
    return conn.execute(query.limit(1)).first() is not None


Naming = Literal["owned", "pending", "readable"]


def blob_naming(conn: Connection, sha256: str, *, org_id: str, scope: Scope) -> Naming | None:
    """Why a command of this caller may write a record naming this blob, or None when it may not: its organization
    uploaded it ("owned"), nobody has stored it yet ("pending": the record comes first, and grants nothing until its
    organization uploads the bytes), or the caller can read it through a record it sees ("readable")."""
    if _owned_by(conn, sha256, org_id):
        return "owned"
    if conn.execute(select(blobs.c.sha256).where(blobs.c.sha256 == sha256)).first() is None:
        return "pending"
    return "readable" if named_by_a_visible_record(conn, sha256, scope) else None


class BlobCatalog:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def stored(self, sha256: str) -> StoredBlob | None:
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            row = conn.execute(select(*_COLUMNS).where(blobs.c.sha256 == sha256)).first()
        return _row(row) if row is not None else None

    def owned(self, sha256: str, org_id: str) -> StoredBlob | None:
        """The blob if ``org_id`` uploaded it."""
        query = (
            select(*_COLUMNS)
            .join(blob_owners, blob_owners.c.sha256 == blobs.c.sha256)
            .where(blobs.c.sha256 == sha256, blob_owners.c.org_id == org_id)
        )
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            row = conn.execute(query).first()
        return _row(row) if row is not None else None

    def readable(self, sha256: str, *, org_id: str, scope: Scope) -> StoredBlob | None:
        """The blob if the caller's organization uploaded it or the caller sees a record naming it."""
        found = self.owned(sha256, org_id)
        if found is not None:
            return found
        found = self.stored(sha256)
        if found is None:
            return None
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            return found if named_by_a_visible_record(conn, sha256, scope) else None

    def usage(self, org_id: str) -> int:
        """Bytes of the blobs ``org_id`` uploaded: what its quota counts."""
        query = select(blob_usage.c.used_bytes).where(blob_usage.c.org_id == org_id)
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            return int(conn.execute(query).scalar() or 0)

    def add(self, blob: StoredBlob, *, org_id: str, now: datetime, quota_bytes: int) -> StoredBlob:
        """Record a newly stored blob and its uploader, within the uploader's quota (else StorageQuotaExceeded and
        nothing recorded). Returns the blob on record: when another upload of the same bytes won the race, that one
        (and the caller deletes its own copy, whose storage name differs)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    insert(blobs).values(
                        sha256=blob.sha256,
                        storage_name=blob.storage_name,
                        size=blob.size,
                        media_type=blob.media_type,
                        width=blob.width,
                        height=blob.height,
                        created_at=now,
                    )
                )
                conn.execute(insert(blob_owners).values(sha256=blob.sha256, org_id=org_id, created_at=now))
                _charge(conn, org_id=org_id, size=blob.size, quota_bytes=quota_bytes)
            return blob
        except IntegrityError:
            existing = self.stored(blob.sha256)
            if existing is None:
                raise
            self.add_owner(blob.sha256, size=existing.size, org_id=org_id, now=now, quota_bytes=quota_bytes)
            return existing

    def add_owner(self, sha256: str, *, size: int, org_id: str, now: datetime, quota_bytes: int) -> None:
        """Make ``org_id`` an uploader of a stored blob of ``size`` bytes, within its quota."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(blob_owners).values(sha256=sha256, org_id=org_id, created_at=now))
                _charge(conn, org_id=org_id, size=size, quota_bytes=quota_bytes)
        except IntegrityError:
            pass  # already an uploader: uploading twice is harmless, and its bytes count once


def _charge(conn: Connection, *, org_id: str, size: int, quota_bytes: int) -> None:
    """Count ``size`` more bytes for ``org_id``, or raise StorageQuotaExceeded when that would pass its quota.

    The conditional UPDATE is the whole check: it takes the organization's row lock and tests the limit on the row as
    it is once the lock is held (PostgreSQL re-evaluates the WHERE on a row another transaction changed meanwhile;
    SQLite writers hold the database lock from BEGIN IMMEDIATE), so two uploads never both fit into the space of one.
    It runs last in its transaction, after the inserts: every writer takes at most this one lock, and takes it last.
    """
    conn.execute(usage_row(conn, org_id))
    charged = conn.execute(
        update(blob_usage)
        .where(blob_usage.c.org_id == org_id, blob_usage.c.used_bytes + size <= quota_bytes)
        .values(used_bytes=blob_usage.c.used_bytes + size)
    )
    if charged.rowcount == 0:
        used = int(conn.execute(select(blob_usage.c.used_bytes).where(blob_usage.c.org_id == org_id)).scalar_one())
        raise StorageQuotaExceeded(
            "your organization's photo storage is full",
            details={"quota": quota_bytes, "used": used, "size": size},
        )


def usage_row(conn: Connection, org_id: str) -> postgresql.Insert | sqlite.Insert:
    """An organization's usage row at 0 unless it has one: insert-or-nothing, so concurrent first uploads agree."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(blob_usage).values(org_id=org_id, used_bytes=0).on_conflict_do_nothing()
    return sqlite.insert(blob_usage).values(org_id=org_id, used_bytes=0).on_conflict_do_nothing()
