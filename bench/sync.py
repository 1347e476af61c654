"""Sync over a real loopback connection: a uvicorn server on embedded SQLite and fresh clients, measured end to end.

python -m bench.sync [--sizes 10000,50000] [--commands 1000] [--changes 100] [--latency-ms 50] [--no-write]
python -m bench.sync --postgres URL ...   the same on PostgreSQL (an empty database: its schema is dropped first)

Every scenario runs the real client (app.bootstrap.Client: local SQLite store + sync engine) against the real server
process; times are wall-clock from the client's side and include JSON parsing and the client's local commits.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

import httpx
from sqlalchemy import text

from app.bootstrap import Client
from bench.report import write_section
from server.apply import record_write
from server.db import make_engine
from server.migrate import upgrade
from server.seed import DEMO_PASSWORD, SITES, seed, sid
from server.store import Store
from sync.domain.asset import Asset, InstalledPart
from sync.domain.commands import AddNote, Command, OpenTicket
from sync.domain.service import Severity
from sync.engine import SyncEngine, SyncReport

T = TypeVar("T")
ROOT = Path(__file__).resolve().parents[1]
USER = "engineer"  # a field engineer: the device that goes offline, and a scope-filtered pull (the harder query)
SEED_ASSETS = 60  # the demo world around the chassis the bench adds: sites, catalog, users, contracts, RMAs
ENGINEER_SITES = ("fra1", "ash1", "sfo-edge")

GOAL_50K_S = 1.5
GOAL_TRIPS_PER_10K = 3.0
GOAL_PUSH_S = 0.4
GOAL_INCREMENTAL_MS = 25.0

# PouchDB 9 replication on the same kind of 2-core machine (figures from issue 2).
POUCH = {
    "initial": "19–27 s (50k)",
    "latency": "21 s (5 s with batch 1000)",
    "push": "0.4–0.75 s",
    "incremental": "50–110 ms",
}


class CountingTransport(httpx.HTTPTransport):
    """Counts round trips and, if asked, adds a fixed delay to each one (the client-side view of a slow link)."""

    def __init__(self, delay_s: float = 0.0) -> None:
        super().__init__()
        self.delay_s = delay_s
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        if self.delay_s:
            time.sleep(self.delay_s)
        return super().handle_request(request)


@dataclass
class Row:
    scenario: str
    rows: int
    seconds: float
    requests: int
    goal: str
    met: bool | None
    pouch: str

    @property
    def rate(self) -> str:
        return f"{self.rows / self.seconds:,.0f}" if self.seconds > 0 and self.rows else "—"


# the server --------------------------------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    def __init__(self, db_url: str, log: Path) -> None:
        self.db_url = db_url
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "rackside.cli", "server", "--db", self.db_url, "--port", str(self.port)],
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1.0).status_code < 500:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise TimeoutError(f"the server did not start; see {self.log}")

    def __exit__(self, *_exc: object) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def bench_assets(start: int, count: int) -> list[Asset]:
    """Chassis at the engineer's sites, each with its FRUs listed: the size of a real asset record."""
    sites = [s for s in SITES if s[0] in ENGINEER_SITES]
    ship = date(2025, 3, 1)
    out = []
    for n in range(start, start + count):
        key, owner, *_rest, racks = sites[n % len(sites)]
        rack = racks[n % len(racks)][0]
        serial = f"NBBE{n:08d}"
        out.append(
            Asset(
                id=sid("bench-asset", n),
                org_id=owner,
                serial=serial,
                sku_id=sid("sku", "R2"),
                revision="B",
                lot=f"LOT2025{n % 52:02d}",
                ship_date=ship,
                warranty_end=ship + timedelta(days=3 * 365),
                site_id=sid("site", key),
                rack_id=sid("rack", key, rack),
                u_position=1 + n % 40,
                installed_parts=tuple(
                    InstalledPart(slot=slot, part_serial=f"{slot[:2]}{n:08d}")
                    for slot in ("FAN-WALL", "BP0", "BP1", "IO", "PSU-BRKT")
                ),
            )
        )
    return out


def add_assets(store: Store, start: int, count: int, *, batch: int = 10_000) -> float:
    began = time.perf_counter()
    for first in range(start, start + count, batch):
        with store.transaction() as txn:
            txn.write([record_write(a) for a in bench_assets(first, min(batch, start + count - first))])
    return time.perf_counter() - began


