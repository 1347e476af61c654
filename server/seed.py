"""Realistic demo data: the OEM, its customers and service partners, sites across timezones, racks of several depths,
a catalog of every chassis family, contracts of several tiers, chassis with installed parts, spares and RMAs.

Deterministic: the same ``assets`` and ``seed`` give the same ids and values, so demos and benchmarks repeat.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from server.accounts import create_user, hash_password
from server.apply import RMA_COUNTER, record_write
from server.seed_incidents import seed_incidents
from server.store import Store
from sync.domain.asset import Asset, InstalledPart, Part, PartLocation
from sync.domain.calendar import Coverage
from sync.domain.catalog import ChassisFamily, FruSlot, FruType, PartNumber, RailKit, Serviceability, Sku
from sync.domain.contract import Contract, ServiceModel, ServiceTier
from sync.domain.coverage import DEFAULT_TIMEZONE, governing_contract, return_terms
from sync.domain.entity import Entity, site_scope
from sync.domain.evidence import Photo, PhotoKind
from sync.domain.fit import check_fit
from sync.domain.incident_terms import contract_flags
from sync.domain.installation import Installation
from sync.domain.logistics import (
    DepotGrade,
    DepotOrder,
    DepotStage,
    DepotStep,
    ReturnObligation,
    Shipment,
    ShipmentDirection,
    ShipmentStatus,
)
from sync.domain.org import Organization, OrgKind, Role, UserProfile
from sync.domain.rma import Rma, RmaLane, RmaStatus, StatusChange, format_rma_number
from sync.domain.site import Rack, Site, SiteKind
from sync.domain.stock import StockLevel, StockLocation, StockLocationKind, stock_level_id

DEMO_PASSWORD = "rackside-demo"
_NS = uuid.UUID("8a1f5c1e-3b7d-4e0a-9c55-2f0e6d1b7a10")


def sid(*parts: object) -> str:
    """A stable id from a name: the same seed always makes the same ids."""
    return str(uuid.uuid5(_NS, "/".join(str(p) for p in parts)))


OEM = sid("org", "oem")
CUSTOMER_A = sid("org", "customer-a")
CUSTOMER_B = sid("org", "customer-b")
PARTNER_EU = sid("org", "partner-eu")
PARTNER_APAC = sid("org", "partner-apac")


@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    role: Role
    org_id: str
    scope_keys: tuple[str, ...] = ()


def _organizations() -> list[Entity]:
    return [
        Organization(id=OEM, org_id=OEM, name="Northbeam Chassis", kind=OrgKind.OEM),
        Organization(id=CUSTOMER_A, org_id=CUSTOMER_A, name="Helix Cloud", kind=OrgKind.CUSTOMER),
        Organization(id=CUSTOMER_B, org_id=CUSTOMER_B, name="Quarry Edge Networks", kind=OrgKind.CUSTOMER),
        Organization(
            id=PARTNER_EU,
            org_id=PARTNER_EU,
            name="Rhein Field Services",
            kind=OrgKind.SERVICE_PARTNER,
            serviced_org_ids=(CUSTOMER_A,),
        ),
        Organization(
            id=PARTNER_APAC,
            org_id=PARTNER_APAC,
            name="Pacific Rack Care",
            kind=OrgKind.SERVICE_PARTNER,
            serviced_org_ids=(CUSTOMER_B,),
        ),
    ]


SITES = [
    # key, owner, name, kind, timezone, region, racks as (name, U, depth mm)
    (
        "fra1",
        CUSTOMER_A,
        "Helix FRA1 colo",
        SiteKind.COLOCATION,
        "Europe/Berlin",
        "eu-central",
        [("R01", 42, 1070), ("R02", 42, 1200), ("R03", 48, 900)],
    ),
    (
        "ash1",
        CUSTOMER_A,
        "Helix ASH1 colo",
        SiteKind.COLOCATION,
        "America/New_York",
        "us-east",
        [("A01", 42, 1200), ("A02", 45, 1000)],
    ),
    (
        "sfo-edge",
        CUSTOMER_A,
        "Helix SFO edge",
        SiteKind.EDGE,
        "America/Los_Angeles",
        "us-west",
        [("E1", 24, 600), ("WALL", 12, 450)],
    ),
    (
        "tyo1",
        CUSTOMER_B,
        "Quarry TYO1",
        SiteKind.ENTERPRISE,
        "Asia/Tokyo",
        "apac",
        [("T01", 42, 1070), ("T02", 42, 800)],
    ),
    ("syd-edge", CUSTOMER_B, "Quarry SYD edge", SiteKind.EDGE, "Australia/Sydney", "apac", [("S1", 18, 600)]),
]


def _catalog() -> tuple[list[RailKit], list[Sku], list[PartNumber]]:
    rails = [
        RailKit(
            id=sid("rail", "RK-S"),
            org_id=OEM,
            code="RK-S-450",
            name="Short rail 450-650",
            min_depth_mm=450,
            max_depth_mm=650,
        ),
        RailKit(
            id=sid("rail", "RK-M"),
            org_id=OEM,
            code="RK-M-600",
            name="Standard rail 600-900",
            min_depth_mm=600,
            max_depth_mm=900,
        ),
        RailKit(
            id=sid("rail", "RK-L"),
            org_id=OEM,
            code="RK-L-750",
            name="Long rail 750-1100",
            min_depth_mm=750,
            max_depth_mm=1100,
        ),
        RailKit(
            id=sid("rail", "RK-XL"),
            org_id=OEM,
            code="RK-XL-900",
            name="Extra-long rail 900-1250",
            min_depth_mm=900,
            max_depth_mm=1250,
        ),
    ]
    r = {k.code[:-4]: k.id for k in rails}

    def slots(*pairs: tuple[str, FruType]) -> tuple[FruSlot, ...]:
        return tuple(FruSlot(name=n, fru_type=t) for n, t in pairs)

    skus = [
        Sku(
            id=sid("sku", "G8"),
            org_id=OEM,
            code="NB-G8-4U",
            name="G8 GPU server 4U",
            family=ChassisFamily.GPU_SERVER,
            depth_mm=900,
            height_u=4,
            revision="C",
            fru_slots=slots(
                ("FAN-WALL", FruType.FAN_WALL),
                ("BP0", FruType.BACKPLANE),
                ("IO", FruType.IO_BOARD),
                ("PSU-BRKT", FruType.PSU_BRACKET),
                ("RISER1", FruType.RISER),
                ("RISER2", FruType.RISER),
            ),
            rail_kit_ids=(r["RK-L"], r["RK-XL"]),
        ),
        Sku(
            id=sid("sku", "R2"),
            org_id=OEM,
            code="NB-R2-2U",
            name="R2 rackmount 2U",
            family=ChassisFamily.RACKMOUNT,
            depth_mm=730,
            height_u=2,
            revision="B",
            fru_slots=slots(
                ("FAN-WALL", FruType.FAN_WALL),
                ("BP0", FruType.BACKPLANE),
                ("BP1", FruType.BACKPLANE),
                ("IO", FruType.IO_BOARD),
                ("PSU-BRKT", FruType.PSU_BRACKET),
            ),
            rail_kit_ids=(r["RK-M"], r["RK-L"]),
        ),
        Sku(
            id=sid("sku", "R1"),
            org_id=OEM,
            code="NB-R1-1U",
            name="R1 rackmount 1U",
            family=ChassisFamily.RACKMOUNT,
            depth_mm=650,
            height_u=1,
            revision="D",
            fru_slots=slots(("FAN-WALL", FruType.FAN_WALL), ("BP0", FruType.BACKPLANE), ("IO", FruType.IO_BOARD)),
            rail_kit_ids=(r["RK-M"], r["RK-L"]),
        ),
        Sku(
            id=sid("sku", "W1"),
            org_id=OEM,
            code="NB-W1-WALL",
            name="W1 wall-mount 6U",
            family=ChassisFamily.WALL_MOUNT,
            depth_mm=400,
            height_u=6,
            revision="A",
            fru_slots=slots(("FAN-WALL", FruType.FAN_WALL), ("IO", FruType.IO_BOARD)),
            rail_kit_ids=(r["RK-S"],),
        ),
        Sku(
            id=sid("sku", "N4"),
            org_id=OEM,
            code="NB-N4-NAS",
            name="N4 NAS 2U 12-bay",
            family=ChassisFamily.NAS,
            depth_mm=660,
            height_u=2,
            revision="B",
            fru_slots=slots(
                ("BP0", FruType.BACKPLANE),
                ("DRIVE-CAGE", FruType.DRIVE_CAGE),
                ("IO", FruType.IO_BOARD),
                ("FAN-WALL", FruType.FAN_WALL),
            ),
            rail_kit_ids=(r["RK-M"],),
        ),
        Sku(
            id=sid("sku", "X1"),
            org_id=OEM,
            code="NB-X1-ITX",
            name="X1 ITX short-depth 1U",
            family=ChassisFamily.ITX,
            depth_mm=300,
            height_u=1,
            revision="A",
            fru_slots=slots(("FAN-WALL", FruType.FAN_WALL), ("IO", FruType.IO_BOARD)),
            rail_kit_ids=(r["RK-S"],),
        ),
    ]
    # Every demo serial is NB + the SKU's model letters + seven digits (see _assets).
    skus = [replace(s, serial_pattern=rf"NB{s.code[3:5]}\d{{7}}") for s in skus]
    part_numbers = [
        PartNumber(id=sid("pn", code), org_id=OEM, code=code, description=desc, fru_type=fru, serviceability=svc)
        for code, desc, fru, svc in [
            ("FW-G8-01", "G8 hot-swap fan wall", FruType.FAN_WALL, Serviceability.FIELD_REPLACEABLE),
            ("FW-R-02", "Rackmount fan wall", FruType.FAN_WALL, Serviceability.FIELD_REPLACEABLE),
            ("BP-12-NVME", "12-bay NVMe backplane", FruType.BACKPLANE, Serviceability.FIELD_REPLACEABLE),
            ("BP-G8-PCIE", "G8 PCIe switch backplane", FruType.BACKPLANE, Serviceability.DEPOT_ONLY),
            ("IO-2X25", "I/O board 2x25GbE", FruType.IO_BOARD, Serviceability.FIELD_REPLACEABLE),
            ("PSB-CRPS", "CRPS PSU bracket", FruType.PSU_BRACKET, Serviceability.FIELD_REPLACEABLE),
            ("RS-X16", "x16 riser", FruType.RISER, Serviceability.FIELD_REPLACEABLE),
            ("DC-12", "12-bay drive cage", FruType.DRIVE_CAGE, Serviceability.DEPOT_ONLY),
        ]
    ]
    return rails, skus, part_numbers


PART_FOR_SLOT = {
    FruType.FAN_WALL: "FW-R-02",
    FruType.BACKPLANE: "BP-12-NVME",
    FruType.IO_BOARD: "IO-2X25",
    FruType.PSU_BRACKET: "PSB-CRPS",
    FruType.RISER: "RS-X16",
    FruType.DRIVE_CAGE: "DC-12",
}

TIERS = {
    "platinum": ServiceTier(name="Platinum 24x7x4", response_hours=2, restore_hours=4, coverage=Coverage.ALWAYS),
    "gold": ServiceTier(name="Gold NBD", response_hours=4, restore_hours=20, coverage=Coverage.BUSINESS_HOURS),
    "repair": ServiceTier(name="Edge call-to-repair", response_hours=2, restore_hours=6, coverage=Coverage.ALWAYS),
    "silver": ServiceTier(
        name="Silver depot",
        response_hours=8,
        restore_hours=80,
        coverage=Coverage.BUSINESS_HOURS,
        day_start=time(9),
        day_end=time(17),
    ),
}


# The market tier template (sync/domain/sla_catalogue.py) each demo contract is sold as; its ServiceTier above keeps
# the calendar its return windows are counted on.
TIER_TEMPLATES = {
    "platinum": "ProSupport Plus Mission Critical",
    "gold": "ProSupport NBD",
    "silver": "ServicePac NBD",
    "repair": "Foundation call-to-repair",
}
# Road distance from each site to the depot or partner servicing it: SYD edge is beyond the 160 km zone.
DEPOT_DISTANCE_KM = {"fra1": 18, "ash1": 120, "sfo-edge": 45, "tyo1": 32, "syd-edge": 240}


def demo_users(site_ids: dict[str, str]) -> list[DemoUser]:
    return [
        DemoUser("admin", "Ada Admin", Role.ADMIN, OEM),
        DemoUser("desk", "Sam Desk", Role.SERVICE_DESK, OEM),
        DemoUser("depot", "Dee Depot", Role.DEPOT, OEM),
        DemoUser(
            "engineer",
            "Eli Engineer",
            Role.FIELD_ENGINEER,
            OEM,
            (site_scope(site_ids["fra1"]), site_scope(site_ids["ash1"]), site_scope(site_ids["sfo-edge"])),
        ),
        DemoUser("installer", "Ines Installer", Role.INSTALLER, OEM, (site_scope(site_ids["tyo1"]),)),
        DemoUser("partner", "Piet Partner", Role.FIELD_ENGINEER, PARTNER_EU, (site_scope(site_ids["fra1"]),)),
        DemoUser("customer", "Cora Customer", Role.CUSTOMER, CUSTOMER_A),
    ]


def seed(store: Store, *, assets: int = 200, rng_seed: int = 7, now: datetime | None = None) -> dict[str, int]:
    """Write the demo world into an empty database. Returns counts per collection."""
    rng = random.Random(rng_seed)
    now = now or datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    today = now.date()
    entities: list[Entity] = [*_organizations()]
    sites: list[Site] = []
    racks: list[Rack] = []
    for key, owner, name, kind, tz, region, rack_specs in SITES:
        site = Site(
            id=sid("site", key),
            org_id=owner,
            name=name,
            kind=kind,
            timezone=tz,
            region=region,
            distance_km=DEPOT_DISTANCE_KM[key],
        )
        sites.append(site)
        racks.extend(
            Rack(id=sid("rack", key, n), org_id=owner, site_id=site.id, name=n, height_u=u, mounting_depth_mm=d)
            for n, u, d in rack_specs
        )
    depot = Site(
        id=sid("site", "depot"),
        org_id=OEM,
        name="Northbeam depot Eindhoven",
        kind=SiteKind.DEPOT,
        timezone="Europe/Amsterdam",
        region="eu-central",
    )
    entities += [*sites, depot, *racks]
    rails, skus, part_numbers = _catalog()
    entities += [*rails, *skus, *part_numbers]
    pn_by_code = {p.code: p for p in part_numbers}
    site_ids = {key: sid("site", key) for key, *_ in SITES}
    users = demo_users(site_ids)
    user_ids = {u.username: sid("user", u.username) for u in users}
    entities += [UserProfile(id=user_ids[u.username], org_id=u.org_id, name=u.name, role=u.role) for u in users]

    locations = [
        StockLocation(
            id=sid("loc", "buffer-eu"),
            org_id=OEM,
            name="EU regional buffer (FRA)",
            kind=StockLocationKind.REGIONAL_BUFFER,
            region="eu-central",
        ),
        StockLocation(
            id=sid("loc", "buffer-apac"),
            org_id=OEM,
            name="APAC regional buffer (TYO)",
            kind=StockLocationKind.REGIONAL_BUFFER,
            region="apac",
        ),
        StockLocation(id=sid("loc", "depot"), org_id=OEM, name="Depot Eindhoven", kind=StockLocationKind.DEPOT),
        StockLocation(
            id=sid("loc", "refurb"), org_id=OEM, name="Refurbished pool", kind=StockLocationKind.REFURBISHED_POOL
        ),
        StockLocation(
            id=sid("loc", "van-engineer"),
            org_id=OEM,
            name="Eli's van",
            kind=StockLocationKind.VAN,
            holder_user_id=user_ids["engineer"],
        ),
        StockLocation(
            id=sid("loc", "van-installer"),
            org_id=OEM,
            name="Ines's van",
            kind=StockLocationKind.VAN,
            holder_user_id=user_ids["installer"],
        ),
    ]
    entities += locations
    spares: list[Part] = []
    levels: list[StockLevel] = []
    for loc in locations:
        per_part = 3 if loc.kind is StockLocationKind.VAN else 6
        for pn in part_numbers:
            if loc.kind is StockLocationKind.VAN and not pn.field_replaceable:
                continue
            for i in range(per_part):
                serial = f"{pn.code.split('-')[0]}{loc.name[:2].upper()}{rng.randrange(10**7):07d}{i}"
                spares.append(
                    Part(
                        id=sid("part", serial),
                        org_id=OEM,
                        serial=serial,
                        part_number_id=pn.id,
                        revision="A",
                        lot=f"L{rng.randrange(100, 999)}",
                        location=PartLocation.IN_STOCK,
                        location_id=loc.id,
                    )
                )
            levels.append(
                StockLevel(
                    id=stock_level_id(loc.id, pn.id),
                    org_id=OEM,
                    location_id=loc.id,
                    part_number_id=pn.id,
                    quantity=per_part,
                    low_threshold=1 if per_part == 3 else 4,
                    holder_user_id=loc.holder_user_id,
                )
            )
    entities += [*spares, *levels]

    racks_by_site: dict[str, list[Rack]] = {}
    for rack in racks:
        racks_by_site.setdefault(rack.site_id, []).append(rack)
    asset_list: list[Asset] = []
    installed: list[Part] = []
    installations: list[Installation] = []
    spans: dict[str, list[tuple[int, int]]] = {}  # rack id -> (bottom U, top U) of each chassis placed in it
    for n in range(assets):
        sku = skus[n % len(skus)]
        site = sites[n % len(sites)]
        rack = racks_by_site[site.id][n % len(racks_by_site[site.id])]
        serial = f"NB{sku.code[3:5]}{2600000 + n:07d}"
        ship = today - timedelta(days=rng.randrange(30, 1500))
        asset_id = sid("asset", serial)
        parts: list[InstalledPart] = []
        for slot in sku.fru_slots:
            pn = pn_by_code[
                "FW-G8-01"
                if sku.family is ChassisFamily.GPU_SERVER and slot.fru_type is FruType.FAN_WALL
                else (
                    "BP-G8-PCIE"
                    if sku.family is ChassisFamily.GPU_SERVER and slot.name == "BP0"
                    else PART_FOR_SLOT[slot.fru_type]
                )
            ]
            part_serial = f"{pn.code.split('-')[0]}{2600000 + n:07d}{slot.name[:2]}{len(parts)}"
            parts.append(InstalledPart(slot=slot.name, part_serial=part_serial))
            installed.append(
                Part(
                    id=sid("part", part_serial),
                    org_id=site.org_id,
                    serial=part_serial,
                    part_number_id=pn.id,
                    revision=sku.revision,
                    lot=f"L{rng.randrange(100, 999)}",
                    location=PartLocation.INSTALLED,
                    location_id=asset_id,
                    site_id=site.id,
                )
            )
        bottom = 1 + (n * sku.height_u) % max(1, rack.height_u - sku.height_u)
        # Racks hold what fits: a chassis whose Us another already takes waits at its site, delivered and not yet
        # installed (the installer's list), instead of sharing Us the occupancy check would refuse.
        taken = spans.setdefault(rack.id, [])
        clash = any(b <= bottom + sku.height_u - 1 and bottom <= t for b, t in taken)
        if not clash:
            taken.append((bottom, bottom + sku.height_u - 1))
        u = None if clash else bottom
        asset = Asset(
            id=asset_id,
            org_id=site.org_id,
            serial=serial,
            sku_id=sku.id,
            revision=sku.revision,
            lot=f"LOT{ship.year}{rng.randrange(1, 52):02d}",
            ship_date=ship,
            warranty_end=ship + timedelta(days=365 * 3),
            site_id=site.id,
            rack_id=rack.id if u is not None else None,
            u_position=u,
            installed_parts=tuple(parts),
        )
        asset_list.append(asset)
        if n < 2000 and u is not None:
            rail = next(k for k in rails if k.id in sku.rail_kit_ids)
            fit = check_fit(
                sku=sku, rail_kit=rail, rack_depth_mm=rack.mounting_depth_mm, rack_height_u=rack.height_u, u_position=u
            )
            installations.append(
                Installation(
                    id=sid("inst", serial),
                    org_id=site.org_id,
                    asset_id=asset_id,
                    site_id=site.id,
                    rack_id=rack.id,
                    u_position=u,
                    measured_depth_mm=rack.mounting_depth_mm,
                    rail_kit_id=rail.id,
                    fit_problems=tuple(p.value for p in fit.problems),
                    installed_by=user_ids["installer"],
                    installed_at=datetime.combine(ship + timedelta(days=14), time(10), UTC),
                )
            )
    entities += [*asset_list, *installed, *installations]

    contracts: list[Contract] = []
    for org, tier, models, key in [
        (CUSTOMER_A, "platinum", (ServiceModel.ON_SITE, ServiceModel.ADVANCE_EXCHANGE), "A-PLAT"),
        (CUSTOMER_A, "gold", (ServiceModel.ON_SITE, ServiceModel.STANDARD, ServiceModel.RETURN_FOR_CREDIT), "A-GOLD"),
        (CUSTOMER_B, "silver", (ServiceModel.DEPOT_REPAIR, ServiceModel.STANDARD), "B-SILV"),
        (CUSTOMER_A, "repair", (ServiceModel.ON_SITE,), "A-CTR"),
    ]:
        covered = [a for i, a in enumerate(asset_list) if a.org_id == org and (i % 3 != 0 or tier != "gold")]
        half = len(covered) // 2
        covered = covered[:half] if key == "A-PLAT" else (covered[half:] if key == "A-GOLD" else covered)
        if key == "A-CTR":
            # Call-to-repair for the edge chassis no other contract covers (so no other contract's terms change).
            covered_elsewhere = {a for c in contracts for a in c.asset_ids}
            covered = [
                a
                for a in asset_list
                if a.org_id == org and a.id not in covered_elsewhere and a.site_id == site_ids["sfo-edge"]
            ]
        contract = Contract(
            id=sid("contract", key),
            org_id=org,
            number=f"SC-{key}-2026",
            tier=TIERS[tier],
            models=models,
            starts_on=date(2025, 1, 1),
            ends_on=date(2027, 12, 31),
            asset_ids=tuple(a.id for a in covered),
            site_ids=tuple(sorted({a.site_id for a in covered if a.site_id})),
            holidays=(date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)),
            unreturned_penalty_cents=150_000 if tier == "platinum" else 50_000,
            tier_template=TIER_TEMPLATES[tier],
        )
        # Flagged when made: a covered site beyond the tier's last distance zone has no committed time.
        contracts.append(replace(contract, flags=contract_flags(contract, sites)))
    entities += contracts
    entities += seed_incidents(entities, user_ids=user_ids, site_ids=site_ids, now=now, make_id=sid)

    after_sales, last_number = _rmas(asset_list, contracts, {s.id: s for s in sites}, user_ids, now)
    entities += after_sales
    with store.transaction() as txn:
        txn.write([record_write(e) for e in entities])
        # Numbers the server issues next must not collide with the seeded ones.
        txn.next_value(RMA_COUNTER, step=last_number)
    # Hashed once for all of them: the demo's accounts share a published password, so seven salts protect nothing
    # more than one, and argon2 was nine tenths of seeding (which every test's server does).
    demo_hash = hash_password(DEMO_PASSWORD)
    for user in users:
        create_user(
            store.engine,
            user_id=user_ids[user.username],
            org_id=user.org_id,
            username=user.username,
            display_name=user.name,
            role=user.role,
            password_hash=demo_hash,
            scope_keys=user.scope_keys,
        )
    counts: dict[str, int] = {}
    for e in entities:
        counts[e.collection] = counts.get(e.collection, 0) + 1
    return counts


# RMAs beyond one per state, numbered after them: boxes on their way to the depot, and an advance exchange at triage.
INBOUND_BOXES = 3


def _evidence(rma: Rma, key: object, user_ids: dict[str, str]) -> list[Entity]:
    out: list[Entity] = []
    for kind in (PhotoKind.INSTALL, PhotoKind.LABEL):
        out.append(
            Photo(
                id=sid("photo", key, kind),
                org_id=rma.org_id,
                subject_collection="rmas",
                subject_id=rma.id,
                site_id=rma.site_id,
                sha256=uuid.uuid5(_NS, f"{key}{kind}").hex * 2,
                thumbnail_sha256=None,
                kind=kind,
                taken_by=user_ids["engineer"],
                taken_at=rma.created_at,
            )
        )
    return out


_SEEDED_CAUSES = {
    DepotGrade.REPAIRED_TESTED: ("fan 3 bearing wear", "fan wall replaced, burn-in passed"),
    DepotGrade.NO_FAULT_FOUND: ("rail kit too short for the rack: chassis sagged out of its U", "sent the long kit"),
}


def _depot_order(rma: Rma, asset: Asset, target: RmaStatus, user_ids: dict[str, str]) -> DepotOrder:
    received = next(c.at for c in rma.history if c.status is RmaStatus.RECEIVED)
    by = user_ids["depot"]
    steps: tuple[DepotStep, ...] = ()
    if target is not RmaStatus.RECEIVED:
        steps = (DepotStep(stage=DepotStage.TRIAGE, at=received + timedelta(hours=2), by=by),)
    grade = None
    if target in (RmaStatus.REPAIRED, RmaStatus.REPLACED, RmaStatus.CREDITED, RmaStatus.RETURNED_NFF, RmaStatus.CLOSED):
        repaired = target is not RmaStatus.RETURNED_NFF
        if repaired:
            steps += (
                DepotStep(stage=DepotStage.REPAIR, at=received + timedelta(hours=3), by=by, error_codes=("E-FAN3",)),
            )
        steps += (DepotStep(stage=DepotStage.BURN_IN, at=received + timedelta(hours=6), by=by, note="24 h burn-in"),)
        grade = DepotGrade.REPAIRED_TESTED if repaired else DepotGrade.NO_FAULT_FOUND
    return DepotOrder(
        id=sid("depot-order", rma.id),
        org_id=OEM,
        rma_id=rma.id,
        serial=asset.serial,
        sku_id=asset.sku_id,
        revision=asset.revision,
        lot=asset.lot,
        stage=steps[-1].stage if steps else DepotStage.RECEIVED,
        error_codes=("E-FAN3",) if grade is DepotGrade.REPAIRED_TESTED else (),
        # The failure-analysis report shows why good units come back too: in the demo, the top NFF cause.
        root_cause=_SEEDED_CAUSES.get(grade, ("", ""))[0] if grade else "",
        corrective_action=_SEEDED_CAUSES.get(grade, ("", ""))[1] if grade else "",
        grade=grade,
        received_at=received,
        received_by=by,
        history=steps,
        graded_at=steps[-1].at if grade else None,
        graded_by=by if grade else "",
    )


def _rmas(
    assets: list[Asset],
    contracts: list[Contract],
    sites: dict[str, Site],
    user_ids: dict[str, str],
    now: datetime,
) -> tuple[list[Entity], int]:
    """One RMA in every state of the machine but shipped_back (with the evidence, shipments, obligations and depot
    orders each state implies), plus inbound boxes for the depot's scan session. Returns them and the last RMA
    number used."""
    out: list[Entity] = []
    path = [
        RmaStatus.DRAFT,
        RmaStatus.SUBMITTED,
        RmaStatus.TRIAGE,
        RmaStatus.APPROVED,
        RmaStatus.AWAITING_RETURN,
        RmaStatus.RECEIVED,
        RmaStatus.INSPECTION,
        RmaStatus.REPAIRED,
        RmaStatus.CLOSED,
    ]
    exchange = next(c for c in contracts if ServiceModel.ADVANCE_EXCHANGE in c.models)
    exchange_assets = [a for a in assets if a.id in exchange.asset_ids and a.site_id]
    candidates = [a for a in assets if a.site_id and a.id not in exchange.asset_ids] or exchange_assets
    number = 0
    plan: list[tuple[object, RmaStatus, ServiceModel, Asset]] = []
    for index, target in enumerate(RmaStatus):
        if target is RmaStatus.SHIPPED_BACK:
            # Not seeded: it would take an RMA number, and the README and tests name the numbers the demo issues.
            # The depot's ship step puts an RMA there (sync/domain/depot.py ``rma_after_shipping``).
            continue
        advance = target is RmaStatus.REPLACEMENT_SHIPPED
        pool = exchange_assets if advance else candidates
        model = ServiceModel.ADVANCE_EXCHANGE if advance else ServiceModel.STANDARD
        plan.append((index, target, model, pool[index * 7 % len(pool)]))
    for box in range(INBOUND_BOXES):
        plan.append(
            (
                f"box-{box}",
                RmaStatus.AWAITING_RETURN,
                ServiceModel.STANDARD,
                candidates[(box * 5 + 3) % len(candidates)],
            )
        )
    plan.append(
        ("exchange", RmaStatus.TRIAGE, ServiceModel.ADVANCE_EXCHANGE, exchange_assets[1 % len(exchange_assets)])
    )
    for position, (key, target, model, asset) in enumerate(plan):
        created = now - timedelta(days=30 - position)
        if target in path:
            steps = path[1 : path.index(target) + 1]
        elif target is RmaStatus.NEEDS_INFO:
            steps = [RmaStatus.SUBMITTED, RmaStatus.TRIAGE, RmaStatus.NEEDS_INFO]
        elif target is RmaStatus.REJECTED:
            steps = [RmaStatus.SUBMITTED, RmaStatus.TRIAGE, RmaStatus.REJECTED]
        elif target is RmaStatus.REPLACEMENT_SHIPPED:
            steps = [RmaStatus.SUBMITTED, RmaStatus.TRIAGE, RmaStatus.APPROVED, RmaStatus.REPLACEMENT_SHIPPED]
        else:
            steps = [*path[1:7], target]
        history = tuple(
            StatusChange(status=s, at=created + timedelta(hours=4 * (i + 1)), by=user_ids["desk"])
            for i, s in enumerate(steps)
        )
        approved = RmaStatus.APPROVED in steps
        if approved:
            number += 1
        lane = {RmaStatus.CREDITED: RmaLane.CREDIT, RmaStatus.REPLACED: RmaLane.REPLACE}.get(target, RmaLane.REPAIR)
        returning = RmaStatus.AWAITING_RETURN in steps or RmaStatus.REPLACEMENT_SHIPPED in steps
        shipped_at = history[3].at if approved and len(history) > 3 else created
        # Due dates as the server sets them: the unit's governing contract, counted in its site's timezone.
        site = sites.get(asset.site_id or "")
        terms = return_terms(
            shipped_at=shipped_at,
            contract=governing_contract(contracts, asset.id, shipped_at.date()),
            timezone=site.timezone if site else DEFAULT_TIMEZONE,
        )
        approved_at = next((c.at for c in history if c.status is RmaStatus.APPROVED), None)
        replacement = f"NBRP{2690000 + position:07d}" if target is RmaStatus.REPLACEMENT_SHIPPED else None
        rma = Rma(
            id=sid("rma", key),
            org_id=asset.org_id,
            asset_id=asset.id,
            site_id=asset.site_id,
            part_serial=None,
            model=model,
            lane=lane if approved else None,
            status=target,
            number=format_rma_number(number, year=approved_at.year) if approved_at else None,
            symptom="Fan wall reports tach failure on fan 3",
            repro_steps="Boot, wait 10 min, check BMC SEL",
            question="Which BMC firmware is installed?" if target is RmaStatus.NEEDS_INFO else "",
            rack_depth_mm=1070,
            rail_kit_id=sid("rail", "RK-L"),
            created_by=user_ids["engineer"],
            created_at=created,
            history=history,
            return_due=terms.due_on if returning else None,
            return_contract_id=terms.contract_id if returning else None,
            return_timezone=terms.timezone if returning else None,
            replacement_serial=replacement,
        )
        out.append(rma)
        out += _evidence(rma, key, user_ids)
        if replacement is not None:
            out.append(
                Shipment(
                    id=sid("shipment", key),
                    org_id=asset.org_id,
                    rma_id=rma.id,
                    direction=ShipmentDirection.OUTBOUND,
                    serials=(replacement,),
                    carrier="DHL",
                    tracking=f"JD0146{position:08d}",
                    status=ShipmentStatus.IN_TRANSIT,
                    shipped_at=shipped_at,
                )
            )
            out.append(
                ReturnObligation(
                    id=sid("obligation", key),
                    org_id=asset.org_id,
                    serial=asset.serial,
                    source_collection=Rma.collection,
                    source_id=rma.id,
                    site_id=asset.site_id,
                    replacement_serial=replacement,
                    due_on=terms.due_on,
                    penalty_cents=terms.penalty_cents,
                    contract_id=terms.contract_id,
                    timezone=terms.timezone,
                )
            )
        if RmaStatus.RECEIVED in steps:
            out.append(_depot_order(rma, asset, target, user_ids))
    return out, number
