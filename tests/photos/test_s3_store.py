"""The S3 blob store against a real S3 API server (moto, in its own process): what the shared blob tests cannot
show. Two servers sharing nothing but the database and the store continue each other's uploads; two writers of one
offset never both win; a blob larger than a part is written as a multipart upload; abandoned uploads are swept by
S3's own times; and `rackside server --blobs s3://...` reads its endpoint and credentials from the environment."""

from __future__ import annotations

import hashlib
import io
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from PIL import Image

from server.app import create_app
from server.blobs.config import open_blob_store
from server.blobs.s3 import MIN_PART_SIZE, S3BlobStore, S3Location, parse_s3_url
from server.blobs.store import BlobStore, DirectoryBlobStore, OffsetMismatch
from server.db import make_engine
from server.settings import Settings
from server.store import Store
from tests.photos import images
from tests.photos.world import World, auth, build_world
from tests.support.inprocess import inprocess_client
from tests.support.s3server import S3Server, free_port


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def new_s3_store(s3: S3Server, *, prefix: str = "rackside", part_size: int = MIN_PART_SIZE) -> S3BlobStore:
    return S3BlobStore(s3.client(), S3Location(bucket=s3.new_bucket(), prefix=prefix), part_size=part_size)


def key(n: int) -> str:
    return hashlib.sha256(f"upload-{n}".encode()).hexdigest()


def twin_of(world: World, request: pytest.FixtureRequest) -> BlobStore:
    """The same store as another server process would open it: a new client (or folder handle), nothing shared."""
    if isinstance(world.blobs, S3BlobStore):
        s3: S3Server = request.getfixturevalue("s3_server")
        return S3BlobStore(s3.client(), S3Location(bucket=world.blobs.bucket, prefix=world.blobs.prefix.rstrip("/")))
    assert isinstance(world.blobs, DirectoryBlobStore)
    return DirectoryBlobStore(world.blobs.root)


def test_two_servers_sharing_only_the_database_and_the_store_continue_each_others_upload(
    world: World, request: pytest.FixtureRequest
) -> None:
    data = images.textured(640, 480)
    third = len(data) // 3
    name = sha(data)
    other_store = Store(make_engine(world.db_url))
    first = create_app(world.settings(), store=world.store, blob_store=world.blobs)
    second = create_app(world.settings(), store=other_store, blob_store=twin_of(world, request))

    def chunk(client: httpx.Client, start: int, end: int) -> httpx.Response:
        headers = {**auth(world, "alice"), "Content-Range": f"bytes {start}-{end - 1}/{len(data)}"}
        return client.put(f"/api/v1/blobs/{name}", content=data[start:end], headers=headers)

    try:
        with inprocess_client(first) as a, inprocess_client(second) as b:
            started = chunk(a, 0, third)
            seen_by_b = b.head(f"/api/v1/blobs/{name}", headers=auth(world, "alice"))
            continued = chunk(b, third, 2 * third)
            seen_by_a = a.head(f"/api/v1/blobs/{name}", headers=auth(world, "alice"))
            stale = chunk(a, third, 2 * third)  # a retry of the chunk b already took: told where to go on
            finished = chunk(a, 2 * third, len(data))
            served_by_b = b.get(f"/api/v1/blobs/{name}", headers=auth(world, "alice"))
    finally:
        other_store.engine.dispose()
    assert (started.status_code, seen_by_b.status_code, seen_by_b.headers["upload-offset"]) == (202, 404, str(third))
    assert continued.status_code == 202 and seen_by_a.headers["upload-offset"] == str(2 * third)
    assert stale.status_code == 409 and stale.json()["error"]["details"] == {"offset": 2 * third}
    assert finished.status_code == 201
    assert served_by_b.status_code == 200 and served_by_b.content == data


