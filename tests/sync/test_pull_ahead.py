"""The engine fetches the next page while the device stores the last one (sync/engine.py): pages must still be asked
for with the cursor of the page before, stored in order, and a failed fetch must leave the device at the last page
it stored. The engine's ordering is pure logic: a scripted transport and a recording store are enough here."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from sync.engine import SyncEngine, SyncReport
from sync.errors import Offline
from sync.outbox import OutboxEntry
from sync.pages import PulledPage, PulledRecord
from sync.protocol import CommandResult, WireRecord


def page(n: int, *, last: int) -> PulledPage:
    changes = [PulledRecord(collection="notes", id=f"p{n}-{i}", version=n * 10 + i) for i in range(3)]
    return PulledPage(changes=changes, cursor=f"c{n}", has_more=n < last)


@dataclass
class ScriptedServer:
    """Answers ``changes`` from a script keyed by the cursor asked with; can fail the fetch of one cursor."""

    pages: dict[str, PulledPage]
    fail_at: str | None = None
    asked: list[str] = field(default_factory=list)
    threads: set[str] = field(default_factory=set)

    def changes(self, *, since: str, limit: int) -> PulledPage:
        self.asked.append(since)
        self.threads.add(threading.current_thread().name)
        if since == self.fail_at:
            raise Offline("injected: no answer")
        return self.pages[since]


@dataclass
class RecordingStore:
    stored_cursor: str = ""
    applied: list[tuple[str, list[str]]] = field(default_factory=list)

    def pending(self, *, limit: int) -> list[OutboxEntry]:
        return []

    def pending_count(self) -> int:
        return 0

    def record_results(self, results: Sequence[CommandResult]) -> None:
        raise AssertionError("nothing to push")

    def refresh_overlay(self) -> None:
        raise AssertionError("nothing was pushed")

    def cursor(self) -> str:
        return self.stored_cursor

    def apply_page(self, changes: Sequence[WireRecord | PulledRecord], cursor: str, *, complete: bool) -> None:
        self.applied.append((cursor, [c.id for c in changes]))
        self.stored_cursor = cursor

    def begin_reset(self) -> None:
        self.stored_cursor = ""


def engine(store: RecordingStore, server: ScriptedServer) -> SyncEngine:
    transport: Any = server
    return SyncEngine(store=store, transport=transport, page_size=3)


def test_pages_fetched_ahead_are_asked_with_the_previous_cursor_and_stored_in_order() -> None:
    pages = {"": page(0, last=4), **{f"c{n}": page(n + 1, last=4) for n in range(4)}}
    server, store = ScriptedServer(pages), RecordingStore()
    report = SyncReport()

    engine(store, server).pull(report)

    assert server.asked == ["", "c0", "c1", "c2", "c3"]
    assert [cursor for cursor, _ in store.applied] == ["c0", "c1", "c2", "c3", "c4"]
    assert store.applied[2][1] == ["p2-0", "p2-1", "p2-2"]
    assert (report.pulled, report.requests, store.stored_cursor) == (15, 5, "c4")
    # The later pages really were fetched by the pull's own thread, while the device stored the one before.
    assert any(name.startswith("rackside-pull") for name in server.threads)


def test_a_failed_fetch_ahead_leaves_the_device_at_the_last_page_it_stored() -> None:
    pages = {"": page(0, last=4), **{f"c{n}": page(n + 1, last=4) for n in range(4)}}
    server, store = ScriptedServer(pages, fail_at="c2"), RecordingStore()

    with pytest.raises(Offline):
        engine(store, server).pull(SyncReport())

    assert [cursor for cursor, _ in store.applied] == ["c0", "c1", "c2"]
    # The next sync starts where the device is, and finishes.
    server.fail_at = None
    engine(store, server).pull(SyncReport())
    assert server.asked[-2:] == ["c2", "c3"]
    assert store.stored_cursor == "c4"


def test_a_single_page_pull_starts_no_fetch_ahead() -> None:
    server, store = ScriptedServer({"": page(0, last=0)}), RecordingStore()
    engine(store, server).pull(SyncReport())
    assert server.asked == [""]
    assert server.threads == {threading.current_thread().name}
