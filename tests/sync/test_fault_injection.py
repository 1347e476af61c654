"""Proof that nothing is lost: three devices work offline and sync through a network that drops, duplicates, delays
and garbles requests, against a server that restarts. After the network heals and everyone has synced, every device
holds exactly the server's records in its scope, and every command any device made is on the server exactly once,
or shown as rejected on that device with the server's reason.

The devices run the real client (local SQLite store, unit of work, sync engine, HTTP transport); the server is the
real app in-process on SQLite or PostgreSQL. Only the network between them is a test double.
"""

from __future__ import annotations

import functools
import json
import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import anyio.from_thread
import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test
from sqlalchemy import Engine, delete, func, insert, select

from app.adapters.local_store import LocalStore
from app.bootstrap import Client
from app.services.field import FieldService
from server.db import make_engine
from server.seed import CUSTOMER_A, CUSTOMER_B, OEM, sid
from server.tables import assignments, records
from sync import codec
from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.catalog import PartNumber, Sku
from sync.domain.commands import AddNote, EditAsset, FieldChange, ResolveConflict
from sync.domain.conflict import Conflict
from sync.domain.entity import site_scope
from sync.domain.errors import DomainError
from sync.domain.site import Rack
from sync.engine import SyncEngine, SyncReport
from sync.errors import Offline
from tests.conftest import database_url
from tests.sync.faults import Fault, FaultyTransport, InProcessServer, Server
from tests.sync.world import (
    BASE_URL,
    Enqueued,
    Template,
    build_template,
    check_device_matches_server,
    check_ledger,
    check_stock,
    check_writes_happened_once,
    head_version,
    server_outcomes,
)

USERS = ("engineer", "installer", "desk")  # three scopes: three sites, one site, everything
# Small batches and pages, so a fault can land between two batches of one sync and a pull needs several pages.
PUSH_BATCH = 3
PAGE_SIZE = 60
STEPS = 15
EXAMPLES = {"sqlite": 200, "postgres": 30}
STRESS_FACTOR = 5
HEAL_PASSES = 10
T = TypeVar("T")


@dataclass
class World:
    """What outlives one example: the template to restore, and totals that show the run exercised what it claims."""

    template: Template
    portal: anyio.from_thread.BlockingPortal
    scratch: Path
    resetter: Engine
    hot_serials: list[str]
    skus: dict[str, Sku]
    part_numbers: dict[str, PartNumber]
    examples: int = 0
    totals: Counter[str] = field(default_factory=Counter)
    # What serves the devices: the app in-process here; two server processes in test_two_servers.py.
    serve: Callable[[str], Server] | None = None


class Device:
    def __init__(self, name: str, path: Path, server: Server) -> None:
        self.name = name
        self.path = path
        self.network = FaultyTransport(server)
        self.http = httpx.Client(transport=self.network, base_url=BASE_URL)
        self.client = Client.open(path, http=self.http)
        self.field = FieldService(store=self.client.store)
        # The test's own window on the device's file, for the checks after every step. Held open for the run, it
        # also spares the store's short-lived connections the WAL checkpoint a last connection does on closing.
        self.observer = sqlite3.connect(self.store.path, isolation_level=None)

    @property
    def store(self) -> LocalStore:
        return self.client.store

    def reopen(self) -> None:
        """The app was closed and started again: only what is in the file survives."""
        self.client.store.close()
        self.client = Client.open(self.path, http=self.http)
        self.field = FieldService(store=self.client.store)

    def sync(self) -> SyncReport:
        with self.client.transport() as transport:
            engine = SyncEngine(store=self.store, transport=transport, push_batch=PUSH_BATCH, page_size=PAGE_SIZE)
            return engine.sync_once()

    def queued(self) -> list[str]:
        return [row[0] for row in self.observer.execute("SELECT command_id FROM outbox ORDER BY seq")]

    def shown_rejected(self) -> set[str]:
        return {row[0] for row in self.observer.execute("SELECT command_id FROM rejections")}

    def close(self) -> None:
        self.observer.close()
        self.client.store.close()
        self.http.close()


def pick(items: Sequence[T], index: int) -> T | None:
    return items[index % len(items)] if items else None


def step(method: Callable[..., None]) -> Callable[..., None]:
    """Mark the machine dirty while a step runs: if one fails, teardown only cleans up and keeps its error."""

    @functools.wraps(method)
    def run(self: SyncUnderFaults, *args: Any, **kwargs: Any) -> None:
        self.clean = False
        method(self, *args, **kwargs)
        self.clean = True

    return run


