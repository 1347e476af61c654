"""Pushes and pulls are rate-limited per device (server/rate_limit.py): over the limit a request answers 429
``rate_limited`` with Retry-After and the one error body, other devices go on, and a client that meets the limit
keeps its commands pending (never rejected) and syncs them later."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from app.bootstrap import Client
from server.app import create_app
from server.seed import DEMO_PASSWORD
from server.settings import Settings
from server.store import Store
from sync.domain.commands import AddNote
from sync.errors import RateLimited
from tests.protocol.test_bad_input import FRA1_ASSET, enroll, note
from tests.support.inprocess import inprocess_client


@pytest.fixture
def tight(seeded_store: Store, db_url: str) -> Iterator[httpx.Client]:
    settings = Settings(database_url=db_url, push_per_minute=1, push_burst=2, pull_per_minute=1, pull_burst=3)
    with inprocess_client(create_app(settings, store=seeded_store)) as client:
        yield client


def test_a_device_over_its_push_and_pull_rates_gets_429_and_other_devices_do_not(tight: httpx.Client) -> None:
    headers, _ = enroll(tight, "engineer")
    other, _ = enroll(tight, "engineer")
    pushes = [tight.post("/api/v1/sync/push", json={"commands": [note(FRA1_ASSET)]}, headers=headers) for _ in range(3)]
    assert [p.status_code for p in pushes] == [200, 200, 429]
    assert pushes[2].headers["retry-after"] == "60"
    assert pushes[2].json() == {
        "error": {
            "code": "rate_limited",
            "message": "this device sends too many requests; try again in 60 seconds",
            "details": {"retry_after": 60},
        }
    }
    pulls = [tight.get("/api/v1/sync/changes", params={"limit": 1}, headers=headers) for _ in range(4)]
    assert [p.status_code for p in pulls] == [200, 200, 200, 429]
    assert pulls[3].json()["error"]["code"] == "rate_limited"
    answer = tight.post("/api/v1/sync/push", json={"commands": [note(FRA1_ASSET)]}, headers=other)
    assert answer.status_code == 200


def test_a_client_meeting_the_limit_keeps_its_commands_pending(tight: httpx.Client, tmp_path: Path) -> None:
    device = Client.open(tmp_path / "device", http=tight)
    device.enroll(server_url=str(tight.base_url), username="engineer", password=DEMO_PASSWORD, device_name="t")
    device.sync()
    with pytest.raises(RateLimited):
        for _ in range(5):
            note_id = str(uuid.uuid4())
            device.store.execute(AddNote(note_id=note_id, subject_collection="assets", subject_id=FRA1_ASSET, text="n"))
            device.sync()
    assert device.store.pending_count() >= 1
    assert device.store.rejections() == []
