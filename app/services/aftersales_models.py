"""What the RMA, desk and depot screens show: plain frozen data computed from the local store, no Flet, no SQL."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from app.i18n import Phrase
from app.timefmt import duration_phrase
from sync.domain.contract import ServiceModel
from sync.domain.coverage import Entitlement
from sync.domain.logistics import DepotGrade, DepotStage, ShipmentDirection, ShipmentStatus
from sync.domain.permissions import RmaAction
from sync.domain.returns import ReturnDraft
from sync.domain.rma import EvidenceItem, RmaStatus

EVIDENCE_TEXT = {
    EvidenceItem.INSTALL_PHOTOS: "Install photos",
    EvidenceItem.LABEL_PHOTOS: "Label photos",
    EvidenceItem.RACK_DEPTH_AND_RAIL_KIT: "Rack depth and rail kit confirmed",
    EvidenceItem.SYMPTOM_AND_REPRO: "Symptom and repro steps",
    EvidenceItem.CONTROLLER_LOGS: "Controller logs",
}


@dataclass(frozen=True, kw_only=True)
class ChecklistItem:
    item: EvidenceItem
    done: bool
    # False when the item does not apply (logs with no controller involved).
    needed: bool = True

    @property
    def text(self) -> str:
        return EVIDENCE_TEXT[self.item]


@dataclass(frozen=True, kw_only=True)
class DraftForm:
    """What the engineer sees before drafting: the entitlement, the offered models, and the installation record."""

    asset_id: str
    serial: str
    entitlement: Entitlement
    models: tuple[ServiceModel, ...]
    parts: tuple[tuple[str, str], ...]
    rack_depth_mm: int | None
    rail_kit_id: str | None
    rail_kit_label: str
    # Drafted from a FRU swap: the removed part, its slot, error code and reason (sync/domain/returns.py).
    prefill: ReturnDraft | None = None


@dataclass(frozen=True, kw_only=True)
class RmaRow:
    """One line of the desk queue or of a chassis's RMA list."""

    rma_id: str
    number: str | None
    serial: str
    status: RmaStatus
    model: ServiceModel
    symptom: str
    severity: str
    age_hours: float
    target_hours: float | None
    missing: int

    @property
    def late(self) -> bool:
        return self.target_hours is not None and self.age_hours > self.target_hours

    @property
    def is_draft(self) -> bool:
        # Numbers are issued at approval: until then a submitted RMA is not a draft, it waits for its number.
        return self.status is RmaStatus.DRAFT

    @property
    def age(self) -> Phrase:
        """How long it has been in its status, in the words of every duration on screen: "3 days 4 h"."""
        return duration_phrase(timedelta(hours=self.age_hours))


@dataclass(frozen=True, kw_only=True)
class QueueGroup:
    status: RmaStatus
    rows: tuple[RmaRow, ...]

    @property
    def late(self) -> int:
        return sum(1 for r in self.rows if r.late)


@dataclass(frozen=True, kw_only=True)
class LedgerRow:
    """An advance-exchange (or FRU swap) obligation as the ledger shows it today."""

    obligation_id: str
    serial: str
    replacement_serial: str | None
    source: Phrase | str  # "RMA-2026-000014", "FRU swap PSU1"; the view translates it
    site_name: str
    due_on: date
    status: str
    days_overdue: int
    business_days_left: int | None
    penalty_due_cents: int
    currency: str  # of penalty_due_cents

    @property
    def overdue(self) -> bool:
        return self.days_overdue > 0


@dataclass(frozen=True, kw_only=True)
class ShipmentLine:
    """A parcel of an RMA: which way, carrier, tracking, where it is, when it left (site time, zone named)."""

    shipment_id: str
    direction: ShipmentDirection
    serials: tuple[str, ...]
    carrier: str
    tracking: str
    status: ShipmentStatus
    shipped_at: str  # "" before it left


@dataclass(frozen=True, kw_only=True)
class RmaPage:
    rma_id: str
    number: str | None
    status: RmaStatus
    model: ServiceModel
    lane: str | None
    serial: str
    part_serial: str | None
    sku: str
    site_name: str
    symptom: str
    repro_steps: str
    severity: str
    question: str
    entitlement: Entitlement
    checklist: tuple[ChecklistItem, ...]
    history: tuple[str, ...]
    actions: tuple[RmaAction, ...]  # what this role may do now, from sync.domain.permissions
    return_due: date | None
    replacement_serial: str | None
    ledger: tuple[LedgerRow, ...]
    credit: tuple[str, ...]
    credit_approved: bool | None
    depot_order_id: str | None
    pending: bool
    shipments: tuple[ShipmentLine, ...] = ()
    # The models an approval may choose (sync/domain/coverage.py ``models_offered``): no advance exchange or credit
    # the contract does not give.
    approval_models: tuple[ServiceModel, ...] = ()
    timezone: str | None = None  # the RMA site's zone: its times are shown on that clock

    @property
    def evidence_complete(self) -> bool:
        return all(i.done for i in self.checklist if i.needed)


@dataclass(frozen=True, kw_only=True)
class ScanLine:
    """One scan in a depot receiving session: received, flagged as a duplicate, or refused with the reason."""

    code: str
    outcome: str
    message: Phrase | str  # the device's words are a Phrase; a rule's refusal is explained by its code
    at: datetime
    depot_order_id: str | None = None
    # A refusal by a rule: its stable code and details, for the screen to say it in plain words (app/refusals.py).
    error_code: str = ""
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class OrderRow:
    depot_order_id: str
    serial: str
    rma_number: str | None
    stage: DepotStage
    grade: DepotGrade | None
    received_at: datetime
    zone: str | None = None  # the depot's clock (app/services/depot_site.py); None: this device's


@dataclass(frozen=True, kw_only=True)
class StepOption:
    """A next depot step and what it must capture."""

    stage: DepotStage
    needs_error_code: bool
    needs_note: bool
    needs_grade: bool
    needs_parcel: bool = False


@dataclass(frozen=True, kw_only=True)
class OrderPage:
    depot_order_id: str
    serial: str
    rma_id: str | None
    rma_number: str | None
    rma_status: RmaStatus | None
    lane: str | None
    stage: DepotStage
    grade: DepotGrade | None
    error_codes: tuple[str, ...]
    notes: str
    root_cause: str
    corrective_action: str
    history: tuple[str, ...]
    steps: tuple[StepOption, ...]
    grades: tuple[DepotGrade, ...]
    credit_decidable: bool
    credit: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class StockRow:
    location_id: str
    location: str
    kind: str
    part_number_id: str
    part_code: str
    description: str
    quantity: int
    low_threshold: int

    @property
    def low(self) -> bool:
        return self.quantity <= self.low_threshold


@dataclass(frozen=True, kw_only=True)
class PoolRow:
    serial: str
    part_code: str
    location: str
    revision: str
