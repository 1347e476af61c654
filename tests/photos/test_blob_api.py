"""The blob endpoints over HTTP, on SQLite and PostgreSQL: what is accepted, what is refused with which code, who may
read what, and resuming an upload whose connection dropped."""

from __future__ import annotations

import hashlib

import httpx
import pytest

from app.photos.pipeline import process
from tests.photos import images
from tests.photos.world import World, auth, json_error


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(client: httpx.Client, world: World, user: str, data: bytes, *, name: str | None = None) -> httpx.Response:
    return client.put(f"/api/v1/blobs/{name or sha(data)}", content=data, headers=auth(world, user))


def put_range(
    client: httpx.Client, world: World, user: str, data: bytes, start: int, end: int, *, name: str | None = None
) -> httpx.Response:
    headers = {**auth(world, user), "Content-Range": f"bytes {start}-{end - 1}/{len(data)}"}
    return client.put(f"/api/v1/blobs/{name or sha(data)}", content=data[start:end], headers=headers)


def head(client: httpx.Client, world: World, user: str, name: str) -> httpx.Response:
    return client.head(f"/api/v1/blobs/{name}", headers=auth(world, user))


def stored_files(world: World) -> list[str]:
    return world.stored_names()


def photo_bytes(seed: int) -> bytes:
    """A distinct real photo per test: the module's world is shared, so each test uploads its own bytes."""
    return process(images.photo(120 + seed, 90)).full


def test_an_uploaded_photo_is_served_with_a_fixed_type_and_nosniff(world: World) -> None:
    data = photo_bytes(1)
    with world.server() as (client, _):
        created = put(client, world, "alice", data)
        assert created.status_code == 201, created.text
        assert created.json() == {
            "sha256": sha(data),
            "size": len(data),
            "media_type": "image/jpeg",
            "width": 121,
            "height": 90,
            "complete": True,
        }
        state = head(client, world, "alice", sha(data))
        got = client.get(f"/api/v1/blobs/{sha(data)}", headers=auth(world, "alice"))
    assert state.status_code == 200 and state.headers["content-length"] == str(len(data))
    assert got.status_code == 200 and got.content == data
    assert got.headers["content-type"] == "image/jpeg"
    assert got.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in got.headers["content-security-policy"]


def test_a_png_named_as_a_jpeg_is_kept_and_served_as_what_its_bytes_are(world: World) -> None:
    data = images.png(33, 21)
    with world.server() as (client, _):
        assert put(client, world, "alice", data).json()["media_type"] == "image/png"
        got = client.get(f"/api/v1/blobs/{sha(data)}", headers={**auth(world, "alice"), "Accept": "image/jpeg"})
    assert got.headers["content-type"] == "image/png"


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        (images.truncated_jpeg(), 422, "blob_damaged"),
        (images.HTML, 415, "blob_unsupported_type"),
        (images.SVG, 415, "blob_unsupported_type"),
        (images.jpeg_claiming(20000, 20000), 422, "blob_too_many_pixels"),
        (images.png_claiming(20000, 20000), 422, "blob_too_many_pixels"),
        (images.png_claiming(6000, 5000), 422, "blob_too_many_pixels"),
    ],
    ids=["truncated-jpeg", "html", "svg", "jpeg-20000x20000", "png-20000x20000", "png-30mp"],
)
def test_hostile_uploads_get_a_stable_code_and_nothing_is_stored(
    world: World, data: bytes, status: int, code: str
) -> None:
    with world.server() as (client, _):
        refused = put(client, world, "alice", data)
        after = head(client, world, "alice", sha(data))
    assert (refused.status_code, json_error(refused)) == (status, code)
    assert after.status_code == 404 and after.headers["upload-offset"] == "0"
    assert not any(n.endswith(sha(data)) for n in stored_files(world))


def test_a_hash_that_does_not_match_the_name_is_refused_and_discarded(world: World) -> None:
    data = photo_bytes(2)
    wrong = sha(b"something else")
    with world.server() as (client, _):
        refused = put(client, world, "alice", data, name=wrong)
        after = head(client, world, "alice", wrong)
    assert (refused.status_code, json_error(refused)) == (422, "blob_hash_mismatch")
    assert after.headers["upload-offset"] == "0"


def test_a_blob_over_the_size_cap_is_refused_before_its_body_is_read(world: World) -> None:
    data = photo_bytes(3)
    with world.server(blob_max_bytes=len(data) - 1) as (client, transport):
        before = transport.body_bytes
        refused = put_range(client, world, "alice", data, 0, 100)
    assert (refused.status_code, json_error(refused)) == (413, "blob_too_large")
    assert refused.json()["error"]["details"] == {"max": len(data) - 1, "size": len(data)}
    assert transport.body_bytes - before <= 16 * 1024  # at most the first piece was read, none of it stored


def test_an_organization_over_its_quota_is_refused(world: World) -> None:
    data = photo_bytes(4)
    with world.server(blob_quota_bytes=len(data) - 1) as (client, _):
        refused = put(client, world, "bob", data)
    assert (refused.status_code, json_error(refused)) == (413, "storage_quota_exceeded")


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("..%2F..%2Fetc%2Fpasswd", 404, "not_found"),
        ("..", 404, "not_found"),
        ("%2E%2E", 400, "invalid_blob_name"),
        ("passwd", 400, "invalid_blob_name"),
        ("A" * 64, 400, "invalid_blob_name"),
        ("0" * 63 + "%00", 400, "invalid_blob_name"),
    ],
)
def test_names_that_are_not_a_sha256_never_reach_the_disk(world: World, path: str, status: int, code: str) -> None:
    data = photo_bytes(5)
    with world.server() as (client, _):
        before = stored_files(world)
        refused = client.put(f"/api/v1/blobs/{path}", content=data, headers=auth(world, "alice"))
        after = stored_files(world)
    assert (refused.status_code, json_error(refused)) == (status, code)
    assert after == before and all(n.startswith(("blobs/", "staging/")) for n in after)


