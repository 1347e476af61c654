"""The BlobStore contract (server/blobs/store.py), the same expectations for the directory store and the S3 store
(against a real S3 API server): offsets, restarts, commit, reading, streaming, deleting, reachability."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.blobs.s3 import S3BlobStore, S3Location
from server.blobs.store import BlobStore, DirectoryBlobStore, OffsetMismatch
from tests.support.s3server import S3Server

UPLOAD = hashlib.sha256(b"upload").hexdigest()
NAME = "0123456789abcdef" * 2


@pytest.fixture(params=["dir", "s3"])
def blob_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[BlobStore]:
    if request.param == "dir":
        yield DirectoryBlobStore(tmp_path / "blobs")
        return
    s3: S3Server = request.getfixturevalue("s3_server")
    yield S3BlobStore(s3.client(), S3Location(bucket=s3.new_bucket(), prefix="contract"))


def test_appends_continue_only_where_the_staged_bytes_end(blob_store: BlobStore) -> None:
    assert blob_store.staged_size(UPLOAD) == 0
    assert blob_store.append(UPLOAD, offset=0, data=b"hello ") == 6
    assert blob_store.append(UPLOAD, offset=6, data=b"world") == 11
    with pytest.raises(OffsetMismatch) as ahead:
        blob_store.append(UPLOAD, offset=20, data=b"!")
    with pytest.raises(OffsetMismatch) as behind:
        blob_store.append(UPLOAD, offset=6, data=b"again")
    assert (ahead.value.staged, behind.value.staged) == (11, 11)
    assert blob_store.staged_size(UPLOAD) == 11 and blob_store.read_staged(UPLOAD) == b"hello world"


def test_a_restart_at_zero_drops_what_was_staged(blob_store: BlobStore) -> None:
    blob_store.append(UPLOAD, offset=0, data=b"old bytes, longer")
    assert blob_store.append(UPLOAD, offset=0, data=b"new", restart=True) == 3
    assert blob_store.read_staged(UPLOAD) == b"new"
    with pytest.raises(OffsetMismatch):
        blob_store.append(UPLOAD, offset=0, data=b"no restart asked")


def test_a_committed_upload_is_a_blob_to_read_stream_and_delete(blob_store: BlobStore) -> None:
    data = bytes(range(256)) * 3000  # 768,000 bytes: several streamed pieces
    for start in range(0, len(data), 100_000):
        blob_store.append(UPLOAD, offset=start, data=data[start : start + 100_000])
    blob_store.commit(UPLOAD, NAME, sha256=hashlib.sha256(data).hexdigest())
    assert blob_store.staged_size(UPLOAD) == 0
    assert blob_store.read(NAME) == data
    assert b"".join(blob_store.stream(NAME)) == data
    blob_store.delete(NAME)
    blob_store.delete(NAME)  # harmless when gone
    with pytest.raises(FileNotFoundError):
        blob_store.read(NAME)
    with pytest.raises(FileNotFoundError):
        blob_store.stream(NAME)


def test_a_discarded_upload_is_gone_and_discarding_nothing_is_harmless(blob_store: BlobStore) -> None:
    blob_store.append(UPLOAD, offset=0, data=b"half an upload")
    blob_store.discard(UPLOAD)
    blob_store.discard(UPLOAD)
    assert blob_store.staged_size(UPLOAD) == 0


def test_names_that_are_not_server_made_hex_are_refused(blob_store: BlobStore) -> None:
    for name in ("../../etc/passwd", "ABCDEF" * 6, "x" * 40):
        with pytest.raises(ValueError):
            blob_store.append(name, offset=0, data=b"x")
        with pytest.raises(ValueError):
            blob_store.read(name)


def test_a_reachable_store_passes_its_check(blob_store: BlobStore) -> None:
    blob_store.check()