# the clients -------------------------------------------------------------------------------------------------------
class Device:
    def __init__(self, folder: Path, server: Server, name: str, *, delay_s: float = 0.0) -> None:
        self.counter = CountingTransport(delay_s)
        self.http = httpx.Client(transport=self.counter, timeout=httpx.Timeout(120.0, connect=5.0))
        self.client = Client.open(folder / name, http=self.http)
        self.client.enroll(server_url=server.url, username=USER, password=DEMO_PASSWORD, device_name=name)

    def timed(self, action: Callable[[], T]) -> tuple[float, int, T]:
        before = self.counter.requests
        began = time.perf_counter()
        result = action()
        return time.perf_counter() - began, self.counter.requests - before, result

    def close(self) -> None:
        self.client.store.close()
        self.http.close()


def commands_for(count: int, asset_ids: list[str], tag: str) -> list[Command]:
    """Half notes, half tickets, on different chassis: each is validated against the chassis (and its contract)."""
    out: list[Command] = []
    for n in range(count):
        asset_id = asset_ids[n % len(asset_ids)]
        if n % 2:
            out.append(
                OpenTicket(
                    ticket_id=str(uuid.uuid4()), asset_id=asset_id, symptom=f"{tag} fan 3 tach", severity=Severity.MINOR
                )
            )
        else:
            out.append(
                AddNote(
                    note_id=str(uuid.uuid4()), subject_collection="assets", subject_id=asset_id, text=f"{tag} note {n}"
                )
            )
    return out


def initial_sync(folder: Path, server: Server, name: str, *, delay_s: float = 0.0) -> tuple[float, int, int, Device]:
    device = Device(folder, server, name, delay_s=delay_s)
    seconds, requests, report = device.timed(device.client.sync)
    return seconds, requests, report.pulled, device


def median_of(repeat: int, run: Callable[[int], tuple[float, int, int]]) -> tuple[float, int, int]:
    results = [run(i) for i in range(repeat)]
    seconds = statistics.median(r[0] for r in results)
    return seconds, results[0][1], results[0][2]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="10000,50000", help="asset counts for the initial syncs (ascending)")
    parser.add_argument("--commands", type=int, default=1000)
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--repeat", type=int, default=3, help="runs per scenario; the median is reported")
    parser.add_argument("--keep", type=Path, help="keep the databases and server log in this folder")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    parser.add_argument("--postgres", help="run on this PostgreSQL database (emptied first) instead of SQLite")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    folder = Path(tempfile.mkdtemp(prefix="rackside-bench-")) if args.keep is None else args.keep
    folder.mkdir(parents=True, exist_ok=True)
    try:
        rows, notes = run(folder, sizes, args)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    body = render(rows, notes, args)
    print(body)
    if args.no_write:
        return
    if args.postgres:
        write_section("sync-postgres", "## Sync on PostgreSQL (real server on loopback)\n\n" + body)
    else:
        write_section("sync", "## Sync (real server on loopback, embedded SQLite)\n\n" + body)


