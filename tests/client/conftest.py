"""A synced engineer device with its services (built by the composition root) and UI state, over the in-process
server."""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.bootstrap import Client, Services
from app.services.field import FieldService
from app.services.sync_status import SyncRunner
from app.ui.state import AppState


@pytest.fixture
def backend() -> str:
    """Client behaviour does not depend on the server's database: run these on the embedded one only."""
    return "sqlite"


@dataclass
class Device:
    client: Client
    services: Services
    state: AppState

    @property
    def field(self) -> FieldService:
        return self.services.field

    @property
    def runner(self) -> SyncRunner:
        return self.services.sync


@pytest.fixture
def device(enrolled: Callable[[str], Client], tmp_path: Path) -> Callable[[str], Device]:
    def make(username: str = "engineer") -> Device:
        client = enrolled(username)
        client.sync()
        services = client.services(tmp_path / f"device-{uuid.uuid4().hex[:8]}")
        return Device(client=client, services=services, state=AppState.build(services))

    return make


@pytest.fixture
def device_in_tokyo() -> Iterator[None]:
    """The device's own zone comes from the operating system (TZ)."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Tokyo"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
