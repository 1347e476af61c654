"""One small server world per backend per module: photo tests need users and a record, not the demo seed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import database_url
from tests.photos.world import World, build_world


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def world(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    backend = str(request.param)
    folder = tmp_path_factory.mktemp(f"photos-{backend}")
    built = build_world(backend, database_url(backend, folder), folder)
    yield built
    built.store.engine.dispose()
