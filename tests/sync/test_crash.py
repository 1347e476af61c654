"""Proof that a client killed in the middle of a sync loses nothing and applies nothing twice.

A real server (uvicorn, loopback) and a real client process: the device has a full outbox, the child syncs it in
small batches, and SIGKILL arrives at a seeded random moment (before a request, during one, between a push answer
and its local commit, during a pull page). The device's file must then open as it is, pass SQLite's integrity
check, and a plain sync must bring it to exactly the server's state, every command decided once.
"""

from __future__ import annotations

import logging
import multiprocessing
import random
import signal
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio
import pytest
from sqlalchemy import text

from app.bootstrap import Client
from server.accounts import enroll
from server.app import create_app
from server.db import make_engine
from server.migrate import upgrade
from server.seed import DEMO_PASSWORD, OEM, seed
from server.settings import Settings
from server.store import Store
from sync.domain.asset import Asset
from sync.domain.catalog import Sku
from sync.domain.commands import AddNote, Command, EditAsset, FieldChange, RegisterAsset
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from tests.conftest import database_url
from tests.e2e.processes import ServerProcess
from tests.support.asgi import http_scope
from tests.sync.crash_client import sync_and_report
from tests.sync.world import Enqueued, check_device_matches_server, check_ledger, check_writes_happened_once

KILLS = 20
STRESS_KILLS = 100
PUSH_BATCH = 2
PAGE_SIZE = 10
SEED = 20_261_123
CHILD_TIMEOUT = 60.0
# Children fork from a process that has imported the client already: a fresh interpreter would spend longer
# starting than syncing, and the kill would mostly land during imports.
FORKSERVER = multiprocessing.get_context("forkserver")
FORKSERVER.set_forkserver_preload(["tests.sync.crash_client"])


@dataclass
class Devices:
    server: ServerProcess
    store: Store
    root: Path
    engineer: Client
    desk: Client
    head_before: int
    enqueued: list[Enqueued] = field(default_factory=list)

    def run(self, device: Client, name: str, command: Command) -> None:
        command_id = str(uuid.uuid4())
        device.store.execute(command, command_id=command_id)
        payload = dict(vars(command))
        self.enqueued.append(Enqueued(command_id=command_id, device=name, type=command.type_name, payload=payload))

    def reopen_engineer(self) -> Client:
        self.engineer.store.close()
        self.engineer = Client.open(self.root / "engineer")
        return self.engineer


@pytest.fixture
def devices(backend: str, tmp_path: Path) -> Iterator[Devices]:
    url = database_url(backend, tmp_path)
    upgrade(url)
    store = Store(make_engine(url))
    seed(store, assets=10)
    # No SLA sweep: its breaches on the seeded incidents are the server's own writes, and this proof tallies the
    # versions and command outcomes the devices' commands made (the sweep has its own tests).
    server = ServerProcess(url, log=tmp_path / "server.log", env={"RACKSIDE_SLA_SWEEP_SECONDS": "0"})
    server.start()
    try:
        clients = {}
        for name in ("engineer", "desk"):
            client = Client.open(tmp_path / name)
            client.enroll(server_url=server.url, username=name, password=DEMO_PASSWORD, device_name=f"crash-{name}")
            client.sync()
            clients[name] = client
        yield Devices(
            server=server,
            store=store,
            root=tmp_path,
            engineer=clients["engineer"],
            desk=clients["desk"],
            head_before=store.head_version(),
        )
        for client in clients.values():
            client.store.close()
    finally:
        server.stop()
        store.engine.dispose()


def offline_work(devices: Devices, round_no: int, rng: random.Random) -> None:
    """A day's worth of commands on the engineer's device, and changes by the desk for it to pull."""
    engineer, desk = devices.engineer, devices.desk
    mine = sorted(engineer.store.all(Asset), key=lambda a: a.serial)
    for i in range(rng.randrange(6, 16)):
        asset = rng.choice(mine)
        note = AddNote(
            note_id=str(uuid.uuid4()), subject_collection="assets", subject_id=asset.id, text=f"r{round_no} n{i}"
        )
        devices.run(engineer, "engineer", note)
    for i in range(rng.randrange(1, 4)):
        asset = rng.choice(mine)
        current = engineer.store.get(Asset, asset.id)
        assert current is not None
        change = FieldChange(field="lot", base_value=current.lot, new_value=f"E{round_no}-{i}")
        devices.run(engineer, "engineer", EditAsset(asset_id=asset.id, base_version=None, changes=(change,)))
    sku = sorted(engineer.store.all(Sku), key=lambda s: s.id)[0]
    # The desk registers this serial first, so the engineer's copy is rejected: a rejection must survive the kill.
    for who, name in ((desk, "desk"), (engineer, "engineer")):
        register = RegisterAsset(
            asset_id=str(uuid.uuid4()), serial=f"NBCR{round_no:04d}", sku_id=sku.id, revision="A", owner_org_id=OEM
        )
        devices.run(who, name, register)
    for i in range(rng.randrange(2, 8)):
        asset = rng.choice(mine)
        current = desk.store.get(Asset, asset.id)
        assert current is not None
        if i == 0:
            change = FieldChange(field="lot", base_value=current.lot, new_value=f"D{round_no}")
            devices.run(desk, "desk", EditAsset(asset_id=asset.id, base_version=None, changes=(change,)))
        note = AddNote(note_id=str(uuid.uuid4()), subject_collection="assets", subject_id=asset.id, text=f"desk {i}")
        devices.run(desk, "desk", note)
    desk.sync()


