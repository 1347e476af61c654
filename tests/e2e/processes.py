"""Real processes for browser tests: the server (uvicorn on loopback) and the client UI in web mode."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, *, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1.0).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def rackside(*args: str, env: dict[str, str] | None = None, log: Path | None = None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "rackside.cli", *args]
    environment = {**os.environ, **(env or {})}
    if log is None:
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    # The child keeps its own copy of the descriptor; the parent's closes with this block.
    with open(log, "ab") as out:
        return subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )


def web_client(
    data: Path, server_url: str, *, log: Path, options: Sequence[str] = (), env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[bytes], str]:
    """``rackside client --web`` on the device data in ``data``, served on a free loopback port, once it answers:
    the process and the page's URL (the process is stopped if it never answers)."""
    port = free_port()
    proc = rackside(
        "client", "--web", "--data", str(data), "--server", server_url, "--port", str(port), *options, log=log, env=env
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_http(url)
    except BaseException:
        stop(proc)
        raise
    return proc, url


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Stop a process group: one SIGTERM has been seen to leave a Flet server hanging, so escalate."""
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=5)


@dataclass
class ServerProcess:
    db_url: str
    port: int = field(default_factory=free_port)
    log: Path | None = None
    proc: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.proc = rackside("server", "--db", self.db_url, "--port", str(self.port), env=self.env, log=self.log)
        wait_http(self.url + "/api/v1/health")

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None
