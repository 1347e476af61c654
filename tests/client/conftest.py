"""A synced engineer device with its services and UI state, over the in-process server."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from app.bootstrap import Client
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
def device(enrolled: Callable[[str], Client]) -> Callable[[str], Device]:
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
        services = Services(field=field, sync=runner, account=client.account(), keep_blob=keep)
        return Device(client=client, field=field, runner=runner, state=AppState(services=services), blobs=blobs)

    return make