def test_two_writers_of_one_offset_never_both_win(s3_server: S3Server) -> None:
    store = new_s3_store(s3_server)
    store.append(key(1), offset=0, data=b"0123456789")
    start = threading.Barrier(6)
    outcomes: list[int | str] = []

    def write(n: int) -> None:
        start.wait()
        try:
            outcomes.append(store.append(key(1), offset=10, data=f"writer-{n}".encode()))
        except OffsetMismatch as exc:
            outcomes.append(f"mismatch at {exc.staged}")

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes, key=str) == [18] + ["mismatch at 18"] * 5
    staged = store.read_staged(key(1))
    assert len(staged) == 18 and staged.startswith(b"0123456789writer-")


def test_a_blob_larger_than_a_part_is_stored_as_a_multipart_upload_and_served_whole(
    s3_server: S3Server, tmp_path: Path
) -> None:
    noise = random.Random(7).randbytes(1500 * 1300 * 3)
    buffer = io.BytesIO()
    Image.frombytes("RGB", (1500, 1300), noise).save(buffer, format="PNG", compress_level=1)
    data = buffer.getvalue()
    assert MIN_PART_SIZE < len(data) < 2 * MIN_PART_SIZE  # two parts: one full, one smaller last part
    store = new_s3_store(s3_server, part_size=MIN_PART_SIZE)
    world = build_world("sqlite", f"sqlite:///{tmp_path / 'server.db'}", tmp_path, blobs=store)
    chunk = 256 * 1024
    with world.server() as (client, _):
        for start in range(0, len(data), chunk):
            end = min(start + chunk, len(data))
            headers = {**auth(world, "alice"), "Content-Range": f"bytes {start}-{end - 1}/{len(data)}"}
            answer = client.put(f"/api/v1/blobs/{sha(data)}", content=data[start:end], headers=headers)
        served = client.get(f"/api/v1/blobs/{sha(data)}", headers=auth(world, "alice"))
    world.store.engine.dispose()
    assert answer.status_code == 201, answer.text
    assert served.status_code == 200 and served.content == data
    names = world.stored_names()
    assert len(names) == 1 and names[0].startswith("blobs/"), "the segments are gone once the blob is stored"
    head = s3_server.client().head_object(Bucket=store.bucket, Key=store.prefix + names[0])
    assert head["ContentLength"] == len(data)
    assert head["ETag"].endswith('-2"'), "S3 marks an object completed from 2 parts so"
    assert s3_server.client().list_multipart_uploads(Bucket=store.bucket).get("Uploads", []) == []


def test_a_sweep_removes_uploads_whose_newest_piece_is_older_than_the_limit(s3_server: S3Server) -> None:
    store = new_s3_store(s3_server)
    store.append(key(1), offset=0, data=b"abandoned")
    store.append(key(2), offset=0, data=b"first piece, long ago")
    leftover = store.client.create_multipart_upload(Bucket=store.bucket, Key=store.blob_key("ab" * 16))
    time.sleep(2.2)  # S3 keeps times to the second
    store.append(key(2), offset=len(b"first piece, long ago"), data=b", then more")  # came back: recent
    store.append(key(3), offset=0, data=b"fresh")

    assert store.sweep_staging(older_than_seconds=1.5) == 1

    assert store.staged_size(key(1)) == 0
    assert store.read_staged(key(2)) == b"first piece, long ago, then more"
    assert store.read_staged(key(3)) == b"fresh"
    uploads = store.client.list_multipart_uploads(Bucket=store.bucket).get("Uploads", [])
    assert leftover["UploadId"] not in [u["UploadId"] for u in uploads], "a crashed commit's upload is aborted"


def test_pieces_after_a_gap_are_never_counted(s3_server: S3Server) -> None:
    store = new_s3_store(s3_server)
    store.append(key(1), offset=0, data=b"01234")
    # A piece left at a later offset by a write that raced a sweep or a restart: not part of the upload.
    store.client.put_object(Bucket=store.bucket, Key=f"{store.prefix}staging/{key(1)}/{20:016d}", Body=b"stray")
    assert store.staged_size(key(1)) == 5 and store.read_staged(key(1)) == b"01234"
    assert store.append(key(1), offset=0, data=b"again", restart=True) == 5
    assert store.read_staged(key(1)) == b"again"


