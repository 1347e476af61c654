"""RMA intents for the engineer (draft, evidence, submit, answer) and the service desk (queue, triage, approve, send
back, reject, ship a replacement, the advance-exchange ledger, the return label).

Every command goes through the store's unit of work, so it works offline and syncs; a DomainError says why not.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.adapters.local_store import LocalStore, as_utc
from app.labels.return_label import ReturnLabel, render_return_label
from app.services.aftersales_models import (
    ChecklistItem,
    DraftForm,
    LedgerRow,
    QueueGroup,
    RmaPage,
    RmaRow,
)
from sync.domain.asset import Asset, Part
from sync.domain.catalog import PartNumber, RailKit, Sku
from sync.domain.commands import AddNote, AdvanceRma, AttachPhoto, DraftRma, ShipReplacement
from sync.domain.contract import DEFAULT_PACKAGING_RULES, ServiceModel
from sync.domain.coverage import due_calendar, entitlement_of, governing_contract_of
from sync.domain.errors import InvalidInput, NotFound
from sync.domain.evidence import PhotoKind
from sync.domain.exchange import aging
from sync.domain.installation import Installation
from sync.domain.kpi import KpiReport, confirmed_failures, kpi_report
from sync.domain.logistics import DepotOrder, ObligationStatus, ReturnObligation
from sync.domain.org import Organization, Role
from sync.domain.permissions import rma_actions
from sync.domain.rma import EvidenceItem, Rma, RmaLane, RmaStatus
from sync.domain.service import FruSwap, Severity, Visit
from sync.domain.site import Site, SiteKind
from sync.domain.triage import triage_evidence

S = RmaStatus
# How long an RMA may sit in a status before the desk queue shows it late (hours).
TARGET_HOURS: dict[RmaStatus, float] = {
    S.SUBMITTED: 4,
    S.TRIAGE: 8,
    S.NEEDS_INFO: 72,
    S.APPROVED: 24,
    S.RECEIVED: 24,
    S.INSPECTION: 72,
}
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
    S.DRAFT,
    S.REJECTED,
    S.CLOSED,
)
del S


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass
class RmaService:
    store: LocalStore
    make_id: Callable[[], str] = new_id
    now: Callable[[], datetime] | None = None

    def _now(self) -> datetime:
        return (self.now or self.store.clock)()

    def _today(self) -> date:
        return self._now().date()

    def _role(self) -> Role | None:
        identity = self.store.identity()
        return identity.role if identity else None

    def _rma(self, rma_id: str) -> Rma:
        rma = self.store.get(Rma, rma_id)
        if rma is None:
            raise NotFound("this RMA is not on this device")
        return rma

    # the engineer's draft ---------------------------------------------------------------------------------------
    def draft_form(self, asset_id: str) -> DraftForm:
        asset = self.store.get(Asset, asset_id)
        if asset is None:
            raise NotFound("this chassis is not on this device")
        entitled = entitlement_of(self.store, asset, self._today())
        installs = sorted(self.store.children(Installation, asset.id), key=lambda i: i.installed_at)
        latest = installs[-1] if installs else None
        kit = self.store.get(RailKit, latest.rail_kit_id) if latest and latest.rail_kit_id else None
        return DraftForm(
            asset_id=asset.id,
            serial=asset.serial,
            entitlement=entitled,
            models=entitled.models or (ServiceModel.STANDARD,),
            parts=tuple((p.slot, p.part_serial) for p in asset.installed_parts),
            rack_depth_mm=latest.measured_depth_mm if latest else None,
            rail_kit_id=kit.id if kit else None,
            rail_kit_label=f"{kit.code} ({kit.min_depth_mm}–{kit.max_depth_mm} mm)" if kit else "",
        )

    def draft(
        self,
        *,
        asset_id: str,
        model: ServiceModel,
        symptom: str,
        repro_steps: str = "",
        severity: Severity = Severity.MAJOR,
        part_serial: str | None = None,
        controller_involved: bool = False,
        rack_depth_mm: int | None = None,
        rail_kit_id: str | None = None,
    ) -> str:
        if not symptom.strip():
            raise InvalidInput("describe the symptom")
        rma_id = self.make_id()
        self.store.execute(
            DraftRma(
                rma_id=rma_id,
                asset_id=asset_id,
                model=model,
                symptom=symptom,
                repro_steps=repro_steps,
                severity=severity,
                part_serial=part_serial or None,
                controller_involved=controller_involved,
                rack_depth_mm=rack_depth_mm,
                rail_kit_id=rail_kit_id,
            )
        )
        return rma_id

    def attach_evidence(self, *, rma_id: str, kind: PhotoKind, sha256: str, caption: str = "") -> str:
        photo_id = self.make_id()
        self.store.execute(
            AttachPhoto(
                photo_id=photo_id,
                subject_collection=Rma.collection,
                subject_id=rma_id,
                sha256=sha256,
                thumbnail_sha256=None,
                kind=kind,
                caption=caption,
            )
        )
        return photo_id

    def submit(self, rma_id: str) -> None:
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.SUBMITTED))

    def answer(self, rma_id: str, *, answer: str) -> None:
        """Answer the desk's question: the answer is kept as a note and the RMA goes back to triage."""
        if not answer.strip():
            raise InvalidInput("write the answer to the desk's question")
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.TRIAGE, note=answer))
        self.store.execute(AddNote(note_id=self.make_id(), subject_collection="rmas", subject_id=rma_id, text=answer))

    def checklist(self, rma: Rma) -> tuple[ChecklistItem, ...]:
        gaps = set(triage_evidence(self.store, rma).missing())
        return tuple(
            ChecklistItem(
                item=item,
                done=item not in gaps,
                needed=item is not EvidenceItem.CONTROLLER_LOGS or rma.controller_involved,
            )
            for item in EvidenceItem
        )

    def for_asset(self, asset_id: str) -> list[RmaRow]:
        return sorted((self._row(r) for r in self.store.children(Rma, asset_id)), key=lambda r: r.age_hours)

    # the desk ---------------------------------------------------------------------------------------------------
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
            target_hours=TARGET_HOURS.get(rma.status),
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

    def approve(self, rma_id: str, *, lane: RmaLane, model: ServiceModel | None = None, note: str = "") -> None:
        rma = self._rma(rma_id)
        if rma.status is RmaStatus.SUBMITTED:
            self.start_triage(rma_id)
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.APPROVED, lane=lane, model=model, note=note))

    def send_back(self, rma_id: str, *, question: str) -> None:
        if self._rma(rma_id).status is RmaStatus.SUBMITTED:
            self.start_triage(rma_id)
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.NEEDS_INFO, note=question))

    def reject(self, rma_id: str, *, reason: str) -> None:
        if not reason.strip():
            raise InvalidInput("say why the RMA is rejected")
        if self._rma(rma_id).status is RmaStatus.SUBMITTED:
            self.start_triage(rma_id)
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
        out = []
        for spare in self.store.all(Part):
            if spare.part_number_id == suspect.part_number_id and spare.location.value in ("in_stock", "graded"):
                out.append((spare.location_id, spare.serial, f"{spare.serial} ({spare.location.value})"))
        return sorted(out, key=lambda t: (t[2].endswith("(in_stock)"), t[1]))[:20]

    # the advance-exchange ledger --------------------------------------------------------------------------------
    def _ledger_row(self, obligation: ReturnObligation) -> LedgerRow:
        today = self._today()
        calendar = due_calendar(
            self.store, contract_id=obligation.contract_id, timezone=obligation.timezone, site_id=obligation.site_id
        )
        row = aging(obligation, today=today, calendar=calendar)
        site = self.store.get(Site, obligation.site_id) if obligation.site_id else None
        if obligation.source_collection == Rma.collection:
            rma = self.store.get(Rma, obligation.source_id)
            source = f"RMA {rma.number or '(number pending)'}" if rma else "RMA"
        else:
            swap = self.store.get(FruSwap, obligation.source_id)
            source = f"FRU swap {swap.slot}" if swap else "FRU swap"
        return LedgerRow(
            obligation_id=obligation.id,
            serial=obligation.serial,
            replacement_serial=obligation.replacement_serial,
            source=source,
            site_name=site.name if site else "",
            due_on=obligation.due_on,
            status=obligation.status.value,
            days_overdue=row.days_overdue,
            business_days_left=row.business_days_left,
            penalty_due_cents=row.penalty_due_cents,
        )

    def ledger(self, *, open_only: bool = True) -> list[LedgerRow]:
        """Return obligations, the longest overdue first, then by due date."""
        found = [o for o in self.store.all(ReturnObligation) if not open_only or o.status is ObligationStatus.OPEN]
        rows = [self._ledger_row(o) for o in found]
        return sorted(rows, key=lambda r: (-r.days_overdue, r.due_on, r.serial))

    # one RMA ----------------------------------------------------------------------------------------------------
    def page(self, rma_id: str) -> RmaPage:
        rma = self._rma(rma_id)
        asset = self.store.get(Asset, rma.asset_id)
        sku = self.store.get(Sku, asset.sku_id) if asset else None
        site = self.store.get(Site, rma.site_id) if rma.site_id else None
        entitled = entitlement_of(self.store, asset, self._today()) if asset else None
        if entitled is None:
            raise NotFound("the chassis of this RMA is not on this device")
        history = tuple(
            f"{c.at:%Y-%m-%d %H:%M} {c.status.value}" + (f": {c.note}" if c.note else "") for c in rma.history
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
            actions=rma_actions(self._role(), rma),
            return_due=rma.return_due,
            replacement_serial=rma.replacement_serial,
            ledger=tuple(self._ledger_row(o) for o in obligations),
            credit=credit.reasons if credit else (),
            credit_approved=credit.approved if credit else None,
            depot_order_id=orders[-1].id if orders else None,
            pending=self.store.pending_count() > 0,
        )

    # the return label -------------------------------------------------------------------------------------------
    def kpis(self, *, days: int | None = None) -> KpiReport:
        """The desk's KPIs from the records on this device: issuance time, turnaround, NFF rate, unreturned units.

        With ``days``, over the RMAs opened, units received and visits begun in that many days up to now. Unreturned
        units are always as of today: an overdue unit stays overdue whenever its RMA was opened."""
        if days is not None and days <= 0:
            raise ValueError("a KPI period covers at least one day")
        since = self._now() - timedelta(days=days) if days is not None else None

        def recent(moment: datetime) -> bool:
            return since is None or as_utc(moment) >= since

        orders = [o for o in self.store.all(DepotOrder) if recent(o.received_at)]
        return kpi_report(
            rmas=[r for r in self.store.all(Rma) if recent(r.created_at)],
            orders=orders,
            obligations=self.store.all(ReturnObligation),
            visits=[v for v in self.store.all(Visit) if recent(v.arrived_at)],
            failures=confirmed_failures(orders),
            today=self._today(),
        )

    def return_label(self, rma_id: str) -> bytes:
        rma = self._rma(rma_id)
        if rma.number is None:
            raise InvalidInput("no RMA number yet: the label can be printed once the approval has synced")
        asset = self.store.get(Asset, rma.asset_id)
        if asset is None:
            raise NotFound("the chassis of this RMA is not on this device")
        contract = governing_contract_of(self.store, asset, self._today())
        depot = next((s for s in self.store.all(Site) if s.kind is SiteKind.DEPOT), None)
        ship_to = (
            tuple(line for line in contract.return_address.splitlines() if line.strip())
            if contract and contract.return_address
            else (depot.name if depot else "Depot", "Returns receiving", depot.region if depot else "")
        )
        site = self.store.get(Site, rma.site_id) if rma.site_id else None
        owner = self.store.get(Organization, asset.org_id)
        item = ""
        if rma.part_serial:
            part = self.store.find(Part, rma.part_serial)
            number = self.store.get(PartNumber, part.part_number_id) if part else None
            item = number.code if number else ""
        else:
            sku = self.store.get(Sku, asset.sku_id)
            item = sku.code if sku else ""
        label = ReturnLabel(
            rma_number=rma.number,
            serial=rma.part_serial or asset.serial,
            ship_to=tuple(line for line in ship_to if line),
            ship_from=tuple(x for x in (owner.name if owner else "", site.name if site else "") if x),
            packaging_rules=contract.packaging_rules if contract else DEFAULT_PACKAGING_RULES,
            item=item,
            return_due=rma.return_due,
        )
        return render_return_label(label)
