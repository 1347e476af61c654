"""One small server world per backend and blob store per module: photo tests need users and a record, not the
demo seed. Every blob test runs on SQLite and PostgreSQL, each with the directory store and the S3 store (a real
S3 API server, tests/support/s3server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from server.blobs.s3 import S3BlobStore, S3Location
from server.blobs.store import BlobStore, DirectoryBlobStore
from tests.conftest import database_url
from tests.photos.world import World, build_world
from tests.support.s3server import S3Server

PG = pytest.mark.postgres


@pytest.fixture(
    scope="module",
    params=[
        ("sqlite", "dir"),
        ("sqlite", "s3"),
        pytest.param(("postgres", "dir"), marks=PG),
        pytest.param(("postgres", "s3"), marks=PG),
    ],
    ids=["sqlite-dir", "sqlite-s3", "postgres-dir", "postgres-s3"],
)
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    backend, kind = request.param
    folder = tmp_path_factory.mktemp(f"photos-{backend}-{kind}")
    blobs: BlobStore = DirectoryBlobStore(folder / "blobs")
    if kind == "s3":
        s3: S3Server = request.getfixturevalue("s3_server")
        blobs = S3BlobStore(s3.client(), S3Location(bucket=s3.new_bucket(), prefix="rackside/test"))
    built = build_world(backend, database_url(backend, folder), folder, blobs=blobs)
    yield built
    built.store.engine.dispose()