@pytest.mark.parametrize(
    ("url", "bucket", "prefix"),
    [("s3://photos", "photos", ""), ("s3://photos/rackside/eu", "photos", "rackside/eu"), ("s3://b-1/p/", "b-1", "p")],
)
def test_an_s3_url_names_the_bucket_and_prefix(url: str, bucket: str, prefix: str) -> None:
    assert parse_s3_url(url) == S3Location(bucket=bucket, prefix=prefix)


@pytest.mark.parametrize("url", ["s3://", "http://bucket/prefix", "s3://bucket/prefix?x=1"])
def test_a_malformed_s3_url_is_refused(url: str) -> None:
    with pytest.raises(ValueError):
        parse_s3_url(url)


def test_the_store_comes_from_the_settings_and_the_environment(
    s3_server: S3Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bucket = s3_server.new_bucket()
    for name, value in s3_server.environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_REGION", "eu-central-1")
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    store = open_blob_store(Settings(database_url="sqlite:///x.db", blob_url=f"s3://{bucket}/from-env"))
    assert isinstance(store, S3BlobStore) and (store.bucket, store.prefix) == (bucket, "from-env/")
    assert (store.client.meta.region_name, store.client.meta.endpoint_url) == ("eu-central-1", s3_server.endpoint)
    store.append(key(1), offset=0, data=b"bytes")
    store.commit(key(1), "cd" * 16, sha256=sha(b"bytes"))
    assert store.read("cd" * 16) == b"bytes"
    folder = open_blob_store(Settings(database_url="sqlite:///x.db", blob_url=str(tmp_path / "blobs")))
    assert isinstance(folder, DirectoryBlobStore) and folder.root == tmp_path / "blobs"
    default = open_blob_store(Settings(database_url=f"sqlite:///{tmp_path / 'server.db'}"))
    assert isinstance(default, DirectoryBlobStore) and default.root == tmp_path / "server.db.blobs"


def test_rackside_server_keeps_blobs_in_the_bucket_named_by_blobs(s3_server: S3Server, tmp_path: Path) -> None:
    bucket = s3_server.new_bucket()
    db_url = f"sqlite:///{tmp_path / 'server.db'}"
    world = build_world("sqlite", db_url, tmp_path)  # users and tokens in the database the server will use
    port = free_port()
    env = {**os.environ, **s3_server.environment()}
    env.pop("RACKSIDE_BLOB_URL", None)
    log = tmp_path / "server.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "rackside.cli", "server", "--db", db_url, "--port", str(port)]
            + ["--blobs", f"s3://{bucket}/deployed"],
            env=env,
            stdout=output,
            stderr=output,
        )
    base = f"http://127.0.0.1:{port}"
    data = images.photo(160, 120)
    try:
        health = _wait_healthy(base, server, log)
        stored = httpx.put(f"{base}/api/v1/blobs/{sha(data)}", content=data, headers=auth(world, "alice"))
        served = httpx.get(f"{base}/api/v1/blobs/{sha(data)}", headers=auth(world, "alice"))
    finally:
        server.terminate()
        server.wait(timeout=20)
        world.store.engine.dispose()
    assert health == {"status": "ok", "protocol": 1, "database": "ok", "blobs": "ok"}
    assert stored.status_code == 201 and served.content == data
    keys = [o["Key"] for o in s3_server.client().list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert len(keys) == 1 and keys[0].startswith("deployed/blobs/")
    assert not (tmp_path / "server.db.blobs").exists(), "nothing went to the default folder"


def _wait_healthy(base: str, server: subprocess.Popen[bytes], log: Path) -> object:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server exited: {log.read_text()[-2000:]}")
        try:
            answer = httpx.get(f"{base}/api/v1/health", timeout=2.0)
            return answer.json()
        except httpx.TransportError:
            time.sleep(0.2)
    raise AssertionError("the server did not start")
