"""The demo's server as a process of its own: started in its own session (Ctrl+C in the demo's terminal reaches only
the client UI), its pid and port in ``<data>/server.pid``, its log (a line per request) in ``<data>/server.log``.

``rackside demo-server stop`` stops only the server, so the walkthrough can go offline while the client keeps
running; ``rackside demo-server start`` brings it back on the same database.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx


def database_file(data: Path) -> Path:
    return (data / "server.db").resolve()


def database_url(data: Path) -> str:
    return f"sqlite:///{database_file(data)}"


def pid_file(data: Path) -> Path:
    return data / "server.pid"


def log_file(data: Path) -> Path:
    return (data / "server.log").resolve()


def health_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api/v1/health"


def answers(port: int) -> bool:
    try:
        return httpx.get(health_url(port), timeout=1.0).status_code == 200
    except httpx.TransportError:
        return False


def recorded(data: Path) -> tuple[int, int] | None:
    """(pid, port) of the demo server this folder last started, or None."""
    try:
        pid, port = pid_file(data).read_text().split()
        return int(pid), int(port)
    except (OSError, ValueError):
        return None


def start(data: Path, port: int, *, timeout: float = 60.0) -> subprocess.Popen[bytes]:
    """Start the server on the demo database (already seeded) and wait until it answers."""
    if answers(port):
        raise RuntimeError(f"a server already answers on port {port}: `rackside demo-server stop` stops the demo's")
    env = {**os.environ, "RACKSIDE_DATABASE_URL": database_url(data)}
    with open(log_file(data), "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "rackside.cli", "server", "--port", str(port), "--log-level", "info"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    pid_file(data).write_text(f"{proc.pid} {port}\n")
    deadline = time.monotonic() + timeout
    while not answers(port):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the demo server did not start; see {log_file(data)}")
        time.sleep(0.2)
    return proc


def stop(data: Path, *, timeout: float = 15.0) -> bool:
    """Stop the demo server this folder started (its whole process group). False when none was running."""
    found = recorded(data)
    pid_file(data).unlink(missing_ok=True)
    if found is None:
        return False
    pid, port = found
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    # Wait for the port to close, not for the pid: a server the demo started stays a zombie until the demo reaps it.
    deadline = time.monotonic() + timeout
    while answers(port) and time.monotonic() < deadline:
        time.sleep(0.2)
    if answers(port):
        os.killpg(pid, signal.SIGKILL)
    return True
