"""A small, fixed world for handler tests: one customer chassis in a Berlin rack, spares in an engineer's van.

Records are frozen, so tests share these constants and change copies (``dataclasses.replace``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sync.domain.asset import Asset, InstalledPart, Part, PartLocation
from sync.domain.calendar import Coverage
from sync.domain.catalog import ChassisFamily, FruSlot, FruType, PartNumber, RailKit, Serviceability, Sku
from sync.domain.contract import Contract, ServiceModel, ServiceTier
from sync.domain.entity import Entity
from sync.domain.evidence import Photo, PhotoKind
from sync.domain.installation import Installation
from sync.domain.logistics import ReturnObligation
from sync.domain.org import Actor, Organization, OrgKind, Role
from sync.domain.rma import Rma, RmaStatus
from sync.domain.service import Severity, Visit
from sync.domain.site import Rack, Site, SiteKind
from sync.domain.stock import StockLevel, StockLocation, StockLocationKind
from sync.domain.ticket import Ticket
from tests.domain.fakes import FakeContext

# Thursday 2026-03-05, 11:00 in Berlin.
NOW = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
SHA_A = "a" * 64
SHA_B = "b" * 64

OEM = Organization(id="org-oem", org_id="org-oem", name="Chassis OEM", kind=OrgKind.OEM)
ACME = Organization(id="org-acme", org_id="org-acme", name="Acme Hosting", kind=OrgKind.CUSTOMER)
BERLIN = Site(
    id="site-ber",
    org_id="org-acme",
    name="Berlin colo",
    kind=SiteKind.COLOCATION,
    timezone="Europe/Berlin",
    region="eu",
)
TOKYO = Site(
    id="site-tyo", org_id="org-acme", name="Tokyo edge", kind=SiteKind.EDGE, timezone="Asia/Tokyo", region="ap"
)
RACK = Rack(id="rack-1", org_id="org-acme", site_id="site-ber", name="R1", height_u=42, mounting_depth_mm=1000)
RAIL_KIT = RailKit(
    id="rk-600", org_id="org-oem", code="RK-600", name="Rails 600-900", min_depth_mm=600, max_depth_mm=900
)
SKU = Sku(
    id="sku-2u",
    org_id="org-oem",
    code="R2",
    name="2U rackmount",
    family=ChassisFamily.RACKMOUNT,
    depth_mm=700,
    height_u=2,
    revision="B",
    fru_slots=(
        FruSlot(name="bp", fru_type=FruType.BACKPLANE),
        FruSlot(name="fan", fru_type=FruType.FAN_WALL),
        FruSlot(name="psu", fru_type=FruType.PSU),
    ),
    rail_kit_ids=("rk-600",),
)
FAN = PartNumber(
    id="pn-fan",
    org_id="org-oem",
    code="FW-2",
    description="fan wall",
    fru_type=FruType.FAN_WALL,
    serviceability=Serviceability.FIELD_REPLACEABLE,
)
BACKPLANE = PartNumber(
    id="pn-bp",
    org_id="org-oem",
    code="BP-2",
    description="backplane",
    fru_type=FruType.BACKPLANE,
    serviceability=Serviceability.DEPOT_ONLY,
)
PSU = PartNumber(
    id="pn-psu",
    org_id="org-oem",
    code="PSU-2",
    description="power supply",
    fru_type=FruType.PSU,
    serviceability=Serviceability.FIELD_REPLACEABLE,
)
ASSET = Asset(
    id="asset-1",
    org_id="org-acme",
    serial="NB0001",
    sku_id="sku-2u",
    revision="B",
    lot="L1",
    warranty_end=date(2027, 1, 31),
    site_id="site-ber",
    rack_id="rack-1",
    u_position=10,
    installed_parts=(
        InstalledPart(slot="bp", part_serial="BP-OLD"),
        InstalledPart(slot="fan", part_serial="FAN-OLD"),
    ),
)
# Registered but not installed anywhere yet.
LOOSE_ASSET = Asset(id="asset-2", org_id="org-acme", serial="NB0002", sku_id="sku-2u", revision="B")
VAN = StockLocation(
    id="van-1", org_id="org-oem", name="Van 1", kind=StockLocationKind.VAN, holder_user_id="u-field_engineer"
)
OTHER_VAN = StockLocation(id="van-2", org_id="org-oem", name="Van 2", kind=StockLocationKind.VAN)


def part(serial: str, part_number: PartNumber, location: PartLocation, location_id: str) -> Part:
    return Part(
        id=f"part-{serial.lower()}",
        org_id="org-oem",
        serial=serial,
        part_number_id=part_number.id,
        location=location,
        location_id=location_id,
    )


FAN_OLD = part("FAN-OLD", FAN, PartLocation.INSTALLED, "asset-1")
FAN_NEW = part("FAN-NEW", FAN, PartLocation.IN_STOCK, "van-1")
BP_NEW = part("BP-NEW", BACKPLANE, PartLocation.IN_STOCK, "van-1")
PSU_NEW = part("PSU-NEW", PSU, PartLocation.IN_STOCK, "van-1")


def level(location: StockLocation, part_number: PartNumber, quantity: int) -> StockLevel:
    return StockLevel(
        id=f"{location.id}:{part_number.id}",
        org_id=location.org_id,
        location_id=location.id,
        part_number_id=part_number.id,
        quantity=quantity,
        holder_user_id=location.holder_user_id,
    )


GOLD = ServiceTier(name="Gold", response_hours=4, restore_hours=8, coverage=Coverage.BUSINESS_HOURS)
CONTRACT = Contract(
    id="ctr-gold",
    org_id="org-acme",
    number="C-GOLD",
    tier=GOLD,
    models=(ServiceModel.STANDARD, ServiceModel.ADVANCE_EXCHANGE, ServiceModel.ON_SITE),
    starts_on=date(2026, 1, 1),
    ends_on=date(2026, 12, 31),
    asset_ids=("asset-1",),
    site_ids=("site-ber",),
)
TICKET = Ticket(
    id="ticket-1",
    org_id="org-acme",
    site_id="site-ber",
    asset_id="asset-1",
    symptom="fans at 100%",
    severity=Severity.MAJOR,
    opened_at=datetime(2026, 3, 5, 8, 0, tzinfo=UTC),
    tier_name="ServicePac NBD",
)
VISIT = Visit(
    id="visit-1",
    org_id="org-acme",
    site_id="site-ber",
    asset_id="asset-1",
    ticket_id=None,
    engineer_id="u-field_engineer",
    arrived_at=datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
)
INSTALLATION = Installation(
    id="inst-1",
    org_id="org-acme",
    asset_id="asset-1",
    site_id="site-ber",
    rack_id="rack-1",
    u_position=10,
    measured_depth_mm=800,
    rail_kit_id="rk-600",
    fit_problems=(),
    installed_by="u-installer",
    installed_at=datetime(2026, 1, 10, 9, 0, tzinfo=UTC),
)


def photo(photo_id: str, kind: PhotoKind, subject: Entity) -> Photo:
    return Photo(
        id=photo_id,
        org_id="org-acme",
        subject_collection=subject.collection,
        subject_id=subject.id,
        sha256=SHA_A,
        thumbnail_sha256=None,
        kind=kind,
        taken_by="u-installer",
        taken_at=datetime(2026, 1, 10, 9, 5, tzinfo=UTC),
    )


def rma(status: RmaStatus = RmaStatus.DRAFT, model: ServiceModel = ServiceModel.STANDARD, **changes: object) -> Rma:
    """An RMA on ASSET whose own fields pass the triage gate (photos are counted from Photo records)."""
    fields: dict[str, object] = {
        "id": "rma-1",
        "org_id": "org-acme",
        "asset_id": "asset-1",
        "site_id": "site-ber",
        "part_serial": None,
        "model": model,
        "status": status,
        "symptom": "fan wall alarm",
        "repro_steps": "power on, wait 5 min",
        "rack_depth_mm": 800,
        "rail_kit_id": "rk-600",
        "created_by": "u-field_engineer",
        "created_at": datetime(2026, 3, 4, 9, 0, tzinfo=UTC),
        **changes,
    }
    return Rma(**fields)  # type: ignore[arg-type]


def actor(role: Role, *, user_id: str | None = None) -> Actor:
    customer = role is Role.CUSTOMER
    return Actor(
        user_id=user_id or f"u-{role.value}",
        org_id="org-acme" if customer else "org-oem",
        role=role,
        device_id=f"dev-{role.value}",
        org_kind=OrgKind.CUSTOMER if customer else OrgKind.OEM,
    )


# An advance exchange's open return, due Thursday 19 March (ten Berlin working days after NOW).
OBLIGATION = ReturnObligation(
    id="obl-1",
    org_id="org-acme",
    serial="NB0001",
    source_collection="rmas",
    source_id="rma-1",
    site_id="site-ber",
    replacement_serial="NB9999",
    due_on=date(2026, 3, 19),
    penalty_cents=150_000,
)


def world(role: Role = Role.FIELD_ENGINEER, *, now: datetime = NOW, with_contract: bool = False) -> FakeContext:
    ctx = FakeContext(actor=actor(role), now=now)
    ctx.put(OEM, ACME, BERLIN, TOKYO, RACK, RAIL_KIT, SKU, FAN, BACKPLANE, PSU, ASSET, LOOSE_ASSET, VAN, OTHER_VAN)
    ctx.put(FAN_OLD, FAN_NEW, BP_NEW, PSU_NEW, level(VAN, FAN, 2), level(VAN, BACKPLANE, 1), level(VAN, PSU, 1))
    ctx.put(TICKET, VISIT, INSTALLATION)
    if with_contract:
        ctx.put(CONTRACT)
    return ctx


ALL_ROLES = tuple(Role)
