"""Shared fixtures: server stores on every backend, an in-process server, and enrolled clients."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from app.bootstrap import Client
from server.app import create_app
from server.db import make_engine
from server.migrate import upgrade
from server.seed import DEMO_PASSWORD, seed
from server.settings import Settings
from server.store import Store
from tests.support.inprocess import inprocess_client
from tests.support.s3server import S3Server, moto_server

POSTGRES_ENV = "RACKSIDE_TEST_POSTGRES_URL"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--stress", action="store_true", help="run the long stress variants (more examples, more kills)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``slow`` run only with --stress (`make stress`); `make test` reports them as deselected."""
    if config.getoption("--stress"):
        return
    slow = [item for item in items if item.get_closest_marker("slow") is not None]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if item.get_closest_marker("slow") is None]


@pytest.fixture(scope="session")
def stress(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--stress"))


def postgres_url() -> str:
    """The test PostgreSQL URL. Without one, a test skips on a laptop but fails in CI, where it must run."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        message = f"{POSTGRES_ENV} is not set (.ci/run starts PostgreSQL and sets it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def s3_server() -> Iterator[S3Server]:
    """A real S3 API server (moto, in its own process) for the session. If it cannot start, tests that need it skip
    on a laptop and fail in CI, where they must run."""
    try:
        with moto_server() as server:
            yield server
    except (RuntimeError, OSError) as exc:
        message = f"no S3 server for the blob store tests: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _fresh_postgres(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def database_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'server.db'}"
    url = postgres_url()
    _fresh_postgres(url)
    return url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(backend: str, tmp_path: Path) -> str:
    """A migrated, empty server database on each backend."""
    url = database_url(backend, tmp_path)
    upgrade(url)
    return url


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    store = Store(make_engine(db_url))
    yield store
    store.engine.dispose()


@pytest.fixture
def seeded_store(store: Store) -> Store:
    """The demo world (server/seed.py) with a few chassis, on each backend."""
    seed(store, assets=30)
    return store


@pytest.fixture
def api(seeded_store: Store, db_url: str) -> Iterator[httpx.Client]:
    """An httpx client bound in-process to a server over the seeded store."""
    app = create_app(Settings(database_url=db_url), store=seeded_store)
    with inprocess_client(app) as client:
        yield client


@pytest.fixture
def enrolled(api: httpx.Client, tmp_path: Path) -> Callable[[str], Client]:
    """Make a client device enrolled as one of the demo users (admin, desk, depot, engineer, installer, ...)."""

    def make(username: str) -> Client:
        client = Client.open(tmp_path / f"device-{username}-{uuid.uuid4().hex[:6]}", http=api)
        client.enroll(server_url=str(api.base_url), username=username, password=DEMO_PASSWORD, device_name="test")
        return client

    return make