def test_every_blob_route_needs_a_device_token(world: World) -> None:
    data = photo_bytes(6)
    with world.server() as (client, _):
        put(client, world, "alice", data)
        url = f"/api/v1/blobs/{sha(data)}"
        anonymous = {"Rackside-Protocol": "1"}
        answers = [
            client.get(url, headers=anonymous),
            client.head(url, headers=anonymous),
            client.put(url, content=data, headers=anonymous),
            client.get(url, headers={**anonymous, "Authorization": "Bearer not-a-token"}),
        ]
    assert [a.status_code for a in answers] == [401, 401, 401, 401]


def test_another_organization_cannot_read_a_blob_until_it_sees_a_record_naming_it(world: World) -> None:
    from sync.domain.evidence import Photo, PhotoKind
    from tests.photos.world import NOW

    data = photo_bytes(7)
    with world.server() as (client, _):
        put(client, world, "alice", data)
        colleague = client.get(f"/api/v1/blobs/{sha(data)}", headers=auth(world, "amir"))
        stranger = client.get(f"/api/v1/blobs/{sha(data)}", headers=auth(world, "bob"))
        stranger_head = head(client, world, "bob", sha(data))
        # Alice's organization's photo (it uploaded the bytes), shared with Bob's organization.
        photo = Photo(
            id=f"photo-{sha(data)[:8]}",
            org_id="org-a",
            subject_collection="assets",
            subject_id="elsewhere",
            sha256=sha(data),
            thumbnail_sha256=None,
            kind=PhotoKind.DAMAGE,
            taken_by="user-bob",
            taken_at=NOW,
        )
        shared = frozenset({"org:org-a", "org:org-b"})
        world.put_record(photo, scope=shared, deleted=True)
        still_hidden = client.get(f"/api/v1/blobs/{sha(data)}", headers=auth(world, "bob"))
        world.put_record(photo, scope=shared)
        shown = client.get(f"/api/v1/blobs/{sha(data)}", headers=auth(world, "bob"))
    assert colleague.status_code == 200
    # Bob learns nothing: the same answer as for a blob that does not exist anywhere.
    assert stranger.status_code == 404 and stranger_head.status_code == 404
    assert stranger_head.headers["upload-offset"] == "0"
    assert still_hidden.status_code == 404
    assert shown.status_code == 200 and shown.content == data


def test_a_second_organization_uploading_the_same_bytes_shares_one_stored_copy(world: World) -> None:
    data = photo_bytes(8)
    with world.server() as (client, _):
        first = put(client, world, "alice", data)
        again = put(client, world, "amir", data)
        other = put(client, world, "bob", data)
        readable = client.get(f"/api/v1/blobs/{sha(data)}", headers=auth(world, "bob"))
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert readable.status_code == 200
    assert world.stored_copies(data) == 1


def test_chunks_must_continue_where_the_server_copy_ends(world: World) -> None:
    data = photo_bytes(9)
    third = len(data) // 3
    with world.server() as (client, _):
        first = put_range(client, world, "alice", data, 0, third)
        state = head(client, world, "alice", sha(data))
        skipped_ahead = put_range(client, world, "alice", data, 2 * third, len(data))
        second = put_range(client, world, "alice", data, third, 2 * third)
        last = put_range(client, world, "alice", data, 2 * third, len(data))
    assert first.status_code == 202 and first.json() == {"sha256": sha(data), "offset": third, "complete": False}
    assert state.status_code == 404 and state.headers["upload-offset"] == str(third)
    assert (skipped_ahead.status_code, json_error(skipped_ahead)) == (409, "upload_offset_mismatch")
    assert skipped_ahead.json()["error"]["details"] == {"offset": third}
    assert second.status_code == 202 and last.status_code == 201


@pytest.mark.parametrize(
    "content_range", ["bytes 5-2/10", "bytes 0-10/10", "items 0-1/2", "bytes */10", "bytes 0-1/999999999999999999"]
)
def test_a_malformed_content_range_is_refused(world: World, content_range: str) -> None:
    data = photo_bytes(10)
    with world.server() as (client, _):
        refused = client.put(
            f"/api/v1/blobs/{sha(data)}",
            content=data[:2],
            headers={**auth(world, "alice"), "Content-Range": content_range},
        )
    assert (refused.status_code, json_error(refused)) == (400, "invalid_content_range")


def test_a_dropped_connection_keeps_what_arrived_and_the_upload_resumes_there(world: World) -> None:
    data = process(images.textured(800, 600)).full  # large enough for several pieces of a request body
    cut_at = len(data) // 2 + 1234
    with world.server() as (client, transport):
        transport.cut_after(cut_at)
        with pytest.raises(httpx.RemoteProtocolError):
            put(client, world, "alice", data)
        offset = int(head(client, world, "alice", sha(data)).headers["upload-offset"])
        before = transport.body_bytes
        finished = put_range(client, world, "alice", data, offset, len(data))
        resent = transport.body_bytes - before - (len(data) - cut_at)
    assert transport.cuts_done == 1
    # Everything that reached the server before the drop was kept: nothing is sent twice.
    assert offset == cut_at and resent == 0
    assert finished.status_code == 201
