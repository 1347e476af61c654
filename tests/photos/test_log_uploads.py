"""Controller logs on the device, against the real server in-process: a picked log is checked as the server would,
kept and recorded with its media type, name and size; the upload queue moves it to the server in resumable chunks
and goes on past a blob the server refuses; a colleague reads it (text view) and gets the bytes (download)."""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.photos.errors import LogRejected
from app.photos.service import blob_transport
from app.photos.uploads import Priority
from server.settings import Settings
from sync.domain.evidence import Photo, PhotoKind
from sync.logtext import LOG_MAX_BYTES, LOG_MAX_TEXT_BYTES
from tests.photos import images
from tests.photos.devices import CHUNK, Device, devices, embedded_world
from tests.photos.world import ASSET_ID, World, auth


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    yield from embedded_world(tmp_path_factory, "log-devices")


@pytest.fixture
def device(world: World, tmp_path: Path) -> Iterator[Callable[[str], Device]]:
    with devices(world, tmp_path) as make:
        yield make


def raid_log(tag: str, lines: int = 1500) -> bytes:
    rows = [
        f"2026-11-02T09:{i % 60:02d}:00Z ctl0 event {i:05d}: PD 0:{i % 8} media error, LBA {i * 4096} {tag}"
        for i in range(lines)
    ]
    return ("\n".join(rows) + "\n").encode()


def add_log(phone: Device, data: bytes, name: str) -> Photo:
    return phone.photos.add_log(subject_collection="assets", subject_id=ASSET_ID, data=data, file_name=name)


def test_a_picked_log_is_kept_queued_and_recorded_with_its_media_type_name_and_size(
    device: Callable[[str], Device],
) -> None:
    phone = device("alice")
    data = raid_log("kept")
    log = add_log(phone, data, "C:\\dumps\\raid ctl0.log")

    assert (log.kind, log.media_type, log.file_name, log.size) == (
        PhotoKind.LOG,
        "text/plain; charset=utf-8",
        "raid ctl0.log",
        len(data),
    )
    assert log.thumbnail_sha256 is None and log.sha256 == hashlib.sha256(data).hexdigest()
    assert phone.photos.photos.read(log.sha256) == data
    assert [(i.sha256, i.priority) for i in phone.photos.uploads.pending()] == [(log.sha256, Priority.FULL)]
    [entry] = phone.client.store.pending(limit=10)
    assert entry.type == "AttachPhoto"
    assert (entry.payload["media_type"], entry.payload["file_name"], entry.payload["size"]) == (
        "text/plain; charset=utf-8",
        "raid ctl0.log",
        len(data),
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (images.HTML, "blob_unsupported_type"),
        (images.SVG, "blob_unsupported_type"),
        (b"MZ\x90\x00\x03\x00 firmware.exe", "blob_not_text"),
        (gzip.compress(b"\n" * (LOG_MAX_TEXT_BYTES + 1), mtime=0), "blob_unpacked_too_large"),
        (b"x" * (LOG_MAX_BYTES + 1), "blob_too_large"),
    ],
    ids=["html", "svg", "binary", "gzip-bomb", "oversize"],
)
def test_a_file_that_is_not_a_log_is_refused_on_the_device_with_the_servers_code_and_nothing_kept(
    device: Callable[[str], Device], data: bytes, code: str
) -> None:
    phone = device("alice")
    with pytest.raises(LogRejected) as refused:
        add_log(phone, data, "dump.log")
    assert refused.value.code == code
    assert list(phone.photos.photos.digests()) == [] and phone.photos.uploads.pending() == []
    assert phone.client.store.pending_count() == 0


def test_the_queue_moves_a_log_to_the_server_resuming_a_cut_and_goes_on_past_a_refused_one(
    device: Callable[[str], Device], world: World
) -> None:
    phone = device("alice")
    binary = phone.photos.photos.put(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 40)  # got in somehow
    phone.photos.uploads.enqueue(binary, priority=Priority.FULL)
    data = raid_log("queued", lines=2500)
    log = add_log(phone, data, "ctl0.log")
    assert len(data) > 5 * CHUNK
    phone.wire.cut_after(None, CHUNK // 2)  # the refused blob goes whole; the log's first chunk is cut part-way

    report = phone.transfer_once().uploads

    assert report.failed and report.failed[0][:2] == (binary, "blob_not_text")
    assert report.uploaded == [log.sha256] and report.resumes == 1 and report.stopped is None
    assert phone.photos.uploads.pending() == [] and [i.sha256 for i in phone.photos.uploads.failed()] == [binary]
    got = phone.http.get(f"/api/v1/blobs/{log.sha256}", headers=auth(world, "alice"))
    assert got.content == data and got.headers["content-type"] == "text/plain; charset=utf-8"
    assert got.headers["content-disposition"].startswith("attachment;")


def test_a_colleague_reads_a_gzip_log_as_text_and_downloads_it_as_uploaded(device: Callable[[str], Device]) -> None:
    author, colleague = device("alice"), device("amir")
    text = raid_log("shared", lines=3000)
    packed = gzip.compress(text, mtime=0)
    log = add_log(author, packed, "ctl0.log.gz")
    author.client.sync()
    assert author.transfer_once().uploads.uploaded == [log.sha256]

    colleague.client.sync()
    [pulled] = [p for p in colleague.client.store.children(Photo, ASSET_ID) if p.id == log.id]
    assert (pulled.media_type, pulled.file_name, pulled.size, pulled.is_log) == (
        "application/gzip",
        "ctl0.log.gz",
        len(packed),
        True,
    )
    assert not colleague.photos.photos.has(log.sha256)  # logs come on demand, like full images
    with blob_transport(colleague.client.store, http=colleague.http) as transport:
        shown = colleague.photos.log_text(pulled, transport)
        saved = colleague.photos.full_image(pulled, transport)
    assert shown == text.decode() and saved == packed


def test_the_devices_log_caps_are_the_servers_defaults() -> None:
    assert (LOG_MAX_BYTES, LOG_MAX_TEXT_BYTES) == (Settings().blob_log_max_bytes, Settings().blob_log_max_text_bytes)
