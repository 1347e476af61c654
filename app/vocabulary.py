"""The words a person reads for every internal value: one table per enum of ``sync/domain`` that reaches a screen.

Codes (``needs_info``, ``burn_in``, ``advance_exchange``) are for storage, the wire and logs; people read these labels.
Each label is the English text and the translation key (``app/i18n.py``): views show ``t(label(value))``, services
that build a line of text in English use ``label(value)``. ``tests/client/test_vocabulary.py`` walks every enum listed
here and checks each value has a label that is not its code.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from sync.domain.asset import PartLocation
from sync.domain.calendar import Coverage
from sync.domain.catalog import ChassisFamily, FruType, Serviceability
from sync.domain.contract import ServiceModel
from sync.domain.credit import CreditReason, CreditRule, KitItem
from sync.domain.depot import Destination
from sync.domain.evidence import PhotoKind
from sync.domain.fit import FitProblem
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.kpi import PatternKey
from sync.domain.logistics import DepotGrade, DepotStage, ObligationStatus, ShipmentDirection, ShipmentStatus
from sync.domain.org import OrgKind, Role
from sync.domain.rma import EvidenceItem, RmaLane, RmaStatus
from sync.domain.service import Severity
from sync.domain.site import SiteKind
from sync.domain.sla import Clock, ClockStatus, PauseReason
from sync.domain.stock import StockLocationKind

LABELS: Mapping[type[StrEnum], Mapping[str, str]] = {
    RmaStatus: {
        RmaStatus.DRAFT: "Draft (not sent yet)",
        RmaStatus.SUBMITTED: "Submitted",
        RmaStatus.TRIAGE: "In triage",
        RmaStatus.NEEDS_INFO: "Needs more information",
        RmaStatus.APPROVED: "Approved",
        RmaStatus.REJECTED: "Rejected",
        RmaStatus.REPLACEMENT_SHIPPED: "Replacement shipped",
        RmaStatus.AWAITING_RETURN: "Awaiting return",
        RmaStatus.RECEIVED: "Received at the depot",
        RmaStatus.INSPECTION: "Under inspection",
        RmaStatus.REPAIRED: "Repaired",
        RmaStatus.REPLACED: "Replaced",
        RmaStatus.CREDITED: "Credited",
        RmaStatus.RETURNED_NFF: "Returned: No fault found",
        RmaStatus.SHIPPED_BACK: "Shipped back to the customer",
        RmaStatus.CLOSED: "Closed",
    },
    RmaLane: {RmaLane.REPAIR: "Repair", RmaLane.REPLACE: "Replace", RmaLane.CREDIT: "Credit"},
    EvidenceItem: {
        EvidenceItem.INSTALL_PHOTOS: "Install photos",
        EvidenceItem.LABEL_PHOTOS: "Label photos",
        EvidenceItem.RACK_DEPTH_AND_RAIL_KIT: "Rack depth and rail kit",
        EvidenceItem.SYMPTOM_AND_REPRO: "Symptom and steps to reproduce",
        EvidenceItem.CONTROLLER_LOGS: "Controller logs",
    },
    ServiceModel: {
        ServiceModel.STANDARD: "Standard",
        ServiceModel.ADVANCE_EXCHANGE: "Advance exchange",
        ServiceModel.RETURN_FOR_CREDIT: "Return for credit",
        ServiceModel.DEPOT_REPAIR: "Depot repair",
        ServiceModel.ON_SITE: "On-site service",
    },
    Severity: {
        Severity.CRITICAL: "Critical (service down)",
        Severity.MAJOR: "Major (service degraded)",
        Severity.MINOR: "Minor (no service impact)",
    },
    IncidentStatus: {
        IncidentStatus.OPEN: "Open, no response yet",  # not "Open": that key is the verb of the Open buttons
        IncidentStatus.OPEN_WAITING_FOR_CUSTOMER: "Open, waiting for the customer",
        IncidentStatus.RESPONDED: "Engineer responded",
        IncidentStatus.WAITING_FOR_CUSTOMER: "Waiting for the customer",
        IncidentStatus.WAITING_FOR_PARTS: "Waiting for parts",
        IncidentStatus.RESTORED: "Service restored",
        IncidentStatus.CLOSED: "Closed",
    },
    Amendment: {
        Amendment.CHANGE_SEVERITY: "Severity changed",
        Amendment.CHANGE_TIER: "Service tier changed",
        Amendment.EXTEND_FOR_PARTS: "Extended while waiting for parts",
    },
    DepotStage: {
        DepotStage.RECEIVED: "Received",
        DepotStage.TRIAGE: "Triage",
        DepotStage.REPAIR: "Repair",
        DepotStage.BURN_IN: "Burn-in test",
        DepotStage.SHIPPED: "Shipped",
    },
    DepotGrade: {
        DepotGrade.REPAIRED_TESTED: "Repaired and tested",
        DepotGrade.READY_TO_SWAP: "Ready to swap",
        DepotGrade.SCRAP_SUPPLIER_CLAIM: "Scrap (claim from supplier)",
        DepotGrade.NO_FAULT_FOUND: "No fault found",
    },
    Destination: {
        Destination.REFURBISHED_POOL: "Refurbished pool",
        Destination.BACK_TO_OWNER: "Back to the owner",
        Destination.SCRAP: "Scrap",
    },
    ShipmentDirection: {ShipmentDirection.OUTBOUND: "Outbound", ShipmentDirection.INBOUND: "Inbound"},
    ShipmentStatus: {
        ShipmentStatus.LABEL_PRINTED: "Label printed",
        ShipmentStatus.IN_TRANSIT: "In transit",
        ShipmentStatus.DELIVERED: "Delivered",
    },
    ObligationStatus: {
        ObligationStatus.OPEN: "Return expected",
        ObligationStatus.RECEIVED: "Returned",
        ObligationStatus.WAIVED: "Return waived",
    },
    PartLocation: {
        PartLocation.IN_STOCK: "In stock",
        PartLocation.INSTALLED: "Installed",
        PartLocation.IN_TRANSIT: "In transit",
        PartLocation.AT_DEPOT: "At the depot",
        PartLocation.GRADED: "Graded, ready for reuse",
        PartLocation.SCRAPPED: "Scrapped",
    },
    StockLocationKind: {
        StockLocationKind.REGIONAL_BUFFER: "Regional stock",
        StockLocationKind.VAN: "Van",
        StockLocationKind.DEPOT: "Depot",
        StockLocationKind.REFURBISHED_POOL: "Refurbished pool",
    },
    PhotoKind: {
        PhotoKind.INSTALL: "Install",
        PhotoKind.LABEL: "Label",
        PhotoKind.DAMAGE: "Damage",
        PhotoKind.PART: "Part",
        PhotoKind.LOG: "Log / screen",
        PhotoKind.OTHER: "Other",
    },
    Role: {
        Role.FIELD_ENGINEER: "Field engineer",
        Role.INSTALLER: "Installer",
        Role.DEPOT: "Depot technician",
        Role.SERVICE_DESK: "Service desk",
        Role.ADMIN: "Administrator",
        Role.CUSTOMER: "Customer",
    },
    OrgKind: {OrgKind.OEM: "Manufacturer", OrgKind.CUSTOMER: "Customer", OrgKind.SERVICE_PARTNER: "Service partner"},
    SiteKind: {
        SiteKind.COLOCATION: "Colocation",
        SiteKind.EDGE: "Edge site",
        SiteKind.ENTERPRISE: "Enterprise data centre",
        SiteKind.DEPOT: "Depot",
    },
    Coverage: {Coverage.ALWAYS: "Around the clock (24×7)", Coverage.BUSINESS_HOURS: "Business hours"},
    ChassisFamily: {
        ChassisFamily.GPU_SERVER: "GPU server",
        ChassisFamily.RACKMOUNT: "Rackmount",
        ChassisFamily.WALL_MOUNT: "Wall mount",
        ChassisFamily.NAS: "NAS",
        ChassisFamily.ITX: "Mini-ITX",
    },
    FruType: {
        FruType.FAN_WALL: "Fan wall",
        FruType.BACKPLANE: "Backplane",
        FruType.IO_BOARD: "I/O board",
        FruType.PSU_BRACKET: "PSU bracket",
        FruType.PSU: "Power supply",
        FruType.RAIL_KIT: "Rail kit",
        FruType.DRIVE_CAGE: "Drive cage",
        FruType.RISER: "Riser",
    },
    Serviceability: {
        Serviceability.FIELD_REPLACEABLE: "Replaceable on site",
        Serviceability.DEPOT_ONLY: "Depot only",
    },
    FitProblem: {
        FitProblem.RACK_SHALLOWER_THAN_RAILS: "Rack shallower than the rails",
        FitProblem.RACK_DEEPER_THAN_RAILS: "Rack deeper than the rails",
        FitProblem.CHASSIS_DEEPER_THAN_RACK: "Chassis deeper than the rack",
        FitProblem.RAIL_KIT_NOT_FOR_SKU: "Rail kit not made for this model",
        FitProblem.U_POSITION_OUTSIDE_RACK: "Position outside the rack",
    },
    CreditReason: {
        CreditReason.DEAD_ON_ARRIVAL: "Dead on arrival",
        CreditReason.WRONG_SPEC: "Wrong specification",
        CreditReason.NOT_NEEDED: "Not needed",
    },
    KitItem: {
        KitItem.ACCESSORIES: "Accessories",
        KitItem.RAILS: "Rails",
        KitItem.SCREWS: "Screws",
        KitItem.PACKAGING: "Packaging",
    },
    CreditRule: {
        CreditRule.CLAIM_WINDOW: "Claim window",
        CreditRule.KIT_ACCESSORIES: "Accessories returned",
        CreditRule.KIT_RAILS: "Rails returned",
        CreditRule.KIT_SCREWS: "Screws returned",
        CreditRule.KIT_PACKAGING: "Packaging returned",
        CreditRule.INSPECTION_DAMAGE: "No damage at inspection",
        CreditRule.INSPECTION_SEAL: "Seal intact at inspection",
        CreditRule.INSPECTION_LABEL: "Label intact at inspection",
        CreditRule.PRICE_ON_RECORD: "Price on record",
        CreditRule.OFFERED: "Return for credit offered",
    },
    Clock: {Clock.RESPONSE: "Response", Clock.RESTORE: "Restore"},
    PauseReason: {
        PauseReason.WAITING_FOR_CUSTOMER: "Waiting for the customer",
        PauseReason.WAITING_FOR_PARTS: "Waiting for parts",
    },
    ClockStatus: {
        ClockStatus.ON_TRACK: "On track",
        ClockStatus.AT_RISK: "At risk",
        ClockStatus.BREACHED: "Breached",
        ClockStatus.MET: "Met",
        ClockStatus.MISSED: "Missed",
        ClockStatus.BY_AGREEMENT: "By agreement",
        ClockStatus.NOT_COMMITTED: "No time committed",
    },
    PatternKey: {
        PatternKey.SKU: "Model (SKU)",
        PatternKey.PART_NUMBER: "Part number",
        PatternKey.REVISION: "Revision",
        PatternKey.LOT: "Lot",
    },
}


def label(value: StrEnum) -> str:
    """The English label of ``value`` (also its translation key). A value missing from the table is a bug the
    vocabulary test catches; on screen it still reads as words, never as ``snake_case``."""
    table = LABELS.get(type(value), {})
    return table.get(value, value.value.replace("_", " ").capitalize())


KINDS: Mapping[str, type[StrEnum]] = {kind.__name__: kind for kind in LABELS}


def member(kind: str, code: str) -> StrEnum | None:
    """The enum member a code names, from the enum's name as it travels in words (``Coded``), or None."""
    found = KINDS.get(kind)
    try:
        return found(code) if found is not None else None
    except ValueError:
        return None


def label_of(kind: type[StrEnum], code: str | None, *, empty: str = "—") -> str:
    """The label of a code kept as plain text (a read model's ``lane``, an obligation's ``status``)."""
    if not code:
        return empty
    try:
        return label(kind(code))
    except ValueError:
        return code.replace("_", " ")
