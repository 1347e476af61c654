"""Sync you can see: the status chip, the rejected commands with the server's copy, and conflicts to resolve."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import flet as ft

from app.adapters.local_store import Rejection
from app.bootstrap import Services
from app.services.sync_status import SyncPhase, SyncStatus
from app.ui import routes
from app.ui.shell import Shell, intent
from app.ui.sync_chip import Chip, ChipMemory, chip, observe
from sync.domain.conflict import Conflict


@dataclass
class SyncState(ft.Observable):
    shell: Shell
    services: Services
    status: SyncStatus | None = None
    # What the status chip remembers between statuses (since when the server has not answered).
    memory: ChipMemory = field(default_factory=ChipMemory)
    rejections: list[Rejection] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    # Set by the root state: forgets every screen's state when a round finds the device signed out or revoked.
    _forget_all: Callable[[], None] = field(default=lambda: None, repr=False)

    def see(self, status: SyncStatus) -> None:
        """Show a new status; the chip's memory follows it (app/ui/sync_chip.py)."""
        self.memory = observe(self.memory, status, datetime.now(UTC))
        self.status = status

    def chip(self, zone: str | None = None) -> Chip:
        """The chip as it reads now; ``zone`` None shows this device's own clock."""
        return chip(self.status, self.memory, now=datetime.now(UTC), zone=zone)

    def see_status(self) -> None:
        """Show the runner's latest status (the watch between rounds found the server's answer changed)."""
        self.see(self.services.sync.status)

    def expire_news(self, now: float) -> None:
        self.shell.expire_news(now)

    def when_signed_out(self, forget: Callable[[], None]) -> None:
        self._forget_all = forget

    def refresh(self) -> None:
        """Recount pending work and reload what was rejected or is in conflict."""
        self.see(self.services.sync.refresh())
        self.rejections = self.services.sync.rejections()
        self.conflicts = self.services.field.open_conflicts()

    def reset(self) -> None:
        self.rejections, self.conflicts = [], []
        self.memory = ChipMemory()

    @intent("Sync")
    async def sync_now(self) -> None:
        """One sync round on a worker thread; the status chip follows its progress. Never blocks the UI."""
        runner = self.services.sync
        work = asyncio.create_task(asyncio.to_thread(runner.run_once))
        while not work.done():
            if runner.status != self.status:
                self.see(runner.status)
            await asyncio.sleep(0.25)
        status = await work
        if status.phase in (SyncPhase.SIGNED_OUT, SyncPhase.REVOKED):
            # A revoked device has just been wiped: nothing of the last user may stay on screen.
            self._forget_all()
            if not self.shell.on(routes.SETTINGS):
                self.shell.go(routes.SETTINGS)
        else:
            self.shell.changed()
        self.see(status)

    @intent("Conflict resolution")
    def resolve_conflict(self, conflict_id: str, chosen_value: str) -> None:
        if self.shell.attempt(
            "Conflict resolution",
            lambda: self.services.field.resolve_conflict(conflict_id=conflict_id, chosen_value=chosen_value),
        ):
            self.shell.say(self.shell.t("Kept {value}", value=chosen_value))

    @intent("Discard")
    def discard_rejection(self, command_id: str) -> None:
        self.services.sync.discard(command_id)
        self.shell.changed()
        self.shell.say(self.shell.t("Discarded the rejected change"))
