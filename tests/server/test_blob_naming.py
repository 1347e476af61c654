"""Naming a hash grants nothing (issue 9): a partner that learns the hash of a customer's blob (uploaded, never
attached) cannot make it readable by pushing a record that names it, whether as a photo's bytes, a visit's
signature, or a hash in a caption; and a naming counts for others only when the naming organization uploaded the
bytes itself. Over HTTP against the seeded world, on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.photos.pipeline import process
from server.app import create_app
from server.blobs.store import DirectoryBlobStore
from server.seed import sid
from server.settings import Settings
from server.store import Store
from tests.photos import images
from tests.protocol.test_bad_input import enroll
from tests.support.inprocess import inprocess_client

FRA1_ASSET = sid("asset", "NBG82600000")  # Helix Cloud (customer A), site fra1: the partner sees it


@pytest.fixture
def http(seeded_store: Store, db_url: str, tmp_path: Path) -> Iterator[httpx.Client]:
    app = create_app(Settings(database_url=db_url), store=seeded_store, blob_store=DirectoryBlobStore(tmp_path / "b"))
    with inprocess_client(app) as client:
        yield client


def picture(seed: int) -> tuple[str, bytes]:
    data = process(images.photo(100 + seed, 80)).full
    return hashlib.sha256(data).hexdigest(), data


def upload(http: httpx.Client, headers: dict[str, str], data: bytes) -> None:
    answer = http.put(f"/api/v1/blobs/{hashlib.sha256(data).hexdigest()}", content=data, headers=headers)
    assert answer.status_code == 201, answer.text


def push(http: httpx.Client, headers: dict[str, str], type_name: str, **payload: Any) -> dict[str, Any]:
    command = {"command_id": str(uuid.uuid4()), "type": type_name, "payload": payload}
    answer = http.post("/api/v1/sync/push", json={"commands": [command]}, headers=headers)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()["results"][0]
    return result


def attach(http: httpx.Client, headers: dict[str, str], sha256: str, caption: str = "") -> dict[str, Any]:
    return push(
        http,
        headers,
        "AttachPhoto",
        photo_id=str(uuid.uuid4()),
        subject_collection="assets",
        subject_id=FRA1_ASSET,
        sha256=sha256,
        thumbnail_sha256=None,
        kind="damage",
        caption=caption,
    )


def read(http: httpx.Client, headers: dict[str, str], sha256: str) -> int:
    return http.get(f"/api/v1/blobs/{sha256}", headers=headers).status_code


def test_a_partner_cannot_read_a_customers_blob_by_attaching_its_hash(http: httpx.Client) -> None:
    customer, _ = enroll(http, "customer")
    partner, _ = enroll(http, "partner")
    secret, data = picture(1)
    upload(http, customer, data)
    result = attach(http, partner, secret)
    assert result["status"] == "rejected" and result["error"]["code"] == "forbidden"
    thumbnail = push(
        http,
        partner,
        "AttachPhoto",
        photo_id=str(uuid.uuid4()),
        subject_collection="assets",
        subject_id=FRA1_ASSET,
        sha256=picture(2)[0],
        thumbnail_sha256=secret,
        kind="damage",
    )
    assert thumbnail["status"] == "rejected" and thumbnail["error"]["code"] == "forbidden"
    assert read(http, partner, secret) == 404
    assert read(http, customer, secret) == 200


def test_a_partner_cannot_read_a_customers_blob_by_signing_a_visit_with_its_hash(http: httpx.Client) -> None:
    customer, _ = enroll(http, "customer")
    partner, _ = enroll(http, "partner")
    secret, data = picture(3)
    upload(http, customer, data)
    visit_id = str(uuid.uuid4())
    assert push(http, partner, "StartVisit", visit_id=visit_id, asset_id=FRA1_ASSET)["status"] == "applied"
    result = push(http, partner, "EndVisit", visit_id=visit_id, signed_by="Cora", signature_sha256=secret)
    assert result["status"] == "rejected" and result["error"]["code"] == "forbidden"
    assert read(http, partner, secret) == 404


def test_a_hash_in_a_caption_names_no_blob(http: httpx.Client) -> None:
    customer, _ = enroll(http, "customer")
    partner, _ = enroll(http, "partner")
    secret, data = picture(4)
    upload(http, customer, data)
    own, own_data = picture(5)
    upload(http, partner, own_data)
    result = attach(http, partner, own, caption=f"see {secret}")
    assert result["status"] == "applied"
    assert read(http, partner, secret) == 404


def test_a_photo_named_before_its_upload_is_readable_once_its_organization_uploads_it(http: httpx.Client) -> None:
    # Devices push a photo's record before its bytes (app/photos/uploads.py).
    customer, _ = enroll(http, "customer")
    partner, _ = enroll(http, "partner")
    desk, _ = enroll(http, "desk")
    name, data = picture(6)
    assert attach(http, partner, name)["status"] == "applied"
    assert read(http, customer, name) == 404
    upload(http, partner, data)
    assert read(http, customer, name) == 200  # the customer sees the partner's photo of its chassis
    assert read(http, desk, name) == 200


def test_a_naming_by_an_organization_that_never_uploaded_the_bytes_grants_nothing(http: httpx.Client) -> None:
    # The partner names a hash before anyone uploaded it (learnt elsewhere); the customer then uploads those bytes.
    customer, _ = enroll(http, "customer")
    partner, _ = enroll(http, "partner")
    name, data = picture(7)
    assert attach(http, partner, name)["status"] == "applied"
    upload(http, customer, data)
    assert read(http, partner, name) == 404


def test_a_blob_the_caller_can_already_read_may_be_named_again_and_that_naming_counts(http: httpx.Client) -> None:
    customer, _ = enroll(http, "customer")
    partner, _ = enroll(http, "partner")
    name, data = picture(8)
    upload(http, partner, data)
    assert attach(http, partner, name)["status"] == "applied"
    # The customer reads it through the partner's photo, and may attach it again itself.
    assert read(http, customer, name) == 200
    assert attach(http, customer, name)["status"] == "applied"
