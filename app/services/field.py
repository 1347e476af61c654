"""The field engineer's and installer's intents: scan, look up, register, install, swap, visit, attach photos.

Each command method is the same few lines: build the command with ids made here, hand it to the store's unit of
work, and let a DomainError say why not. Queries build read models for the screens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime

from app.adapters.local_store import LocalStore, as_utc
from app.i18n import words
from app.ids import new_id
from app.scanning.serial import SerialPattern
from app.services.read_models import (
    AssetPage,
    AssetSummary,
    Choice,
    FitPreview,
    HistoryItem,
    ScanOutcome,
    SlotView,
    VisitDraft,
    VisitReport,
)
from app.timefmt import clock_text, local_text
from app.vocabulary import label
from sync import clock
from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.catalog import PartNumber, RailKit, Sku
from sync.domain.commands import (
    AttachPhoto,
    EndVisit,
    RecordInstallation,
    RegisterAsset,
    ResolveConflict,
    StartVisit,
    SwapFru,
)
from sync.domain.conflict import Conflict
from sync.domain.coverage import entitlement_of, site_day, site_timezone
from sync.domain.day_of_work import day_of_work
from sync.domain.errors import InvalidInput
from sync.domain.evidence import Note, Photo, PhotoKind
from sync.domain.fit import FIT_PROBLEM_TEXT, FitProblem, check_fit
from sync.domain.installation import Installation
from sync.domain.org import Organization, OrgKind, UserProfile
from sync.domain.rack import clash_text, first_clash, occupants
from sync.domain.rma import Rma
from sync.domain.serials import nearest_serial, normalise_serial
from sync.domain.service import FruSwap, Visit
from sync.domain.site import Rack, Site
from sync.domain.stock import StockLevel, StockLocation, StockLocationKind
from sync.domain.ticket import Ticket

SEARCH_LIMIT = 20
FIT_CODES = frozenset(p.value for p in FitProblem)


def visit_draft_key(visit_id: str) -> str:
    """Where a visit report's unsaved notes and signer live on the device (app/ui/drafts.py)."""
    return f"visit:{visit_id}"


KNOWN_SERIALS_LIMIT = 200_000  # every serial a device holds, to find the one an unknown serial was meant to be


