"""The one place the device and the server read "now" from, and the one knob tests and demos have on it.

In production this is the machine's clock in UTC. A browser test or a demo that must show an incident going at
risk and then breached cannot wait four hours, and must not sleep: it sets ``RACKSIDE_TEST_CLOCK_FILE`` to a file
holding a number of seconds (text, may be negative or fractional), and every ``utcnow`` on both ends then answers
the real time plus that offset. The test moves time forward by rewriting the file (``set_offset``); the processes
read it on each call, so no restart is needed. Time keeps flowing between jumps, so leases, timeouts and ordering
behave as they do in production. The variable is for tests and demos only: an operator never sets it, and an
unreadable or malformed file is an error (a test that thinks it controls the clock must not silently not).
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

TEST_CLOCK_ENV = "RACKSIDE_TEST_CLOCK_FILE"


def utcnow() -> datetime:
    """Now, aware UTC; shifted by the test clock's offset when ``RACKSIDE_TEST_CLOCK_FILE`` is set."""
    now = datetime.now(UTC)
    path = os.environ.get(TEST_CLOCK_ENV)
    if not path:
        return now
    return now + offset(Path(path))


def offset(path: Path) -> timedelta:
    text = path.read_text(encoding="utf-8").strip()
    try:
        return timedelta(seconds=float(text or "0"))
    except ValueError as err:
        raise ValueError(f"{TEST_CLOCK_ENV} file {path} holds {text!r}, not a number of seconds") from err


def set_offset(path: Path, shift: timedelta) -> None:
    """Move the test clock to real time + ``shift`` (written whole, then renamed: a reader never sees half)."""
    partial = path.with_suffix(path.suffix + ".tmp")
    partial.write_text(f"{shift.total_seconds()}\n", encoding="utf-8")
    partial.replace(path)
