"""Every user action is one of these commands. They are small, frozen and carry ids made on the device, so the
same command replayed on the server produces the same records."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from sync.domain.contract import ServiceModel
from sync.domain.credit import CreditReason, InspectionFindings, KitItem
from sync.domain.evidence import JPEG_MEDIA_TYPE, PhotoKind
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.logistics import DepotGrade, DepotStage, depot_shipment_id
from sync.domain.rma import RmaLane, RmaStatus
from sync.domain.service import Severity
from sync.domain.sla import Clock


@dataclass(frozen=True, kw_only=True)
class Command:
    type_name: ClassVar[str] = ""

    def subjects(self) -> tuple[tuple[str, str], ...]:
        """(collection, id) of existing records this command acts on, sent back as the server copy on rejection."""
        return ()

    def creates(self) -> tuple[tuple[str, str], ...]:
        """(collection, id) of the records this command creates, ids made on the device.

        A create only creates: ``decide`` refuses the command when any of these ids is taken in its collection,
        visible to the caller or not (``already_exists``), so a create can never overwrite someone else's record.
        """
        return ()

    def blob_names(self) -> tuple[str, ...]:
        """SHA-256 names of the blobs (photos, thumbnails, signatures) the records of this command will name.

        ``decide`` asks the context whether the caller may name each one: knowing a hash is never enough.
        """
        return ()


@dataclass(frozen=True, kw_only=True)
class RegisterAsset(Command):
    type_name = "RegisterAsset"
    asset_id: str
    serial: str
    sku_id: str
    revision: str
    owner_org_id: str
    lot: str = ""
    ship_date: date | None = None
    warranty_end: date | None = None

    def creates(self) -> tuple[tuple[str, str], ...]:
        return (("assets", self.asset_id),)


@dataclass(frozen=True, kw_only=True)
class RecordInstallation(Command):
    type_name = "RecordInstallation"
    installation_id: str
    asset_id: str
    rack_id: str
    u_position: int
    measured_depth_mm: int
    rail_kit_id: str | None

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("assets", self.asset_id), ("racks", self.rack_id))

    def creates(self) -> tuple[tuple[str, str], ...]:
        return (("installations", self.installation_id),)


@dataclass(frozen=True, kw_only=True)
class SwapFru(Command):
    type_name = "SwapFru"
    swap_id: str
    asset_id: str
    visit_id: str | None
    slot: str
    removed_serial: str
    installed_serial: str
    from_location_id: str
    error_code: str
    reason: str
    obligation_id: str

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("assets", self.asset_id), ("stock_locations", self.from_location_id))

    def creates(self) -> tuple[tuple[str, str], ...]:
        return (("fru_swaps", self.swap_id), ("return_obligations", self.obligation_id))


@dataclass(frozen=True, kw_only=True)
class OpenTicket(Command):
    type_name = "OpenTicket"
    ticket_id: str
    asset_id: str
    symptom: str
    severity: Severity
    # Who to call back about it (free text: a desk takes it from the caller as said).
    contact_name: str = ""
    contact_phone: str = ""

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("assets", self.asset_id),)

    def creates(self) -> tuple[tuple[str, str], ...]:
        return (("tickets", self.ticket_id),)


@dataclass(frozen=True, kw_only=True)
class MoveIncident(Command):
    """One step of the incident state machine (sync/domain/incident.py). ``from_status`` is the status its author
    saw: when someone else made the same stop meanwhile, the step is kept for its time instead of refused."""

    type_name = "MoveIncident"
    ticket_id: str
    to_status: IncidentStatus
    note: str = ""
    from_status: IncidentStatus | None = None

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("tickets", self.ticket_id),)


@dataclass(frozen=True, kw_only=True)
class AmendIncident(Command):
    """Change the severity or the tier (``value``: the new one) or record a parts extension, saying why.
    ``base_value`` is the severity or tier its author saw: if the record moved on since, that is a conflict."""

    type_name = "AmendIncident"
    ticket_id: str
    amendment: Amendment
    reason: str
    value: str = ""
    base_value: str | None = None

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("tickets", self.ticket_id),)


@dataclass(frozen=True, kw_only=True)
class RecordBreach(Command):
    """The server's sweep (or the desk) records that a clock breached: once per clock, at its due time."""

    type_name = "RecordBreach"
    ticket_id: str
    clock: Clock

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("tickets", self.ticket_id),)


