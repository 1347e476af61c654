"""The device side end to end, against the real server in-process: adding a photo, the upload queue (order, skips,
refusals, dropped connections), thumbnails with sync, full images on demand, and deletion when a scope is left."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from app.photos.errors import UnsupportedImage
from app.photos.service import blob_transport
from app.photos.uploads import Priority, UploadProgress
from sync.domain.errors import NotFound
from sync.domain.evidence import Photo, PhotoKind
from sync.protocol import WireRecord
from tests.photos import images
from tests.photos.devices import CHUNK, Device, devices, embedded_world
from tests.photos.world import ASSET_ID, World, auth


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from embedded_world(tmp_path_factory, "photo-devices")


@pytest.fixture
def device(world: World, tmp_path: Path) -> Iterator[Callable[[str], Device]]:
    with devices(world, tmp_path) as make:
        yield make


def add(device: Device, *, width: int = 640, height: int = 480, kind: PhotoKind = PhotoKind.INSTALL) -> Photo:
    return device.photos.add(
        subject_collection="assets", subject_id=ASSET_ID, kind=kind, data=images.textured(width, height), caption="rack"
    )


def test_adding_a_photo_stores_both_files_queues_them_and_puts_the_fact_in_the_outbox(
    device: Callable[[str], Device],
) -> None:
    phone = device("alice")
    photo = add(phone, width=3000, height=2000)
    assert (photo.width, photo.height, photo.kind, photo.caption) == (2048, 1365, PhotoKind.INSTALL, "rack")
    assert photo.thumbnail_sha256 is not None
    for digest in (photo.sha256, photo.thumbnail_sha256):
        stored = phone.photos.photos.read(digest)
        assert stored is not None and hashlib.sha256(stored).hexdigest() == digest
    queue = phone.photos.uploads.pending()
    assert [(i.sha256, i.priority) for i in queue] == [
        (photo.thumbnail_sha256, Priority.THUMBNAIL),
        (photo.sha256, Priority.FULL),
    ]
    [entry] = phone.client.store.pending(limit=10)
    assert entry.type == "AttachPhoto" and entry.payload["sha256"] == photo.sha256
    assert phone.client.store.children(Photo, ASSET_ID) == [photo]


def test_a_file_that_is_not_a_picture_leaves_nothing_behind(device: Callable[[str], Device]) -> None:
    phone = device("alice")
    with pytest.raises(UnsupportedImage, match="not a JPEG, PNG or WebP"):
        phone.photos.add(subject_collection="assets", subject_id=ASSET_ID, kind=PhotoKind.LABEL, data=images.SVG)
    assert list(phone.photos.photos.digests()) == [] and phone.photos.uploads.pending() == []
    assert phone.client.store.pending_count() == 0


def test_a_photo_the_domain_refuses_leaves_no_files_or_uploads(device: Callable[[str], Device]) -> None:
    phone = device("alice")
    with pytest.raises(NotFound):
        phone.photos.add(subject_collection="assets", subject_id="no-such", kind=PhotoKind.PART, data=images.photo())
    assert list(phone.photos.photos.digests()) == [] and phone.photos.uploads.pending() == []


def test_uploads_send_thumbnails_first_skip_blobs_already_there_and_report_progress(
    device: Callable[[str], Device],
) -> None:
    phone = device("alice")
    first, second = add(phone, width=900, height=700), add(phone, width=1000, height=600)
    assert first.thumbnail_sha256 and second.thumbnail_sha256
    other_phone = device("amir")  # a colleague's device already uploaded the first full image
    other_phone.photos.uploads.enqueue(
        other_phone.photos.photos.put(phone.photos.photos.read(first.sha256) or b""), priority=Priority.FULL
    )
    assert other_phone.transfer_once().uploads.uploaded == [first.sha256]

    seen: list[UploadProgress] = []
    report = phone.transfer_once(progress=seen.append).uploads

    assert report.uploaded == [first.thumbnail_sha256, second.thumbnail_sha256, second.sha256]
    assert report.skipped == [first.sha256] and report.failed == [] and report.stopped is None
    assert phone.photos.uploads.pending() == []
    finished = [p for p in seen if p.offset == p.size]
    assert [p.sha256 for p in finished] == report.uploaded
    assert all(b.bytes_sent >= a.bytes_sent for a, b in zip(seen, seen[1:], strict=False))


def test_the_queue_keeps_going_after_a_blob_the_server_refuses(device: Callable[[str], Device]) -> None:
    phone = device("alice")
    photo = add(phone)
    html_digest = phone.photos.photos.put(images.HTML)  # a hostile file that got into the store somehow
    phone.photos.uploads.enqueue(html_digest, priority=Priority.THUMBNAIL)
    rotten = phone.photos.photos.put(images.photo(50, 50))
    phone.photos.photos.path(rotten).write_bytes(images.photo(51, 50))  # disk corruption: bytes no longer match
    phone.photos.uploads.enqueue(rotten, priority=Priority.THUMBNAIL)

    report = phone.transfer_once().uploads

    assert {(sha, code) for sha, code, _ in report.failed} == {
        (html_digest, "blob_unsupported_type"),
        (rotten, "blob_hash_mismatch"),
    }
    assert report.uploaded == [photo.thumbnail_sha256, photo.sha256] and report.stopped is None
    assert {i.sha256 for i in phone.photos.uploads.failed()} == {html_digest, rotten}
    assert phone.transfer_once().uploads.failed == []  # set aside, not retried


def test_a_dropped_connection_resumes_where_the_server_stopped(device: Callable[[str], Device]) -> None:
    phone = device("alice")
    photo = add(phone, width=1600, height=1200)
    size = phone.photos.photos.size(photo.sha256)
    assert photo.thumbnail_sha256
    phone.photos.uploads.forget(photo.thumbnail_sha256)
    before = phone.wire.body_bytes
    # Cut the first chunk part-way, then the fourth request with a body (the resumed upload's second chunk).
    phone.wire.cut_after(CHUNK // 2 + 100, None, None, 5000)

    report = phone.transfer_once().uploads

    on_the_wire = phone.wire.body_bytes - before
    assert report.uploaded == [photo.sha256] and report.resumes == 2 and phone.wire.cuts_done == 2
    # Every byte that reached the server was kept, so the link carried the photo exactly once.
    assert on_the_wire == size
    assert report.bytes_resent < 2 * CHUNK  # what the client handed over in the requests that were cut


def test_thumbnails_come_with_sync_and_full_images_on_demand(device: Callable[[str], Device]) -> None:
    author, colleague = device("alice"), device("amir")
    photo = add(author)
    author.client.sync()
    author.transfer_once()

    colleague.client.sync()
    report = colleague.transfer_once()

    [pulled] = colleague.client.store.children(Photo, ASSET_ID)
    assert pulled.sha256 == photo.sha256
    assert report.thumbnails_fetched == 1
    assert colleague.photos.thumbnail(pulled) == author.photos.photos.read(photo.thumbnail_sha256 or "")
    assert not colleague.photos.photos.has(photo.sha256)
    with blob_transport(colleague.client.store, http=colleague.http) as transport:
        full = colleague.photos.full_image(pulled, transport)
    assert hashlib.sha256(full).hexdigest() == photo.sha256 and colleague.photos.photos.has(photo.sha256)


def test_photos_of_a_scope_left_are_deleted_but_bytes_not_yet_uploaded_are_kept(
    device: Callable[[str], Device],
) -> None:
    author, colleague = device("alice"), device("amir")
    photo = add(author)
    author.client.sync()
    author.transfer_once()
    colleague.client.sync()
    colleague.transfer_once()
    not_uploaded = colleague.photos.keep_signature(images.png(20, 10))
    assert photo.thumbnail_sha256 and colleague.photos.photos.has(photo.thumbnail_sha256)

    # Leaving the scope arrives as a tombstone for the photo record.
    stored = world_version(colleague, photo)
    tombstone = WireRecord(collection="photos", id=photo.id, version=stored + 1, deleted=True, data=None)
    colleague.client.store.apply_page([tombstone], colleague.client.store.cursor(), complete=False)
    deleted = colleague.photos.prune()

    assert photo.thumbnail_sha256 in deleted and not colleague.photos.photos.has(photo.thumbnail_sha256)
    assert colleague.photos.photos.has(not_uploaded)


def world_version(device: Device, photo: Photo) -> int:
    from sqlalchemy import select

    from app.adapters.tables import records

    with device.client.store.engine.connect() as conn:
        version = conn.execute(
            select(records.c.version).where(records.c.collection == "photos", records.c.id == photo.id)
        ).scalar()
    return int(version or 0)


def test_offline_stops_the_run_and_keeps_the_queue(device: Callable[[str], Device]) -> None:
    phone = device("alice")
    add(phone)

    def unreachable(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("no route to host", request=request)

    with httpx.Client(transport=httpx.MockTransport(unreachable)) as dead:
        with blob_transport(phone.client.store, http=dead) as transport:
            report = phone.photos.transfer(transport)
    assert report.uploads.stopped == "offline" and report.uploads.uploaded == []
    assert len(phone.photos.uploads.pending()) == 2


def test_an_organization_with_too_many_unfinished_uploads_stops_the_run_and_keeps_the_queue(
    world: World, tmp_path: Path
) -> None:
    with devices(world, tmp_path, blob_unfinished_uploads_max=1) as make:
        phone, colleague = make("alice"), make("amir")
        photo = add(phone)
        pending = colleague.photos.photos.put(images.photo(77, 50))
        data = colleague.photos.photos.read(pending) or b""
        headers = {**auth(world, "amir"), "Content-Range": f"bytes 0-99/{len(data)}"}
        assert colleague.http.put(f"/api/v1/blobs/{pending}", content=data[:100], headers=headers).status_code == 202

        waiting = phone.transfer_once().uploads
        headers = {**auth(world, "amir"), "Content-Range": f"bytes 100-{len(data) - 1}/{len(data)}"}
        assert colleague.http.put(f"/api/v1/blobs/{pending}", content=data[100:], headers=headers).status_code == 201
        later = phone.transfer_once().uploads

    assert waiting.stopped == "too_many_unfinished_uploads" and waiting.failed == [] and waiting.uploaded == []
    assert later.uploaded == [photo.thumbnail_sha256, photo.sha256] and later.stopped is None
