"""A synced engineer device with its services and UI state, over the in-process server."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.bootstrap import Client
from app.photos.service import PhotoService
from app.services.field import FieldService
from app.services.sync_status import SyncRunner
from app.ui.state import AppState, Services


@pytest.fixture
def backend() -> str:
    """Client behaviour does not depend on the server's database: run these on the embedded one only."""
    return "sqlite"


@dataclass
class Device:
    client: Client
    field: FieldService
    runner: SyncRunner
    state: AppState
    blobs: dict[str, bytes]


@pytest.fixture
def device(enrolled: Callable[[str], Client], tmp_path: Path) -> Callable[[str], Device]:
    def make(username: str = "engineer") -> Device:
        client = enrolled(username)
        client.sync()
        blobs: dict[str, bytes] = {}

        def keep(data: bytes) -> str:
            digest = hashlib.sha256(data).hexdigest()
            blobs[digest] = data
            return digest

        runner = SyncRunner(client.store, client.transport)
        field = FieldService(store=client.store)
        photos = PhotoService.open(client.store, tmp_path / f"photos-{uuid.uuid4().hex[:8]}")
        services = Services(field=field, sync=runner, account=client.account(), keep_blob=keep, photos=photos)
        return Device(client=client, field=field, runner=runner, state=AppState(services=services), blobs=blobs)

    return make
