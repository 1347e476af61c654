"""What moves between places: shipments, return obligations (the advance-exchange ledger) and depot orders."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sync.domain.contract import DEFAULT_CURRENCY
from sync.domain.entity import Entity, org_scope, site_scope
from sync.domain.errors import InvalidInput
from sync.domain.limits import CARRIER_NAME_MAX, TRACKING_NUMBER_MAX, TRACKING_NUMBER_MIN
from sync.domain.words import words


class ShipmentDirection(StrEnum):
    OUTBOUND = "outbound"
    INBOUND = "inbound"


class ShipmentStatus(StrEnum):
    LABEL_PRINTED = "label_printed"
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"


@dataclass(frozen=True, kw_only=True)
class Shipment(Entity):
    collection = "shipments"

    parent_key_field = "rma_id"

    rma_id: str | None
    direction: ShipmentDirection
    serials: tuple[str, ...]
    carrier: str = ""
    tracking: str = ""
    status: ShipmentStatus = ShipmentStatus.LABEL_PRINTED
    shipped_at: datetime | None = None
    delivered_at: datetime | None = None


# What people type between the characters of a tracking number (as printed on the label, or grouped for reading).
_TRACKING_SEPARATORS = re.compile(r"[\s\-./]+")
_TRACKING_CHARACTERS = re.compile(r"[A-Z0-9]+")


@dataclass(frozen=True, kw_only=True)
class ParcelReference:
    carrier: str
    tracking: str


def parcel_reference(carrier: str, tracking: str) -> ParcelReference:
    """The carrier and tracking number of a parcel, checked and in one spelling (``1z 999-aa1`` → ``1Z999AA1``).

    Both are required: a parcel nobody can trace is a unit lost. Limits: sync/domain/limits.py."""
    name = " ".join(carrier.split())
    if not name:
        raise InvalidInput(words("say which carrier takes the parcel"), details={"field": "carrier"})
    if len(name) > CARRIER_NAME_MAX:
        raise InvalidInput(
            words("a carrier name is at most {limit} characters", limit=CARRIER_NAME_MAX),
            details={"field": "carrier", "limit": CARRIER_NAME_MAX},
        )
    number = _TRACKING_SEPARATORS.sub("", tracking).upper()
    if not number:
        raise InvalidInput(words("type or scan the parcel's tracking number"), details={"field": "tracking"})
    if not _TRACKING_CHARACTERS.fullmatch(number):
        raise InvalidInput(
            words("a tracking number has letters and digits only"), details={"field": "tracking", "value": tracking}
        )
    if not TRACKING_NUMBER_MIN <= len(number) <= TRACKING_NUMBER_MAX:
        raise InvalidInput(
            words(
                "a tracking number has {min} to {max} letters and digits; {number} has {length}",
                min=TRACKING_NUMBER_MIN,
                max=TRACKING_NUMBER_MAX,
                number=number,
                length=len(number),
            ),
            details={"field": "tracking", "min": TRACKING_NUMBER_MIN, "max": TRACKING_NUMBER_MAX},
        )
    return ParcelReference(carrier=name, tracking=number)


def depot_shipment_id(depot_order_id: str) -> str:
    """The one shipment a depot order's ship step creates: named by the order, so a replay names the same record."""
    return f"{depot_order_id}:shipment"


class ObligationStatus(StrEnum):
    OPEN = "open"
    RECEIVED = "received"
    WAIVED = "waived"


@dataclass(frozen=True, kw_only=True)
class ReturnObligation(Entity):
    """A defective unit or part that must come back: from an advance exchange or a FRU swap on site."""

    collection = "return_obligations"

    parent_key_field = "source_id"

    serial: str
    source_collection: str
    source_id: str
    site_id: str | None
    replacement_serial: str | None
    due_on: date
    penalty_cents: int = 0
    currency: str = DEFAULT_CURRENCY  # of penalty_cents, from the contract (sync/domain/contract.py)
    status: ObligationStatus = ObligationStatus.OPEN
    received_at: datetime | None = None
    # What set ``due_on`` (sync/domain/coverage.py): aging counts business days with the same calendar. None on
    # records written before these were stored.
    contract_id: str | None = None
    timezone: str | None = None

    def scope_keys(self) -> frozenset[str]:
        keys = {org_scope(self.org_id)}
        if self.site_id:
            keys.add(site_scope(self.site_id))
        return frozenset(keys)

    def days_overdue(self, today: date) -> int:
        if self.status is not ObligationStatus.OPEN or today <= self.due_on:
            return 0
        return (today - self.due_on).days


class DepotStage(StrEnum):
    RECEIVED = "received"
    TRIAGE = "triage"
    REPAIR = "repair"
    BURN_IN = "burn_in"
    SHIPPED = "shipped"


class DepotGrade(StrEnum):
    REPAIRED_TESTED = "repaired_tested"
    READY_TO_SWAP = "ready_to_swap"
    SCRAP_SUPPLIER_CLAIM = "scrap_supplier_claim"
    NO_FAULT_FOUND = "no_fault_found"


@dataclass(frozen=True, kw_only=True)
class DepotStep:
    """One step of a depot order, with what it captured (photos hang on the order as Photo facts)."""

    stage: DepotStage
    at: datetime
    by: str
    error_codes: tuple[str, ...] = ()
    note: str = ""
    # The ship step's parcel (empty on every other step).
    carrier: str = ""
    tracking: str = ""


@dataclass(frozen=True, kw_only=True)
class DepotOrder(Entity):
    collection = "depot_orders"

    parent_key_field = "rma_id"

    rma_id: str | None
    serial: str
    stage: DepotStage = DepotStage.RECEIVED
    error_codes: tuple[str, ...] = ()
    notes: str = ""
    root_cause: str = ""
    corrective_action: str = ""
    grade: DepotGrade | None = None
    received_at: datetime
    # What came back, copied at receipt so failure patterns (SKU / part number / revision / lot) need no joins.
    obligation_id: str | None = None
    part_number_id: str | None = None
    sku_id: str | None = None
    revision: str = ""
    lot: str = ""
    received_by: str = ""
    history: tuple[DepotStep, ...] = ()
    graded_at: datetime | None = None
    graded_by: str = ""

    def scope_keys(self) -> frozenset[str]:
        return frozenset({org_scope(self.org_id)})
