"""/api/v1/health over HTTP: 200 when the database and the blob store answer, 503 naming the one that does not,
for the directory store and the S3 store; and OpenAPI says so."""

from __future__ import annotations

from pathlib import Path

import pytest

from server.app import create_app
from server.blobs.s3 import S3BlobStore, S3Location
from server.blobs.store import BlobStore, DirectoryBlobStore
from server.db import make_engine
from server.migrate import upgrade
from server.settings import Settings
from server.store import Store
from tests.support.inprocess import inprocess_client
from tests.support.s3server import S3Server


def health(db_url: str, blobs: BlobStore, store: Store | None = None) -> tuple[int, object]:
    own = store or Store(make_engine(db_url))
    app = create_app(Settings(database_url=db_url), store=own, blob_store=blobs)
    try:
        with inprocess_client(app) as client:
            answer = client.get("/api/v1/health")
    finally:
        own.engine.dispose()
    return answer.status_code, answer.json()


def test_a_server_that_reaches_its_database_and_folder_is_healthy(db_url: str, tmp_path: Path) -> None:
    assert health(db_url, DirectoryBlobStore(tmp_path / "not-yet-made" / "blobs")) == (
        200,
        {"status": "ok", "protocol": 1, "database": "ok", "blobs": "ok"},
    )


def test_a_server_that_reaches_its_database_and_bucket_is_healthy(db_url: str, s3_server: S3Server) -> None:
    bucket = S3BlobStore(s3_server.client(), S3Location(bucket=s3_server.new_bucket(), prefix="p"))
    assert health(db_url, bucket)[0] == 200


def test_a_missing_bucket_is_reported_as_an_unreachable_blob_store(db_url: str, s3_server: S3Server) -> None:
    missing = S3BlobStore(s3_server.client(), S3Location(bucket="no-such-bucket-here", prefix=""))
    assert health(db_url, missing) == (
        503,
        {"status": "unavailable", "protocol": 1, "database": "ok", "blobs": "unreachable"},
    )


def test_a_folder_that_cannot_be_made_is_reported_as_an_unreachable_blob_store(db_url: str, tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("not a folder")
    status, body = health(db_url, DirectoryBlobStore(tmp_path / "a-file" / "blobs"))
    assert (status, body) == (503, {"status": "unavailable", "protocol": 1, "database": "ok", "blobs": "unreachable"})


def test_an_unreachable_database_is_reported(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    upgrade(url)
    gone = Store(make_engine(f"sqlite:///{tmp_path / 'no-such-folder' / 'server.db'}"))
    status, body = health(url, DirectoryBlobStore(tmp_path / "blobs"), store=gone)
    assert (status, body) == (503, {"status": "unavailable", "protocol": 1, "database": "unreachable", "blobs": "ok"})


@pytest.mark.parametrize("status", ["200", "503"])
def test_openapi_lists_both_answers_of_the_health_check(tmp_path: Path, status: str) -> None:
    app = create_app(Settings(database_url=f"sqlite:///{tmp_path / 'server.db'}"), store=None)
    app.state.store.engine.dispose()
    answers = app.openapi()["paths"]["/api/v1/health"]["get"]["responses"]
    assert answers[status]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/HealthReport"}
