"""The installer's rack screens: a rack's elevation, and the batch flow that installs chassis into it one by one.

The batch flow: scan (or type) the rack's label, then for each chassis its serial, U and rail kit; the rail-kit fit
and the rack space are checked as the user types (``RackService.check``), and saving goes through the same
``RecordInstallation`` command as the single install screen, so the domain refuses taken Us on the device before
any sync and again on the server.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import flet as ft

from app.bootstrap import Services
from app.services.racks import PlacementCheck, RackElevation, RackService, WaitingChassis
from app.services.read_models import Choice
from app.ui import routes
from app.ui.field_state import FieldState
from app.ui.shell import Shell, intent
from sync.domain.permissions import Action, may


@dataclass
class RackState(ft.Observable):
    shell: Shell
    services: Services
    field_state: FieldState
    rack_id: str | None = None
    view: RackElevation | None = None
    waiting: list[WaitingChassis] = field(default_factory=list)
    racks: list[Choice] = field(default_factory=list)
    rail_kits: list[Choice] = field(default_factory=list)
    placement: PlacementCheck = PlacementCheck()
    # What this batch saved, newest first ("NBR22600003 at U35 (RK-L-800)"), so the installer sees the run so far.
    saved: list[str] = field(default_factory=list)
    # Bumped after each save: the batch form remounts empty for the next chassis.
    form_generation: int = 0
    # Whether the signed-in user may install chassis (the domain's permission table decides), for the home's entry.
    may_install: bool = False

    @property
    def _racks(self) -> RackService:
        return RackService(store=self.services.field.store)

    def refresh(self) -> None:
        """Reload the rack on screen (a save, a sync round); a rack that left this device closes with a message."""
        identity = self.services.field.store.identity()
        may_install = identity is not None and may(identity.role, Action.RECORD_INSTALLATION)
        if may_install != self.may_install:
            self.may_install = may_install
        if self.rack_id is None:
            return
        view = self._racks.elevation(self.rack_id)
        # Assign only what changed: every sync round refreshes, and re-rendering an unchanged rack would close an open
        # drop-down under the installer's finger.
        if view != self.view:
            self.view = view
        if view is None:
            self.rack_id = None
            self.waiting = []
            if self.shell.on(routes.RACK):
                self.shell.go(routes.HOME)
            self.shell.say(self.shell.t("The rack you had open is no longer on this device"), error=True)
            return
        waiting = self._racks.waiting(self.rack_id)
        if waiting != self.waiting:
            self.waiting = waiting

    def reset(self) -> None:
        """Forget everything shown (sign-out)."""
        self.rack_id = self.view = None
        self.waiting, self.racks, self.rail_kits, self.saved = [], [], [], []
        self.placement = PlacementCheck()
        self.form_generation += 1
        self.may_install = False

    @intent("Rack")
    def open_racks(self) -> None:
        """The rack screen; it shows the rack of the chassis open on screen when that chassis is in one."""
        self.racks = self.services.field.racks()
        asset_id = self.field_state.asset_id
        rack_id = self._racks.rack_of(asset_id) if asset_id else None
        if rack_id is not None:
            self._show(rack_id)
        self.shell.go(routes.RACK)

    @intent("Rack")
    def pick(self, rack_id: str | None) -> None:
        self._show(rack_id)

    def _show(self, rack_id: str | None) -> None:
        self.rack_id = rack_id
        self.view = None
        self.waiting = []
        self.refresh()

    @intent("Rack label")
    def scan_label(self, label: str) -> bool:
        """Open the rack a scanned or typed label names; False (and a message) when no rack on this device has it."""
        rack_id = self._racks.rack_by_label(label)
        if rack_id is None:
            self.shell.say(self.shell.t("No rack with label {label} on this device", label=label.strip()), error=True)
            return False
        self._show(rack_id)
        return True

    @intent("Reading the rack's label")
    async def read_label(self, image: bytes, *, from_camera: bool) -> bool:
        """Open the rack whose label is in a camera frame or a photo: the first barcode naming a rack on this device.
        A frame without one stays quiet (the next frame is coming); a photo without one says so."""
        texts = await asyncio.to_thread(self.services.labels.texts, image, from_camera=from_camera)
        for text in texts:
            rack_id = self._racks.rack_by_label(text)
            if rack_id is not None:
                self._show(rack_id)
                return True
        if not from_camera:
            t = self.shell.t
            if texts:
                self.shell.say(t("No rack on this device has the label {label}", label=", ".join(texts)), error=True)
            else:
                self.shell.say(t("No barcode found on the photo: try closer, square to the label"), error=True)
        return False

    @intent("Batch install")
    def start_batch(self) -> None:
        self.racks = self.services.field.racks()
        self.rail_kits = self._all_rail_kits()
        self.saved = []
        self.placement = PlacementCheck()
        self.form_generation += 1
        self.shell.go(routes.RACK_BATCH)

    def _all_rail_kits(self) -> list[Choice]:
        return self.services.field.rail_kits("")  # no chassis yet: every kit, by code

    @intent("Fit check")
    def check(self, *, serial: str, u_position: int | None, depth_mm: int | None, rail_kit_id: str | None) -> None:
        self._check(serial=serial, u_position=u_position, depth_mm=depth_mm, rail_kit_id=rail_kit_id)

    def _check(self, *, serial: str, u_position: int | None, depth_mm: int | None, rail_kit_id: str | None) -> None:
        if self.rack_id is None:
            self.placement = PlacementCheck()
            return
        self.placement = self._racks.check(
            rack_id=self.rack_id, serial=serial, u_position=u_position, depth_mm=depth_mm, rail_kit_id=rail_kit_id
        )
        if self.placement.asset_id is not None:
            # Compatible kits first for this chassis' model; a new list only when the order changes, since new
            # options under an open or just-picked drop-down would reset it.
            kits = self.services.field.rail_kits(self.placement.asset_id)
            if kits != self.rail_kits:
                self.rail_kits = kits

    @intent("Installation")
    def install(self, *, serial: str, u_position: int | None, depth_mm: int | None, rail_kit_id: str | None) -> bool:
        """Save one chassis of the batch; True when saved (the form then clears for the next one)."""
        # Not the ``check`` intent: a failure here must reach this intent's own boundary, not stop inside that one.
        self._check(serial=serial, u_position=u_position, depth_mm=depth_mm, rail_kit_id=rail_kit_id)
        rack_id, placement = self.rack_id, self.placement
        if rack_id is None or placement.asset_id is None or u_position is None or placement.problem:
            t = self.shell.t
            reason = t.phrase(placement.problem) or t("scan the rack, then the chassis serial and its U")
            self.shell.say(self.shell.t("Installation refused: {reason}", reason=reason), error=True)
            return False
        asset_id = placement.asset_id
        depth = depth_mm if depth_mm is not None else (self.view.depth_mm if self.view else 0)
        saved = self.shell.attempt(
            "Installation",
            lambda: self.services.field.record_installation(
                asset_id=asset_id,
                rack_id=rack_id,
                u_position=u_position,
                measured_depth_mm=depth,
                rail_kit_id=rail_kit_id,
            ),
        )
        if not saved:
            return False
        kit = next((c.label.split(" ")[0] for c in self.rail_kits if c.id == rail_kit_id), "no rail kit")
        self.saved.insert(0, f"{placement.serial} at U{u_position} ({kit})")
        self.placement = PlacementCheck()
        self.form_generation += 1
        self.refresh()
        return True

    @intent("Opening the chassis")
    def open_chassis(self, asset_id: str) -> None:
        self.field_state.open_asset(asset_id)
