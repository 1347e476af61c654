"""UI state for the RMA, service-desk and depot screens: one observable per session, next to AppState.

It holds what these screens select (an RMA, a depot order, the scan session's last line) and its intent methods call
the services; navigation and the feedback line stay on AppState, so every screen shares one route and one flash.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import flet as ft

from app.adapters.local_store import NotEnrolled
from app.photos.service import PhotoService, blob_transport
from app.photos.uploads import upload_type
from app.scanning.wedge import WedgeAssembler
from app.services.aftersales_models import ScanLine
from app.services.depot import DepotService
from app.services.rma import RmaService
from app.ui import aftersales_routes as routes
from app.ui.state import AppState
from sync.blob_transport import PICTURE_UPLOAD_TYPE, BlobTransport
from sync.domain.contract import ServiceModel
from sync.domain.credit import CreditReason, InspectionFindings, KitItem
from sync.domain.errors import DomainError
from sync.domain.evidence import Photo, PhotoKind
from sync.domain.logistics import DepotGrade, DepotStage
from sync.domain.rma import Rma, RmaLane
from sync.domain.service import Severity
from sync.errors import SyncError

# A log on screen is for a first look; longer ones are downloaded and read in an editor.
LOG_VIEW_CHARS = 200_000

_ATTR = "_after_sales"
T = TypeVar("T")


@dataclass(frozen=True)
class Unavailable:
    """Why a log could not be had (offline, refused, not a readable log)."""

    reason: str


@ft.observable
@dataclass
class AfterSalesState:
    app: AppState
    rma: RmaService
    depot: DepotService
    rma_id: str | None = None
    order_id: str | None = None
    last_scan: ScanLine | None = None
    scan_generation: int = 0
    # Bumped after every change, so screens that read services (not fields) re-render.
    revision: int = 0
    label_file: str = ""
    # The log being read on the RMA page: (its name, its text up to LOG_VIEW_CHARS); None when none is open.
    log_view: tuple[str, str] | None = None
    session_lines: list[ScanLine] = field(default_factory=list)
    # Keystrokes of a wedge scanner collect here, whatever has focus, so no character is lost between two scans.
    _wedge: WedgeAssembler = field(default_factory=WedgeAssembler)
    # True while the manual-entry field has focus: then its own Enter submits, and page keys are not a scan.
    _typing: bool = False

    @classmethod
    def of(cls, app: AppState) -> AfterSalesState:
        """The one after-sales state of this session, made on first use from the session's store."""
        found = getattr(app, _ATTR, None)
        if isinstance(found, AfterSalesState):
            return found
        store = app.services.field.store
        made = cls(app=app, rma=RmaService(store=store), depot=DepotService(store=store))
        object.__setattr__(app, _ATTR, made)
        return made

    def _attempt(self, action: str, run: Callable[[], object]) -> bool:
        t = self.app.t
        try:
            run()
        except DomainError as err:
            self.app.say(t("{action} refused: {reason}", action=t(action), reason=err.message), error=True)
            return False
        self.revision += 1
        self.app.refresh_status()
        self.app.reload_asset()
        self.app.say(t("{action} saved on this device; it will sync when online", action=t(action)))
        return True

    # navigation -------------------------------------------------------------------------------------------------
    def open_desk(self) -> None:
        self.revision += 1
        self.app.go(routes.DESK)

    def open_ledger(self) -> None:
        self.app.go(routes.LEDGER)

    def open_rma(self, rma_id: str) -> None:
        self.rma_id = rma_id
        parent = {routes.DESK: routes.DESK_RMA, routes.DEPOT_ORDER: routes.DEPOT_RMA}.get(self.app.route)
        self.app.go(parent or routes.ASSET_RMA)

    def open_depot(self) -> None:
        self.app.go(routes.DEPOT)

    def open_order(self, order_id: str) -> None:
        self.order_id = order_id
        self.app.go(routes.DEPOT_ORDER)

    def open_stock(self) -> None:
        self.app.go(routes.DEPOT_STOCK)

    def open_failures(self) -> None:
        """The failure-analysis report, above the desk or the depot screen, whichever it is opened from."""
        self.app.go(routes.DEPOT_FAILURES if self.app.route.startswith(routes.DEPOT) else routes.DESK_FAILURES)

    # the engineer -----------------------------------------------------------------------------------------------
    def start_draft(self) -> None:
        if self.app.asset_id:
            self.app.go(routes.RMA_DRAFT)

    def draft(
        self,
        *,
        model: ServiceModel,
        symptom: str,
        repro_steps: str,
        severity: Severity,
        part_serial: str | None,
        controller_involved: bool,
        rack_depth_mm: int | None,
        rail_kit_id: str | None,
    ) -> None:
        asset_id = self.app.asset_id
        if asset_id is None:
            return
        made: list[str] = []

        def run() -> None:
            made.append(
                self.rma.draft(
                    asset_id=asset_id,
                    model=model,
                    symptom=symptom,
                    repro_steps=repro_steps,
                    severity=severity,
                    part_serial=part_serial,
                    controller_involved=controller_involved,
                    rack_depth_mm=rack_depth_mm,
                    rail_kit_id=rail_kit_id,
                )
            )

        if self._attempt("RMA draft", run):
            self.rma_id = made[0]
            self.app.go(routes.ASSET_RMA)

    def submit(self) -> None:
        rma_id = self.rma_id
        if rma_id:
            self._attempt("RMA submission", lambda: self.rma.submit(rma_id))

    def answer(self, text: str) -> None:
        rma_id = self.rma_id
        if rma_id:
            self._attempt("Answer", lambda: self.rma.answer(rma_id, answer=text))

    def attach_evidence(self, data: bytes, kind: str, name: str = "") -> None:
        """A photo or log picked on this device: kept content-addressed, then recorded as evidence on the RMA."""
        rma_id = self.rma_id
        if rma_id is None:
            return
        photos = self.app.services.photos
        if photos is None:
            digest = self.app.services.keep_blob(data)
            self._attempt(
                "Evidence", lambda: self.rma.attach_evidence(rma_id=rma_id, kind=PhotoKind(kind), sha256=digest)
            )
            return
        if PhotoKind(kind) is not PhotoKind.LOG or upload_type(data) == PICTURE_UPLOAD_TYPE:
            # Pictures (a screenshot of the logs too) go through the photo pipeline like every other photo:
            # re-encoded, EXIF and GPS dropped, thumbnail made, uploaded resumably. A bad picture is refused by name.
            self.app.add_photos(
                subject_collection=Rma.collection, subject_id=rma_id, kind=PhotoKind(kind), images=[data]
            )
            self.revision += 1
            return
        # A controller log is kept as picked and checked as the server will check it; it uploads like a photo.
        self._attempt(
            "Log",
            lambda: photos.add_log(subject_collection=Rma.collection, subject_id=rma_id, data=data, file_name=name),
        )

    def logs(self) -> list[Photo]:
        """The controller logs attached to the open RMA, oldest first."""
        if self.rma_id is None:
            return []
        found = [p for p in self.app.services.field.store.children(Photo, self.rma_id) if p.is_log]
        return sorted(found, key=lambda p: p.taken_at)

    def _download(self, fetch: Callable[[PhotoService, BlobTransport], T]) -> T | Unavailable:
        """Blocking: a log's text or bytes from this device, else from the server. Runs off the UI loop."""
        photos = self.app.services.photos
        if photos is None:
            return Unavailable("no photo store on this device")
        try:
            with blob_transport(self.app.services.field.store) as transport:
                return fetch(photos, transport)
        except (DomainError, SyncError, NotEnrolled) as err:
            return Unavailable(str(err))

    async def read_log(self, photo: Photo) -> None:
        """Show a log's text (downloaded if this device does not hold it); says why when it cannot.

        The download (up to a few MiB on a weak link) runs in a worker thread so the screen stays responsive; the
        screen's state changes back on its loop."""
        t = self.app.t
        text = await asyncio.to_thread(self._download, lambda photos, transport: photos.log_text(photo, transport))
        if isinstance(text, Unavailable):
            self.app.say(t("Log not available: {reason}", reason=text.reason), error=True)
            return
        shown = text[:LOG_VIEW_CHARS]
        if len(text) > LOG_VIEW_CHARS:
            shown += "\n" + t(
                "… {count} more characters: download the file to read them all", count=len(text) - LOG_VIEW_CHARS
            )
        self.log_view = (photo.file_name or photo.sha256[:16], shown)
        self.revision += 1

    def close_log(self) -> None:
        self.log_view = None
        self.revision += 1

    async def log_file(self, photo: Photo) -> bytes | None:
        """A log's bytes as uploaded, for saving to a file; None (and a message) when they cannot be had."""
        data: bytes | Unavailable = await asyncio.to_thread(
            self._download, lambda photos, transport: photos.full_image(photo, transport)
        )
        if isinstance(data, Unavailable):
            self.app.say(self.app.t("Log not available: {reason}", reason=data.reason), error=True)
            return None
        return data

    # the desk ---------------------------------------------------------------------------------------------------
    def approve(self, *, lane: RmaLane, model: ServiceModel | None) -> None:
        rma_id = self.rma_id
        if rma_id:
            self._attempt("Approval", lambda: self.rma.approve(rma_id, lane=lane, model=model))

    def send_back(self, question: str) -> None:
        rma_id = self.rma_id
        if rma_id:
            self._attempt("Send back", lambda: self.rma.send_back(rma_id, question=question))

    def reject(self, reason: str) -> None:
        rma_id = self.rma_id
        if rma_id:
            self._attempt("Rejection", lambda: self.rma.reject(rma_id, reason=reason))

    def ship_replacement(self, *, serial: str, carrier: str, tracking: str, location_id: str | None) -> None:
        rma_id = self.rma_id
        if rma_id:
            self._attempt(
                "Replacement shipment",
                lambda: self.rma.ship_replacement(
                    rma_id, replacement_serial=serial, carrier=carrier, tracking=tracking, from_location_id=location_id
                ),
            )

    def await_return(self) -> None:
        rma_id = self.rma_id
        if rma_id:
            self._attempt("Awaiting return", lambda: self.rma.await_return(rma_id))

    def close(self) -> None:
        rma_id = self.rma_id
        if rma_id:
            self._attempt("Closing", lambda: self.rma.close(rma_id))

    def label(self) -> bytes | None:
        """The return label PDF, also kept next to the device's data so it can be printed again offline."""
        rma_id = self.rma_id
        if rma_id is None:
            return None
        try:
            data = self.rma.return_label(rma_id)
        except DomainError as err:
            self.app.say(err.message, error=True)
            return None
        page = self.rma.page(rma_id)
        folder = Path(self.rma.store.path).parent / "labels"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{page.number}.pdf"
        target.write_bytes(data)
        self.label_file = str(target)
        self.app.say(self.app.t("Return label {number} saved: {path}", number=page.number or "", path=str(target)))
        return data

    # the depot --------------------------------------------------------------------------------------------------
    def new_session(self) -> None:
        self.depot.new_session()
        self.session_lines = []
        self.last_scan = None

    def key(self, name: str) -> None:
        """A key pressed anywhere on the scan screen: a wedge scanner's burst ends with Enter and becomes one scan."""
        if self._typing or self.app.route != routes.DEPOT:
            return
        if self._wedge.key(name):
            for code in self._wedge.drain():
                self.scan_box(code)

    def typing(self, active: bool) -> None:
        self._typing = active

    def scan_box(self, raw: str) -> None:
        """One wedge scan: the result joins the session list, never a dialog, and the field is ready for the next."""
        line = self.depot.scan(raw)
        self.last_scan = line
        self.session_lines = list(self.depot.session.lines)
        self.scan_generation += 1
        self.revision += 1
        self.app.refresh_status()

    def advance_order(self, *, to_stage: DepotStage, error_codes: tuple[str, ...], note: str) -> None:
        order_id = self.order_id
        if order_id:
            self._attempt(
                "Depot step",
                lambda: self.depot.advance(order_id, to_stage=to_stage, error_codes=error_codes, note=note),
            )

    def grade_order(self, *, grade: DepotGrade, root_cause: str, corrective_action: str) -> None:
        order_id = self.order_id
        if order_id:
            self._attempt(
                "Grading",
                lambda: self.depot.grade(
                    order_id, grade=grade, root_cause=root_cause, corrective_action=corrective_action
                ),
            )

    def decide_credit(self, *, reason: CreditReason, kit: tuple[KitItem, ...], findings: InspectionFindings) -> None:
        page = self.depot.order_page(self.order_id) if self.order_id else None
        rma_id = page.rma_id if page else None
        if rma_id:
            self._attempt(
                "Credit decision",
                lambda: self.depot.decide_credit(rma_id, reason=reason, kit_present=kit, inspection=findings),
            )
