"""Serial-prefix search on the device: 100k chassis in the local SQLite cache, answering while the user types.

python -m bench.client_search [--assets 100000]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from app.adapters.local_store import LocalStore
from bench.report import write_section
from sync import codec
from sync.domain.asset import Asset
from sync.protocol import WireRecord

GOAL_MS = 20.0  # a keystroke's answer should land before the next keystroke of a fast typist


def fill(store: LocalStore, count: int) -> float:
    started = time.perf_counter()
    batch = []
    for n in range(count):
        asset = Asset(id=f"a{n}", org_id="o", serial=f"NB{n % 6}{n:08d}", sku_id="s", revision="A")
        batch.append(WireRecord(collection="assets", id=asset.id, version=n + 1, data=codec.dump(asset)))
        if len(batch) == 5000:
            store.apply_page(batch, str(n), complete=False)
            batch = []
    store.apply_page(batch, str(count), complete=True)
    return time.perf_counter() - started


def measure(store: LocalStore, prefixes: list[str], rounds: int = 5) -> list[float]:
    timings = []
    for _ in range(rounds):
        for prefix in prefixes:
            started = time.perf_counter()
            store.natural_keys_with_prefix("assets", prefix, limit=20)
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--assets", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        store = LocalStore(Path(folder) / "device.db")
        fill_seconds = fill(store, args.assets)
        # What a user types key by key: each prefix is one keystroke's query.
        typed = "NB30000421"
        prefixes = [typed[: i + 1] for i in range(1, len(typed))] + ["NB9", "XX", "NB5000999"]
        timings = measure(store, prefixes)
        store.close()
    median, p95 = statistics.median(timings), sorted(timings)[int(len(timings) * 0.95) - 1]
    body = (
        f"Command: `python -m bench.client_search --assets {args.assets}`\n\n"
        "| scenario | rows | median ms | p95 ms | goal | met? |\n|---|---|---|---|---|---|\n"
        f"| serial prefix search, one query per keystroke | {args.assets:,} | {median:.2f} | {p95:.2f} | "
        f"≤ {GOAL_MS:.0f} ms | {'yes' if p95 <= GOAL_MS else 'NO'} |\n"
        f"| filling the local cache from pulled pages | {args.assets:,} | — | — | — | {fill_seconds:.1f} s total |\n"
    )
    print(body)
    if not args.no_write:
        write_section("client", "## Device search\n\n" + body)


if __name__ == "__main__":
    main()
