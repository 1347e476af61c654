"""How soon a device notices the server going away and coming back (the watch between sync rounds,
app/ui/sync_watch.py), against a real server process on loopback.

python -m bench.offline_notice [--rounds 5] [--interval 30] [--no-write]

Each round: a synced device waits for its next round (``interval`` seconds away); the server is stopped; the time
until the wait ends with the device offline is measured. Then the server is started again, and the time from its
first healthy answer until the wait ends is measured. Before the watch, both waited for the next round: up to
``interval`` seconds (26 s was seen with the 30 s default), and up to the backoff's cap (300 s) to come back.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from app.bootstrap import Client
from app.services.sync_status import SyncPhase, SyncRunner
from app.ui.sync_watch import PROBE_EVERY, wait_for_next_round
from bench.report import write_section
from bench.sync import Server
from server.db import make_engine
from server.migrate import upgrade
from server.seed import DEMO_PASSWORD, seed
from server.store import Store


class Quiet:
    def see_status(self) -> None: ...

    def expire_news(self, now: float) -> None: ...


async def _timed_wait(runner: SyncRunner, interval: float, started: float) -> float:
    await wait_for_next_round(runner, Quiet(), interval)
    return time.monotonic() - started


def one_round(server: Server, runner: SyncRunner, interval: float) -> tuple[float, float]:
    server.__enter__()
    assert runner.run_once().phase is SyncPhase.SYNCED
    server.__exit__()
    gone = asyncio.run(_timed_wait(runner, interval, time.monotonic()))
    assert runner.status.phase is SyncPhase.OFFLINE, runner.status
    runner.run_once()  # the round the app runs next: offline, backoff grows
    server.__enter__()  # returns at the server's first healthy answer
    back = asyncio.run(_timed_wait(runner, interval, time.monotonic()))
    server.__exit__()
    return gone, back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--interval", type=float, default=30.0)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url = f"sqlite:///{work / 'server.db'}"
        upgrade(url)
        store = Store(make_engine(url))
        seed(store, assets=60)
        store.engine.dispose()
        server = Server(url, work / "server.log")
        client = Client.open(work / "device")
        with server:
            client.enroll(server_url=server.url, username="engineer", password=DEMO_PASSWORD, device_name="bench")
            client.sync()
        runner = client.services(work / "device").sync
        gone, back = zip(*(one_round(server, runner, args.interval) for _ in range(args.rounds)), strict=True)
        client.store.close()
    rows = [("server stopped → device offline", gone), ("server healthy again → next round starts", back)]
    table = "\n".join(
        f"| {name} | {len(xs)} | {statistics.median(xs):.1f} | {max(xs):.1f} | ≤ {PROBE_EVERY + 2:.0f} s |"
        f" {'yes' if max(xs) <= PROBE_EVERY + 2 else 'no'} |"
        for name, xs in rows
    )
    body = (
        "## Noticing the connection (`python -m bench.offline_notice`)\n\n"
        f"Sync interval {args.interval:.0f} s, probe every {PROBE_EVERY:.0f} s (2 s timeout), real server process.\n\n"
        "| event | rounds | median s | max s | goal | met? |\n|---|---|---|---|---|---|\n" + table
    )
    print(body)
    if not args.no_write:
        write_section("offline-notice", body)


if __name__ == "__main__":
    main()
