"""UI state: one observable object per session. Views read it; its intent methods call services and move routes.

No control objects live here, and nothing here blocks: slow work (sync) runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import flet as ft

from app.i18n import Translator
from app.photos.service import PhotoService
from app.services.account import AccountService, EnrollFailed
from app.services.field import FieldService
from app.services.label_reader import LabelReader
from app.services.read_models import AssetPage, FitPreview, VisitReport
from app.services.signature import Point, render_signature
from app.services.sync_status import SyncPhase, SyncRunner, SyncStatus
from app.ui.aftersales_routes import PARENTS as AFTER_SALES_PARENTS
from sync.domain.errors import DomainError
from sync.domain.evidence import PhotoKind


@dataclass(frozen=True)
class Services:
    field: FieldService
    sync: SyncRunner
    account: AccountService
    # Keeps bytes (a drawn signature) in the device's content-addressed store; returns their SHA-256.
    keep_blob: Callable[[bytes], str]
    # Reads serials from label photos and camera frames (the scanning pipeline).
    # (`field` is shadowed by the attribute above inside this class body, hence the module-qualified call.)
    labels: LabelReader = dataclasses.field(default_factory=LabelReader)
    # Re-encodes, stores and queues photos; None where a device has no photo store (some unit tests).
    photos: PhotoService | None = None


@dataclass(frozen=True)
class PendingPhoto:
    """A picture taken for a record that does not exist yet (an installation or swap being filled in)."""

    kind: PhotoKind
    data: bytes


@ft.observable
@dataclass
class AppState:
    services: Services
    route: str = "/"
    asset_id: str | None = None
    unknown_serial: str | None = None
    page_data: AssetPage | None = None
    status: SyncStatus | None = None
    # One line of feedback at the top of the screen (scan result, saved, why something was refused).
    flash: str = ""
    flash_is_error: bool = False
    swap_slot: str | None = None
    report: VisitReport | None = None
    search_results: list[str] = field(default_factory=list)
    scan_generation: int = 0
    t: Translator = field(default_factory=Translator)

    def set_language(self, language: str) -> None:
        self.t = Translator.for_language(language)
        self.services.account.store.save_setting("language", self.t.language)

    # navigation -------------------------------------------------------------------------------------------
    def go(self, route: str) -> None:
        self.route = route

    def back(self) -> None:
        if self.route in AFTER_SALES_PARENTS and AFTER_SALES_PARENTS[self.route] != "/":
            self.route = AFTER_SALES_PARENTS[self.route]
            return
        if self.route in ("/install", "/swap", "/visit", "/photos", "/report"):
            self.route = "/asset"
        else:
            self.route = "/"
            self.asset_id = None

    def say(self, text: str, *, error: bool = False) -> None:
        self.flash = text
        self.flash_is_error = error

    # scanning ---------------------------------------------------------------------------------------------
    def scan(self, raw: str) -> None:
        """A serial arrived from the wedge scanner, the keyboard, the camera or a label photo."""
        self.scan_generation += 1
        outcome = self.services.field.open_by_scan(raw)
        if outcome.error:
            self.say(self.t("Not a serial: {reason}", reason=outcome.error), error=True)
        elif outcome.asset_id:
            self.open_asset(outcome.asset_id)
        else:
            self.unknown_serial = outcome.serial
            self.say(self.t("{serial} is not known on this device", serial=outcome.serial))
            self.route = "/register"

    def search(self, prefix: str) -> None:
        self.search_results = self.services.field.search_serials(prefix)

    def open_asset(self, asset_id: str) -> None:
        self.asset_id = asset_id
        self.page_data = self.services.field.asset_page(asset_id)
        self.route = "/asset"
        self.say(self.t("Opened {serial}", serial=self.page_data.summary.serial))

    def reload_asset(self) -> None:
        if self.asset_id:
            self.page_data = self.services.field.asset_page(self.asset_id)

    # commands ---------------------------------------------------------------------------------------------
    def _attempt(self, action: str, run: object) -> bool:
        try:
            assert callable(run)
            run()
        except DomainError as err:
            self.say(self.t("{action} refused: {reason}", action=self.t(action), reason=err.message), error=True)
            return False
        self.refresh_status()
        self.reload_asset()
        self.say(self.t("{action} saved on this device; it will sync when online", action=self.t(action)))
        return True

    def register(self, *, sku_id: str, revision: str, owner_org_id: str, lot: str) -> None:
        serial = self.unknown_serial or ""
        new_id: list[str] = []

        def run() -> None:
            new_id.append(
                self.services.field.register_asset(
                    serial=serial, sku_id=sku_id, revision=revision, owner_org_id=owner_org_id, lot=lot
                )
            )

        if self._attempt("Registration", run):
            self.unknown_serial = None
            self.open_asset(new_id[0])
            self.say(self.t("Registered {serial}; saved on this device", serial=serial))

    def fit_preview(
        self, *, rack_id: str | None, depth_mm: int | None, rail_kit_id: str | None, u_position: int | None
    ) -> FitPreview:
        if self.asset_id is None:
            return FitPreview(fits=False, warnings=())
        return self.services.field.fit_preview(
            asset_id=self.asset_id, rack_id=rack_id, depth_mm=depth_mm, rail_kit_id=rail_kit_id, u_position=u_position
        )

    def install(
        self,
        *,
        rack_id: str,
        u_position: int,
        depth_mm: int,
        rail_kit_id: str | None,
        photos: Sequence[PendingPhoto] = (),
    ) -> None:
        asset_id = self.asset_id
        if asset_id is None:
            return
        made: list[str] = []

        def run() -> None:
            made.append(
                self.services.field.record_installation(
                    asset_id=asset_id,
                    rack_id=rack_id,
                    u_position=u_position,
                    measured_depth_mm=depth_mm,
                    rail_kit_id=rail_kit_id,
                )
            )

        if self._attempt("Installation", run):
            self.route = "/asset"
            self._attach_pending("installations", made[0], photos)

    def start_swap(self, slot: str) -> None:
        self.swap_slot = slot
        self.route = "/swap"

    def swap(
        self,
        *,
        removed_serial: str,
        installed_serial: str,
        location_id: str,
        error_code: str,
        reason: str,
        photos: Sequence[PendingPhoto] = (),
    ) -> None:
        asset_id, slot = self.asset_id, self.swap_slot
        if asset_id is None or slot is None:
            return
        visit = self.services.field.open_visit(asset_id)
        made: list[str] = []

        def run() -> None:
            made.append(
                self.services.field.swap_fru(
                    asset_id=asset_id,
                    slot=slot,
                    removed_serial=removed_serial,
                    installed_serial=installed_serial,
                    from_location_id=location_id,
                    error_code=error_code,
                    reason=reason,
                    visit_id=visit.id if visit else None,
                )
            )

        if self._attempt("FRU swap", run):
            self.route = "/asset"
            self._attach_pending("fru_swaps", made[0], photos)

    def start_visit(self) -> None:
        asset_id = self.asset_id
        if asset_id is None:
            return
        if self._attempt("Visit start", lambda: self.services.field.start_visit(asset_id=asset_id)):
            self.route = "/visit"

    def end_visit(self, *, notes: str, signed_by: str | None, signature_sha256: str | None) -> None:
        visit = self.services.field.open_visit(self.asset_id) if self.asset_id else None
        if visit is None:
            self.say(self.t("No visit in progress on this chassis"), error=True)
            return
        run = lambda: self.services.field.end_visit(  # noqa: E731
            visit_id=visit.id, notes=notes, signed_by=signed_by, signature_sha256=signature_sha256
        )
        if self._attempt("Visit report", run):
            self.show_report(visit.id)

    def show_report(self, visit_id: str) -> None:
        self.report = self.services.field.visit_report(visit_id)
        self.route = "/report"

    def finish_visit(self, *, notes: str, signed_by: str | None, strokes: list[list[Point]]) -> None:
        signed = any(len(stroke) >= 2 for stroke in strokes)
        if signed_by and not signed:
            self.say(self.t("Ask the customer to sign in the box, or leave the name empty"), error=True)
            return
        if signed and not signed_by:
            self.say(self.t("Enter the name of the person who signed"), error=True)
            return
        digest = self.services.keep_blob(render_signature(strokes)) if signed else None
        self.end_visit(notes=notes, signed_by=signed_by, signature_sha256=digest)

    # photos -----------------------------------------------------------------------------------------------
    def add_photos(
        self, *, subject_collection: str, subject_id: str, kind: PhotoKind, images: Sequence[bytes], caption: str = ""
    ) -> int:
        """Keep pictures on the device, attached to a record. A bad picture is refused with its reason; the others
        are kept."""
        kept, refused = self._keep_photos(subject_collection, subject_id, kind, images, caption)
        self.refresh_status()
        self.reload_asset()
        self._say_photos(kept, refused, after="")
        return kept

    def _keep_photos(
        self, subject_collection: str, subject_id: str, kind: PhotoKind, images: Sequence[bytes], caption: str
    ) -> tuple[int, list[str]]:
        service = self.services.photos
        if service is None:
            return 0, [self.t("Photos are not available on this device")] if images else []
        kept, refused = 0, []
        for data in images:
            try:
                service.add(
                    subject_collection=subject_collection, subject_id=subject_id, kind=kind, data=data, caption=caption
                )
                kept += 1
            except DomainError as err:
                refused.append(err.message)
        return kept, refused

    def _say_photos(self, kept: int, refused: list[str], *, after: str) -> None:
        prefix = f"{after} · " if after else ""
        if refused:
            reasons = "; ".join(refused)
            self.say(
                prefix + self.t("{kept} photo(s) kept; refused: {reasons}", kept=kept, reasons=reasons), error=True
            )
        elif kept:
            self.say(prefix + self.t("{kept} photo(s) saved on this device; they upload when online", kept=kept))

    def _attach_pending(self, subject_collection: str, subject_id: str, photos: Sequence[PendingPhoto]) -> None:
        """Photos taken while a form was open go onto the record the form just created, after its message."""
        if not photos:
            return
        kept, refused = 0, list[str]()
        for kind in dict.fromkeys(p.kind for p in photos):
            images = [p.data for p in photos if p.kind is kind]
            k, r = self._keep_photos(subject_collection, subject_id, kind, images, "")
            kept, refused = kept + k, refused + r
        self.refresh_status()
        self.reload_asset()
        self._say_photos(kept, refused, after=self.flash)

    def thumbnails(self, subject_id: str) -> list[tuple[str, bytes]]:
        """(photo id, thumbnail bytes) of a record's photos whose thumbnail is on this device, oldest first."""
        service = self.services.photos
        if service is None:
            return []
        out = []
        for photo in self.services.field.photos_of(subject_id):
            thumb = service.thumbnail(photo)
            if thumb is not None:
                out.append((photo.id, thumb))
        return out

    # account ----------------------------------------------------------------------------------------------
    def enroll(self, *, server_url: str, username: str, password: str) -> bool:
        try:
            identity = self.services.account.enroll(server_url=server_url, username=username, password=password)
        except EnrollFailed as err:
            self.say(str(err), error=True)
            return False
        self.say(self.t("Signed in as {name}; first sync starting", name=identity.name))
        self.refresh_status()
        self.route = "/"
        return True

    def sign_out(self, *, force: bool) -> bool:
        pending = self.services.account.unsynced_work()
        if pending and not force:
            self.say(
                self.t("{count} change(s) not synced yet: sync first, or sign out anyway to lose them", count=pending),
                error=True,
            )
            return False
        self.services.account.sign_out()
        self.asset_id = None
        self.page_data = None
        self.services.field.recent.clear()
        self.refresh_status()
        self.route = "/settings"
        self.say(self.t("Signed out; local data removed from this device"))
        return True

    # sync -------------------------------------------------------------------------------------------------
    def refresh_status(self) -> None:
        self.status = self.services.sync.refresh()

    async def sync_now(self) -> None:
        """One sync round on a worker thread; the status chip follows its progress. Never blocks the UI."""
        runner = self.services.sync
        work = asyncio.create_task(asyncio.to_thread(runner.run_once))
        while not work.done():
            self.status = runner.status
            await asyncio.sleep(0.25)
        self.set_status(await work)
        self.reload_asset()

    def set_status(self, status: SyncStatus) -> None:
        self.status = status
        if status.phase is SyncPhase.SIGNED_OUT and self.route != "/settings":
            self.route = "/settings"

    def resolve_conflict(self, conflict_id: str, chosen_value: str) -> None:
        if self._attempt(
            "Conflict resolution",
            lambda: self.services.field.resolve_conflict(conflict_id=conflict_id, chosen_value=chosen_value),
        ):
            self.say(self.t("Kept {value}", value=chosen_value))

    def discard_rejection(self, command_id: str) -> None:
        self.services.sync.discard(command_id)
        self.refresh_status()
        self.reload_asset()
