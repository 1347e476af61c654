"""The service desk's queue and one RMA's page: rows with their age against the status target, the desk's
decisions (triage, approve, send back, reject), shipping a replacement, closing, and the page's actions (from
sync.domain.permissions).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from app.adapters.local_store import as_utc
from app.i18n import words
from app.services.aftersales_models import (
    QueueGroup,
    RmaPage,
    RmaRow,
)
from app.services.rma.drafting import RmaDrafting
from app.services.rma.ledger import ExchangeLedger
from app.services.rma.shipments import shipment_lines
from app.timefmt import local_text
from app.vocabulary import label
from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.catalog import Sku
from sync.domain.commands import AdvanceRma, ShipReplacement
from sync.domain.contract import ServiceModel
from sync.domain.coverage import entitlement_of, models_offered, site_timezone
from sync.domain.errors import InvalidInput, NotFound
from sync.domain.logistics import DepotOrder, ReturnObligation
from sync.domain.permissions import RmaAction, rma_actions, steps_before
from sync.domain.rma import STATUS_TARGET_HOURS, Rma, RmaLane, RmaStatus
from sync.domain.site import Site

S = RmaStatus
# Desk work first, then what is on its way, then what is done.
QUEUE_ORDER = (
    S.SUBMITTED,
    S.TRIAGE,
    S.NEEDS_INFO,
    S.APPROVED,
    S.REPLACEMENT_SHIPPED,
    S.AWAITING_RETURN,
    S.RECEIVED,
    S.INSPECTION,
    S.REPAIRED,
    S.REPLACED,
    S.CREDITED,
    S.RETURNED_NFF,
    S.SHIPPED_BACK,
    S.DRAFT,
    S.REJECTED,
    S.CLOSED,
)
del S


@dataclass
class RmaDesk(RmaDrafting, ExchangeLedger):
    def for_asset(self, asset_id: str) -> list[RmaRow]:
        return sorted((self._row(r) for r in self.store.children(Rma, asset_id)), key=lambda r: r.age_hours)

    def _row(self, rma: Rma) -> RmaRow:
        asset = self.store.get(Asset, rma.asset_id)
        since = rma.history[-1].at if rma.history else rma.created_at
        hours = max(0.0, (self._now() - as_utc(since)) / timedelta(hours=1))
        return RmaRow(
            rma_id=rma.id,
            number=rma.number,
            serial=rma.part_serial or (asset.serial if asset else "?"),
            status=rma.status,
            model=rma.model,
            symptom=rma.symptom,
            severity=rma.severity,
            age_hours=hours,
            target_hours=STATUS_TARGET_HOURS.get(rma.status),
            missing=sum(1 for i in self.checklist(rma) if i.needed and not i.done),
        )

    def queue(self, *, statuses: tuple[RmaStatus, ...] = QUEUE_ORDER) -> list[QueueGroup]:
        """RMAs grouped by status in desk order; in each group the oldest first (SLA-style ages)."""
        by_status: dict[RmaStatus, list[RmaRow]] = {}
        for rma in self.store.all(Rma):
            by_status.setdefault(rma.status, []).append(self._row(rma))
        return [
            QueueGroup(status=s, rows=tuple(sorted(by_status[s], key=lambda r: -r.age_hours)))
            for s in statuses
            if by_status.get(s)
        ]

    def start_triage(self, rma_id: str) -> None:
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.TRIAGE))

    def _lead_up(self, rma_id: str, action: RmaAction) -> None:
        """Take the steps the action passes through first (sync.domain.permissions.RMA_ACTIONS)."""
        for status in steps_before(self._rma(rma_id), action):
            self.store.execute(AdvanceRma(rma_id=rma_id, to_status=status))

    def approve(self, rma_id: str, *, lane: RmaLane, model: ServiceModel | None = None, note: str = "") -> None:
        self._lead_up(rma_id, RmaAction.APPROVE)
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.APPROVED, lane=lane, model=model, note=note))

    def send_back(self, rma_id: str, *, question: str) -> None:
        self._lead_up(rma_id, RmaAction.SEND_BACK)
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.NEEDS_INFO, note=question))

    def reject(self, rma_id: str, *, reason: str) -> None:
        if not reason.strip():
            raise InvalidInput(words("say why the RMA is rejected"))
        self._lead_up(rma_id, RmaAction.REJECT)
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.REJECTED, note=reason))

    def ship_replacement(
        self,
        rma_id: str,
        *,
        replacement_serial: str,
        carrier: str = "",
        tracking: str = "",
        from_location_id: str | None = None,
    ) -> str:
        shipment_id = self.make_id()
        self.store.execute(
            ShipReplacement(
                rma_id=rma_id,
                shipment_id=shipment_id,
                obligation_id=self.make_id(),
                replacement_serial=replacement_serial,
                from_location_id=from_location_id,
                carrier=carrier,
                tracking=tracking,
            )
        )
        return shipment_id

    def await_return(self, rma_id: str) -> None:
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.AWAITING_RETURN))

    def close(self, rma_id: str) -> None:
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.CLOSED))

    def replacement_spares(self, rma_id: str) -> list[tuple[str, str, str]]:
        """(location id, serial, label) of spares that could replace the RMA's part, pool and buffers first."""
        rma = self._rma(rma_id)
        suspect = self.store.find(Part, rma.part_serial) if rma.part_serial else None
        if suspect is None:
            return []
        usable = (PartLocation.GRADED, PartLocation.IN_STOCK)  # refurbished spares first, then new stock
        spares = [
            s for s in self.store.all(Part) if s.part_number_id == suspect.part_number_id and s.location in usable
        ]
        spares.sort(key=lambda s: (usable.index(s.location), s.serial))
        return [(s.location_id, s.serial, f"{s.serial} ({label(s.location)})") for s in spares[:20]]

    def page(self, rma_id: str) -> RmaPage:
        rma = self._rma(rma_id)
        asset = self.store.get(Asset, rma.asset_id)
        sku = self.store.get(Sku, asset.sku_id) if asset else None
        site = self.store.get(Site, rma.site_id) if rma.site_id else None
        entitled = entitlement_of(self.store, asset, self._site_today(rma.site_id)) if asset else None
        if entitled is None:
            raise NotFound(words("the chassis of this RMA is not on this device"))
        zone = site_timezone(self.store, rma.site_id)  # the RMA's site clock; UTC (said so) when it has no site
        history = tuple(
            f"{local_text(as_utc(c.at), zone)} {label(c.status)}" + (f": {c.note}" if c.note else "")
            for c in rma.history
        )
        orders = self.store.children(DepotOrder, rma.id)
        obligations = self.store.children(ReturnObligation, rma.id)
        credit = rma.credit
        return RmaPage(
            rma_id=rma.id,
            number=rma.number,
            status=rma.status,
            model=rma.model,
            lane=rma.lane.value if rma.lane else None,
            serial=asset.serial if asset else "?",
            part_serial=rma.part_serial,
            sku=sku.code if sku else "?",
            site_name=site.name if site else "",
            symptom=rma.symptom,
            repro_steps=rma.repro_steps,
            severity=rma.severity,
            question=rma.question if rma.status is RmaStatus.NEEDS_INFO else "",
            entitlement=entitled,
            checklist=self.checklist(rma),
            history=history,
            actions=rma_actions(self.store.role(), rma),
            return_due=rma.return_due,
            replacement_serial=rma.replacement_serial,
            ledger=tuple(self._ledger_row(o) for o in obligations),
            credit=credit.reasons if credit else (),
            credit_approved=credit.approved if credit else None,
            depot_order_id=orders[-1].id if orders else None,
            pending=self.store.pending_count() > 0,
            shipments=shipment_lines(self.store, rma.id, zone),
            approval_models=models_offered(entitled),
            timezone=zone,
        )
