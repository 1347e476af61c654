"""The wait between sync rounds ends as soon as the server's answer changes, and lets stale feedback go."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx

from app.services.sync_status import SyncPhase, SyncRunner
from app.ui.banner import is_stale
from app.ui.shell import Shell
from app.ui.sync_watch import wait_for_next_round
from sync.transport import HttpTransport
from tests.client.conftest import Device


class Seen:
    def __init__(self) -> None:
        self.statuses = 0
        self.ticks: list[float] = []

    def see_status(self) -> None:
        self.statuses += 1

    def expire_news(self, now: float) -> None:
        self.ticks.append(now)


def _unreachable() -> HttpTransport:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    return HttpTransport("http://offline.test", token="t", client=httpx.Client(transport=httpx.MockTransport(refuse)))


def test_a_lost_connection_ends_the_wait_within_one_probe(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    runner = SyncRunner(d.client.store, _unreachable)  # last round was fine; the server is now gone
    seen = Seen()
    started = time.monotonic()
    changed = asyncio.run(wait_for_next_round(runner, seen, 30.0, probe_every=0.05))
    assert changed is True
    assert time.monotonic() - started < 5.0
    assert runner.status.phase is SyncPhase.OFFLINE
    assert seen.statuses == 1 and len(seen.ticks) == 1


def test_a_server_that_keeps_answering_lets_the_wait_run_its_course(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    assert d.runner.run_once().phase is SyncPhase.SYNCED
    seen = Seen()
    changed = asyncio.run(wait_for_next_round(d.runner, seen, 0.3, probe_every=0.1))
    assert changed is False
    assert seen.statuses == 0 and len(seen.ticks) >= 2


def test_news_goes_after_twelve_seconds_and_a_refusal_after_forty() -> None:
    assert [is_stale(100.0, 100.0 + s, error=False) for s in (0, 11.9, 12, 60)] == [False, False, True, True]
    assert [is_stale(100.0, 100.0 + s, error=True) for s in (12, 39.9, 40)] == [False, False, True]


def test_the_feedback_line_clears_itself_once_its_news_is_stale() -> None:
    shell = Shell()
    shell.say("Swap saved on this device")
    said = shell.flash_at
    shell.expire_news(said + 11.0)
    assert shell.flash == "Swap saved on this device"
    shell.expire_news(said + 12.0)
    assert (shell.flash, shell.flash_is_error) == ("", False)
    shell.say("Swap refused: the slot is empty", error=True)
    shell.expire_news(shell.flash_at + 30.0)
    assert shell.flash == "Swap refused: the slot is empty"
    shell.expire_news(shell.flash_at + 40.0)
    assert shell.flash == ""