who = st.integers(0, len(USERS) - 1)
index = st.integers(0, 2**16)
hot = st.integers(0, 13)


class SyncUnderFaults(RuleBasedStateMachine):
    world: ClassVar[World]

    def __init__(self) -> None:
        super().__init__()
        world = self.world
        world.examples += 1
        self.clean = True
        self.root = world.scratch / f"example-{world.examples}"
        world.template.restore_server(world.resetter)
        url = world.template.database_url
        self.server = world.serve(url) if world.serve else InProcessServer(url, world.portal)
        paths = world.template.copy_devices(self.root)
        self.devices = [Device(name, paths[name], self.server) for name in USERS]
        self.enqueued: list[Enqueued] = []

    # offline work, through the client's services and unit of work ---------------------------------------------------
    def _enqueue(self, device: Device, action: Callable[[], object]) -> None:
        """Run a user action; if the device accepted it, remember the command it queued."""
        before = set(device.queued())
        try:
            action()
        except DomainError:
            self.world.totals["refused_on_device"] += 1
            return
        new = [c for c in device.queued() if c not in before]
        assert len(new) == 1, new
        entry = device.store.pending(limit=len(before) + 1)[-1]
        assert entry.command_id == new[0]
        self.enqueued.append(
            Enqueued(command_id=entry.command_id, device=device.name, type=entry.type, payload=entry.payload)
        )

    def _asset(self, device: Device, k: int) -> Asset | None:
        """The k-th of a few chassis every device is likely to see, so that devices collide over the same ones."""
        hot = self.world.hot_serials
        found = device.store.find(Asset, hot[k % len(hot)])
        return found or pick(sorted(device.store.all(Asset), key=lambda a: a.serial), k)

    @rule(n=who, serial=st.integers(0, 3), sku=index, owner=st.sampled_from([OEM, CUSTOMER_A, CUSTOMER_B]))
    @step
    def register_chassis(self, n: int, serial: int, sku: int, owner: str) -> None:
        # Four serials for everyone: two devices registering the same chassis offline is a rejection to show.
        device = self.devices[n]
        chosen = pick(sorted(device.store.all(Sku), key=lambda s: s.id), sku)
        assert chosen is not None
        self._enqueue(
            device,
            lambda: device.field.register_asset(
                serial=f"NBFT{serial:04d}", sku_id=chosen.id, revision="A", owner_org_id=owner
            ),
        )

    @rule(n=who, asset=hot, rack=index, u=st.integers(1, 44))
    @step
    def install(self, n: int, asset: int, rack: int, u: int) -> None:
        device = self.devices[n]
        chassis = self._asset(device, asset)
        target = pick(sorted(device.store.all(Rack), key=lambda r: r.id), rack)
        if chassis is None or target is None:
            return
        self._enqueue(
            device,
            lambda: device.field.record_installation(
                asset_id=chassis.id,
                rack_id=target.id,
                u_position=u,
                measured_depth_mm=target.mounting_depth_mm,
                rail_kit_id=None,
            ),
        )

    @rule(n=who, asset=hot, slot=index, source=index, spare=index)
    @step
    def swap_fru(self, n: int, asset: int, slot: int, source: int, spare: int) -> None:
        device = self.devices[n]
        chassis = self._asset(device, asset)
        if chassis is None or not chassis.installed_parts:
            return
        installed = pick(chassis.installed_parts, slot)
        location = pick(device.field.my_stock_locations(), source)
        if installed is None or location is None:
            return
        # What FieldService.spares_for_slot offers, with the catalog read once per run instead of once per part.
        wanted = self.world.skus[chassis.sku_id].slot(installed.slot).fru_type
        numbers = self.world.part_numbers
        spares = sorted(
            p.serial
            for p in device.store.children(Part, location.id)
            if p.location is PartLocation.IN_STOCK
            and numbers[p.part_number_id].fru_type is wanted
            and numbers[p.part_number_id].field_replaceable
        )
        chosen = pick(spares, spare)
        if chosen is None:
            return
        self._enqueue(
            device,
            lambda: device.field.swap_fru(
                asset_id=chassis.id,
                slot=installed.slot,
                removed_serial=installed.part_serial,
                installed_serial=chosen,
                from_location_id=location.id,
                error_code="E-FT",
                reason="fault test",
            ),
        )

    @rule(n=who, asset=hot, text=st.sampled_from(["fan noisy", "checked cabling", "label reprinted"]))
    @step
    def add_note(self, n: int, asset: int, text: str) -> None:
        device = self.devices[n]
        chassis = self._asset(device, asset)
        if chassis is None:
            return
        command = AddNote(note_id=device.field.make_id(), subject_collection="assets", subject_id=chassis.id, text=text)
        self._enqueue(device, lambda: device.store.execute(command))

    @rule(n=who, asset=hot, name=st.sampled_from(["lot", "notes", "revision"]), value=st.sampled_from("ABC"))
    @step
    def edit_chassis(self, n: int, asset: int, name: str, value: str) -> None:
        device = self.devices[n]
        chassis = self._asset(device, asset)
        if chassis is not None:
            self._edit(device, chassis, name, value)

    @rule(pair=st.permutations(range(len(USERS))), asset=hot, name=st.sampled_from(["lot", "notes"]))
    @step
    def edit_from_two_devices(self, pair: list[int], asset: int, name: str) -> None:
        # The same field of the same chassis, edited on two devices before either syncs: a conflict to keep.
        first, second = self.devices[pair[0]], self.devices[pair[1]]
        chassis = self._asset(first, asset)
        if chassis is None or second.store.get(Asset, chassis.id) is None:
            return
        self._edit(first, chassis, name, first.name)
        self._edit(second, chassis, name, second.name)

    def _edit(self, device: Device, chassis: Asset, name: str, value: str) -> None:
        current = device.store.get(Asset, chassis.id)
        assert current is not None
        change = FieldChange(field=name, base_value=str(getattr(current, name)), new_value=value)
        command = EditAsset(asset_id=chassis.id, base_version=None, changes=(change,))
        self._enqueue(device, lambda: device.store.execute(command))

    @rule(n=who, conflict=index, keep=st.booleans())
    @step
    def resolve_conflict(self, n: int, conflict: int, keep: bool) -> None:
        device = self.devices[n]
        chosen = pick(sorted((c for c in device.store.all(Conflict) if not c.resolved), key=lambda c: c.id), conflict)
        if chosen is None:
            return
        value = chosen.kept_value if keep else chosen.overwritten_value
        self._enqueue(device, lambda: device.store.execute(ResolveConflict(conflict_id=chosen.id, chosen_value=value)))

    # the network, the server, the order of syncs ---------------------------------------------------------------
    @rule(n=who, faults=st.lists(st.sampled_from(Fault), min_size=1, max_size=4))
    @step
    def sync_through_faults(self, n: int, faults: list[Fault]) -> None:
        # Like the app's background sync: try, and on failure try again (here: until every fault has struck).
        device = self.devices[n]
        device.network.faults.extend(faults)
        while device.network.faults:
            self._sync(device)

    def _sync(self, device: Device) -> None:
        try:
            report = device.sync()
        except Offline:
            self.world.totals["sync_failed"] += 1
        else:
            self.world.totals["sync_ok"] += 1
            self.world.totals["pull_resets"] += report.resets

    @rule(n=who)
    @step
    def sync(self, n: int) -> None:
        self._sync(self.devices[n])

    @rule(order=st.permutations(range(len(USERS))))
    @step
    def sync_all(self, order: list[int]) -> None:
        for n in order:
            self._sync(self.devices[n])

    @rule(n=who, which=index)
    @step
    def deliver_delayed(self, n: int, which: int) -> None:
        self.world.totals["delivered_late"] += self.devices[n].network.deliver_delayed(which)

    @rule()
    @step
    def restart_server(self) -> None:
        self.server.restart()
        self.world.totals["server_restarts"] += 1

    @rule(site=st.sampled_from(["fra1", "sfo-edge", "tyo1"]))
    @step
    def reassign_installer(self, site: str) -> None:
        """An admin gives the installer a site, or takes one away (as `rackside user assign` does): the installer's
        next pull is a full re-pull of the new scope, wherever the network interrupts it."""
        key = {"user_id": sid("user", "installer"), "scope_key": site_scope(sid("site", site))}
        where = (assignments.c.user_id == key["user_id"], assignments.c.scope_key == key["scope_key"])
        with self.server.store.engine.begin() as conn:
            if conn.execute(delete(assignments).where(*where)).rowcount == 0:
                conn.execute(insert(assignments).values(**key))
        self.world.totals["scope_changes"] += 1

    @rule(n=who)
    @step
    def reopen_device(self, n: int) -> None:
        self.devices[n].reopen()

    # always true, even mid-storm -------------------------------------------------------------------------------
    @invariant()
    @step
    def every_command_is_queued_or_decided(self) -> None:
        decided, _ = server_outcomes(self.server.store.engine)
        for device in self.devices:
            queued = set(device.queued())
            lost = [c.command_id for c in self.enqueued if c.device == device.name and c.command_id not in queued]
            lost = [c for c in lost if c not in decided]
            assert not lost, f"{device.name} dropped {lost[:3]} from its outbox before the server had them"
            for command_id in device.shown_rejected():
                outcome = decided.get(command_id)
                assert outcome is not None and outcome.status == "rejected", (command_id, outcome)

    # after the storm ---------------------------------------------------------------------------------------------
    def _heal(self) -> None:
        for device in self.devices:
            self.world.totals["delivered_late"] += device.network.deliver_delayed()
            device.network.faults.clear()
        quiet = 0
        for _ in range(HEAL_PASSES):
            moved = 0
            for device in self.devices:
                report = device.sync()
                moved += report.pushed + report.pulled
                self.world.totals["pull_resets"] += report.resets
            quiet = quiet + 1 if moved == 0 else 0
            if quiet == 2:
                return
        raise AssertionError(f"still syncing changes after {HEAL_PASSES} passes")

    def teardown(self) -> None:
        try:
            if self.clean:
                self._heal()
                store = self.server.store
                for device in self.devices:
                    check_device_matches_server(store, device.store)
                stores = {d.name: d.store for d in self.devices}
                counts = check_ledger(store, self.enqueued, stores)
                check_stock(store, self.world.template, self.enqueued)
                check_writes_happened_once(store, head_version(self.world.template.rows))
                self._count(counts)
        finally:
            for device in self.devices:
                device.close()
            self.server.close()
            shutil.rmtree(self.root, ignore_errors=True)

    def _count(self, outcomes: dict[str, int]) -> None:
        totals = self.world.totals
        totals.update(outcomes)
        for device in self.devices:
            totals.update({f"fault:{k}": v for k, v in device.network.injected.items()})
        totals.update(f"type:{c.type}" for c in self.enqueued)
        with self.server.store.engine.connect() as conn:
            totals["conflicts"] += conn.execute(
                select(func.count()).select_from(records).where(records.c.collection == "conflicts")
            ).scalar_one()


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[Path]:
    """Where the devices' files (and the SQLite server's) live: pytest's own directory for this test, on disk.

    (A tmpfs such as /dev/shm ran faster, but it is shared with everything else on the machine and can be small in
    containers; a CI run once lost its server file there mid-test.)"""
    yield tmp_path


