"""UI state for the RMA, service-desk and depot screens, one feature of the root state.

It holds what these screens select (an RMA, a depot order, the scan session) and the read models they show; its
intents call the services and reload those read models, so the views never query the device's store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

import flet as ft

from app.adapters.local_store import NotEnrolled
from app.bootstrap import Services
from app.photos.service import PhotoService, blob_transport
from app.photos.uploads import upload_type
from app.scanning.wedge import WedgeAssembler
from app.services.aftersales_models import (
    DraftForm,
    LedgerRow,
    OrderPage,
    OrderRow,
    PoolRow,
    QueueGroup,
    RmaPage,
    RmaRow,
    ScanLine,
    StockRow,
)
from app.services.failure_report import DEFAULT_PERIOD_DAYS, FailureReportPage
from app.services.permissions import RmaAction
from app.services.read_models import Choice
from app.services.saved_files import LABELS
from app.services.sla_attainment import AttainmentCard
from app.ui import routes
from app.ui.drafts import DEPOT_GRADE_FIELDS, depot_order_key
from app.ui.evidence_state import Enlarged, EvidencePhoto
from app.ui.field_state import FieldState
from app.ui.photo_state import PhotoKeeper
from app.ui.shell import Shell, intent
from sync.blob_transport import PICTURE_UPLOAD_TYPE, BlobTransport
from sync.domain.contract import ServiceModel
from sync.domain.credit import CreditReason, InspectionFindings, KitItem
from sync.domain.errors import DomainError
from sync.domain.evidence import Photo, PhotoKind
from sync.domain.kpi import KpiReport
from sync.domain.logistics import DepotGrade, DepotStage
from sync.domain.returns import ReturnDraft
from sync.domain.rma import EvidenceItem, Rma, RmaLane
from sync.domain.service import Severity
from sync.domain.triage import evidence_files
from sync.errors import SyncError

# A log on screen is for a first look; longer ones are downloaded and read in an editor.
LOG_VIEW_CHARS = 200_000
DEFAULT_KPI_DAYS = 90  # what a service desk reviews; "everything on this device" is one choice away

T = TypeVar("T")


@dataclass(frozen=True)
class Unavailable:
    """Why a log could not be had (offline, refused, not a readable log)."""

    reason: str


@dataclass
class AfterSalesState(ft.Observable):
    shell: Shell
    services: Services
    field_state: FieldState
    keeper: PhotoKeeper
    # The open RMA, and what the signed-in user may do on it.
    rma_id: str | None = None
    rma: RmaPage | None = None
    rma_actions: frozenset[RmaAction] = frozenset()
    logs: list[Photo] = field(default_factory=list)
    # Spares the depot can ship as the replacement: (location id, serial, label).
    replacement_spares: list[tuple[str, str, str]] = field(default_factory=list)
    asset_rmas: list[RmaRow] = field(default_factory=list)
    # Parts swapped out of the open chassis with no RMA yet: the chassis page offers to return each.
    return_offers: list[ReturnDraft] = field(default_factory=list)
    draft_form: DraftForm | None = None
    draft_rail_kits: list[Choice] = field(default_factory=list)
    kpi_days: int | None = DEFAULT_KPI_DAYS
    kpis: KpiReport | None = None
    attainment: AttainmentCard | None = None
    queue: list[QueueGroup] = field(default_factory=list)
    ledger: list[LedgerRow] = field(default_factory=list)
    orders: list[OrderRow] = field(default_factory=list)
    order_id: str | None = None
    order: OrderPage | None = None
    order_photos: list[bytes] = field(default_factory=list)
    stock: list[StockRow] = field(default_factory=list)
    pool: list[PoolRow] = field(default_factory=list)
    failure_days: int | None = DEFAULT_PERIOD_DAYS
    failure_sku: str | None = None
    failures: FailureReportPage | None = None
    session_lines: list[ScanLine] = field(default_factory=list)
    session_received: int = 0
    session_duplicates: int = 0
    scan_generation: int = 0
    # The log being read on the RMA page: (its name, its text up to LOG_VIEW_CHARS); None when none is open.
    log_view: tuple[str, str] | None = None
    # The RMA's evidence photos (install, label) with their thumbnails, and the one shown full size.
    evidence_photos: list[EvidencePhoto] = field(default_factory=list)
    enlarged: Enlarged | None = None
    # Keystrokes of a wedge scanner collect here, whatever has focus, so no character is lost between two scans.
    _wedge: WedgeAssembler = field(default_factory=WedgeAssembler)
    # True while the manual-entry field has focus: then its own Enter submits, and page keys are not a scan.
    _typing: bool = False

    # read models ------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the read models of the screens on the stack; a record that left this device closes with a message."""
        services, shell = self.services, self.shell
        asset_id = self.field_state.asset_id
        self.asset_rmas = services.rma.for_asset(asset_id) if asset_id else []
        self.return_offers = list(services.rma.returns_owed(asset_id)) if asset_id else []
        if shell.on(routes.DESK):
            self.kpis = services.rma.kpis(days=self.kpi_days)
            self.attainment = services.attainment.card(days=self.kpi_days)
            self.queue = services.rma.queue()
        if shell.on(routes.LEDGER):
            self.ledger = services.rma.ledger()
        if shell.on(routes.DEPOT):
            self.orders = services.depot.orders()
            self._session()
        if shell.on(routes.DEPOT_STOCK):
            self.stock = services.depot.stock()
            self.pool = services.depot.pool()
        if shell.on(routes.DESK_FAILURES) or shell.on(routes.DEPOT_FAILURES):
            self.failures = services.reports.page(days=self.failure_days, sku_id=self.failure_sku)
        if self.order_id is not None:
            try:
                self.order = services.depot.order_page(self.order_id)
            except DomainError as err:
                self.order_id, self.order = None, None
                self._gone(routes.DEPOT_ORDER, self.shell.reason(err))
            else:
                self.order_photos = self.keeper.thumbnails(services.field.photos_of(self.order_id))
        if self.rma_id is not None:
            try:
                self._load_rma(self.rma_id)
            except DomainError as err:
                self.rma_id, self.rma = None, None
                for route in (routes.ASSET_RMA, routes.DESK_RMA, routes.DEPOT_RMA):
                    self._gone(route, self.shell.reason(err))

    def _load_rma(self, rma_id: str) -> None:
        page = self.services.rma.page(rma_id)
        self.rma = page
        self.rma_actions = self.services.permissions.rma_actions(page)
        # The files the approval gate counts (sync/domain/triage.py): the desk sees what it approves on.
        store = self.services.field.store
        record = store.get(Rma, rma_id)
        files = evidence_files(store, record) if record else {}
        # Log files are read as text; a picture of the logs (a screenshot) is shown with the photos.
        self.logs = [p for p in files.get(EvidenceItem.CONTROLLER_LOGS, ()) if p.is_log]
        self.evidence_photos = [
            EvidencePhoto(item=item, photo=photo, thumbnail=self.services.photos.thumbnail(photo))
            for item in (EvidenceItem.INSTALL_PHOTOS, EvidenceItem.LABEL_PHOTOS, EvidenceItem.CONTROLLER_LOGS)
            for photo in files.get(item, ())
            if not photo.is_log
        ]
        if self.enlarged is not None and self.enlarged.photo_id not in {e.photo.id for e in self.evidence_photos}:
            self.enlarged = None
        self.replacement_spares = (
            self.services.rma.replacement_spares(rma_id) if RmaAction.SHIP_REPLACEMENT in self.rma_actions else []
        )

    def _session(self) -> None:
        session = self.services.depot.session
        self.session_lines = list(session.lines)
        self.session_received, self.session_duplicates = session.received, session.duplicates

    def _gone(self, route: str, reason: str) -> None:
        if self.shell.on(route):
            self.shell.go(routes.parent(route))
            self.shell.say(self.shell.t("The record you had open is gone: {reason}", reason=reason), error=True)

    def reset(self) -> None:
        """Forget everything shown (sign-out)."""
        self.services.depot.new_session()
        self.rma_actions = frozenset()
        self.rma_id = self.rma = self.order_id = self.order = self.draft_form = None
        self.kpis = self.failures = self.log_view = None
        self.attainment = None
        self.evidence_photos, self.enlarged = [], None
        self.logs, self.replacement_spares, self.asset_rmas, self.draft_rail_kits = [], [], [], []
        self.return_offers = []
        self.queue, self.ledger, self.orders, self.order_photos, self.stock, self.pool = [], [], [], [], [], []
        self.session_lines, self.session_received, self.session_duplicates = [], 0, 0
        self.scan_generation += 1  # remounts the typed-code field empty
        self._typing = False
        self._wedge = WedgeAssembler()

    def _open(self, route: str) -> None:
        self.shell.go(route)
        self.refresh()

    # navigation -------------------------------------------------------------------------------------------------
    @intent("Opening the RMA queue")
    def open_desk(self) -> None:
        self._open(routes.DESK)

    @intent("KPIs")
    def set_kpi_days(self, days: int | None) -> None:
        self.kpi_days = days
        self.kpis = self.services.rma.kpis(days=days)
        self.attainment = self.services.attainment.card(days=days)

    @intent("SLA attainment")
    def attainment_csv(self) -> bytes | None:
        return self.services.attainment.csv(days=self.kpi_days)

    @intent("Opening the ledger")
    def open_ledger(self) -> None:
        self._open(routes.LEDGER)

    @intent("Opening the RMA")
    def open_rma(self, rma_id: str) -> None:
        self.rma_id = rma_id
        self.log_view = None
        route = self.shell.route
        # A second tap that lands on the RMA page already open keeps its place (Back still leads to the queue).
        child = {
            routes.DESK: routes.DESK_RMA,
            routes.DESK_RMA: routes.DESK_RMA,
            routes.DEPOT_ORDER: routes.DEPOT_RMA,
            routes.DEPOT_RMA: routes.DEPOT_RMA,
        }.get(route, routes.ASSET_RMA)
        self._open(child)

    @intent("Opening the depot")
    def open_depot(self) -> None:
        self._open(routes.DEPOT)

    @intent("Opening the depot order")
    def open_order(self, order_id: str) -> None:
        self.order_id = order_id
        self._open(routes.DEPOT_ORDER)

    @intent("Opening stock")
    def open_stock(self) -> None:
        self._open(routes.DEPOT_STOCK)

    @intent("Failure analysis")
    def open_failures(self) -> None:
        """The failure-analysis report, above the desk or the depot screen, whichever it is opened from."""
        self._open(routes.DEPOT_FAILURES if self.shell.on(routes.DEPOT) else routes.DESK_FAILURES)

    @intent("Failure analysis")
    def filter_failures(self, *, days: int | None, sku_id: str | None) -> None:
        self.failure_days, self.failure_sku = days, sku_id
        self.failures = self.services.reports.page(days=days, sku_id=sku_id)

    @intent("Failure analysis")
    def failures_csv(self) -> bytes | None:
        return self.services.reports.csv(days=self.failure_days, sku_id=self.failure_sku)

    # the engineer -----------------------------------------------------------------------------------------------
    @intent("RMA draft")
    def start_draft(self) -> None:
        asset_id = self.field_state.asset_id
        if asset_id:
            self.draft_form = self.services.rma.draft_form(asset_id)
            self.draft_rail_kits = self.services.field.rail_kits(asset_id)
            self.shell.go(routes.RMA_DRAFT)

    @intent("RMA draft")
    def start_return(self, swap_id: str) -> None:
        """The swap-to-return chain: an RMA draft for the part a swap removed, prefilled from the swap."""
        asset_id = self.field_state.asset_id
        if asset_id:
            self.draft_form = self.services.rma.draft_form(asset_id, swap_id=swap_id)
            self.draft_rail_kits = self.services.field.rail_kits(asset_id)
            self.shell.go(routes.RMA_DRAFT)

    @intent("RMA draft")
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
        asset_id = self.field_state.asset_id
        if asset_id is None:
            return
        saved = self.shell.attempt(
            "RMA draft",
            lambda: self.services.rma.draft(
                asset_id=asset_id,
                model=model,
                symptom=symptom,
                repro_steps=repro_steps,
                severity=severity,
                part_serial=part_serial,
                controller_involved=controller_involved,
                rack_depth_mm=rack_depth_mm,
                rail_kit_id=rail_kit_id,
            ),
        )
        if saved:
            self.rma_id = saved.value
            self._open(routes.ASSET_RMA)

    def _on_rma(self, action: str, run: Callable[[str], object]) -> None:
        rma_id = self.rma_id
        if rma_id:
            self.shell.attempt(action, lambda: run(rma_id))

    @intent("RMA submission")
    def submit(self) -> None:
        self._on_rma("RMA submission", self.services.rma.submit)

    @intent("Answer")
    def answer(self, text: str) -> None:
        self._on_rma("Answer", lambda rma_id: self.services.rma.answer(rma_id, answer=text))

    @intent("Evidence")
    def attach_evidence(self, data: bytes, kind: PhotoKind, name: str = "") -> None:
        """A photo or log picked on this device: kept content-addressed, then recorded as evidence on the RMA."""
        rma_id = self.rma_id
        if rma_id is None:
            return
        if kind is not PhotoKind.LOG or upload_type(data) == PICTURE_UPLOAD_TYPE:
            # Pictures (a screenshot of the logs too) go through the photo pipeline like every other photo:
            # re-encoded, EXIF and GPS dropped, thumbnail made, uploaded resumably. A bad picture is refused by name.
            self.keeper.add(subject_collection=Rma.collection, subject_id=rma_id, kind=kind, images=[data])
            return
        # A controller log is kept as picked and checked as the server will check it; it uploads like a photo.
        photos = self.services.photos
        self.shell.attempt(
            "Log",
            lambda: photos.add_log(subject_collection=Rma.collection, subject_id=rma_id, data=data, file_name=name),
        )

    def _download(self, fetch: Callable[[PhotoService, BlobTransport], T]) -> T | Unavailable:
        """Blocking: a log's text or bytes from this device, else from the server. Runs off the UI loop."""
        try:
            with blob_transport(self.services.field.store) as transport:
                return fetch(self.services.photos, transport)
        except (DomainError, SyncError, NotEnrolled) as err:
            return Unavailable(str(err))

    @intent("Reading the log")
    async def read_log(self, photo: Photo) -> None:
        """Show a log's text (downloaded if this device does not hold it); says why when it cannot.

        The download (up to a few MiB on a weak link) runs in a worker thread so the screen stays responsive; the
        screen's state changes back on its loop."""
        t = self.shell.t
        text = await asyncio.to_thread(self._download, lambda photos, transport: photos.log_text(photo, transport))
        if isinstance(text, Unavailable):
            self.shell.say(t("Log not available: {reason}", reason=text.reason), error=True)
            return
        shown = text[:LOG_VIEW_CHARS]
        if len(text) > LOG_VIEW_CHARS:
            shown += "\n" + t(
                "… {count} more characters: download the file to read them all", count=len(text) - LOG_VIEW_CHARS
            )
        self.log_view = (photo.file_name or photo.sha256[:16], shown)

    @intent("Reading the log")
    def close_log(self) -> None:
        self.log_view = None

    @intent("Showing the photo")
    async def enlarge(self, photo: Photo) -> None:
        """The full picture of an evidence photo (downloaded if this device holds only its thumbnail)."""
        data = await asyncio.to_thread(self._download, lambda photos, transport: photos.full_image(photo, transport))
        if isinstance(data, Unavailable):
            self.shell.say(self.shell.t("Photo not available: {reason}", reason=data.reason), error=True)
            return
        self.enlarged = Enlarged(photo_id=photo.id, kind=photo.kind, taken_at=photo.taken_at, data=data)

    @intent("Showing the photo")
    def close_enlarged(self) -> None:
        self.enlarged = None

    @intent("Saving the log")
    async def log_file(self, photo: Photo) -> bytes | None:
        """A log's bytes as uploaded, for saving to a file; None (and a message) when they cannot be had."""
        data: bytes | Unavailable = await asyncio.to_thread(
            self._download, lambda photos, transport: photos.full_image(photo, transport)
        )
        if isinstance(data, Unavailable):
            self.shell.say(self.shell.t("Log not available: {reason}", reason=data.reason), error=True)
            return None
        return data

    # the desk ---------------------------------------------------------------------------------------------------
    @intent("Approval")
    def approve(self, *, lane: RmaLane, model: ServiceModel | None) -> None:
        self._on_rma("Approval", lambda rma_id: self.services.rma.approve(rma_id, lane=lane, model=model))

    @intent("Send back")
    def send_back(self, question: str) -> None:
        self._on_rma("Send back", lambda rma_id: self.services.rma.send_back(rma_id, question=question))

    @intent("Rejection")
    def reject(self, reason: str) -> None:
        self._on_rma("Rejection", lambda rma_id: self.services.rma.reject(rma_id, reason=reason))

    @intent("Replacement shipment")
    def ship_replacement(self, *, serial: str, carrier: str, tracking: str, location_id: str | None) -> None:
        self._on_rma(
            "Replacement shipment",
            lambda rma_id: self.services.rma.ship_replacement(
                rma_id, replacement_serial=serial, carrier=carrier, tracking=tracking, from_location_id=location_id
            ),
        )

    @intent("Awaiting return")
    def await_return(self) -> None:
        self._on_rma("Awaiting return", self.services.rma.await_return)

    @intent("Closing")
    def close(self) -> None:
        self._on_rma("Closing", self.services.rma.close)

    @intent("Return label")
    def label(self) -> bytes | None:
        """The return label PDF, also kept next to the device's data so it can be printed again offline."""
        rma_id = self.rma_id
        if rma_id is None:
            return None
        try:
            data = self.services.rma.return_label(rma_id)
        except DomainError as err:
            self.shell.say(self.shell.reason(err), error=True)
            return None
        # The number as the device has it now (a sync may have brought it since the page was loaded).
        number = self.services.rma.page(rma_id).number or rma_id
        target = self.services.files.keep(LABELS, f"{number}.pdf", data)
        self.shell.say(self.shell.t("Return label {number} saved: {path}", number=number, path=str(target)))
        return data

    # the depot --------------------------------------------------------------------------------------------------
    @intent("New session")
    def new_session(self) -> None:
        self.services.depot.new_session()
        self._session()

    @intent("Box scan")
    def key(self, name: str) -> None:
        """A key pressed anywhere on the scan screen: a wedge scanner's burst ends with Enter and becomes one scan."""
        if self._typing or self.shell.route != routes.DEPOT:
            return
        if self._wedge.key(name):
            for code in self._wedge.drain():
                self.scan_box(code)

    def typing(self, active: bool) -> None:
        self._typing = active

    @intent("Box scan")
    def scan_box(self, raw: str) -> None:
        """One wedge scan: the result joins the session list, never a dialog, and the field is ready for the next."""
        self.services.depot.scan(raw)
        self.scan_generation += 1
        self._session()
        self.shell.changed()

    def _on_order(self, action: str, run: Callable[[str], object]) -> str | None:
        """Run a command on the open order; the draft key of the step form it came from when it was saved."""
        order_id, order = self.order_id, self.order
        if not order_id or order is None:
            return None
        key = depot_order_key(order_id, order.stage)  # the stage before the command moves it
        return key if self.shell.attempt(action, lambda: run(order_id)) else None

    @intent("Depot step")
    def advance_order(
        self, *, to_stage: DepotStage, error_codes: tuple[str, ...], note: str, carrier: str = "", tracking: str = ""
    ) -> None:
        saved = self._on_order(
            "Depot step",
            lambda order_id: self.services.depot.advance(
                order_id, to_stage=to_stage, error_codes=error_codes, note=note, carrier=carrier, tracking=tracking
            ),
        )
        if saved:
            self.shell.drafts.saved(saved)

    @intent("Grading")
    def grade_order(self, *, grade: DepotGrade, root_cause: str, corrective_action: str) -> None:
        saved = self._on_order(
            "Grading",
            lambda order_id: self.services.depot.grade(
                order_id, grade=grade, root_cause=root_cause, corrective_action=corrective_action
            ),
        )
        if saved:  # a note or a parcel typed for the next step stays a draft
            self.shell.drafts.saved_part(saved, DEPOT_GRADE_FIELDS)

    @intent("Credit decision")
    def decide_credit(self, *, reason: CreditReason, kit: tuple[KitItem, ...], findings: InspectionFindings) -> None:
        rma_id = self.order.rma_id if self.order else None
        if rma_id:
            self.shell.attempt(
                "Credit decision",
                lambda: self.services.depot.decide_credit(rma_id, reason=reason, kit_present=kit, inspection=findings),
            )

    @intent("Photos")
    def add_order_photos(self, kind: PhotoKind, images: list[bytes]) -> None:
        if self.order_id:
            self.keeper.add(subject_collection="depot_orders", subject_id=self.order_id, kind=kind, images=images)
