"""Two server processes, one PostgreSQL: a device whose requests alternate between them syncs exactly as with one.

The fault-injection proof (test_fault_injection.py: three devices, a network that drops, duplicates, delays and
garbles, server restarts, scope changes; then nothing lost, nothing applied twice, every device equal to the server)
runs again with the in-process app replaced by two real `rackside server` processes on loopback. Every request goes
to the other process than the one before, so one sync's pushes, pull pages and retries are served by both, and a
restart restarts one of them. If any state lived in a process instead of the database (a cursor, a cached record,
a counter), a device would see the difference here.
"""

from __future__ import annotations

import itertools
import subprocess
from collections.abc import Iterator
from pathlib import Path

import anyio.from_thread
import httpx
import pytest

from server.db import make_engine
from server.store import Store
from tests.conftest import database_url
from tests.e2e.processes import free_port, rackside, stop, wait_http
from tests.sync.faults import Fault
from tests.sync.test_fault_injection import USERS, World, catalog, run_under_faults
from tests.sync.world import build_template

EXAMPLES = 12


class ServerPair:
    """Two `rackside server` processes on one database; requests alternate between them."""

    def __init__(self, database_url: str, log: Path) -> None:
        self.database_url = database_url
        self.log = log
        self.ports = [free_port(), free_port()]
        self.procs = [self._start(port) for port in self.ports]
        for port in self.ports:
            wait_http(f"http://127.0.0.1:{port}/api/v1/health")
        self.store = Store(make_engine(database_url))
        self.transport = Alternating(self.ports)
        self.restarts = 0

    def _start(self, port: int) -> subprocess.Popen[bytes]:
        args = ("server", "--db", self.database_url, "--port", str(port), "--log-level", "warning")
        # Blobs beside the log, not in ./rackside-blobs of the checkout (the default for a PostgreSQL server).
        # No SLA sweep: the proof tallies what the devices' commands wrote (the sweep has its own tests).
        env = {"RACKSIDE_BLOB_DIR": str(self.log.parent / "blobs"), "RACKSIDE_SLA_SWEEP_SECONDS": "0"}
        return rackside(*args, env=env, log=self.log)

    def restart(self) -> None:
        """One of the two goes down and comes back (a deploy rolls through the processes one at a time)."""
        which = self.restarts % 2
        stop(self.procs[which])
        self.procs[which] = self._start(self.ports[which])
        wait_http(f"http://127.0.0.1:{self.ports[which]}/api/v1/health")
        self.restarts += 1

    def close(self) -> None:
        """The pair outlives each example (the database is restored under it); the fixture stops it."""

    def shutdown(self) -> None:
        for proc in self.procs:
            stop(proc)
        self.transport.close()
        self.store.engine.dispose()


class Alternating(httpx.BaseTransport):
    """Sends each request to the next server in turn, over real HTTP on loopback."""

    def __init__(self, ports: list[int]) -> None:
        self._turn = itertools.cycle(range(len(ports)))
        self._ports = ports
        self._http = httpx.HTTPTransport()
        self.served = [0] * len(ports)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        which = next(self._turn)
        self.served[which] += 1
        url = request.url.copy_with(scheme="http", host="127.0.0.1", port=self._ports[which])
        forwarded = httpx.Request(request.method, url, headers=request.headers, content=request.read())
        response = self._http.handle_request(forwarded)
        try:
            content = response.read()
        finally:
            response.close()
        return httpx.Response(response.status_code, headers=response.headers, content=content, request=request)

    def close(self) -> None:
        self._http.close()


@pytest.fixture
def pair_world(tmp_path: Path) -> Iterator[tuple[World, ServerPair]]:
    url = database_url("postgres", tmp_path)
    with anyio.from_thread.start_blocking_portal() as portal:
        template = build_template(url, tmp_path / "template", portal, usernames=USERS, assets=10)
        pair = ServerPair(url, tmp_path / "servers.log")
        resetter = make_engine(url)
        rows = template.rows["records"]
        hot = sorted(r["natural_key"] for r in rows if r["collection"] == "assets")
        hot += [f"NBFT{n:04d}" for n in range(4)]
        skus, part_numbers = catalog(rows)
        world = World(
            template=template,
            portal=portal,
            scratch=tmp_path / "runs",
            resetter=resetter,
            hot_serials=hot,
            skus=skus,
            part_numbers=part_numbers,
            serve=lambda _url: pair,
        )
        try:
            yield world, pair
        finally:
            pair.shutdown()
            resetter.dispose()


@pytest.mark.postgres
def test_a_device_whose_requests_alternate_between_two_server_processes_syncs_as_with_one(
    pair_world: tuple[World, ServerPair],
) -> None:
    world, pair = pair_world
    run_under_faults(world, examples=EXAMPLES)
    totals = world.totals
    print(f"\ntwo servers: {world.examples} runs, served {pair.transport.served}, {dict(sorted(totals.items()))}")
    assert min(pair.transport.served) > 100, pair.transport.served
    assert all(totals[f"fault:{f}"] > 0 for f in Fault), totals
    assert totals["server_restarts"] > 0 and totals["pull_resets"] > 0
    assert totals["applied"] > 0 and totals["rejected"] > 0 and totals["conflicts"] > 0
