"""The sync status chip as a pure state machine: what the user reads at a glance, from the runner's status.

No Flet here: the chip's states are worked out from a ``SyncStatus``, a little memory of the past (when the
connection went away) and the clock, and unit-tested as a table (tests/client/test_sync_chip.py).

The states, and what moves between them (``observe`` keeps the memory, ``chip`` names the state):

    FIRST_SYNC   never pulled yet, a round is under way      "first sync: 1,204 records received" + a bar
    SENDING      a round is pushing or pulling               "sending… 2 of 5" / "receiving… 40 records"
    OFFLINE      no answer from the server                   "offline since 21:02 CET (3 to send)"
    SAVED_LOCAL  changes wait on this device                 "saved on this device (3 to send)"
    ALL_SENT     nothing waits                               "all sent at 21:16 CET"
    REFUSED      the server refused changes to look at       "2 refused: open sync"
    SIGNED_OUT / REVOKED / NEEDS_UPDATE / ERROR: said as they are

A round started while offline (each retry) keeps saying "offline since …" until it has moved a record, and a routine
round with nothing to send keeps the settled state until records arrive: neither is news. The offline moment is
remembered from the first status that said so and forgotten after a good round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.i18n import Phrase, words
from app.services.sync_status import SyncPhase, SyncStatus
from app.timefmt import clock_text, short_phrase


class ChipKind(StrEnum):
    UNKNOWN = "unknown"
    SIGNED_OUT = "signed_out"
    FIRST_SYNC = "first_sync"
    SENDING = "sending"
    OFFLINE = "offline"
    SAVED_LOCAL = "saved_local"
    ALL_SENT = "all_sent"
    REFUSED = "refused"
    REVOKED = "revoked"
    NEEDS_UPDATE = "needs_update"
    ERROR = "error"


class Tone(StrEnum):
    """How a state is coloured (app/ui/theme.py holds the colours, checked for contrast by a test)."""

    GOOD = "good"
    BUSY = "busy"
    WAITING = "waiting"
    OFFLINE = "offline"
    PROBLEM = "problem"
    NEUTRAL = "neutral"


TONES: dict[ChipKind, Tone] = {
    ChipKind.UNKNOWN: Tone.NEUTRAL,
    ChipKind.SIGNED_OUT: Tone.NEUTRAL,
    ChipKind.FIRST_SYNC: Tone.BUSY,
    ChipKind.SENDING: Tone.BUSY,
    ChipKind.OFFLINE: Tone.OFFLINE,
    ChipKind.SAVED_LOCAL: Tone.WAITING,
    ChipKind.ALL_SENT: Tone.GOOD,
    ChipKind.REFUSED: Tone.PROBLEM,
    ChipKind.REVOKED: Tone.PROBLEM,
    ChipKind.NEEDS_UPDATE: Tone.PROBLEM,
    ChipKind.ERROR: Tone.PROBLEM,
}


@dataclass(frozen=True)
class ChipMemory:
    """What the chip remembers between statuses: since when the server has not answered."""

    offline_since: datetime | None = None


@dataclass(frozen=True, kw_only=True)
class Chip:
    kind: ChipKind
    words: Phrase  # the view puts it in the reader's language (Translator.phrase)
    # 0..1 for a bar with an end, None for no bar; ``busy`` asks for a bar without an end (total unknown).
    progress: float | None = None
    busy: bool = False

    @property
    def tone(self) -> Tone:
        return TONES[self.kind]

    @property
    def text(self) -> str:
        """The chip in English."""
        return str(self.words)


def observe(memory: ChipMemory, status: SyncStatus | None, now: datetime) -> ChipMemory:
    """The memory after seeing ``status`` at ``now``: the offline moment is kept until a round ends well."""
    if status is None:
        return memory
    if status.phase is SyncPhase.OFFLINE:
        return ChipMemory(offline_since=memory.offline_since or now)
    if status.phase is SyncPhase.SYNCING:
        return memory  # a retry proves nothing yet
    return ChipMemory()


def _count(n: int) -> str:
    return f"{n:,}"


def _at(moment: datetime, now: datetime, zone: str | None) -> Phrase | str:
    """A clock time today, a weekday and time before (both with the zone)."""
    return clock_text(moment, zone) if _day(moment, zone) == _day(now, zone) else short_phrase(moment, zone)


def _day(moment: datetime, zone: str | None) -> date:
    if zone is None:
        return moment.astimezone().date()
    try:
        return moment.astimezone(ZoneInfo(zone)).date()
    except (ZoneInfoNotFoundError, ValueError):
        return moment.astimezone(UTC).date()


def _to_send(pending: int) -> Phrase | str:
    return words(" ({pending} to send)", pending=pending) if pending else ""


def chip(status: SyncStatus | None, memory: ChipMemory, *, now: datetime, zone: str | None) -> Chip:
    """The chip for ``status``. ``zone`` is the zone times are shown in (the user's site, or None: this device)."""
    if status is None:
        return Chip(kind=ChipKind.UNKNOWN, words=words("…"))
    phase = status.phase
    if phase is SyncPhase.SIGNED_OUT:
        return Chip(kind=ChipKind.SIGNED_OUT, words=words("signed out"))
    if phase is SyncPhase.REVOKED:
        return Chip(kind=ChipKind.REVOKED, words=words("device revoked"))
    if phase is SyncPhase.NEEDS_UPDATE:
        return Chip(kind=ChipKind.NEEDS_UPDATE, words=words("app update needed"))
    if phase is SyncPhase.ERROR:
        return Chip(kind=ChipKind.ERROR, words=words("sync problem{to_send}", to_send=_to_send(status.pending)))
    moved = status.pushed or status.pulled
    if phase is SyncPhase.SYNCING and status.last_sync is None:
        return Chip(
            kind=ChipKind.FIRST_SYNC,
            words=words("first sync: {count} records received", count=_count(status.pulled)),
            busy=True,
        )
    if phase is SyncPhase.OFFLINE or (phase is SyncPhase.SYNCING and memory.offline_since and not moved):
        since, to_send = memory.offline_since, _to_send(status.pending)
        if since is None:
            return Chip(kind=ChipKind.OFFLINE, words=words("offline{to_send}", to_send=to_send))
        offline = words("offline since {when}{to_send}", when=_at(since, now, zone), to_send=to_send)
        return Chip(kind=ChipKind.OFFLINE, words=offline)
    if phase is SyncPhase.SYNCING and (status.push_total or moved):
        if status.push_total:
            return Chip(
                kind=ChipKind.SENDING,
                words=words("sending… {done} of {total}", done=status.pushed, total=status.push_total),
                progress=status.push_fraction,
            )
        receiving = words("receiving… {count} records", count=_count(status.pulled))
        return Chip(kind=ChipKind.SENDING, words=receiving, busy=True)
    # SYNCED, or a routine round that has moved nothing yet (not news: the chip keeps its settled state).
    if status.rejected:
        refused = words("{count} refused: open sync{to_send}", count=status.rejected, to_send=_to_send(status.pending))
        return Chip(kind=ChipKind.REFUSED, words=refused)
    if status.pending:
        return Chip(
            kind=ChipKind.SAVED_LOCAL, words=words("saved on this device{to_send}", to_send=_to_send(status.pending))
        )
    if status.last_sync is None:
        return Chip(kind=ChipKind.ALL_SENT, words=words("all sent"))
    return Chip(kind=ChipKind.ALL_SENT, words=words("all sent at {when}", when=_at(status.last_sync, now, zone)))
