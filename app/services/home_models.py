"""Read models of the role homes (app/services/homes.py builds them; app/ui/views/homes/ shows them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sync.domain.logistics import DepotStage
from sync.domain.rma import RmaStatus


class HomeKind(StrEnum):
    """Whose home it is: one per kind of work, not one per role (a partner's engineer works its own van)."""

    ENGINEER = "engineer"
    PARTNER = "partner"
    INSTALLER = "installer"
    DEPOT = "depot"
    DESK = "desk"
    CUSTOMER = "customer"


class Entry(StrEnum):
    """A button a home may offer; each is offered only when the role may take the action behind it."""

    DESK_QUEUE = "desk_queue"
    LEDGER = "ledger"
    DEPOT_SESSION = "depot_session"
    STOCK = "stock"
    RACKS = "racks"


@dataclass(frozen=True, kw_only=True)
class VisitLine:
    visit_id: str
    asset_id: str
    serial: str
    site_name: str
    arrived_at: datetime  # aware UTC
    timezone: str  # the site's zone: the visit is shown on its clock
    on_site: bool


@dataclass(frozen=True, kw_only=True)
class RackLine:
    rack_id: str
    site_name: str
    name: str
    height_u: int
    placed: int  # chassis placed in it on this device


@dataclass(frozen=True, kw_only=True)
class WaitingChassis:
    """A chassis delivered to a site (or registered) and not yet in a rack."""

    asset_id: str
    serial: str
    sku_code: str
    site_name: str


@dataclass(frozen=True, kw_only=True)
class StageGroup:
    stage: DepotStage
    orders: tuple[OrderLine, ...]


@dataclass(frozen=True, kw_only=True)
class OrderLine:
    depot_order_id: str
    serial: str
    rma_number: str | None
    received_at: datetime  # aware UTC
    zone: str | None = None  # the depot's clock (app/services/depot_site.py); None: this device's


@dataclass(frozen=True, kw_only=True)
class CaseLine:
    """One RMA as the desk's queue or a customer's list shows it."""

    rma_id: str
    asset_id: str
    number: str | None
    serial: str
    status: RmaStatus
    symptom: str
    site_id: str | None
    site_name: str
    customer_id: str
    customer_name: str
    owner_id: str
    owner_name: str  # who raised it
    age_hours: float
    late: bool
    has_label: bool  # a return label may be printed now


@dataclass(frozen=True, kw_only=True)
class DeskFilter:
    """What the desk narrows its queue by; empty means everything."""

    text: str = ""
    customer_id: str | None = None
    site_id: str | None = None
    status: RmaStatus | None = None
    owner_id: str | None = None

    def keeps(self, case: CaseLine) -> bool:
        needle = self.text.strip().casefold()
        haystack = f"{case.number or ''} {case.serial} {case.symptom}".casefold()
        return (
            (not needle or needle in haystack)
            and self.customer_id in (None, case.customer_id)
            and self.site_id in (None, case.site_id)
            and self.status in (None, case.status)
            and self.owner_id in (None, case.owner_id)
        )


@dataclass(frozen=True, kw_only=True)
class StockLine:
    location: str
    part_code: str
    description: str
    quantity: int
    low: bool


@dataclass(frozen=True, kw_only=True)
class ReportLine:
    visit_id: str
    serial: str
    site_name: str
    left_at: datetime  # aware UTC
    timezone: str


@dataclass(frozen=True, kw_only=True)
class HomePage:
    kind: HomeKind
    entries: tuple[Entry, ...]
    visits: tuple[VisitLine, ...] = ()
    racks: tuple[RackLine, ...] = ()
    waiting: tuple[WaitingChassis, ...] = ()
    stages: tuple[StageGroup, ...] = ()
    cases: tuple[CaseLine, ...] = ()  # the desk's after its filter, or the customer's
    case_total: int = 0  # before the filter
    # The desk's filter choices, from the cases on this device: (id, label).
    customers: tuple[tuple[str, str], ...] = ()
    sites: tuple[tuple[str, str], ...] = ()
    owners: tuple[tuple[str, str], ...] = ()
    van_stock: tuple[StockLine, ...] = ()
    reports: tuple[ReportLine, ...] = ()
