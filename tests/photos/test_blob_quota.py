"""An organization's blob quota holds under concurrency, on SQLite and PostgreSQL: uploads that each fit alone but
not together are not both stored, whether they race as catalog transactions or as HTTP requests."""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from starlette.types import Message

from app.photos.pipeline import process
from server.app import create_app
from server.blobs.catalog import BlobCatalog, StoredBlob
from server.errors import StorageQuotaExceeded
from server.tables import blob_owners, blobs
from tests.photos import images
from tests.photos.world import World, auth
from tests.support.asgi import http_scope

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def a_blob(size: int) -> StoredBlob:
    digest = hashlib.sha256(uuid.uuid4().bytes).hexdigest()
    return StoredBlob(
        sha256=digest, storage_name=uuid.uuid4().hex, size=size, media_type="image/jpeg", width=1, height=1
    )


def owned_by(world: World, org_id: str) -> int:
    with world.store.engine.connect() as conn:
        return int(conn.execute(select(func.count()).where(blob_owners.c.org_id == org_id)).scalar_one())


def test_concurrent_transactions_never_store_more_than_the_quota(world: World) -> None:
    org_id = f"org-{uuid.uuid4().hex[:8]}"
    catalog = BlobCatalog(world.store.engine)
    candidates = [a_blob(100) for _ in range(8)]
    start = threading.Barrier(len(candidates))
    stored: list[str] = []
    refused: list[StorageQuotaExceeded] = []

    def upload(blob: StoredBlob) -> None:
        start.wait()
        try:
            stored.append(catalog.add(blob, org_id=org_id, now=NOW, quota_bytes=350).sha256)
        except StorageQuotaExceeded as exc:
            refused.append(exc)

    threads = [threading.Thread(target=upload, args=(blob,)) for blob in candidates]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(stored) == 3 and len(refused) == 5
    assert catalog.usage(org_id) == 300 and owned_by(world, org_id) == 3
    assert all(exc.details == {"quota": 350, "used": 300, "size": 100} for exc in refused)
    with world.store.engine.connect() as conn:
        kept = set(conn.execute(select(blobs.c.sha256).where(blobs.c.sha256.in_([b.sha256 for b in candidates]))))
    assert {row[0] for row in kept} == set(stored), "a refused blob leaves no row behind"


def test_owning_a_blob_another_organization_stored_counts_once_and_within_the_quota(world: World) -> None:
    catalog = BlobCatalog(world.store.engine)
    first, second = f"org-{uuid.uuid4().hex[:8]}", f"org-{uuid.uuid4().hex[:8]}"
    shared = catalog.add(a_blob(100), org_id=first, now=NOW, quota_bytes=1000)
    catalog.add_owner(shared.sha256, size=100, org_id=second, now=NOW, quota_bytes=1000)
    catalog.add_owner(shared.sha256, size=100, org_id=second, now=NOW, quota_bytes=1000)  # again: harmless
    assert (catalog.usage(first), catalog.usage(second)) == (100, 100)
    with pytest.raises(StorageQuotaExceeded):
        catalog.add_owner(shared.sha256, size=100, org_id="org-full", now=NOW, quota_bytes=99)
    assert catalog.usage("org-full") == 0 and owned_by(world, "org-full") == 0


async def _put_held(
    app: object, path: str, headers: dict[str, str], body: bytes, *, arrived: asyncio.Event, release: asyncio.Event
) -> tuple[int, dict[str, object]]:
    """A PUT whose body is held back until ``release``: ``arrived`` is set once the server asks for the body, that
    is, once it has made every check it makes before reading bytes (the quota check among them)."""
    status = 0
    chunks: list[bytes] = []
    done = asyncio.Event()
    sent_body = False

    async def receive() -> Message:
        nonlocal sent_body
        if sent_body:
            await done.wait()
            return {"type": "http.disconnect"}
        arrived.set()
        await release.wait()
        sent_body = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = int(message["status"])
        elif message["type"] == "http.response.body":
            chunks.append(bytes(message.get("body", b"")))
            if not message.get("more_body"):
                done.set()

    scope = http_scope("PUT", path, headers)
    await app(scope, receive, send)  # type: ignore[operator]
    return status, json.loads(b"".join(chunks))


def test_two_uploads_that_only_fit_one_at_a_time_are_not_both_stored(world: World) -> None:
    photos = [process(images.photo(200 + n, 150)).full for n in range(2)]
    quota = max(len(p) for p in photos) + 10
    app = create_app(world.settings(blob_quota_bytes=quota), store=world.store, blob_store=world.blobs)
    files_before = world.stored_names()

    async def race() -> list[tuple[int, dict[str, object]]]:
        release = asyncio.Event()
        arrived = [asyncio.Event() for _ in photos]
        requests = [
            asyncio.ensure_future(
                _put_held(
                    app,
                    f"/api/v1/blobs/{hashlib.sha256(data).hexdigest()}",
                    {**auth(world, "bob"), "Content-Length": str(len(data))},
                    data,
                    arrived=flag,
                    release=release,
                )
            )
            for data, flag in zip(photos, arrived, strict=True)
        ]
        for flag in arrived:
            await asyncio.wait_for(flag.wait(), timeout=10)  # both passed the check made before any byte is read
        release.set()
        return list(await asyncio.gather(*requests))

    answers = asyncio.run(race())

    statuses = sorted(status for status, _ in answers)
    assert statuses == [201, 413], answers
    refusal = next(body for status, body in answers if status == 413)
    assert refusal["error"]["code"] == "storage_quota_exceeded"  # type: ignore[index]
    catalog = BlobCatalog(world.store.engine)
    assert catalog.usage(world.orgs["bob"]) <= quota
    files_after = world.stored_names()
    assert len(files_after) == len(files_before) + 1, "the refused upload's bytes were removed, not stored"
