"""The Reader contract (sync/domain/context.py), one suite run on the server's context, the device's LocalContext /
LocalStore / CachedReader and the tests' FakeContext.

Each implementation is driven the way it is really written to: server copies arrive (the server writes them; the
device pulls them with their versions), and commands run through ``decide`` (the server applies their outcome; the
device executes them into its overlay and outbox). The rule under test: ``children`` is oldest version first, a
record written again moves to the end, and a device's unconfirmed writes come after its server copies in the order
written — the order the server will version them in when it replays the outbox.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Protocol

import pytest

from app.adapters.cached_reader import CachedReader
from app.adapters.local_store import Identity, LocalContext, LocalStore
from server.accounts import Caller
from server.apply import ServerContext, record_write
from server.db import make_engine
from server.scope import Scope
from server.store import Store
from sync import codec
from sync.domain.commands import AdvanceRma, Command, DraftRma
from sync.domain.context import Reader
from sync.domain.contract import ServiceModel
from sync.domain.entity import Entity
from sync.domain.handlers import decide
from sync.domain.org import Role
from sync.domain.rma import Rma, RmaStatus
from sync.protocol import WireRecord
from tests.domain.fakes import FakeContext
from tests.domain.world import ASSET, NOW, actor, rma

ACTOR = actor(Role.FIELD_ENGINEER)


class Harness(Protocol):
    def pull(self, *entities: Entity) -> None:
        """Server copies arrive, each a newer version than everything before."""

    def run(self, command: Command) -> None:
        """A user's command, decided against this reader and written."""

    def reader(self) -> Iterator[Reader]: ...


class FakeHarness:
    def __init__(self, _tmp: Path) -> None:
        self.ctx = FakeContext(actor=ACTOR, now=NOW)

    def pull(self, *entities: Entity) -> None:
        self.ctx.put(*entities)

    def run(self, command: Command) -> None:
        self.ctx.apply(decide(command, self.ctx))

    def reader(self) -> Iterator[Reader]:
        yield self.ctx


class ServerHarness:
    def __init__(self, tmp: Path) -> None:
        self.store = Store(make_engine(f"sqlite:///{tmp / 'server.db'}"))
        self.store.create_schema()
        self.caller = Caller(actor=ACTOR, scope=Scope(keys=None, write_orgs=None), name="Eli")

    def pull(self, *entities: Entity) -> None:
        for entity in entities:
            with self.store.transaction() as txn:
                txn.write([record_write(entity)])

    def run(self, command: Command) -> None:
        with self.store.transaction() as txn:
            out = decide(command, ServerContext(txn, self.caller, NOW))
            txn.write([record_write(e) for e in out])

    def reader(self) -> Iterator[Reader]:
        with self.store.transaction() as txn:
            yield ServerContext(txn, self.caller, NOW)


class DeviceHarness:
    def __init__(self, tmp: Path) -> None:
        self.store = LocalStore(tmp / "device.db", clock=lambda: NOW)
        self.store.save_identity(
            Identity(
                server_url="http://server",
                device_id=ACTOR.device_id,
                token="t",
                user_id=ACTOR.user_id,
                org_id=ACTOR.org_id,
                name="Eli",
                role=ACTOR.role,
            )
        )
        self.version = 0

    def pull(self, *entities: Entity) -> None:
        for entity in entities:
            self.version += 1
            wire = WireRecord(collection=entity.collection, id=entity.id, version=self.version, data=codec.dump(entity))
            self.store.apply_page([wire], str(self.version), complete=False)

    def run(self, command: Command) -> None:
        self.store.execute(command)

    def reader(self) -> Iterator[Reader]:
        yield self.store
        yield CachedReader(self.store)  # made fresh for this look, as a screen's refresh makes one
        with self.store.engine.connect() as conn:
            yield LocalContext(conn, ACTOR, NOW)


HARNESSES: dict[str, Callable[[Path], Harness]] = {
    "fake": FakeHarness,
    "server": ServerHarness,
    "device": DeviceHarness,
}


@pytest.fixture(params=list(HARNESSES))
def harness(request: pytest.FixtureRequest, tmp_path: Path) -> Harness:
    made = HARNESSES[request.param](tmp_path)
    made.pull(ASSET)
    return made


def ids(harness: Harness) -> list[list[str]]:
    """What every reader of the implementation answers for the chassis's RMAs (a device has two readers)."""
    return [[r.id for r in reader.children(Rma, ASSET.id)] for reader in harness.reader()]


def pulled(rma_id: str, status: RmaStatus = RmaStatus.DRAFT) -> Rma:
    return replace(rma(status), id=rma_id)


def draft(rma_id: str) -> DraftRma:
    return DraftRma(rma_id=rma_id, asset_id=ASSET.id, model=ServiceModel.STANDARD, symptom="fans")


def test_children_come_oldest_version_first(harness: Harness) -> None:
    harness.pull(pulled("rma-b"), pulled("rma-c"), pulled("rma-a"))
    assert all(found == ["rma-b", "rma-c", "rma-a"] for found in ids(harness))


def test_a_record_written_again_moves_to_the_end(harness: Harness) -> None:
    harness.pull(pulled("rma-b"), pulled("rma-c"), pulled("rma-a"))
    harness.pull(pulled("rma-b", RmaStatus.SUBMITTED))
    assert all(found == ["rma-c", "rma-a", "rma-b"] for found in ids(harness))


def test_commands_write_after_what_was_there_in_the_order_they_ran(harness: Harness) -> None:
    harness.pull(pulled("rma-b"), pulled("rma-c"))
    harness.run(draft("rma-z"))
    harness.run(AdvanceRma(rma_id="rma-b", to_status=RmaStatus.SUBMITTED))
    harness.run(draft("rma-y"))
    assert all(found == ["rma-c", "rma-z", "rma-b", "rma-y"] for found in ids(harness))


def test_get_and_find_return_the_latest_write(harness: Harness) -> None:
    harness.pull(pulled("rma-b"))
    harness.run(AdvanceRma(rma_id="rma-b", to_status=RmaStatus.SUBMITTED))
    for reader in harness.reader():
        found = reader.get(Rma, "rma-b")
        assert found is not None and found.status is RmaStatus.SUBMITTED
        assert reader.get(Rma, "rma-none") is None
        by_serial = reader.find(type(ASSET), ASSET.serial)
        assert by_serial is not None and by_serial.id == ASSET.id
        assert reader.find(type(ASSET), "NO-SUCH-SERIAL") is None
