"""Load: enrolled devices working a shift against real `rackside server` processes on loopback.

python -m bench.load [--devices 200] [--seconds 60] [--runs sqlite,postgres:1,postgres:2] [--postgres URL] [--no-write]

Each device: enrolls, pulls its scope (the shift's initial sync), then until the time is up waits a think time and
works a burst (notes, chassis edits, tickets, now and then a photo: its JPEG uploaded to the blob API, then the
AttachPhoto command), pushes the burst in one request and pulls what changed, as the client's sync does. A push that
fails is sent again with the same command ids, as the client's outbox does. At the end the ledger is checked: every
command a device sent has exactly one stored outcome, every applied note exists, nothing else was stored.

The driver is a plain asyncio + httpx loop in one process, not locust: on this 2-core machine the generator competes
with the servers for CPU, and one event loop with no per-user greenlets, no stats web UI and no master/worker
messaging costs less per request (its own CPU time is reported with the figures); it also knows each device's
command ids, which the ledger check needs.

Load goes to 127.0.0.1 only, for a bounded time.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import io
import json
import os
import random
import resource
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
from argon2 import PasswordHasher
from PIL import Image
from sqlalchemy import func, insert, select, text

from bench.report import write_section
from server.db import make_engine
from server.migrate import upgrade
from server.seed import OEM, SITES, seed, sid
from server.store import Store
from server.tables import applied_commands, assignments, records, users
from sync.domain.entity import site_scope
from sync.domain.org import Role
from sync.protocol import PROTOCOL_HEADER

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "load-test-password"
SEED_ASSETS = 400
SITES_PER_ENGINEER = 2
THINK_S = 3.0  # mean pause between two bursts of one device (exponential)
BURST = (10, 30)  # commands per burst, uniform
PHOTO_CHANCE = 0.1  # a burst carries a photo (upload + AttachPhoto) this often
PAGE = 1000
GOAL_COMMANDS_S = 1000.0
GOAL_P99_MS = 250.0


# the world ------------------------------------------------------------------------------------------------------
def fresh_database(kind: str, folder: Path, postgres: str | None) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'server.db'}"
    if not postgres:
        raise SystemExit("--postgres URL is needed for PostgreSQL runs")
    engine = make_engine(postgres)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return postgres


def build_world(url: str, devices: int) -> list[str]:
    """The demo world with SEED_ASSETS chassis, and one field engineer per device, each at two sites."""
    upgrade(url)
    store = Store(make_engine(url))
    seed(store, assets=SEED_ASSETS)
    site_keys = [site_scope(sid("site", s[0])) for s in SITES]
    password_hash = PasswordHasher().hash(PASSWORD)  # one hash for all: enrollment still verifies it each time
    names = [f"load-{n:04d}" for n in range(devices)]
    with store.engine.begin() as conn:
        conn.execute(
            insert(users),
            [
                {
                    "id": sid("user", name),
                    "org_id": OEM,
                    "username": name,
                    "display_name": f"Load {name}",
                    "role": Role.FIELD_ENGINEER.value,
                    "password_hash": password_hash,
                    "active": True,
                }
                for name in names
            ],
        )
        conn.execute(
            insert(assignments),
            [
                {"user_id": sid("user", name), "scope_key": site_keys[(n + k) % len(site_keys)]}
                for n, name in enumerate(names)
                for k in range(SITES_PER_ENGINEER)
            ],
        )
    store.engine.dispose()
    return names


class Servers:
    """`rackside server` with N workers on one port, as deployed."""

    def __init__(self, url: str, workers: int, folder: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.token = uuid.uuid4().hex
        env = {**os.environ, "RACKSIDE_BLOB_DIR": str(folder / "blobs"), "RACKSIDE_METRICS_TOKEN": self.token}
        env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        command = [sys.executable, "-m", "rackside.cli", "server", "--db", url, "--port", str(self.port)]
        command += ["--workers", str(workers), "--log-level", "warning"]
        with open(folder / "server.log", "ab") as log:
            self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.base + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        raise TimeoutError("the server did not start")

    def conflicts(self) -> int:
        """Push batches the servers redid after a write conflict (docs/architecture.md), from /metrics."""
        scraped = httpx.get(self.base + "/metrics", headers={"Authorization": f"Bearer {self.token}"}, timeout=10)
        for line in scraped.text.splitlines():
            if line.startswith("rackside_push_conflicts_total "):
                return int(float(line.split()[1]))
        return 0

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, 9)
            self.proc.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU time of each process still alive, from /proc (Linux)."""
    tick = os.sysconf("SC_CLK_TCK")
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / tick
    return found


