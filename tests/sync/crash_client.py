"""The client process test_crash.py kills: one headless sync of a device, the same code `rackside client sync` runs
(Client, SyncEngine, HttpTransport over real HTTP), with small batches, reporting each step as it goes so the test
can pick a moment in the middle of the sync to send SIGKILL.

The test starts it through a forkserver that has already imported everything (starting Python and importing the
client costs more than the sync itself); by hand: ``python -m tests.sync.crash_client DATA_DIR PUSH_BATCH PAGE_SIZE``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

from app.bootstrap import Client
from sync.engine import Progress, SyncEngine


def sync_device(data: Path, push_batch: int, page_size: int, say: Callable[[str], None]) -> None:
    client = Client.open(data)
    say("open")

    def progress(step: Progress) -> None:
        say(f"{step.phase} {step.done}")

    with client.transport() as transport:
        engine = SyncEngine(
            store=client.store, transport=transport, push_batch=push_batch, page_size=page_size, on_progress=progress
        )
        report = engine.sync_once()
    say(f"done pushed={report.pushed} pulled={report.pulled}")


def sync_and_report(data: Path, push_batch: int, page_size: int, pipe: Connection) -> None:
    sync_device(data, push_batch, page_size, pipe.send)


def _print(line: str) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    sync_device(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), _print)