def run(folder: Path, sizes: list[int], args: argparse.Namespace) -> tuple[list[Row], list[str]]:
    db_url = f"sqlite:///{folder / 'server.db'}"
    if args.postgres:
        db_url = args.postgres
        os.environ["RACKSIDE_BLOB_DIR"] = str(folder / "blobs")  # not ./rackside-blobs beside the checkout
        engine = make_engine(db_url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    upgrade(db_url)
    store = Store(make_engine(db_url))
    began = time.perf_counter()
    seed(store, assets=SEED_ASSETS)
    base_seconds = time.perf_counter() - began
    rows: list[Row] = []
    notes = [f"Server world: the demo seed with {SEED_ASSETS} chassis ({base_seconds:.1f} s, mostly argon2 hashes)."]
    have = 0
    devices: list[Device] = []
    with Server(db_url, folder / "server.log") as server:
        synced: Device | None = None
        for size in sizes:
            seeded = add_assets(store, have, size - have)
            notes.append(f"Seeding {size - have:,} chassis into the server database took {seeded:.2f} s.")
            have = size

            def one(i: int, size: int = size) -> tuple[float, int, int]:
                seconds, requests, pulled, device = initial_sync(folder, server, f"initial-{size}-{i}")
                devices.append(device)
                return seconds, requests, pulled

            seconds, requests, pulled = median_of(args.repeat, one)
            trips = requests / max(1.0, pulled / 10_000)
            timed_goal = size >= 50_000
            rows.append(
                Row(
                    f"initial sync, {size:,} chassis",
                    pulled,
                    seconds,
                    requests,
                    (f"≤ {GOAL_50K_S} s; " if timed_goal else "")
                    + f"≤ {GOAL_TRIPS_PER_10K:.0f} trips/10k rows ({trips:.1f})",
                    trips <= GOAL_TRIPS_PER_10K and (seconds <= GOAL_50K_S or not timed_goal),
                    POUCH["initial"] if size >= 50_000 else "—",
                )
            )
            if size == sizes[0]:

                def slow(i: int, size: int = size) -> tuple[float, int, int]:
                    seconds, requests, pulled, device = initial_sync(
                        folder, server, f"slow-{size}-{i}", delay_s=args.latency_ms / 1000
                    )
                    devices.append(device)
                    return seconds, requests, pulled

                seconds, requests, pulled = median_of(max(1, args.repeat - 1), slow)
                rows.append(
                    Row(
                        f"initial sync, {size:,} chassis, +{args.latency_ms:.0f} ms per request",
                        pulled,
                        seconds,
                        requests,
                        f"≤ {GOAL_TRIPS_PER_10K:.0f} trips/10k rows",
                        requests / max(1.0, pulled / 10_000) <= GOAL_TRIPS_PER_10K,
                        POUCH["latency"],
                    )
                )
            synced = devices[-1]
        assert synced is not None
        rows.extend(field_work(folder, server, synced, have, args))
    for device in devices:
        device.close()
    store.engine.dispose()
    return rows, notes


def field_work(folder: Path, server: Server, device: Device, have: int, args: argparse.Namespace) -> list[Row]:
    rows = []
    asset_ids = [sid("bench-asset", n) for n in range(0, have, max(1, have // 2000))]
    store = device.client.store
    began = time.perf_counter()
    for command in commands_for(args.commands, asset_ids, "offline"):
        store.execute(command)
    recorded = time.perf_counter() - began
    # The engine's two phases timed apart: the push is the goal; the pull then brings the new records back.
    with device.client.transport() as transport:
        engine = SyncEngine(store=store, transport=transport)
        report = SyncReport()
        push_seconds, push_requests, _ = device.timed(lambda: engine.push(report))
        assert report.pushed == args.commands and report.rejected == 0, report
        seconds, requests, _ = device.timed(lambda: engine.pull(report))
        assert report.pulled >= args.commands, report
    rows.append(
        Row(
            f"push {args.commands:,} offline commands (notes, tickets), push phase",
            args.commands,
            push_seconds,
            push_requests,
            f"≤ {GOAL_PUSH_S} s",
            push_seconds <= GOAL_PUSH_S,
            POUCH["push"],
        )
    )
    rows.append(
        Row(
            f"then the pull of those {args.commands:,} commands' records",
            args.commands,
            seconds,
            requests,
            "—",
            None,
            "—",
        )
    )
    rows.append(
        Row(
            f"recording {args.commands:,} commands offline on the device (no network)",
            args.commands,
            recorded,
            0,
            "—",
            None,
            "—",
        )
    )
    # Another device's 100 commands reach the server; the measured device then syncs them in.
    other = Device(folder, server, "other")
    other.client.sync()  # it must hold the chassis to write about them
    for command in commands_for(args.changes, asset_ids, "other"):
        other.client.store.execute(command)
    other.client.sync()
    timings = []
    for i in range(args.repeat):
        if i:
            for command in commands_for(args.changes, asset_ids, f"other{i}"):
                other.client.store.execute(command)
            other.client.sync()
        seconds, requests, report = device.timed(device.client.sync)
        assert report.pulled >= args.changes, report
        timings.append((seconds, requests, report.pulled))
    seconds = statistics.median(t[0] for t in timings)
    rows.append(
        Row(
            f"incremental sync, {args.changes} changes from another device",
            timings[0][2],
            seconds,
            timings[0][1],
            f"≤ {GOAL_INCREMENTAL_MS:.0f} ms",
            seconds * 1000 <= GOAL_INCREMENTAL_MS,
            POUCH["incremental"],
        )
    )
    noops = [device.timed(device.client.sync) for _ in range(max(3, args.repeat))]
    rows.append(
        Row(
            "no-op sync (nothing new either way)",
            0,
            statistics.median(n[0] for n in noops),
            noops[0][1],
            "—",
            None,
            "—",
        )
    )
    other.close()
    return rows


def render(rows: list[Row], notes: list[str], args: argparse.Namespace) -> str:
    lines = [
        f"Command: `python -m bench.sync --sizes {args.sizes} --commands {args.commands} --changes {args.changes} "
        f"--latency-ms {args.latency_ms:.0f} --repeat {args.repeat}{' --postgres URL' if args.postgres else ''}` "
        "(median of the repeats)",
        "",
        "| scenario | rows | wall time | requests | rows/s | goal | met? | PouchDB 9 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        wall = f"{r.seconds * 1000:.1f} ms" if r.seconds < 1 else f"{r.seconds:.2f} s"
        met = "—" if r.met is None else ("yes" if r.met else "**NO**")
        lines.append(f"| {r.scenario} | {r.rows:,} | {wall} | {r.requests} | {r.rate} | {r.goal} | {met} | {r.pouch} |")
    missed = [r.scenario for r in rows if r.met is False]
    lines += ["", *notes, "", "Goals missed: " + ("; ".join(missed) if missed else "none.")]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