def group_members(pgid: int) -> list[int]:
    """The server's processes: started in a session of their own, so its workers share its process group."""
    members = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid:
                members.append(int(entry.name))
    return members


def database_backends(url: str) -> list[int]:
    """PostgreSQL's backend processes serving this database (the servers' pooled connections)."""
    if url.startswith("sqlite"):
        return []
    engine = make_engine(url)
    with engine.connect() as conn:
        pids = conn.execute(
            text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        )
        found = [int(p) for p in pids.scalars()]
    engine.dispose()
    return found


class CpuMeter:
    """CPU spent by the server processes and their PostgreSQL backends between start() and stop()."""

    def __init__(self, pgid: int, url: str) -> None:
        self.pgid, self.url = pgid, url
        self.before: dict[int, float] = {}
        self.server_s = self.database_s = 0.0

    def start(self) -> None:
        self.before = cpu_seconds(group_members(self.pgid) + database_backends(self.url))

    def stop(self) -> None:
        servers = cpu_seconds(group_members(self.pgid))
        backends = cpu_seconds(database_backends(self.url))
        self.server_s = sum(v - self.before.get(p, 0.0) for p, v in servers.items())
        self.database_s = sum(v - self.before.get(p, 0.0) for p, v in backends.items())


# measuring -------------------------------------------------------------------------------------------------------
@dataclass
class Tally:
    window: tuple[float, float] = (0.0, 0.0)
    latencies: dict[str, list[float]] = field(default_factory=dict)  # kind -> seconds, in the window
    requests: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    outcomes: Counter[str] = field(default_factory=Counter)  # in the window
    lag: list[float] = field(default_factory=list)
    pushed_at: dict[str, tuple[float, str]] = field(default_factory=dict)  # note id -> (time answered, device)
    seen: set[str] = field(default_factory=set)
    sent: dict[str, str] = field(default_factory=dict)  # command id -> type
    answered: dict[str, str] = field(default_factory=dict)  # command id -> first answer
    notes: set[str] = field(default_factory=set)  # note ids of applied AddNote commands
    uploads: int = 0

    def inside(self, moment: float) -> bool:
        return self.window[0] <= moment <= self.window[1]