@dataclass
class FieldService:
    store: LocalStore
    make_id: Callable[[], str] = new_id
    # The clock: "today" is always a site's calendar day at this instant (coverage.site_day), never the UTC day.
    now: Callable[[], datetime] = field(default=lambda: clock.utcnow())
    recent: list[str] = field(default_factory=list)

    # scanning and lookup ------------------------------------------------------------------------------------
    def open_by_scan(self, raw: str) -> ScanOutcome:
        try:
            serial = normalise_serial(raw)
        except InvalidInput as err:
            return ScanOutcome(error=err.said)
        asset = self.store.find(Asset, serial)
        if asset is None:
            known = self.store.natural_keys_with_prefix(Asset.collection, "", limit=KNOWN_SERIALS_LIMIT)
            return ScanOutcome(serial=serial, nearest=nearest_serial(serial, known))
        self._remember(asset.id)
        return ScanOutcome(asset_id=asset.id, serial=serial)

    def _remember(self, asset_id: str) -> None:
        if asset_id in self.recent:
            self.recent.remove(asset_id)
        self.recent.insert(0, asset_id)
        del self.recent[10:]

    def search_serials(self, prefix: str) -> list[str]:
        text = prefix.strip().upper()
        if len(text) < 2:
            return []
        return self.store.natural_keys_with_prefix(Asset.collection, text, limit=SEARCH_LIMIT)

    def summary(self, asset: Asset) -> AssetSummary:
        sku = self.store.get(Sku, asset.sku_id)
        site = self.store.get(Site, asset.site_id) if asset.site_id else None
        rack = self.store.get(Rack, asset.rack_id) if asset.rack_id else None
        return AssetSummary(
            id=asset.id,
            serial=asset.serial,
            sku_code=sku.code if sku else "?",
            sku_name=sku.name if sku else "unknown SKU",
            family=label(sku.family) if sku else "",
            site_name=site.name if site else words("not installed"),
            rack_name=rack.name if rack else "",
            u_position=asset.u_position,
            timezone=site_timezone(self.store, asset.site_id),
        )

    def recent_assets(self) -> list[AssetSummary]:
        found = (self.store.get(Asset, i) for i in self.recent)
        return [self.summary(a) for a in found if a is not None]

    def asset_page(self, asset_id: str) -> AssetPage:
        asset = self.store.get(Asset, asset_id)
        if asset is None:
            raise InvalidInput(words("this chassis is not on this device"))
        sku = self.store.get(Sku, asset.sku_id)
        slots = tuple(
            SlotView(slot=s.name, fru_type=label(s.fru_type), part_serial=asset.part_in(s.name))
            for s in (sku.fru_slots if sku else ())
        )
        return AssetPage(
            summary=self.summary(asset),
            revision=asset.revision,
            lot=asset.lot,
            warranty_end=asset.warranty_end,
            entitlement=entitlement_of(self.store, asset, site_day(self.store, asset.site_id, self.now())),
            slots=slots,
            history=tuple(self._history(asset)),
            pending_changes=self.store.pending_count() > 0,
        )

    def _history(self, asset: Asset) -> list[HistoryItem]:
        items: list[HistoryItem] = []
        for inst in self.store.children(Installation, asset.id):
            rack = self.store.get(Rack, inst.rack_id)
            problems = [FIT_PROBLEM_TEXT.get(FitProblem(p), p) if p in FIT_CODES else p for p in inst.fit_problems]
            placed = words(
                "{rack} U{u}, {depth} mm",
                rack=rack.name if rack else "?",
                u=inst.u_position,
                depth=inst.measured_depth_mm,
            )
            items.append(
                HistoryItem(
                    at=inst.installed_at,
                    kind="installation",
                    title=words("Installed"),
                    detail=(
                        words("{placed} — fit warning: {problems}", placed=placed, problems="; ".join(problems))
                        if problems
                        else placed
                    ),
                )
            )
        for swap in self.store.children(FruSwap, asset.id):
            items.append(
                HistoryItem(
                    at=swap.performed_at,
                    kind="swap",
                    title=words("FRU swap {slot}", slot=swap.slot),
                    detail=f"{swap.removed_serial} → {swap.installed_serial} ({swap.error_code})",
                )
            )
        for visit in self.store.children(Visit, asset.id):
            zone = site_timezone(self.store, visit.site_id)  # the visit's own site, where the engineer stood
            arrived = local_text(as_utc(visit.arrived_at), zone)
            stay = (
                words("{arrived} – {left}", arrived=arrived, left=clock_text(as_utc(visit.left_at), zone))
                if visit.left_at
                else words("{arrived} (engineer there now)", arrived=arrived)
            )
            items.append(
                HistoryItem(
                    at=visit.arrived_at,
                    kind="visit",
                    title=words("Visit"),
                    record_id=visit.id,
                    detail=words("{stay} {notes}", stay=stay, notes=visit.notes) if visit.notes.strip() else stay,
                )
            )
        for ticket in self.store.children(Ticket, asset.id):
            items.append(
                HistoryItem(
                    at=ticket.opened_at,
                    kind="ticket",
                    title=words("Ticket ({severity})", severity=words(label(ticket.severity))),
                    detail=ticket.symptom,
                )
            )
        for rma in self.store.children(Rma, asset.id):
            items.append(
                HistoryItem(
                    at=rma.created_at,
                    kind="rma",
                    title=rma.number or words("RMA (no number yet)"),  # the number reads "RMA-2026-000014"
                    detail=words("{status}: {symptom}", status=words(label(rma.status)), symptom=rma.symptom),
                )
            )
        for photo in self.store.children(Photo, asset.id):
            items.append(
                HistoryItem(
                    at=photo.taken_at,
                    kind="photo",
                    title=words("Photo ({kind})", kind=words(label(photo.kind))),
                    detail=photo.caption,
                )
            )
        for note in self.store.children(Note, asset.id):
            items.append(HistoryItem(at=note.written_at, kind="note", title=words("Note"), detail=note.text))
        # Every line's time on the chassis' site clock (UTC, said so, only when the chassis has no site).
        zone = site_timezone(self.store, asset.site_id)
        shown = [replace(i, when=local_text(as_utc(i.at), zone)) for i in items]
        return sorted(shown, key=lambda i: i.at, reverse=True)

    # pickers ------------------------------------------------------------------------------------------------
    def skus(self) -> list[Choice]:
        return sorted(
            (Choice(id=s.id, label=f"{s.code} — {s.name}") for s in self.store.all(Sku)), key=lambda c: c.label
        )

    def customers(self) -> list[Choice]:
        orgs = [o for o in self.store.all(Organization) if o.kind is OrgKind.CUSTOMER]
        return sorted((Choice(id=o.id, label=o.name) for o in orgs), key=lambda c: c.label)

    def racks(self) -> list[Choice]:
        sites = {s.id: s.name for s in self.store.all(Site)}
        return sorted(
            (
                Choice(
                    id=r.id, label=f"{sites.get(r.site_id, '?')} / {r.name} ({r.mounting_depth_mm} mm, {r.height_u}U)"
                )
                for r in self.store.all(Rack)
            ),
            key=lambda c: c.label,
        )

    def rail_kits(self, asset_id: str) -> list[Choice]:
        asset = self.store.get(Asset, asset_id)
        sku = self.store.get(Sku, asset.sku_id) if asset else None
        kits = self.store.all(RailKit)
        # Compatible kits first: the installer should rarely need the others.
        ordered = sorted(kits, key=lambda k: (sku is None or k.id not in sku.rail_kit_ids, k.code))
        return [Choice(id=k.id, label=f"{k.code} ({k.min_depth_mm}–{k.max_depth_mm} mm)") for k in ordered]

    def serial_patterns(self) -> list[SerialPattern]:
        """The serial shapes the catalog knows, so a label scan can tell the serial from the other barcodes."""
        return [SerialPattern(sku.code, sku.serial_pattern) for sku in self.store.all(Sku) if sku.serial_pattern]

    def rail_kit_by_code(self, scanned: str) -> str | None:
        """The rail kit whose code a scan of its box label carries (case and spacing as the scanner sends them)."""
        wanted = "".join(scanned.split()).upper()
        return next((k.id for k in self.store.all(RailKit) if "".join(k.code.split()).upper() == wanted), None)

    def rack_depth(self, rack_id: str) -> int | None:
        rack = self.store.get(Rack, rack_id)
        return rack.mounting_depth_mm if rack else None

    def my_stock_locations(self) -> list[Choice]:
        identity = self.store.identity()
        locations = self.store.all(StockLocation)
        mine = [loc for loc in locations if identity and loc.holder_user_id == identity.user_id]
        others = [loc for loc in locations if loc not in mine and loc.kind is StockLocationKind.REGIONAL_BUFFER]
        return [Choice(id=loc.id, label=loc.name) for loc in (*mine, *others)]

    def spares_for_slot(self, *, asset_id: str, slot: str, location_id: str) -> list[Choice]:
        asset = self.store.get(Asset, asset_id)
        sku = self.store.get(Sku, asset.sku_id) if asset else None
        if sku is None:
            return []
        wanted = sku.slot(slot).fru_type
        out = []
        for part in self.store.children(Part, location_id):
            if part.location is not PartLocation.IN_STOCK:
                continue
            pn = self.store.get(PartNumber, part.part_number_id)
            if pn is not None and pn.fru_type is wanted:
                note = "" if pn.field_replaceable else " — depot only"
                out.append(Choice(id=part.serial, label=f"{part.serial} ({pn.code}{note})"))
        return sorted(out, key=lambda c: c.label)

    def stock_level(self, *, location_id: str, part_number_id: str) -> int:
        level = self.store.get(StockLevel, f"{location_id}:{part_number_id}")
        return level.quantity if level else 0

    # live fit check -----------------------------------------------------------------------------------------
    def fit_preview(
        self,
        *,
        asset_id: str,
        rack_id: str | None,
        depth_mm: int | None,
        rail_kit_id: str | None,
        u_position: int | None,
    ) -> FitPreview:
        asset = self.store.get(Asset, asset_id)
        sku = self.store.get(Sku, asset.sku_id) if asset else None
        rack = self.store.get(Rack, rack_id) if rack_id else None
        if asset is None or sku is None or rack is None or depth_mm is None or u_position is None:
            return FitPreview(fits=False, warnings=())
        kit = self.store.get(RailKit, rail_kit_id) if rail_kit_id else None
        result = check_fit(
            sku=sku, rail_kit=kit, rack_depth_mm=depth_mm, rack_height_u=rack.height_u, u_position=u_position
        )
        clash = first_clash(
            occupants(self.store, rack.id), asset_id=asset.id, bottom_u=u_position, height_u=sku.height_u
        )
        return FitPreview(fits=result.fits, warnings=tuple(result.explain()), taken=clash_text(*clash) if clash else "")

    # commands -----------------------------------------------------------------------------------------------
    def register_asset(self, *, serial: str, sku_id: str, revision: str, owner_org_id: str, lot: str = "") -> str:
        asset_id = self.make_id()
        self.store.execute(
            RegisterAsset(
                asset_id=asset_id, serial=serial, sku_id=sku_id, revision=revision, owner_org_id=owner_org_id, lot=lot
            )
        )
        self._remember(asset_id)
        return asset_id

    def record_installation(
        self, *, asset_id: str, rack_id: str, u_position: int, measured_depth_mm: int, rail_kit_id: str | None
    ) -> str:
        installation_id = self.make_id()
        self.store.execute(
            RecordInstallation(
                installation_id=installation_id,
                asset_id=asset_id,
                rack_id=rack_id,
                u_position=u_position,
                measured_depth_mm=measured_depth_mm,
                rail_kit_id=rail_kit_id,
            )
        )
        return installation_id

    def swap_fru(
        self,
        *,
        asset_id: str,
        slot: str,
        removed_serial: str,
        installed_serial: str,
        from_location_id: str,
        error_code: str,
        reason: str,
        visit_id: str | None = None,
    ) -> str:
        swap_id = self.make_id()
        self.store.execute(
            SwapFru(
                swap_id=swap_id,
                asset_id=asset_id,
                visit_id=visit_id,
                slot=slot,
                removed_serial=removed_serial,
                installed_serial=installed_serial,
                from_location_id=from_location_id,
                error_code=error_code,
                reason=reason,
                obligation_id=self.make_id(),
            )
        )
        return swap_id

    def start_visit(self, *, asset_id: str, ticket_id: str | None = None) -> str:
        visit_id = self.make_id()
        self.store.execute(StartVisit(visit_id=visit_id, asset_id=asset_id, ticket_id=ticket_id))
        return visit_id

    def end_visit(self, *, visit_id: str, notes: str, signed_by: str | None, signature_sha256: str | None) -> None:
        """Save the report; its draft (notes typed so far) goes once the report is saved, not before."""
        self.store.execute(
            EndVisit(visit_id=visit_id, notes=notes, signed_by=signed_by, signature_sha256=signature_sha256)
        )
        self.store.drop_draft(visit_draft_key(visit_id))

    def visit_draft(self, visit_id: str) -> VisitDraft:
        """What was typed into this visit's report and not saved yet (kept on the device across Back and restarts)."""
        values = self.store.draft(visit_draft_key(visit_id))
        return VisitDraft(notes=values.get("notes", ""), signed_by=values.get("signed_by", ""))

    def keep_visit_draft(self, visit_id: str, draft: VisitDraft) -> None:
        self.store.save_draft(visit_draft_key(visit_id), {"notes": draft.notes, "signed_by": draft.signed_by})

    def open_visit(self, asset_id: str) -> Visit | None:
        identity = self.store.identity()
        open_visits = [
            v
            for v in self.store.children(Visit, asset_id)
            if v.left_at is None and identity is not None and v.engineer_id == identity.user_id
        ]
        return max(open_visits, key=lambda v: v.arrived_at) if open_visits else None

    def attach_photo(
        self,
        *,
        subject_collection: str,
        subject_id: str,
        sha256: str,
        thumbnail_sha256: str | None,
        kind: PhotoKind,
        width: int,
        height: int,
        caption: str = "",
    ) -> str:
        photo_id = self.make_id()
        self.store.execute(
            AttachPhoto(
                photo_id=photo_id,
                subject_collection=subject_collection,
                subject_id=subject_id,
                sha256=sha256,
                thumbnail_sha256=thumbnail_sha256,
                kind=kind,
                caption=caption,
                width=width,
                height=height,
            )
        )
        return photo_id

    def visit_report(self, visit_id: str) -> VisitReport:
        visit = self.store.get(Visit, visit_id)
        if visit is None:
            raise InvalidInput(words("this visit is not on this device"))
        asset = self.store.get(Asset, visit.asset_id)
        site = self.store.get(Site, visit.site_id)
        engineer = self.store.get(UserProfile, visit.engineer_id)
        zone = site_timezone(self.store, visit.site_id)
        swaps = self.store.children(FruSwap, visit.asset_id)
        # Everything that could belong to the day; sync/domain/day_of_work.py keeps the chassis's work that site day.
        subjects = (visit.id, visit.asset_id, *(s.id for s in swaps))
        work = day_of_work(
            visit=visit,
            timezone=zone,
            swaps=swaps,
            notes=[n for subject in subjects for n in self.store.children(Note, subject)],
            photos=[p for subject in subjects for p in self.store.children(Photo, subject)],
        )
        return VisitReport(
            visit_id=visit.id,
            serial=asset.serial if asset else "?",
            site_name=site.name if site else "?",
            engineer=engineer.name if engineer else visit.engineer_id,
            arrived_at=as_utc(visit.arrived_at),
            left_at=as_utc(visit.left_at) if visit.left_at else None,
            notes=visit.notes,
            swaps=tuple(f"{s.slot}: {s.removed_serial} → {s.installed_serial} ({s.error_code})" for s in work.swaps),
            photos=len(work.photos),
            signed_by=visit.signed_by,
            signature_sha256=visit.signature_sha256,
            timezone=zone,
            day_notes=tuple(n.text for n in work.notes),
        )

    def open_conflicts(self) -> list[Conflict]:
        return sorted((c for c in self.store.all(Conflict) if not c.resolved), key=lambda c: c.detected_at)

    def resolve_conflict(self, *, conflict_id: str, chosen_value: str) -> None:
        self.store.execute(ResolveConflict(conflict_id=conflict_id, chosen_value=chosen_value))

    def photos_of(self, subject_id: str) -> list[Photo]:
        return sorted(self.store.children(Photo, subject_id), key=lambda p: p.taken_at)