def sync_and_kill(data: Path, rng: random.Random, expected_steps: int) -> bool:
    """Start a syncing client process and SIGKILL it after a random number of its steps plus a random pause.
    Returns whether the kill landed (False: the sync had finished first)."""
    receiver, sender = FORKSERVER.Pipe(duplex=False)
    child = FORKSERVER.Process(target=sync_and_report, args=(data, PUSH_BATCH, PAGE_SIZE, sender), daemon=True)
    child.start()
    sender.close()
    # Step 0 is "open": the store is open and the sync begins.
    for _ in range(rng.randrange(1, expected_steps + 2)):
        if not receiver.poll(CHILD_TIMEOUT):
            break
        try:
            if str(receiver.recv()).startswith("done"):
                break
        except EOFError:
            break
    # Up to a few requests' worth more: the kill then lands inside a request or inside a local commit.
    child.join(timeout=rng.uniform(0, 0.03))
    if child.exitcode is None:
        child.kill()
    child.join(timeout=CHILD_TIMEOUT)
    receiver.close()
    # 0: the sync finished just before the signal; anything else is a client that failed on its own.
    assert child.exitcode in (0, -signal.SIGKILL), f"the client process failed: exit code {child.exitcode}"
    return child.exitcode == -signal.SIGKILL


def check_open_and_intact(client: Client) -> None:
    with client.store.engine.connect() as conn:
        assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_a_client_killed_mid_sync_loses_nothing_and_applies_nothing_twice(devices: Devices, stress: bool) -> None:
    rng = random.Random(SEED)
    kills = STRESS_KILLS if stress else KILLS
    landed = 0
    for round_no in range(kills):
        offline_work(devices, round_no, rng)
        pending = devices.engineer.store.pending_count()
        devices.engineer.store.close()
        landed += sync_and_kill(devices.root / "engineer", rng, expected_steps=pending // PUSH_BATCH + 3)
        engineer = devices.reopen_engineer()
        check_open_and_intact(engineer)
        engineer.sync()
        devices.desk.sync()
        check_device_matches_server(devices.store, engineer.store)
        check_device_matches_server(devices.store, devices.desk.store)
        stores = {"engineer": engineer.store, "desk": devices.desk.store}
        counts = check_ledger(devices.store, devices.enqueued, stores)
        assert counts.get("rejected") == round_no + 1  # one duplicate registration per round, no more, no less
        check_writes_happened_once(devices.store, devices.head_before)
    print(f"\n{kills} rounds, {landed} kills landed mid-sync, {len(devices.enqueued)} commands")
    # Most kills must land before the sync finished, or this test proves little.
    assert landed >= kills // 2
    # Requests cut off by a dead client are the server's daily bread, not an error.
    log = (devices.root / "server.log").read_text(errors="replace")
    assert "Traceback" not in log and "internal error" not in log, log[-2000:]


@pytest.mark.parametrize("backend", ["sqlite"])
def test_a_push_cut_off_mid_upload_is_not_an_internal_error(
    seeded_store: Store, db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """What the server sees when a device dies while sending: half a body, then a disconnect."""
    _, token, _ = enroll(
        seeded_store.engine, username="engineer", password=DEMO_PASSWORD, device_name="dies", now=datetime.now(UTC)
    )
    app = create_app(Settings(database_url=db_url), store=seeded_store)
    messages: list[dict[str, Any]] = [
        {"type": "http.request", "body": b'{"commands": [{"command_id": "', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = http_scope(
        "POST",
        "/api/v1/sync/push",
        {
            "Authorization": f"Bearer {token}",
            PROTOCOL_HEADER: str(PROTOCOL_VERSION),
            "Content-Type": "application/json",
        },
    )
    # A thread of its own: earlier tests in the session (Playwright's sync API) can leave an event loop running in
    # this one, and anyio refuses to start a second.
    with caplog.at_level(logging.INFO, logger="rackside.server"), ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(anyio.run, app, scope, receive, send).result()
    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [499]
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    with seeded_store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM applied_commands")).scalar() == 0