class Device:
    def __init__(self, name: str, http: httpx.AsyncClient, tally: Tally, rng: random.Random) -> None:
        self.name = name
        self.http = http
        self.tally = tally
        self.rng = rng
        self.headers = {PROTOCOL_HEADER: "1"}
        self.cursor = ""
        self.assets: dict[str, dict[str, Any]] = {}

    async def call(self, kind: str, method: str, path: str, **kwargs: Any) -> httpx.Response | None:
        began = time.perf_counter()
        try:
            response = await self.http.request(
                method, path, headers={**self.headers, **kwargs.pop("headers", {})}, **kwargs
            )
        except httpx.HTTPError as exc:
            self.tally.errors[f"{kind}: {type(exc).__name__}"] += 1
            return None
        ended = time.perf_counter()
        self.tally.requests += 1
        if self.tally.inside(ended):
            self.tally.latencies.setdefault(kind, []).append(ended - began)
        if response.status_code >= 400:
            self.tally.errors[f"{kind}: {response.status_code} {response.text[:80]}"] += 1
            return None
        return response

    async def enroll(self) -> None:
        """Before the shift, not measured. All devices come from 127.0.0.1, which the sign-in throttle counts as one
        address (each attempt counts as failed until it succeeds), so a refusal waits as long as it is told."""
        body = {"username": self.name, "password": PASSWORD, "device_name": f"{self.name}-phone"}
        for _ in range(30):
            answer = await self.http.post("/api/v1/auth/enroll", json=body, headers=self.headers)
            if answer.status_code == 200:
                self.headers["Authorization"] = f"Bearer {answer.json()['device_token']}"
                return
            await asyncio.sleep(float(answer.headers.get("Retry-After", "1")))
        raise RuntimeError(f"{self.name} could not enroll: {answer.status_code} {answer.text[:200]}")

    async def pull(self) -> int:
        pulled = 0
        while True:
            answer = await self.call(
                "pull", "GET", "/api/v1/sync/changes", params={"since": self.cursor, "limit": PAGE}
            )
            if answer is None:
                return pulled
            page = answer.json()
            now = time.perf_counter()
            for change in page["changes"]:
                if change["collection"] == "assets" and change["data"]:
                    self.assets[change["id"]] = change["data"]
                elif change["collection"] == "notes" and change["id"] in self.tally.pushed_at:
                    at, author = self.tally.pushed_at[change["id"]]
                    key = change["id"]
                    if author != self.name and key not in self.tally.seen:
                        self.tally.seen.add(key)
                        if self.tally.inside(now):
                            self.tally.lag.append(now - at)
            pulled += len(page["changes"])
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return pulled

    async def shift(self, until: float) -> None:
        while time.perf_counter() < until:
            await asyncio.sleep(self.rng.expovariate(1 / THINK_S))
            if time.perf_counter() >= until:
                return
            commands = await self.burst()
            await self.push(commands)
            await self.pull()

    async def burst(self) -> list[dict[str, Any]]:
        assets = list(self.assets.values())
        commands: list[dict[str, Any]] = []
        if self.rng.random() < PHOTO_CHANCE:
            photo = await self.upload(self.rng.choice(assets))
            if photo is not None:
                commands.append(photo)
        for _ in range(self.rng.randint(*BURST)):
            asset = self.rng.choice(assets)
            roll = self.rng.random()
            if roll < 0.75:
                note = str(uuid.uuid4())
                payload: dict[str, Any] = {
                    "note_id": note,
                    "subject_collection": "assets",
                    "subject_id": asset["id"],
                    "text": f"checked by {self.name}",
                }
                commands.append(envelope("AddNote", payload))
            elif roll < 0.9:
                change = {"field": "notes", "base_value": str(asset.get("notes", "")), "new_value": self.name}
                commands.append(
                    envelope("EditAsset", {"asset_id": asset["id"], "base_version": None, "changes": [change]})
                )
            else:
                ticket = {
                    "ticket_id": str(uuid.uuid4()),
                    "asset_id": asset["id"],
                    "symptom": "fan noise",
                    "severity": "minor",
                }
                commands.append(envelope("OpenTicket", ticket))
        return commands

    async def upload(self, asset: dict[str, Any]) -> dict[str, Any] | None:
        data = await asyncio.to_thread(photo_bytes, self.rng.randrange(2**62))
        digest = hashlib.sha256(data).hexdigest()
        answer = await self.call(
            "blob", "PUT", f"/api/v1/blobs/{digest}", content=data, headers={"Content-Type": "image/jpeg"}
        )
        if answer is None:
            return None
        self.tally.uploads += 1
        body = answer.json()
        payload = {
            "photo_id": str(uuid.uuid4()),
            "subject_collection": "assets",
            "subject_id": asset["id"],
            "sha256": digest,
            "thumbnail_sha256": None,
            "kind": "install",
            "width": body.get("width", 0),
            "height": body.get("height", 0),
            "size": len(data),
        }
        return envelope("AttachPhoto", payload)

    async def push(self, commands: list[dict[str, Any]]) -> None:
        for command in commands:
            self.tally.sent[command["command_id"]] = command["type"]
        for _ in range(20):  # as the outbox does: the same commands again until the server answers
            answer = await self.call("push", "POST", "/api/v1/sync/push", json={"commands": commands})
            if answer is not None:
                break
            await asyncio.sleep(0.5)
        else:
            return
        now = time.perf_counter()
        for command, result in zip(commands, answer.json()["results"], strict=True):
            status = result["status"]
            self.tally.answered.setdefault(command["command_id"], status)
            if self.tally.inside(now):
                self.tally.outcomes[status] += 1
            if command["type"] == "AddNote" and status == "applied":
                self.tally.notes.add(command["payload"]["note_id"])
                self.tally.pushed_at[command["payload"]["note_id"]] = (now, self.name)