@dataclass(frozen=True, kw_only=True)
class AcknowledgeBreach(Command):
    """The desk has seen the escalation notice of a recorded breach: the notice is no longer out (once per clock)."""

    type_name = "AcknowledgeBreach"
    ticket_id: str
    clock: Clock

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("tickets", self.ticket_id),)


@dataclass(frozen=True, kw_only=True)
class StartVisit(Command):
    type_name = "StartVisit"
    visit_id: str
    asset_id: str
    ticket_id: str | None = None

    def subjects(self) -> tuple[tuple[str, str], ...]:
        ticket = (("tickets", self.ticket_id),) if self.ticket_id else ()
        return (("assets", self.asset_id), *ticket)

    def creates(self) -> tuple[tuple[str, str], ...]:
        return (("visits", self.visit_id),)


@dataclass(frozen=True, kw_only=True)
class EndVisit(Command):
    type_name = "EndVisit"
    visit_id: str
    notes: str = ""
    signed_by: str | None = None
    signature_sha256: str | None = None

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("visits", self.visit_id),)

    def blob_names(self) -> tuple[str, ...]:
        return (self.signature_sha256,) if self.signature_sha256 else ()


@dataclass(frozen=True, kw_only=True)
class AttachPhoto(Command):
    type_name = "AttachPhoto"
    photo_id: str
    subject_collection: str
    subject_id: str
    sha256: str
    thumbnail_sha256: str | None
    kind: PhotoKind
    caption: str = ""
    width: int = 0
    height: int = 0
    media_type: str = JPEG_MEDIA_TYPE
    file_name: str = ""
    size: int = 0

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return ((self.subject_collection, self.subject_id),)

    def creates(self) -> tuple[tuple[str, str], ...]:
        return (("photos", self.photo_id),)

    def blob_names(self) -> tuple[str, ...]:
        return (self.sha256, self.thumbnail_sha256) if self.thumbnail_sha256 else (self.sha256,)


@dataclass(frozen=True, kw_only=True)
class AddNote(Command):
    type_name = "AddNote"
    note_id: str
    subject_collection: str
    subject_id: str
    text: str

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return ((self.subject_collection, self.subject_id),)

    def creates(self) -> tuple[tuple[str, str], ...]:
        return (("notes", self.note_id),)


@dataclass(frozen=True, kw_only=True)
class FieldChange:
    field: str
    base_value: str
    new_value: str


@dataclass(frozen=True, kw_only=True)
class EditAsset(Command):
    """A field edit. ``base_value`` is what the editor saw; if the server's value moved on since, that is a conflict."""

    type_name = "EditAsset"
    asset_id: str
    base_version: int | None
    changes: tuple[FieldChange, ...]

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("assets", self.asset_id),)


@dataclass(frozen=True, kw_only=True)
class ResolveConflict(Command):
    type_name = "ResolveConflict"
    conflict_id: str
    chosen_value: str

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("conflicts", self.conflict_id),)


@dataclass(frozen=True, kw_only=True)
class DraftRma(Command):
    type_name = "DraftRma"
    rma_id: str
    asset_id: str
    model: ServiceModel
    symptom: str
    repro_steps: str = ""
    severity: Severity = Severity.MAJOR
    part_serial: str | None = None
    controller_involved: bool = False
    rack_depth_mm: int | None = None
    rail_kit_id: str | None = None

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("assets", self.asset_id),)

    def creates(self) -> tuple[tuple[str, str], ...]:
        return (("rmas", self.rma_id),)


@dataclass(frozen=True, kw_only=True)
class AdvanceRma(Command):
    type_name = "AdvanceRma"
    rma_id: str
    to_status: RmaStatus
    note: str = ""
    lane: RmaLane | None = None
    # At approval the desk may settle the service model (e.g. advance exchange); None keeps the drafted one.
    model: ServiceModel | None = None

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("rmas", self.rma_id),)


