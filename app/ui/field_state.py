"""The field engineer's and installer's screens: scan, the chassis page, register, install, swap, visit, report.

Its intents call the field service and reload the read models this feature owns (the open chassis, its photos, the
home lists, the choices of the form on screen), so the views only read fields and never query the device's store.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

import flet as ft

from app.bootstrap import Services
from app.services.label_reader import LabelRead
from app.services.read_models import AssetPage, AssetSummary, Choice, FitPreview, VisitDraft, VisitReport
from app.services.serial_lookup import SerialLookup, ServerAnswer
from app.services.signature import Point, render_signature
from app.ui import routes
from app.ui.background import in_background
from app.ui.drafts import install_key
from app.ui.photo_state import PendingPhoto, PhotoKeeper
from app.ui.shell import Shell, intent
from sync.domain.errors import DomainError
from sync.domain.evidence import PhotoKind
from sync.domain.service import Visit

NO_FIT = FitPreview(fits=False, warnings=())


@dataclass
class FieldState(ft.Observable):
    shell: Shell
    services: Services
    keeper: PhotoKeeper
    asset_id: str | None = None
    page_data: AssetPage | None = None
    # The signed-in engineer's visit in progress on the open chassis, if any.
    visit: Visit | None = None
    # Its report as typed so far, kept on the device until saved (Back, a crash or a restart lose nothing).
    visit_draft: VisitDraft = VisitDraft()
    asset_photos: list[bytes] = field(default_factory=list)
    visit_photos: list[bytes] = field(default_factory=list)
    unknown_serial: str | None = None
    nearest_serial: str | None = None  # the device's closest serial to unknown_serial, offered on the register screen
    # What the server said about unknown_serial before registration was offered (None: not asked yet).
    server_answer: ServerAnswer | None = None
    swap_slot: str | None = None
    report: VisitReport | None = None
    search_results: list[str] = field(default_factory=list)
    scan_generation: int = 0
    recent: list[AssetSummary] = field(default_factory=list)
    # Choices of the form on screen, loaded when it opens.
    skus: list[Choice] = field(default_factory=list)
    customers: list[Choice] = field(default_factory=list)
    racks: list[Choice] = field(default_factory=list)
    rack_depths: dict[str, int | None] = field(default_factory=dict)
    rail_kits: list[Choice] = field(default_factory=list)
    locations: list[Choice] = field(default_factory=list)
    spares: list[Choice] = field(default_factory=list)
    fit: FitPreview = NO_FIT

    @property
    def server_not_asked(self) -> bool:
        """Registration is offered without the server's word on the serial (offline, or no answer in time)."""
        return self.server_answer is ServerAnswer.UNASKED

    # read models ----------------------------------------------------------------------------------------------
    def _load_register_choices(self) -> None:
        """What the register form offers: the SKUs and the customers on this device now."""
        self.skus = self.services.field.skus()
        self.customers = self.services.field.customers()

    def refresh(self) -> None:
        """Reload what the field screens show; a chassis that left this device closes with a message."""
        field_service = self.services.field
        self.recent = field_service.recent_assets()
        if self.unknown_serial is not None:
            # The register form's choices follow the device: a first sync can bring the catalogue after the scan,
            # and a form that kept the empty list of that moment offered no SKU at all.
            self._load_register_choices()
        if self.asset_id is None:
            return
        try:
            self.page_data = field_service.asset_page(self.asset_id)
        except DomainError as err:
            self._gone(self.shell.reason(err))
            return
        self.visit = field_service.open_visit(self.asset_id)
        self.visit_draft = field_service.visit_draft(self.visit.id) if self.visit else VisitDraft()
        self.asset_photos = self.keeper.thumbnails(field_service.photos_of(self.asset_id))
        self.visit_photos = self.keeper.thumbnails(field_service.photos_of(self.visit.id)) if self.visit else []

    def _gone(self, reason: str) -> None:
        """The chassis on screen is no longer on this device (rejected, out of scope, wiped): back home, say why."""
        self.asset_id = None
        self.page_data = None
        self.visit = None
        # The register form too: a round can have the new chassis refused before its page opens (the button's
        # handler runs on a worker thread), and the form would stay, filled, for a chassis that is no more.
        if self.shell.on(routes.ASSET) or self.shell.route == routes.REGISTER:
            self.shell.go(routes.HOME)
        self.shell.say(self.shell.t("The chassis you had open is gone: {reason}", reason=reason), error=True)

    def reset(self) -> None:
        """Forget everything shown (sign-out): the next user starts from an empty home."""
        self.services.field.recent.clear()
        self.asset_id = self.page_data = self.visit = None
        self.visit_draft = VisitDraft()
        self.unknown_serial = self.nearest_serial = self.swap_slot = self.report = self.server_answer = None
        self.asset_photos, self.visit_photos, self.search_results = [], [], []
        self.recent = []
        self.skus, self.customers, self.racks, self.rail_kits, self.locations, self.spares = [], [], [], [], [], []
        self.rack_depths = {}
        self.fit = NO_FIT
        self.scan_generation += 1  # remounts the scan field empty: no half-typed serial is left for the next user

    # scanning -------------------------------------------------------------------------------------------------
    @intent("Scan")
    def scan(self, raw: str) -> None:
        """A serial arrived from the wedge scanner, the keyboard, the camera or a label photo."""
        t = self.shell.t
        self.scan_generation += 1
        self.search_results = []
        outcome = self.services.field.open_by_scan(raw)
        if outcome.error:
            self.shell.say(t("Not a serial: {reason}", reason=t.phrase(outcome.error)), error=True)
        elif outcome.asset_id:
            self.open_asset(outcome.asset_id)
        elif outcome.serial:
            self._not_on_device(outcome.serial, outcome.nearest)

    def _not_on_device(self, serial: str, nearest: str | None) -> None:
        """Ask the server before offering to register: another device may have registered the chassis since this one
        last synced (app/services/serial_lookup.py). The question runs in the background; the answer decides."""
        self.unknown_serial, self.nearest_serial, self.server_answer = serial, nearest, None
        self.shell.say(self.shell.t("{serial} is not on this device: asking the server…", serial=serial))
        in_background(self.ask_server(serial))

    @intent("Asking the server")
    async def ask_server(self, serial: str) -> None:
        """The server's answer about a serial not on this device: fetch and open it, or offer registration. An answer
        that comes after the user moved on (another scan, another screen, sign-out) is dropped."""
        t, lookup = self.shell.t, self.services.lookup
        generation, origin = self.scan_generation, self.shell.route

        def moved_on() -> bool:
            return self.scan_generation != generation or self.shell.route != origin

        found = await asyncio.to_thread(lookup.ask, serial)
        if moved_on():
            return
        if found.answer is not ServerAnswer.KNOWN:
            self._offer_registration(serial, found.answer)
            return
        where = self._place(found)
        self.shell.say(
            t("{serial} is registered on the server ({place}); fetching it…", serial=found.serial, place=where)
        )
        asset_id = await asyncio.to_thread(lookup.fetch, found.serial)
        if moved_on():
            return
        self.shell.changed()  # the round brought more than this chassis: every screen reloads
        if asset_id is None:
            self.shell.say(
                t(
                    "{serial} is registered on the server ({place}) but has not reached this device yet: tap Sync "
                    "now, then scan it again",
                    serial=found.serial,
                    place=where,
                ),
                error=True,
            )
            return
        self.unknown_serial = self.nearest_serial = None
        self.open_asset(asset_id)
        self.shell.say(t("Opened {serial} from the server ({place})", serial=found.serial, place=where))

    def _place(self, found: SerialLookup) -> str:
        t = self.shell.t
        if found.site_name is None:
            return t("not installed yet")
        if found.rack_name is None:
            return found.site_name
        return t("{site}, rack {rack}", site=found.site_name, rack=found.rack_name)

    def _offer_registration(self, serial: str, answer: ServerAnswer) -> None:
        t = self.shell.t
        self.server_answer = answer
        self._load_register_choices()
        if answer is ServerAnswer.UNASKED:
            # A warning, not an error: the register screen says what it risks (views/register.py).
            self.shell.say(t("{serial} is not known on this device, and the server could not be asked", serial=serial))
        elif self.nearest_serial:
            self.shell.say(
                t(
                    "{serial} is not known on this device. Did you mean {nearest}?",
                    serial=serial,
                    nearest=self.nearest_serial,
                )
            )
        else:
            self.shell.say(t("{serial} is not known on this device", serial=serial))
        self.shell.go(routes.REGISTER)

    @intent("Search")
    def search(self, prefix: str) -> None:
        self.search_results = self.services.field.search_serials(prefix)

    @intent("Opening the chassis")
    def open_asset(self, asset_id: str) -> None:
        self.asset_id = asset_id
        self.refresh()
        if self.page_data is None:
            return
        self.shell.go(routes.ASSET)
        self.shell.say(self.shell.t("Opened {serial}", serial=self.page_data.summary.serial))

    # commands -------------------------------------------------------------------------------------------------
    @intent("Registration")
    def register(self, *, sku_id: str, revision: str, owner_org_id: str, lot: str) -> None:
        serial = self.unknown_serial or ""
        saved = self.shell.attempt(
            "Registration",
            lambda: self.services.field.register_asset(
                serial=serial, sku_id=sku_id, revision=revision, owner_org_id=owner_org_id, lot=lot
            ),
        )
        if saved:
            self.unknown_serial = None
            self.open_asset(saved.value)
            if self.asset_id is not None:  # not already refused by a round that ran meanwhile (``_gone`` said so)
                self.shell.say(self.shell.t("Registered {serial}; saved on this device", serial=serial))

    @intent("Installation")
    def open_install(self) -> None:
        if self.asset_id is None:
            return
        field_service = self.services.field
        self.racks = field_service.racks()
        self.rack_depths = {r.id: field_service.rack_depth(r.id) for r in self.racks}
        self.rail_kits = field_service.rail_kits(self.asset_id)
        self.fit = NO_FIT
        self.shell.go(routes.INSTALL)

    @intent("Fit check")
    def preview_fit(
        self, *, rack_id: str | None, depth_mm: int | None, rail_kit_id: str | None, u_position: int | None
    ) -> None:
        if self.asset_id is None:
            self.fit = NO_FIT
            return
        self.fit = self.services.field.fit_preview(
            asset_id=self.asset_id, rack_id=rack_id, depth_mm=depth_mm, rail_kit_id=rail_kit_id, u_position=u_position
        )

    @intent("Rail kit scan")
    def rail_kit_by_code(self, code: str) -> str | None:
        """The rail kit a scanned label names, or None (and a message) when no kit has that code."""
        kit = self.services.field.rail_kit_by_code(code)
        if kit is None:
            self.shell.say(self.shell.t("No rail kit with code {code}", code=code), error=True)
        return kit

    @intent("Installation")
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
        saved = self.shell.attempt(
            "Installation",
            lambda: self.services.field.record_installation(
                asset_id=asset_id,
                rack_id=rack_id,
                u_position=u_position,
                measured_depth_mm=depth_mm,
                rail_kit_id=rail_kit_id,
            ),
        )
        if saved:
            self.shell.drafts.saved(install_key(asset_id))
            self.shell.go(routes.ASSET)
            self.keeper.attach_pending("installations", saved.value, photos)

    @intent("FRU swap")
    def start_swap(self, slot: str) -> None:
        self.swap_slot = slot
        self.locations = self.services.field.my_stock_locations()
        self.pick_swap_location(self.locations[0].id if self.locations else None)
        self.shell.go(routes.SWAP)

    @intent("FRU swap")
    def pick_swap_location(self, location_id: str | None) -> None:
        """The spares at the chosen stock location that fit the slot being swapped."""
        asset_id, slot = self.asset_id, self.swap_slot
        if asset_id is None or slot is None or location_id is None:
            self.spares = []
            return
        self.spares = self.services.field.spares_for_slot(asset_id=asset_id, slot=slot, location_id=location_id)

    @intent("FRU swap")
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
        saved = self.shell.attempt(
            "FRU swap",
            lambda: self.services.field.swap_fru(
                asset_id=asset_id,
                slot=slot,
                removed_serial=removed_serial,
                installed_serial=installed_serial,
                from_location_id=location_id,
                error_code=error_code,
                reason=reason,
                visit_id=visit.id if visit else None,
            ),
        )
        if saved:
            self.shell.go(routes.ASSET)
            self.keeper.attach_pending("fru_swaps", saved.value, photos)

    @intent("Visit start")
    def start_visit(self) -> None:
        """Start (or reopen) this engineer's visit to the chassis on screen (a button: no arguments, since Flet
        hands a handler that takes one its click event)."""
        self._start_visit(None)

    @intent("Visit start")
    def start_visit_for_incident(self, ticket_id: str) -> None:
        """The same, started from an incident: the visit carries its id, so the arrival is the incident's response
        and first-time fix counts it."""
        self._start_visit(ticket_id)

    def _start_visit(self, ticket_id: str | None) -> None:
        asset_id = self.asset_id
        if asset_id is None:
            return
        if self.visit is not None:
            self.visit_draft = self.services.field.visit_draft(self.visit.id)  # what was typed before Back
            self.shell.go(routes.VISIT)
            return
        if self.shell.attempt(
            "Visit start", lambda: self.services.field.start_visit(asset_id=asset_id, ticket_id=ticket_id)
        ):
            self.shell.go(routes.VISIT)

    @intent("Visit report")
    def finish_visit(self, *, notes: str, signed_by: str | None, strokes: list[list[Point]]) -> None:
        t = self.shell.t
        signed = any(len(stroke) >= 2 for stroke in strokes)
        if signed_by and not signed:
            self.shell.say(t("Ask the customer to sign in the box, or leave the name empty"), error=True)
            return
        if signed and not signed_by:
            self.shell.say(t("Enter the name of the person who signed"), error=True)
            return
        visit = self.services.field.open_visit(self.asset_id) if self.asset_id else None
        if visit is None:
            self.shell.say(t("No visit in progress on this chassis"), error=True)
            return
        digest = self.services.photos.keep_signature(render_signature(strokes)) if signed else None
        if self.shell.attempt(
            "Visit report",
            lambda: self.services.field.end_visit(
                visit_id=visit.id, notes=notes, signed_by=signed_by, signature_sha256=digest
            ),
        ):
            self.show_report(visit.id)

    @intent("Visit report")
    def keep_visit_draft(self, *, notes: str, signed_by: str) -> None:
        """Keep what is typed into the visit report on the device as it is typed. The screen already shows it, so
        this changes no field (a re-render of every screen per keystroke is what loses keystrokes); the draft is
        read back when the report opens again."""
        if self.visit is not None:
            self.services.field.keep_visit_draft(self.visit.id, VisitDraft(notes=notes, signed_by=signed_by))

    @intent("Visit report")
    def show_report(self, visit_id: str) -> None:
        self.report = self.services.field.visit_report(visit_id)
        self.shell.go(routes.REPORT)

    @intent("Photos")
    def add_photos(self, *, subject_collection: str, subject_id: str, kind: PhotoKind, images: Sequence[bytes]) -> int:
        """Pictures for the chassis or the visit on screen: kept at once, a bad one refused by name; how many kept."""
        return self.keeper.add(subject_collection=subject_collection, subject_id=subject_id, kind=kind, images=images)

    @intent("Reading the label")
    async def read_label(self, image: bytes, *, from_camera: bool) -> LabelRead:
        """Serials read from a camera frame or a photo of a label; decoding runs off the UI loop."""
        return await asyncio.to_thread(self.services.labels.read, image, from_camera=from_camera)