def envelope(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    return {
        "command_id": str(uuid.uuid4()),
        "type": kind,
        "payload": payload,
        "device_time": datetime.now(UTC).isoformat(),
    }


def photo_bytes(seed: int) -> bytes:
    """A 480x360 JPEG of a few coloured blocks, different for every seed (each upload is a new blob)."""
    rng = random.Random(seed)
    image = Image.new("RGB", (480, 360), tuple(rng.randrange(256) for _ in range(3)))
    for _ in range(12):
        x, y = rng.randrange(440), rng.randrange(320)
        image.paste(tuple(rng.randrange(256) for _ in range(3)), (x, y, x + 40, y + 40))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


# a run -------------------------------------------------------------------------------------------------------------
@dataclass
class Result:
    label: str
    devices: int
    seconds: float
    initial_s: float
    initial_records: int
    tally: Tally
    lost: int
    duplicated: int
    stray: int
    missing_notes: int
    driver_cpu_s: float
    server_cpu_s: float
    database_cpu_s: float
    conflicts: int

    def commands_per_s(self) -> float:
        # Applied or rejected: decided once. A duplicate answer is a command sent again, not new work.
        return (self.tally.outcomes["applied"] + self.tally.outcomes["rejected"]) / self.seconds

    def latencies(self) -> list[float]:
        return [x for values in self.tally.latencies.values() for x in values]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def drive(base: str, names: list[str], seconds: float, tally: Tally, meter: CpuMeter) -> tuple[float, int]:
    limits = httpx.Limits(max_connections=len(names), max_keepalive_connections=len(names))
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as http:
        devices = [Device(name, http, tally, random.Random(n)) for n, name in enumerate(names)]
        gate = asyncio.Semaphore(4)  # under the throttle's 20 attempts in flight per address

        async def enroll(device: Device) -> None:
            async with gate:
                await device.enroll()

        await asyncio.gather(*(enroll(d) for d in devices))
        began = time.perf_counter()
        counts = await asyncio.gather(*(d.pull() for d in devices))  # everyone starts the shift at once
        initial = time.perf_counter() - began
        await asyncio.to_thread(meter.start)
        start = time.perf_counter()
        tally.window = (start, start + seconds)
        await asyncio.gather(*(d.shift(start + seconds) for d in devices))
        await asyncio.to_thread(meter.stop)
        # After the shift: everyone pulls once more, so every note reached the devices that share its site.
        await asyncio.gather(*(d.pull() for d in devices))
    return initial, sum(counts)


def ledger(url: str, tally: Tally) -> tuple[int, int, int, int]:
    """(lost, duplicated, stray, missing notes): commands sent with no stored outcome, outcomes stored twice (cannot
    happen: the command id is the key; counted anyway), outcomes nobody sent, applied notes not in the records."""
    engine = make_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(select(applied_commands.c.command_id, func.count()).group_by(applied_commands.c.command_id))
        stored: dict[str, int] = {str(command_id): int(n) for command_id, n in rows.all()}
        notes = set(conn.execute(select(records.c.id).where(records.c.collection == "notes")).scalars())
    engine.dispose()
    lost = sum(1 for c in tally.sent if c not in stored)
    duplicated = sum(1 for c, n in stored.items() if n > 1)
    stray = sum(1 for c in stored if c not in tally.sent)
    return lost, duplicated, stray, len(tally.notes - notes)


def run_one(kind: str, workers: int, args: argparse.Namespace, folder: Path) -> Result:
    scratch = folder / f"{kind}-{workers}"
    scratch.mkdir(parents=True)
    url = fresh_database(kind, scratch, args.postgres)
    names = build_world(url, args.devices)
    servers = Servers(url, workers, scratch)
    tally = Tally()
    meter = CpuMeter(servers.proc.pid, url)
    try:
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        initial, pulled = asyncio.run(drive(servers.base, names, args.seconds, tally, meter))
        after = resource.getrusage(resource.RUSAGE_SELF)
        conflicts = servers.conflicts()
    finally:
        servers.stop()
    lost, duplicated, stray, missing = ledger(url, tally)
    label = f"{'PostgreSQL' if kind == 'postgres' else 'SQLite'}, {workers} server process{'es' if workers > 1 else ''}"
    return Result(
        label=label,
        devices=args.devices,
        seconds=args.seconds,
        initial_s=initial,
        initial_records=pulled,
        tally=tally,
        lost=lost,
        duplicated=duplicated,
        stray=stray,
        missing_notes=missing,
        driver_cpu_s=(after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime),
        server_cpu_s=meter.server_s,
        database_cpu_s=meter.database_s,
        conflicts=conflicts,
    )


def render(results: list[Result], args: argparse.Namespace, load: list[float]) -> str:
    lines = [
        f"Command: `python -m bench.load --devices {args.devices} --seconds {args.seconds:g} --runs {args.runs}"
        + (" --postgres URL`" if args.postgres else "`"),
        "",
        f"{args.devices} devices, each a field engineer at {SITES_PER_ENGINEER} of {len(SITES)} sites (demo world, "
        f"{SEED_ASSETS} chassis). Shift: enroll, initial sync of the scope (all devices at once), then bursts of "
        f"{BURST[0]}–{BURST[1]} commands (75 % notes, 15 % chassis edits, 10 % tickets; a photo upload + AttachPhoto "
        f"in {PHOTO_CHANCE:.0%} of bursts) every {THINK_S:g} s on average (exponential think time), each burst one "
        "push then an incremental pull. Latency is per HTTP request (push, pull, blob upload) inside the measured "
        "window; sync lag is from a note's push being answered to the first pull of it by another device sharing its "
        "site. Servers log at warning level.",
        "",
        "| run | commands/s | requests/s | p50 ms | p95 ms | p99 ms | push p99 ms | errors | sync lag p50 / p95 s "
        "| shift-start sync | lost / dup / stray | goal met? |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        all_latencies = r.latencies()
        requests_s = len(all_latencies) / r.seconds
        errors = sum(r.tally.errors.values())
        p99 = pct(all_latencies, 0.99)
        met = r.commands_per_s() >= GOAL_COMMANDS_S and p99 <= GOAL_P99_MS and errors == 0
        met = met and r.lost == r.duplicated == r.stray == r.missing_notes == 0
        lag = f"{pct(r.tally.lag, 0.5) / 1000:.1f} / {pct(r.tally.lag, 0.95) / 1000:.1f}"
        lines.append(
            f"| {r.label} | {r.commands_per_s():,.0f} | {requests_s:,.0f} | {pct(all_latencies, 0.5):.0f} "
            f"| {pct(all_latencies, 0.95):.0f} | {p99:.0f} | {pct(r.tally.latencies.get('push', []), 0.99):.0f} "
            f"| {errors} | {lag} | {r.initial_records:,} records in {r.initial_s:.1f} s "
            f"| {r.lost} / {r.duplicated} / {r.stray} | {'yes' if met else 'no'} |"
        )
    lines.append("")
    for r in results:
        outcomes = ", ".join(f"{k} {v:,}" for k, v in sorted(r.tally.outcomes.items()))
        decided = r.commands_per_s() * r.seconds
        per_command = (r.server_cpu_s + r.database_cpu_s) / max(decided, 1) * 1000
        detail = (
            f"- {r.label}: {outcomes}; {r.tally.uploads} photos uploaded; applied notes missing: {r.missing_notes}."
        )
        detail += (
            f" CPU in the measured {r.seconds:g} s: server processes {r.server_cpu_s:.1f} s, PostgreSQL backends "
            f"{r.database_cpu_s:.1f} s ({per_command:.2f} ms of CPU per command, everything included); load "
            f"generator {r.driver_cpu_s:.0f} s over the whole run. Push batches redone after a write conflict: "
            f"{r.conflicts:,}."
        )
        if r.tally.errors:
            detail += " Errors: " + "; ".join(f"{k} ×{v}" for k, v in r.tally.errors.most_common(5))
        lines.append(detail)
    lines.append(
        f"- Load average (1/5/15 min) before the runs: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f}; after: "
        + " / ".join(f"{x:.2f}" for x in os.getloadavg())
        + ". The machine's 2 cores were shared with other agents' work during these runs, and the load generator "
        "runs on them too."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--runs", help="backend:workers, comma-separated (default: sqlite:1,postgres:1,postgres:2)")
    parser.add_argument("--postgres", default=os.environ.get("RACKSIDE_BENCH_POSTGRES_URL"), help="an empty database")
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    if args.runs is None:
        # Without a PostgreSQL database (RACKSIDE_BENCH_POSTGRES_URL) only the embedded baseline can run.
        args.runs = "sqlite:1,postgres:1,postgres:2" if args.postgres else "sqlite:1"
    load = list(os.getloadavg())
    folder = Path(tempfile.mkdtemp(prefix="rackside-load-"))
    results = []
    try:
        for spec in args.runs.split(","):
            kind, _, workers = spec.partition(":")
            result = run_one(kind, int(workers or 1), args, folder)
            print(
                json.dumps(
                    {
                        "run": result.label,
                        "commands_s": round(result.commands_per_s()),
                        "p99_ms": round(pct(result.latencies(), 0.99)),
                    }
                ),
                flush=True,
            )
            results.append(result)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    body = render(results, args, load)
    print(body)
    if not args.no_write:
        write_section("load", "## Load: 200 devices on a shift (`bench/load.py`)\n\n" + body)


if __name__ == "__main__":
    main()
