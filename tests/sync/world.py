"""What the sync proofs share: a seeded server with enrolled, synced devices to start each run from, and the checks
that nothing was lost or duplicated.

Seeding and enrolling cost seconds (argon2), far too much to repeat for every Hypothesis example; so they run once,
the server's rows are kept in memory and the devices' files on disk, and every example starts from copies.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import anyio.from_thread
import httpx
from sqlalchemy import Engine, delete, insert, select

from app.adapters import tables as local
from app.adapters.local_store import LocalStore
from app.bootstrap import Client
from server.accounts import authenticate
from server.db import make_engine
from server.migrate import upgrade
from server.seed import DEMO_PASSWORD, seed
from server.store import VERSION_COUNTER, Store
from server.tables import applied_commands, metadata, records
from tests.sync.faults import InProcessServer

BASE_URL = "http://rackside.test"
RecordKey = tuple[str, str]
View = dict[RecordKey, tuple[int, Any]]

# The record each command creates under an id made on the device: present after "applied", absent after "rejected".
CREATED: Mapping[str, tuple[str, str]] = {
    "RegisterAsset": ("assets", "asset_id"),
    "RecordInstallation": ("installations", "installation_id"),
    "SwapFru": ("fru_swaps", "swap_id"),
    "AddNote": ("notes", "note_id"),
}


@dataclass(frozen=True)
class Template:
    database_url: str
    rows: dict[str, list[dict[str, Any]]]
    devices: Path
    usernames: tuple[str, ...]

    def restore_server(self, engine: Engine) -> None:
        """Put the server database back exactly as the template left it."""
        with engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                conn.execute(delete(table))
            for table in metadata.sorted_tables:
                if self.rows[table.name]:
                    conn.execute(insert(table), self.rows[table.name])

    def copy_devices(self, to: Path) -> dict[str, Path]:
        shutil.copytree(self.devices, to)
        return {name: to / name for name in self.usernames}


def build_template(
    database_url: str, root: Path, portal: anyio.from_thread.BlockingPortal, *, usernames: tuple[str, ...], assets: int
) -> Template:
    upgrade(database_url)
    seeding = Store(make_engine(database_url))
    seed(seeding, assets=assets)
    seeding.engine.dispose()
    server = InProcessServer(database_url, portal)
    devices = root / "devices"
    with httpx.Client(transport=server.transport, base_url=BASE_URL) as http:
        for name in usernames:
            client = Client.open(devices / name, http=http)
            client.enroll(server_url=BASE_URL, username=name, password=DEMO_PASSWORD, device_name=f"proof-{name}")
            client.sync()
            client.store.close()
    rows = snapshot(server.store.engine)
    server.close()
    return Template(database_url=database_url, rows=rows, devices=devices, usernames=usernames)


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        return {t.name: [dict(r) for r in conn.execute(select(t)).mappings()] for t in metadata.sorted_tables}


# checks -------------------------------------------------------------------------------------------------------------
def server_view(store: Store, token: str) -> View:
    """Every live record the device's user may see, read straight from the server's tables (not through the pull
    code under test)."""
    scope = authenticate(store.engine, token).scope
    columns = (records.c.collection, records.c.id, records.c.version, records.c.data, records.c.scope_text)
    with store.engine.connect() as conn:
        rows = conn.execute(select(*columns).where(records.c.deleted.is_(False))).all()
    return {
        (r.collection, r.id): (r.version, json.loads(r.data))
        for r in rows
        if r.data is not None and scope.sees(frozenset(r.scope_text.split()))
    }


def client_view(store: LocalStore) -> View:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(local.records.c.collection, local.records.c.id, local.records.c.version, local.records.c.data)
        )
        return {(r.collection, r.id): (r.version, json.loads(r.data)) for r in rows}


def overlay_size(store: LocalStore) -> int:
    with store.engine.connect() as conn:
        return len(conn.execute(select(local.overlay.c.id)).all())


def describe_difference(mine: View, theirs: View) -> str:
    missing = sorted(set(theirs) - set(mine))[:5]
    extra = sorted(set(mine) - set(theirs))[:5]
    stale = sorted(k for k in set(mine) & set(theirs) if mine[k] != theirs[k])[:5]
    return f"missing on device {missing}, only on device {extra}, different {stale}"


@dataclass(frozen=True, kw_only=True)
class Outcome:
    status: str
    code: str | None


def server_outcomes(engine: Engine) -> tuple[dict[str, Outcome], Counter[str]]:
    """Each command's stored outcome, and how many rows each command id has (must be exactly one)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(applied_commands.c.command_id, applied_commands.c.status, applied_commands.c.result)
        ).all()
    outcomes = {}
    for row in rows:
        error = json.loads(row.result).get("error")
        outcomes[row.command_id] = Outcome(status=row.status, code=error["code"] if error else None)
    return outcomes, Counter(row.command_id for row in rows)


