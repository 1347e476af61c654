"""Devices for the device-side photo and log tests: real clients enrolled on the in-process server of a World."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.adapters.local_store import Identity
from app.bootstrap import Client
from app.photos.service import PhotoService, TransferReport, blob_transport
from app.photos.uploads import ProgressListener
from sync.domain.org import Role
from tests.conftest import database_url
from tests.photos.world import BASE_URL, CuttingTransport, World, build_world

CHUNK = 16 * 1024


@dataclass
class Device:
    client: Client
    photos: PhotoService
    http: httpx.Client
    wire: CuttingTransport

    def transfer_once(self, *, progress: ProgressListener | None = None) -> TransferReport:
        with blob_transport(self.client.store, http=self.http) as transport:
            return self.photos.transfer(transport, progress=progress)


def embedded_world(tmp_path_factory: pytest.TempPathFactory, name: str) -> Iterator[World]:
    """Device behaviour does not depend on the server's database: the embedded one only."""
    folder = tmp_path_factory.mktemp(name)
    built = build_world("sqlite", database_url("sqlite", folder), folder)
    yield built
    built.store.engine.dispose()


@contextmanager
def devices(world: World, tmp_path: Path, **limits: Any) -> Iterator[Callable[[str], Device]]:
    """A maker of enrolled, synced devices (small upload chunks, no retry sleeps), all closed at the end; ``limits``
    are the server's settings (blob_unfinished_uploads_max, ...)."""
    made: list[Device] = []
    with world.server(**limits) as (http, wire):

        def make(username: str) -> Device:
            folder = tmp_path / f"{username}-{len(made)}"
            client = Client.open(folder, http=http)
            device_id, token = world.enroll_device(username)
            client.store.save_identity(
                Identity(
                    server_url=BASE_URL,
                    device_id=device_id,
                    token=token,
                    user_id=f"user-{username}",
                    org_id=world.orgs[username],
                    name=username.title(),
                    role=Role.FIELD_ENGINEER,
                )
            )
            client.sync()
            photos = PhotoService.open(client.store, folder)
            photos.uploads.chunk_size = CHUNK
            photos.uploads.sleep = lambda _seconds: None
            made.append(Device(client=client, photos=photos, http=http, wire=wire))
            return made[-1]

        yield make
    for each in made:
        each.photos.close()
        each.client.store.close()
