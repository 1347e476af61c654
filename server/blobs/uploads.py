"""Unfinished uploads per organization, counted in the database so that every server process sees the same caps.

Each PUT of an upload reserves it: a new upload (or one whose declared total grew) must fit within the
organization's caps on unfinished uploads, by count and by the sum of their declared sizes, else
TooManyUnfinishedUploads (429) and nothing is read. An upload that continues within what it reserved is only
touched, never refused. A stored or discarded upload releases its row; rows untouched for the staging age are swept
with the staged bytes (server/blobs/sweeper.py).

The declared size is what counts, not the bytes received so far: a chunk can never take an upload past its declared
total (content_range_mismatch), so the reservation bounds what the store may hold for the organization.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, delete, func, insert, select, update

from server.blobs.catalog import usage_row
from server.db import READ_ONLY
from server.errors import TooManyUnfinishedUploads
from server.tables import blob_uploads, blob_usage

RETRY_AFTER_SECONDS = 60


@dataclass(frozen=True, kw_only=True)
class UploadCaps:
    max_uploads: int
    max_bytes: int


class UploadLedger:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def reserve(self, *, key: str, org_id: str, sha256: str, total: int, now: datetime, caps: UploadCaps) -> None:
        """Count the upload ``key`` of ``total`` bytes as unfinished for ``org_id``, within its caps."""
        with self.engine.begin() as conn:
            touched = conn.execute(
                update(blob_uploads)
                .where(blob_uploads.c.staging_key == key, blob_uploads.c.total >= total)
                .values(touched_at=now)
            )
            if touched.rowcount == 1:
                return  # continuing within its reservation: never refused, and no organization-wide lock taken
        with self.engine.begin() as conn:
            # The organization's usage row lock (the one quota charges take) queues the organization's new
            # uploads, so two of them never both take the last place. It is the only lock taken before the upload
            # row; quota charges take it last and never touch upload rows, so the two never wait on each other.
            conn.execute(usage_row(conn, org_id))
            conn.execute(select(blob_usage.c.org_id).where(blob_usage.c.org_id == org_id).with_for_update())
            others = conn.execute(
                select(func.count(), func.coalesce(func.sum(blob_uploads.c.total), 0)).where(
                    blob_uploads.c.org_id == org_id, blob_uploads.c.staging_key != key
                )
            ).one()
            count, reserved = int(others[0]), int(others[1])
            if count + 1 > caps.max_uploads or reserved + total > caps.max_bytes:
                raise TooManyUnfinishedUploads(
                    "your organization has too many unfinished uploads; finish or wait for others, then retry",
                    details={
                        "max_uploads": caps.max_uploads,
                        "max_bytes": caps.max_bytes,
                        "unfinished": count,
                        "unfinished_bytes": reserved,
                        "size": total,
                        "retry_after": RETRY_AFTER_SECONDS,
                    },
                    headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                )
            grown = conn.execute(
                update(blob_uploads).where(blob_uploads.c.staging_key == key).values(total=total, touched_at=now)
            )
            if grown.rowcount == 0:
                conn.execute(
                    insert(blob_uploads).values(
                        staging_key=key, org_id=org_id, sha256=sha256, total=total, started_at=now, touched_at=now
                    )
                )

    def release(self, key: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(blob_uploads).where(blob_uploads.c.staging_key == key))

    def unfinished(self, org_id: str) -> tuple[int, int]:
        """(count, declared bytes) of the organization's unfinished uploads."""
        query = select(func.count(), func.coalesce(func.sum(blob_uploads.c.total), 0)).where(
            blob_uploads.c.org_id == org_id
        )
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            row = conn.execute(query).one()
        return int(row[0]), int(row[1])

    def sweep(self, *, untouched_since: datetime) -> int:
        with self.engine.begin() as conn:
            return int(conn.execute(delete(blob_uploads).where(blob_uploads.c.touched_at < untouched_since)).rowcount)