@dataclass(frozen=True, kw_only=True)
class AdjustStock(Command):
    type_name = "AdjustStock"
    location_id: str
    part_number_id: str
    delta: int
    reason: str

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("stock_locations", self.location_id),)


@dataclass(frozen=True, kw_only=True)
class ShipReplacement(Command):
    """Advance exchange: the good unit goes out before the suspect one comes back (see sync/domain/exchange.py)."""

    type_name = "ShipReplacement"
    rma_id: str
    shipment_id: str
    obligation_id: str
    replacement_serial: str
    # Where a replacement FRU is taken from (its stock level goes down); unused for a whole chassis.
    from_location_id: str | None = None
    carrier: str = ""
    tracking: str = ""

    def subjects(self) -> tuple[tuple[str, str], ...]:
        located = (("stock_locations", self.from_location_id),) if self.from_location_id else ()
        return (("rmas", self.rma_id), *located)

    def creates(self) -> tuple[tuple[str, str], ...]:
        return (("shipments", self.shipment_id), ("return_obligations", self.obligation_id))


@dataclass(frozen=True, kw_only=True)
class ReceiveReturn(Command):
    """The depot scanned a box: ``code`` is the RMA number from the label, or a serial."""

    type_name = "ReceiveReturn"
    depot_order_id: str
    code: str

    def creates(self) -> tuple[tuple[str, str], ...]:
        return (("depot_orders", self.depot_order_id),)


@dataclass(frozen=True, kw_only=True)
class AdvanceDepotOrder(Command):
    type_name = "AdvanceDepotOrder"
    depot_order_id: str
    to_stage: DepotStage
    error_codes: tuple[str, ...] = ()
    note: str = ""
    # The ship step's parcel: required to ship, ignored on every other step.
    carrier: str = ""
    tracking: str = ""

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("depot_orders", self.depot_order_id),)

    def creates(self) -> tuple[tuple[str, str], ...]:
        if self.to_stage is DepotStage.SHIPPED:
            return (("shipments", depot_shipment_id(self.depot_order_id)),)
        return ()


@dataclass(frozen=True, kw_only=True)
class GradeDepotOrder(Command):
    type_name = "GradeDepotOrder"
    depot_order_id: str
    grade: DepotGrade
    root_cause: str = ""
    corrective_action: str = ""
    # The refurbished-pool location good units go to.
    pool_location_id: str | None = None

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("depot_orders", self.depot_order_id),)


@dataclass(frozen=True, kw_only=True)
class DecideCredit(Command):
    """The inspector's findings; the credit itself is computed (sync/domain/credit.py), never sent."""

    type_name = "DecideCredit"
    rma_id: str
    reason: CreditReason
    kit_present: tuple[KitItem, ...]
    inspection: InspectionFindings = InspectionFindings()

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (("rmas", self.rma_id),)


@dataclass(frozen=True, kw_only=True)
class MoveStock(Command):
    type_name = "MoveStock"
    from_location_id: str
    to_location_id: str
    part_number_id: str
    quantity: int
    reason: str
    # The serialized parts moving, when they are known: as many as ``quantity``.
    serials: tuple[str, ...] = ()

    def subjects(self) -> tuple[tuple[str, str], ...]:
        return (
            ("stock_levels", f"{self.from_location_id}:{self.part_number_id}"),
            ("stock_levels", f"{self.to_location_id}:{self.part_number_id}"),
        )


COMMAND_TYPES: dict[str, type[Command]] = {
    cls.type_name: cls
    for cls in (
        RegisterAsset,
        RecordInstallation,
        SwapFru,
        OpenTicket,
        MoveIncident,
        AmendIncident,
        RecordBreach,
        AcknowledgeBreach,
        StartVisit,
        EndVisit,
        AttachPhoto,
        AddNote,
        EditAsset,
        ResolveConflict,
        DraftRma,
        AdvanceRma,
        AdjustStock,
        ShipReplacement,
        ReceiveReturn,
        AdvanceDepotOrder,
        GradeDepotOrder,
        DecideCredit,
        MoveStock,
    )
}
