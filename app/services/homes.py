"""What each role's home shows: today's work, racks to build, orders by stage, the desk's queue, a customer's cases.

Which buttons a home offers is asked of the domain's permission table (``sync.domain.permissions.may``) through
``ENTRY_NEEDS``: an entry is offered exactly when the signed-in role may take the action behind it. Which home a user
gets follows their role, and for a field engineer their organisation (a service partner's engineer works from a van).
Everything is read from this device's store: homes work offline.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from app.adapters.local_store import LocalStore, as_utc
from app.services.depot import DepotService
from app.services.home_models import (
    CaseLine,
    DeskFilter,
    Entry,
    HomeKind,
    HomePage,
    OrderLine,
    RackLine,
    ReportLine,
    StageGroup,
    StockLine,
    VisitLine,
    WaitingChassis,
)
from sync.domain.asset import Asset
from sync.domain.catalog import Sku
from sync.domain.coverage import site_day, site_timezone
from sync.domain.logistics import DepotStage
from sync.domain.org import Organization, OrgKind, Role, UserProfile
from sync.domain.permissions import Action, RmaAction, may, rma_actions
from sync.domain.rma import STATUS_TARGET_HOURS, Rma, RmaStatus
from sync.domain.service import Visit
from sync.domain.site import Rack, Site
from sync.domain.stock import StockLocation, StockLocationKind

# The action a role must be allowed for each home button: the button follows the permission table, never a copy.
ENTRY_NEEDS: Mapping[Entry, Action] = {
    Entry.DESK_QUEUE: Action.OPEN_DESK_QUEUE,
    Entry.LEDGER: Action.OPEN_DESK_QUEUE,
    Entry.DEPOT_SESSION: Action.OPEN_DEPOT_SESSION,
    Entry.STOCK: Action.ADJUST_STOCK,
    Entry.RACKS: Action.RECORD_INSTALLATION,
}

_HOME_OF_ROLE: Mapping[Role, HomeKind] = {
    Role.FIELD_ENGINEER: HomeKind.ENGINEER,
    Role.INSTALLER: HomeKind.INSTALLER,
    Role.DEPOT: HomeKind.DEPOT,
    Role.SERVICE_DESK: HomeKind.DESK,
    Role.ADMIN: HomeKind.DESK,
    Role.CUSTOMER: HomeKind.CUSTOMER,
}

# What happens next to a case, as its customer reads it. Every status has a line (tests/client/test_homes.py).
WHAT_NEXT: Mapping[RmaStatus, str] = {
    RmaStatus.DRAFT: "Not sent yet: finish and submit it.",
    RmaStatus.SUBMITTED: "The service desk will look at it.",
    RmaStatus.TRIAGE: "The service desk is checking the evidence.",
    RmaStatus.NEEDS_INFO: "The service desk asked a question: open it and answer.",
    RmaStatus.APPROVED: "Approved: print the return label and send the unit back.",
    RmaStatus.REJECTED: "Rejected: open it to read why.",
    RmaStatus.REPLACEMENT_SHIPPED: "A replacement is on its way; send the faulty unit back with the label.",
    RmaStatus.AWAITING_RETURN: "Waiting for your unit: send it back with the return label.",
    RmaStatus.RECEIVED: "The depot has your unit and will inspect it.",
    RmaStatus.INSPECTION: "The depot is inspecting your unit.",
    RmaStatus.REPAIRED: "Repaired: it will be shipped back to you.",
    RmaStatus.REPLACED: "Replaced: the replacement is yours to keep.",
    RmaStatus.CREDITED: "Credited: see the credit on your account.",
    RmaStatus.RETURNED_NFF: "No fault found: the unit is coming back to you.",
    RmaStatus.SHIPPED_BACK: "Shipped back to you: follow the parcel with the carrier's tracking number.",
    RmaStatus.CLOSED: "Closed: nothing more to do.",
}


def entries_for(role: Role | None) -> tuple[Entry, ...]:
    """The home buttons ``role`` may use, in ``Entry`` order."""
    return tuple(entry for entry in Entry if may(role, ENTRY_NEEDS[entry]))


@dataclass
class HomeService:
    store: LocalStore
    depot: DepotService

    def kind(self) -> HomeKind | None:
        identity = self.store.identity()
        if identity is None:
            return None
        kind = _HOME_OF_ROLE[identity.role]
        if kind is HomeKind.ENGINEER:
            org = self.store.get(Organization, identity.org_id)
            if org is not None and org.kind is OrgKind.SERVICE_PARTNER:
                return HomeKind.PARTNER
        return kind

    def page(self, desk_filter: DeskFilter | None = None) -> HomePage | None:
        kind = self.kind()
        if kind is None:
            return None
        page = HomePage(kind=kind, entries=entries_for(self.store.role()))
        if kind in (HomeKind.ENGINEER, HomeKind.PARTNER):
            page = replace(page, visits=self.todays_visits())
        if kind is HomeKind.PARTNER:
            page = replace(page, van_stock=self.van_stock())
        if kind is HomeKind.INSTALLER:
            page = replace(page, racks=self.racks(), waiting=self.waiting_chassis(), visits=self.todays_visits())
        if kind is HomeKind.DEPOT:
            page = replace(page, stages=self.orders_by_stage())
        if kind is HomeKind.DESK:
            cases = self.cases()
            page = replace(
                page,
                cases=tuple(c for c in cases if (desk_filter or DeskFilter()).keeps(c)),
                case_total=len(cases),
                customers=_choices((c.customer_id, c.customer_name) for c in cases),
                sites=_choices((c.site_id, c.site_name) for c in cases if c.site_id),
                owners=_choices((c.owner_id, c.owner_name) for c in cases),
            )
        if kind is HomeKind.CUSTOMER:
            page = replace(page, cases=self.cases(), reports=self.reports())
        return page

    # the field -------------------------------------------------------------------------------------------------
    def _now(self) -> datetime:
        return as_utc(self.store.clock())

    def todays_visits(self) -> tuple[VisitLine, ...]:
        """This user's visits that started today on their site's calendar, and any still open; newest first."""
        identity = self.store.identity()
        now = self._now()
        out = []
        for visit in self.store.all(Visit):
            if identity is None or visit.engineer_id != identity.user_id:
                continue
            arrived = as_utc(visit.arrived_at)
            today = site_day(self.store, visit.site_id, arrived) == site_day(self.store, visit.site_id, now)
            if not today and visit.left_at is not None:
                continue
            asset = self.store.get(Asset, visit.asset_id)
            site = self.store.get(Site, visit.site_id)
            out.append(
                VisitLine(
                    visit_id=visit.id,
                    asset_id=visit.asset_id,
                    serial=asset.serial if asset else "?",
                    site_name=site.name if site else "",
                    arrived_at=arrived,
                    timezone=site_timezone(self.store, visit.site_id),
                    on_site=visit.left_at is None,
                )
            )
        return tuple(sorted(out, key=lambda v: v.arrived_at, reverse=True))

    def racks(self) -> tuple[RackLine, ...]:
        sites = {s.id: s.name for s in self.store.all(Site)}
        placed: dict[str, int] = {}
        for asset in self.store.all(Asset):
            if asset.rack_id:
                placed[asset.rack_id] = placed.get(asset.rack_id, 0) + 1
        lines = [
            RackLine(
                rack_id=r.id,
                site_name=sites.get(r.site_id, ""),
                name=r.name,
                height_u=r.height_u,
                placed=placed.get(r.id, 0),
            )
            for r in self.store.all(Rack)
        ]
        return tuple(sorted(lines, key=lambda r: (r.site_name, r.name)))

    def waiting_chassis(self) -> tuple[WaitingChassis, ...]:
        """Chassis on this device that are in no rack yet: delivered and waiting to be installed."""
        sites = {s.id: s.name for s in self.store.all(Site)}
        skus = {s.id: s.code for s in self.store.all(Sku)}
        lines = [
            WaitingChassis(
                asset_id=a.id,
                serial=a.serial,
                sku_code=skus.get(a.sku_id, ""),
                site_name=sites.get(a.site_id or "", ""),
            )
            for a in self.store.all(Asset)
            if a.rack_id is None
        ]
        return tuple(sorted(lines, key=lambda w: (w.site_name, w.serial)))

    def van_stock(self) -> tuple[StockLine, ...]:
        """Stock in the vans this user holds."""
        identity = self.store.identity()
        vans = {
            loc.id
            for loc in self.store.all(StockLocation)
            if loc.kind is StockLocationKind.VAN and identity is not None and loc.holder_user_id == identity.user_id
        }
        return tuple(
            StockLine(
                location=r.location, part_code=r.part_code, description=r.description, quantity=r.quantity, low=r.low
            )
            for r in self.depot.stock()
            if r.location_id in vans
        )

    # the depot -------------------------------------------------------------------------------------------------
    def orders_by_stage(self) -> tuple[StageGroup, ...]:
        """Open depot orders grouped by the stage they are in, in the order the stages come; oldest first."""
        by_stage: dict[DepotStage, list[OrderLine]] = {}
        for row in self.depot.orders():
            line = OrderLine(
                depot_order_id=row.depot_order_id,
                serial=row.serial,
                rma_number=row.rma_number,
                received_at=row.received_at,
                zone=row.zone,
            )
            by_stage.setdefault(row.stage, []).append(line)
        return tuple(StageGroup(stage=s, orders=tuple(by_stage[s])) for s in DepotStage if by_stage.get(s))

    # cases (the desk's queue, a customer's list) ----------------------------------------------------------------
    def cases(self) -> tuple[CaseLine, ...]:
        """Every RMA on this device, most urgent first: late ones, then the longest in their status."""
        role = self.store.role()
        now = self._now()
        assets = {a.id: a for a in self.store.all(Asset)}
        sites = {s.id: s.name for s in self.store.all(Site)}
        orgs = {o.id: o.name for o in self.store.all(Organization)}
        users = {u.id: u.name for u in self.store.all(UserProfile)}
        lines = []
        for rma in self.store.all(Rma):
            asset = assets.get(rma.asset_id)
            since = as_utc(rma.history[-1].at if rma.history else rma.created_at)
            age = max(0.0, (now - since) / timedelta(hours=1))
            target = STATUS_TARGET_HOURS.get(rma.status)
            lines.append(
                CaseLine(
                    rma_id=rma.id,
                    asset_id=rma.asset_id,
                    number=rma.number,
                    serial=rma.part_serial or (asset.serial if asset else "?"),
                    status=rma.status,
                    symptom=rma.symptom,
                    site_id=rma.site_id,
                    site_name=sites.get(rma.site_id or "", ""),
                    customer_id=rma.org_id,
                    customer_name=orgs.get(rma.org_id, rma.org_id),
                    owner_id=rma.created_by,
                    owner_name=users.get(rma.created_by, rma.created_by),
                    age_hours=age,
                    late=target is not None and age > target,
                    has_label=RmaAction.LABEL in rma_actions(role, rma),
                )
            )
        return tuple(sorted(lines, key=lambda c: (not c.late, -c.age_hours)))

    def reports(self) -> tuple[ReportLine, ...]:
        """Finished visits, newest first: each has a report to download."""
        out = []
        for visit in self.store.all(Visit):
            if visit.left_at is None:
                continue
            asset = self.store.get(Asset, visit.asset_id)
            site = self.store.get(Site, visit.site_id)
            out.append(
                ReportLine(
                    visit_id=visit.id,
                    serial=asset.serial if asset else "?",
                    site_name=site.name if site else "",
                    left_at=as_utc(visit.left_at),
                    timezone=site_timezone(self.store, visit.site_id),
                )
            )
        return tuple(sorted(out, key=lambda r: r.left_at, reverse=True))


def _choices(pairs: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Distinct (id, label) pairs sorted by label: a filter's options."""
    seen: dict[str, str] = {}
    for key, label in pairs:
        seen.setdefault(key, label or key)
    return tuple(sorted(seen.items(), key=lambda kv: kv[1]))
