"""The caps on an organization's unfinished uploads (count and declared bytes), over HTTP on every database and
blob store, and under concurrency at the ledger: a new upload past a cap answers 429 too_many_unfinished_uploads
with Retry-After; continuing an upload never does; finishing or failing one frees its place."""

from __future__ import annotations

import hashlib
import itertools
import threading
import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from server.blobs.uploads import UploadCaps, UploadLedger
from server.errors import TooManyUnfinishedUploads
from tests.photos import images
from tests.photos.world import World, auth, json_error

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def start(client: httpx.Client, world: World, user: str, data: bytes, *, end: int = 1000) -> httpx.Response:
    headers = {**auth(world, user), "Content-Range": f"bytes 0-{end - 1}/{len(data)}"}
    return client.put(f"/api/v1/blobs/{sha(data)}", content=data[:end], headers=headers)


def rest(client: httpx.Client, world: World, user: str, data: bytes, *, begin: int = 1000) -> httpx.Response:
    headers = {**auth(world, user), "Content-Range": f"bytes {begin}-{len(data) - 1}/{len(data)}"}
    return client.put(f"/api/v1/blobs/{sha(data)}", content=data[begin:], headers=headers)


# The module's world (its store and blob bucket) is shared by its tests, so every photo it makes must be new to it: a
# random start per test gave two tests overlapping widths now and then (a second photo another test had finished was
# answered 200, not refused). One counter for the module, from a random start so a rerun meets none of its own.
_WIDTHS = itertools.count(300 + uuid.uuid4().int % 1000)


def photos(count: int) -> list[bytes]:
    return [images.photo(next(_WIDTHS), 200) for _ in range(count)]


def clear(world: World) -> None:
    """Drop the unfinished uploads earlier tests left, so that each test counts from zero."""
    UploadLedger(world.store.engine).sweep(untouched_since=datetime.now(UTC) + timedelta(days=1))


def test_a_new_upload_past_the_count_cap_is_refused_until_one_finishes(world: World) -> None:
    clear(world)
    first, second, third = photos(3)
    with world.server(blob_unfinished_uploads_max=2) as (client, _):
        opened = [start(client, world, "alice", first), start(client, world, "amir", second)]
        refused = start(client, world, "alice", third)
        other_org = start(client, world, "bob", third)
        continued = rest(client, world, "alice", first)
        now_fits = start(client, world, "amir", third)
    assert [r.status_code for r in opened] == [202, 202]
    assert (refused.status_code, json_error(refused)) == (429, "too_many_unfinished_uploads")
    assert refused.headers["retry-after"] == "60"
    details = refused.json()["error"]["details"]
    assert (details["max_uploads"], details["unfinished"], details["size"]) == (2, 2, len(third))
    assert other_org.status_code == 202, "the caps are per organization"
    assert continued.status_code == 201, "an upload in progress is never refused"
    assert now_fits.status_code == 202, "a finished upload freed its place"


def test_a_new_upload_past_the_bytes_cap_is_refused_and_nothing_of_it_is_read(world: World) -> None:
    clear(world)
    first, second = photos(2)
    with world.server(blob_unfinished_bytes_max=len(first) + len(second) - 1) as (client, transport):
        opened = start(client, world, "alice", first)
        before = transport.body_bytes
        refused = start(client, world, "alice", second)
        read = transport.body_bytes - before
        head = client.head(f"/api/v1/blobs/{sha(second)}", headers=auth(world, "alice"))
    assert opened.status_code == 202
    assert (refused.status_code, json_error(refused)) == (429, "too_many_unfinished_uploads")
    details = refused.json()["error"]["details"]
    assert details["max_bytes"] == len(first) + len(second) - 1 and details["unfinished_bytes"] == len(first)
    assert read <= 16 * 1024 and head.headers["upload-offset"] == "0"


def test_a_refused_upload_frees_its_place(world: World) -> None:
    clear(world)
    (good,) = photos(1)
    with world.server(blob_unfinished_uploads_max=1) as (client, _):
        html = client.put(f"/api/v1/blobs/{sha(images.HTML)}", content=images.HTML, headers=auth(world, "alice"))
        accepted = start(client, world, "alice", good)
    assert (html.status_code, json_error(html)) == (415, "blob_unsupported_type")
    assert accepted.status_code == 202


def test_concurrent_new_uploads_never_pass_the_count_cap(world: World) -> None:
    ledger = UploadLedger(world.store.engine)
    org_id = f"org-{uuid.uuid4().hex[:8]}"
    caps = UploadCaps(max_uploads=3, max_bytes=10**12)
    barrier = threading.Barrier(8)
    taken: list[str] = []
    refused: list[TooManyUnfinishedUploads] = []

    def reserve(n: int) -> None:
        name = hashlib.sha256(f"{org_id}-{n}".encode()).hexdigest()
        barrier.wait()
        try:
            ledger.reserve(key=name, org_id=org_id, sha256=name, total=100, now=NOW, caps=caps)
            taken.append(name)
        except TooManyUnfinishedUploads as exc:
            refused.append(exc)

    threads = [threading.Thread(target=reserve, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert (len(taken), len(refused)) == (3, 5)
    assert ledger.unfinished(org_id) == (3, 300)
    # Continuing a reserved upload within its size never needs a place; growing past the bytes cap does.
    ledger.reserve(key=taken[0], org_id=org_id, sha256=taken[0], total=100, now=NOW, caps=caps)
    with pytest.raises(TooManyUnfinishedUploads):
        ledger.reserve(
            key=taken[0],
            org_id=org_id,
            sha256=taken[0],
            total=200,
            now=NOW,
            caps=UploadCaps(max_uploads=3, max_bytes=350),
        )


def test_untouched_reservations_are_swept(world: World) -> None:
    ledger = UploadLedger(world.store.engine)
    org_id = f"org-{uuid.uuid4().hex[:8]}"
    caps = UploadCaps(max_uploads=10, max_bytes=10**9)
    ledger.reserve(key="a" * 64, org_id=org_id, sha256="a" * 64, total=5, now=NOW - timedelta(days=2), caps=caps)
    ledger.reserve(key="b" * 64, org_id=org_id, sha256="b" * 64, total=7, now=NOW, caps=caps)
    assert ledger.sweep(untouched_since=NOW - timedelta(days=1)) == 1
    assert ledger.unfinished(org_id) == (1, 7)
