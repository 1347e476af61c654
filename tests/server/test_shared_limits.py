"""Limits hold across server processes: two real `rackside server` processes on one PostgreSQL share the per-device
rate buckets and the sign-in throttle, so landing on another process behind the load balancer buys nothing."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.seed import DEMO_PASSWORD
from tests.conftest import database_url
from tests.e2e.processes import free_port, rackside, stop, wait_http
from tests.protocol.test_bad_input import FRA1_ASSET, VERSION, enroll, note

pytestmark = pytest.mark.postgres


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    url = database_url("postgres", tmp_path)
    seeding = rackside("seed", "--db", url, "--assets", "20", log=tmp_path / "seed.log")
    assert seeding.wait(timeout=120) == 0, (tmp_path / "seed.log").read_text()
    # A tight push bucket (2 at once, 1 a minute), so the third push within the test is over it.
    env = {
        "RACKSIDE_BLOB_DIR": str(tmp_path / "blobs"),
        "RACKSIDE_PUSH_BURST": "2",
        "RACKSIDE_PUSH_PER_MINUTE": "1",
    }
    ports = [free_port(), free_port()]
    procs: list[subprocess.Popen[bytes]] = []
    try:
        for port in ports:
            procs.append(rackside("server", "--db", url, "--port", str(port), env=env, log=tmp_path / f"{port}.log"))
        for port in ports:
            wait_http(f"http://127.0.0.1:{port}/api/v1/health")
        with (
            httpx.Client(base_url=f"http://127.0.0.1:{ports[0]}", timeout=30) as a,
            httpx.Client(base_url=f"http://127.0.0.1:{ports[1]}", timeout=30) as b,
        ):
            yield a, b
    finally:
        for proc in procs:
            stop(proc)


def test_a_device_over_its_push_rate_on_one_process_is_over_it_on_the_other(
    two_servers: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = two_servers
    headers, _ = enroll(a, "engineer")
    other, _ = enroll(b, "engineer")
    answers = [
        server.post("/api/v1/sync/push", json={"commands": [note(FRA1_ASSET)]}, headers=headers)
        for server in (a, b, a, b)
    ]
    assert [answer.status_code for answer in answers] == [200, 200, 429, 429]
    assert answers[3].json()["error"]["code"] == "rate_limited"
    assert answers[3].headers["retry-after"] == "60"
    # Another device's bucket is its own, on either process.
    assert b.post("/api/v1/sync/push", json={"commands": [note(FRA1_ASSET)]}, headers=other).status_code == 200


def test_wrong_passwords_on_one_process_throttle_the_account_on_the_other(
    two_servers: tuple[httpx.Client, httpx.Client],
) -> None:
    a, b = two_servers
    wrong = {"username": "engineer", "password": "not-the-password", "device_name": "guess"}
    # Five failures (the per-username-and-address limit), spread over both processes.
    statuses = [server.post("/api/v1/auth/enroll", json=wrong, headers=VERSION).status_code for server in (a, b) * 3]
    assert statuses[:5] == [401, 401, 401, 401, 401]
    assert statuses[5] == 429
    right = {"username": "engineer", "password": DEMO_PASSWORD, "device_name": "the engineer"}
    for server in (a, b):
        answer = server.post("/api/v1/auth/enroll", json=right, headers=VERSION)
        assert answer.status_code == 429, answer.text
        assert answer.json()["error"]["code"] == "too_many_attempts"
