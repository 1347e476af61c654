"""Looking at the server's copy from a test: a second, headless device that syncs until the outcome is there."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from app.bootstrap import Client
from server.seed import DEMO_PASSWORD
from tests.e2e.processes import ServerProcess


def checking_device(server: ServerProcess, tmp_path: Path, name: str, *, username: str = "desk") -> Client:
    """A headless device enrolled as a demo user and synced once."""
    check = Client.open(tmp_path / f"check-{name}")
    check.enroll(server_url=server.url, username=username, password=DEMO_PASSWORD, device_name="check")
    check.sync()
    return check


def sync_until(check: Client, done: Callable[[Client], bool], *, timeout: float = 60.0) -> None:
    """Sync the checking device until the server shows the outcome: the app syncs on its own timer, and under load
    its chip can read "synced" a moment before the round that pushes the last change."""
    deadline = time.monotonic() + timeout
    while not done(check):
        assert time.monotonic() < deadline, "the app's work did not reach the server in time"
        time.sleep(1.0)
        check.sync()
