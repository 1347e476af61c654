"""Which blobs are stored, which organizations uploaded them, and who may read one.

A blob is readable by a caller whose organization uploaded it, or who can see a record that names it (a photo, or a
visit whose signature it is). Knowing a hash is never enough: an organization that has not uploaded a blob must
upload its bytes (the server checks them) before it counts as an uploader, so the existence of another
organization's blob is never revealed and never claimed by name alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, insert, select
from sqlalchemy.exc import IntegrityError

from server.db import READ_ONLY
from server.scope import Scope
from server.tables import blob_owners, blobs, records

# Collections whose records name blobs by their SHA-256 (photos and thumbnails; visit signatures).
REFERENCING = ("photos", "visits")
REFERENCE_LOOKUP_LIMIT = 50


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
        # Hex digests hold no LIKE wildcards; the quotes make it a whole JSON string value, not a substring.
        query = (
            select(records.c.scope_text)
            .where(
                records.c.collection.in_(REFERENCING),
                records.c.deleted.is_(False),
                records.c.data.contains(f'"{sha256}"'),
            )
            .limit(REFERENCE_LOOKUP_LIMIT)
        )
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            scopes = conn.execute(query).scalars().all()
        return found if any(scope.sees(frozenset(text.split())) for text in scopes) else None

    def usage(self, org_id: str) -> int:
        """Bytes of the blobs ``org_id`` uploaded: what its quota counts."""
        query = (
            select(func.coalesce(func.sum(blobs.c.size), 0))
            .select_from(blobs.join(blob_owners, blob_owners.c.sha256 == blobs.c.sha256))
            .where(blob_owners.c.org_id == org_id)
        )
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            return int(conn.execute(query).scalar() or 0)

    def add(self, blob: StoredBlob, *, org_id: str, now: datetime) -> StoredBlob:
        """Record a newly stored blob and its uploader. Returns the blob on record: when another upload of the same
        bytes won the race, that one (and the caller deletes its own copy, whose storage name differs)."""
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
            return blob
        except IntegrityError:
            existing = self.stored(blob.sha256)
            if existing is None:
                raise
            self.add_owner(blob.sha256, org_id=org_id, now=now)
            return existing

    def add_owner(self, sha256: str, *, org_id: str, now: datetime) -> None:
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(blob_owners).values(sha256=sha256, org_id=org_id, created_at=now))
        except IntegrityError:
            pass  # already an uploader: uploading twice is harmless