@dataclass(frozen=True, kw_only=True)
class Enqueued:
    command_id: str
    device: str
    type: str
    payload: dict[str, Any]


def check_ledger(store: Store, enqueued: Iterable[Enqueued], devices: Mapping[str, LocalStore]) -> dict[str, int]:
    """Every enqueued command is on the server exactly once; applied ones wrote their records, rejected ones wrote
    nothing and are visible on their device with the server's reason. Returns counts per outcome."""
    outcomes, rows_per_id = server_outcomes(store.engine)
    commands = {c.command_id: c for c in enqueued}
    assert set(outcomes) == set(commands), (
        f"lost {sorted(set(commands) - set(outcomes))[:5]}, unknown {sorted(set(outcomes) - set(commands))[:5]}"
    )
    assert all(n == 1 for n in rows_per_id.values()), rows_per_id.most_common(3)
    rejections = {name: {r.command_id: r for r in local_store.rejections()} for name, local_store in devices.items()}
    with store.engine.connect() as conn:
        rows = conn.execute(select(records.c.collection, records.c.id).where(records.c.deleted.is_(False)))
        live = {(row.collection, row.id) for row in rows}
    counts: Counter[str] = Counter()
    for command_id, command in commands.items():
        outcome = outcomes[command_id]
        counts[outcome.status] += 1
        shown = rejections[command.device].get(command_id)
        if outcome.status == "rejected":
            assert shown is not None, f"{command.type} {command_id} was rejected ({outcome.code}) but not shown"
            assert shown.code == outcome.code
        else:
            assert outcome.status == "applied", outcome
            assert shown is None, f"{command.type} {command_id} applied, yet shown rejected ({shown.code})"
        if command.type in CREATED:
            collection, field = CREATED[command.type]
            exists = (collection, command.payload[field]) in live
            assert exists == (outcome.status == "applied"), f"{command.type} {outcome.status}, record {exists}"
    for name, shown_here in rejections.items():
        foreign = [c for c in shown_here if commands.get(c) is None or commands[c].device != name]
        assert not foreign, f"{name} shows rejections of commands it never made: {foreign[:3]}"
    return dict(counts)


def check_stock(store: Store, template: Template, enqueued: Iterable[Enqueued]) -> None:
    """A FRU swap takes one part off the shelf: each level moved by exactly the swaps applied from it."""
    outcomes, _ = server_outcomes(store.engine)
    before = {
        r["id"]: json.loads(r["data"])["quantity"]
        for r in template.rows["records"]
        if r["collection"] == "stock_levels"
    }
    part_numbers = {
        json.loads(r["data"])["serial"]: json.loads(r["data"])["part_number_id"]
        for r in template.rows["records"]
        if r["collection"] == "parts"
    }
    taken: Counter[str] = Counter()
    for command in enqueued:
        if command.type == "SwapFru" and outcomes[command.command_id].status == "applied":
            serial = command.payload["installed_serial"]
            taken[f"{command.payload['from_location_id']}:{part_numbers[serial]}"] += 1
    with store.transaction() as txn:
        for level_id, quantity in before.items():
            stored = txn.get("stock_levels", level_id)
            assert stored is not None and stored.data is not None
            now = json.loads(stored.data)["quantity"]
            assert now == quantity - taken[level_id], f"stock {level_id}: {quantity} - {taken[level_id]} != {now}"


def head_version(rows: Mapping[str, list[dict[str, Any]]]) -> int:
    return next(int(r["value"]) for r in rows["counters"] if r["name"] == VERSION_COUNTER)


def check_writes_happened_once(store: Store, head_before: int) -> None:
    """Every write takes the next version, so the version counter is a tally of all writes: it must have moved by
    exactly the records the applied commands wrote. A command applied twice, or a rejected one that wrote
    anything, would leave it further on."""
    with store.engine.connect() as conn:
        written = sum(
            len(json.loads(result).get("records", []))
            for result in conn.execute(
                select(applied_commands.c.result).where(applied_commands.c.status == "applied")
            ).scalars()
        )
    assert store.head_version() == head_before + written, (store.head_version(), head_before, written)


def check_device_matches_server(store: Store, device: LocalStore) -> None:
    identity = device.identity()
    assert identity is not None
    assert device.pending_count() == 0
    assert overlay_size(device) == 0
    mine, theirs = client_view(device), server_view(store, identity.token)
    assert mine == theirs, f"{identity.name}: {describe_difference(mine, theirs)}"
