"""X-Forwarded-For is trusted only from the proxies named with ``rackside server --forwarded-allow-ips``: by default
a client that sends a new X-Forwarded-For with each password guess is still counted by its own address, so the
per-address enrollment throttle holds. Against the real server process (uvicorn reads the header, not Rackside)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.e2e.processes import free_port, rackside, stop, wait_http

PER_ADDRESS = 20  # Settings.sign_in_failures_per_address
VERSION = {"Rackside-Protocol": "1"}


@contextmanager
def server(tmp_path: Path, *extra: str) -> Iterator[str]:
    port = free_port()
    proc = rackside("server", "--db", f"sqlite:///{tmp_path / 'server.db'}", "--port", str(port), *extra)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_http(url + "/api/v1/health")
        yield url
    finally:
        stop(proc)


def guess(client: httpx.Client, n: int, forwarded_for: str) -> int:
    # A new username each time: only the address's count can stop these.
    body = {"username": f"nobody-{n}", "password": "wrong password", "device_name": "guesser"}
    headers = {**VERSION, "X-Forwarded-For": forwarded_for}
    return client.post("/api/v1/auth/enroll", json=body, headers=headers).status_code


def test_a_new_forwarded_address_per_guess_does_not_escape_the_per_address_throttle(tmp_path: Path) -> None:
    with server(tmp_path) as url, httpx.Client(base_url=url, timeout=30) as client:
        answers = [guess(client, n, f"198.51.100.{n}") for n in range(PER_ADDRESS + 1)]
    assert answers == [401] * PER_ADDRESS + [429]


def test_a_configured_proxy_is_trusted_to_name_the_client(tmp_path: Path) -> None:
    with server(tmp_path, "--forwarded-allow-ips", "127.0.0.1") as url, httpx.Client(base_url=url, timeout=30) as c:
        answers = [guess(c, n, "198.51.100.7") for n in range(PER_ADDRESS + 1)]
        other = guess(c, PER_ADDRESS + 1, "198.51.100.8")
    assert answers == [401] * PER_ADDRESS + [429]
    assert other == 401  # another client behind the same proxy is its own address