def catalog(rows: list[dict[str, Any]]) -> tuple[dict[str, Sku], dict[str, PartNumber]]:
    """The template's SKUs and part numbers, read once per run instead of once per swap."""
    skus = {r["id"]: codec.load(Sku, json.loads(r["data"])) for r in rows if r["collection"] == "skus"}
    numbers = {
        r["id"]: codec.load(PartNumber, json.loads(r["data"])) for r in rows if r["collection"] == "part_numbers"
    }
    return skus, numbers


@pytest.fixture
def world(backend: str, scratch: Path) -> Iterator[World]:
    url = database_url(backend, scratch)
    with anyio.from_thread.start_blocking_portal() as portal:
        template = build_template(url, scratch / "template", portal, usernames=USERS, assets=10)
        resetter = make_engine(url)
        hot = sorted(r["natural_key"] for r in template.rows["records"] if r["collection"] == "assets")
        hot += [f"NBFT{n:04d}" for n in range(4)]
        skus, part_numbers = catalog(template.rows["records"])
        yield World(
            template=template,
            portal=portal,
            scratch=scratch / "runs",
            resetter=resetter,
            hot_serials=hot,
            skus=skus,
            part_numbers=part_numbers,
        )
        resetter.dispose()


def run_under_faults(world: World, *, examples: int) -> None:
    """Run the fault-injection state machine against ``world``: one set of settings for every proof that uses it."""
    machine = type("Machine", (SyncUnderFaults,), {"world": world})
    run_state_machine_as_test(
        machine,
        settings=settings(
            max_examples=examples,
            stateful_step_count=STEPS,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
        ),
    )


def test_no_command_is_lost_or_applied_twice_whatever_the_network_does(
    world: World, backend: str, stress: bool
) -> None:
    run_under_faults(world, examples=EXAMPLES[backend] * (STRESS_FACTOR if stress else 1))
    totals = world.totals
    print(f"\n{backend}: {world.examples} runs, {dict(sorted(totals.items()))}")
    # The proof only counts if the storm really happened: every fault, restarts, rejections and conflicts.
    assert all(totals[f"fault:{f}"] > 0 for f in Fault), totals
    assert totals["server_restarts"] > 0 and totals["delivered_late"] > 0 and totals["pull_resets"] > 0
    assert totals["applied"] > 0 and totals["rejected"] > 0 and totals["conflicts"] > 0
