"""The sync chip's states, written out: each status the runner publishes and the words the user reads.

Times are shown in Europe/Berlin (CET in December, UTC+1): 20:16 UTC reads "21:16 CET".
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.services.sync_status import SyncPhase, SyncStatus
from app.ui.sync_chip import ChipKind, ChipMemory, Tone, chip, observe

BERLIN = "Europe/Berlin"
NOW = datetime(2026, 12, 6, 20, 30, tzinfo=UTC)  # 21:30 CET
LAST = datetime(2026, 12, 6, 20, 16, tzinfo=UTC)  # 21:16 CET
WENT = datetime(2026, 12, 6, 20, 2, tzinfo=UTC)  # 21:02 CET


def status(phase: SyncPhase, **kw: object) -> SyncStatus:
    values: dict[str, object] = {"pending": 0, "rejected": 0, "last_sync": LAST} | kw
    return SyncStatus(phase=phase, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "memory", "kind", "text", "tone"),
    [
        (None, ChipMemory(), ChipKind.UNKNOWN, "…", Tone.NEUTRAL),
        (status(SyncPhase.SIGNED_OUT), ChipMemory(), ChipKind.SIGNED_OUT, "signed out", Tone.NEUTRAL),
        (status(SyncPhase.SYNCED), ChipMemory(), ChipKind.ALL_SENT, "all sent at 21:16 CET", Tone.GOOD),
        (status(SyncPhase.SYNCED, last_sync=None), ChipMemory(), ChipKind.ALL_SENT, "all sent", Tone.GOOD),
        (
            status(SyncPhase.SYNCED, last_sync=datetime(2026, 12, 3, 9, 0, tzinfo=UTC)),
            ChipMemory(),
            ChipKind.ALL_SENT,
            "all sent at Thu 10:00 CET",
            Tone.GOOD,
        ),
        (
            status(SyncPhase.SYNCED, pending=3),
            ChipMemory(),
            ChipKind.SAVED_LOCAL,
            "saved on this device (3 to send)",
            Tone.WAITING,
        ),
        (
            status(SyncPhase.SYNCED, rejected=2),
            ChipMemory(),
            ChipKind.REFUSED,
            "2 refused: open sync",
            Tone.PROBLEM,
        ),
        (
            status(SyncPhase.SYNCING, pending=5, push_total=5, pushed=2),
            ChipMemory(),
            ChipKind.SENDING,
            "sending… 2 of 5",
            Tone.BUSY,
        ),
        (
            status(SyncPhase.SYNCING, pulled=40),
            ChipMemory(),
            ChipKind.SENDING,
            "receiving… 40 records",
            Tone.BUSY,
        ),
        # A routine round that has moved nothing yet is not news: the chip stays as it was.
        (status(SyncPhase.SYNCING), ChipMemory(), ChipKind.ALL_SENT, "all sent at 21:16 CET", Tone.GOOD),
        (
            status(SyncPhase.SYNCING, pending=2),
            ChipMemory(),
            ChipKind.SAVED_LOCAL,
            "saved on this device (2 to send)",
            Tone.WAITING,
        ),
        (
            status(SyncPhase.SYNCING, last_sync=None, pulled=1204),
            ChipMemory(),
            ChipKind.FIRST_SYNC,
            "first sync: 1,204 records received",
            Tone.BUSY,
        ),
        (
            status(SyncPhase.OFFLINE, pending=3),
            ChipMemory(offline_since=WENT),
            ChipKind.OFFLINE,
            "offline since 21:02 CET (3 to send)",
            Tone.OFFLINE,
        ),
        (status(SyncPhase.OFFLINE), ChipMemory(), ChipKind.OFFLINE, "offline", Tone.OFFLINE),
        # A retry while offline is not news: the chip keeps saying offline until a record moves.
        (
            status(SyncPhase.SYNCING, pending=1, push_total=1),
            ChipMemory(offline_since=WENT),
            ChipKind.OFFLINE,
            "offline since 21:02 CET (1 to send)",
            Tone.OFFLINE,
        ),
        (
            status(SyncPhase.SYNCING, pending=1, push_total=1, pushed=1),
            ChipMemory(offline_since=WENT),
            ChipKind.SENDING,
            "sending… 1 of 1",
            Tone.BUSY,
        ),
        (status(SyncPhase.REVOKED), ChipMemory(), ChipKind.REVOKED, "device revoked", Tone.PROBLEM),
        (status(SyncPhase.NEEDS_UPDATE), ChipMemory(), ChipKind.NEEDS_UPDATE, "app update needed", Tone.PROBLEM),
        (status(SyncPhase.ERROR, pending=1), ChipMemory(), ChipKind.ERROR, "sync problem (1 to send)", Tone.PROBLEM),
    ],
)
def test_each_status_reads_as_one_distinct_state(
    given: SyncStatus | None, memory: ChipMemory, kind: ChipKind, text: str, tone: Tone
) -> None:
    shown = chip(given, memory, now=NOW, zone=BERLIN)
    assert (shown.kind, shown.text, shown.tone) == (kind, text, tone)


def test_the_first_sync_shows_a_bar_and_sending_shows_how_far() -> None:
    first = chip(status(SyncPhase.SYNCING, last_sync=None, pulled=10), ChipMemory(), now=NOW, zone=BERLIN)
    assert (first.busy, first.progress) == (True, None)
    sending = chip(status(SyncPhase.SYNCING, push_total=4, pushed=1), ChipMemory(), now=NOW, zone=BERLIN)
    assert (sending.busy, sending.progress) == (False, 0.25)
    done = chip(status(SyncPhase.SYNCED), ChipMemory(), now=NOW, zone=BERLIN)
    assert (done.busy, done.progress) == (False, None)


def test_the_offline_moment_is_the_first_offline_status_and_lasts_until_a_good_round() -> None:
    memory = observe(ChipMemory(), status(SyncPhase.SYNCED), WENT)
    assert memory.offline_since is None
    memory = observe(memory, status(SyncPhase.OFFLINE), WENT)
    assert memory.offline_since == WENT
    # Retries later neither move the moment nor forget it.
    memory = observe(memory, status(SyncPhase.SYNCING), LAST)
    memory = observe(memory, status(SyncPhase.OFFLINE), LAST)
    assert memory.offline_since == WENT
    memory = observe(memory, status(SyncPhase.SYNCED), NOW)
    assert memory.offline_since is None
    # No status yet changes nothing.
    assert observe(ChipMemory(offline_since=WENT), None, NOW) == ChipMemory(offline_since=WENT)


def test_times_are_shown_in_the_zone_asked_for() -> None:
    tokyo = chip(status(SyncPhase.SYNCED), ChipMemory(), now=NOW, zone="Asia/Tokyo")
    # 20:16 UTC is 05:16 the next morning in Tokyo, and "now" (20:30 UTC) is that same morning there.
    assert tokyo.text == "all sent at 05:16 JST"
