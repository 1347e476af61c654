"""Depot intents: a continuous scan session for inbound boxes, the depot order steps, grading, the credit decision,
and the stock and refurbished-pool views.

Receiving is one scan, one receipt: each scan is one ReceiveReturn through the store's unit of work. A second scan of
the same box is flagged as a duplicate in the session (and by the domain, which knows the box was received), never
asked about in a dialog, so a wedge scanner can keep going.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from app.adapters.local_store import LocalStore, as_utc
from app.i18n import Phrase, words
from app.ids import new_id
from app.scanning.session import Feedback, ScanSession
from app.services.aftersales_models import OrderPage, OrderRow, PoolRow, ScanLine, StepOption, StockRow
from app.services.depot_site import depot_zone
from app.timefmt import local_text
from app.vocabulary import label
from sync.domain.asset import Part, PartLocation
from sync.domain.catalog import PartNumber
from sync.domain.commands import AddNote, AdvanceDepotOrder, AdvanceRma, DecideCredit, GradeDepotOrder, ReceiveReturn
from sync.domain.credit import CreditReason, InspectionFindings, KitItem
from sync.domain.depot import DEPOT_STEPS
from sync.domain.errors import DomainError, DuplicateRecord, NotFound
from sync.domain.logistics import DepotGrade, DepotOrder, DepotStage
from sync.domain.permissions import grades_allowed, stages_allowed
from sync.domain.rma import Rma, RmaLane, RmaStatus, credit_refusal
from sync.domain.stock import StockLevel, StockLocation, StockLocationKind

CLEAN_UNIT = InspectionFindings()
RECEIVED = "received"
DUPLICATE = "duplicate"
REFUSED = "refused"


@dataclass
class ReceivingSession:
    """One receiving session: the scanner's session (normalising what a wedge or camera read) and, newest first, what
    each scan did here. Only a box actually received makes a later scan of it a duplicate; a refused one may be
    scanned again once the reason is fixed."""

    scanner: ScanSession = field(default_factory=ScanSession)
    lines: list[ScanLine] = field(default_factory=list)
    received_keys: dict[str, str] = field(default_factory=dict)

    @property
    def received(self) -> int:
        return sum(1 for line in self.lines if line.outcome == RECEIVED)

    @property
    def duplicates(self) -> int:
        return sum(1 for line in self.lines if line.outcome == DUPLICATE)

    def add(self, line: ScanLine) -> ScanLine:
        self.lines.insert(0, line)
        return line


@dataclass
class DepotService:
    store: LocalStore
    make_id: Callable[[], str] = new_id
    session: ReceivingSession = field(default_factory=ReceivingSession)

    def _now(self) -> datetime:
        return self.store.clock()

    # receiving ------------------------------------------------------------------------------------------------
    def new_session(self) -> ReceivingSession:
        self.session = ReceivingSession()
        return self.session

    def scan(self, raw: str) -> ScanLine:
        """One box: received, a duplicate (flagged, nothing written), or refused with the reason."""
        entry = self.session.scanner.record_text(raw)
        code = entry.serial or raw.strip()
        now = self._now()
        if entry.feedback is Feedback.REJECTED or not code:
            reason: Phrase | str = entry.choice.reason or words("no RMA number or serial recognised")
            return self.session.add(ScanLine(code=raw.strip(), outcome=REFUSED, message=reason, at=now))
        earlier = self.session.received_keys.get(code.upper())
        if earlier is not None:
            return self.session.add(
                ScanLine(
                    code=code,
                    outcome=DUPLICATE,
                    message=words("{code} was received earlier in this session", code=code),
                    at=now,
                    depot_order_id=earlier,
                )
            )
        order_id = self.make_id()
        try:
            out = self.store.execute(ReceiveReturn(depot_order_id=order_id, code=code))
        except DomainError as err:
            outcome = DUPLICATE if isinstance(err, DuplicateRecord) else REFUSED
            line = ScanLine(
                code=code, outcome=outcome, message=err.message, at=now, error_code=err.code, details=err.details
            )
            return self.session.add(line)
        order = next(e for e in out if isinstance(e, DepotOrder))
        rma = next((e for e in out if isinstance(e, Rma)), None)
        # Every name of this box counts: its label's RMA number and its serial.
        for key in (code, order.serial, rma.number if rma else None):
            if key:
                self.session.received_keys[key.upper()] = order_id
        # The line's outcome says "received"; the message names the box by both its names.
        box = f"{rma.number} · {order.serial}" if rma is not None and rma.number else order.serial
        return self.session.add(ScanLine(code=code, outcome=RECEIVED, message=box, at=now, depot_order_id=order_id))

    # depot orders ---------------------------------------------------------------------------------------------
    def _order(self, order_id: str) -> DepotOrder:
        order = self.store.get(DepotOrder, order_id)
        if order is None:
            raise NotFound(words("this depot order is not on this device"))
        return order

    def orders(self, *, open_only: bool = True) -> list[OrderRow]:
        rows = []
        zone = depot_zone(self.store)
        for order in self.store.all(DepotOrder):
            if open_only and order.stage is DepotStage.SHIPPED:
                continue
            rma = self.store.get(Rma, order.rma_id) if order.rma_id else None
            rows.append(
                OrderRow(
                    depot_order_id=order.id,
                    serial=order.serial,
                    rma_number=rma.number if rma else None,
                    stage=order.stage,
                    grade=order.grade,
                    received_at=as_utc(order.received_at),
                    zone=zone,
                )
            )
        return sorted(rows, key=lambda r: as_utc(r.received_at))

    def order_page(self, order_id: str) -> OrderPage:
        order = self._order(order_id)
        rma = self.store.get(Rma, order.rma_id) if order.rma_id else None
        role = self.store.role()
        rules = ((to, DEPOT_STEPS[(order.stage, to)]) for to in stages_allowed(role, order))
        steps = tuple(
            StepOption(
                stage=to,
                needs_error_code=rule.needs_error_code,
                needs_note=rule.needs_note,
                needs_grade=rule.needs_grade,
                needs_parcel=rule.needs_parcel,
            )
            for to, rule in rules
        )
        # A depot order belongs to the depot, not to a customer site: its times are on the depot's clock.
        zone = depot_zone(self.store)
        history = tuple(
            f"{local_text(as_utc(s.at), zone)} {label(s.stage)}"
            + (f" [{', '.join(s.error_codes)}]" if s.error_codes else "")
            + (f": {s.note}" if s.note else "")
            + (f" · {s.carrier} {s.tracking}" if s.tracking else "")
            for s in order.history
        )
        credit_lane = rma is not None and rma.lane is RmaLane.CREDIT
        return OrderPage(
            depot_order_id=order.id,
            serial=order.serial,
            rma_id=rma.id if rma else None,
            rma_number=rma.number if rma else None,
            rma_status=rma.status if rma else None,
            lane=rma.lane.value if rma and rma.lane else None,
            stage=order.stage,
            grade=order.grade,
            error_codes=order.error_codes,
            notes=order.notes,
            root_cause=order.root_cause,
            corrective_action=order.corrective_action,
            history=history,
            steps=steps,
            grades=grades_allowed(role, order, rma) if order.grade is None and not credit_lane else (),
            credit_decidable=rma is not None and credit_refusal(rma) is None,
            credit=rma.credit.reasons if rma and rma.credit else (),
        )

    def advance(
        self,
        order_id: str,
        *,
        to_stage: DepotStage,
        error_codes: tuple[str, ...] = (),
        note: str = "",
        carrier: str = "",
        tracking: str = "",
    ) -> None:
        """One step; the ship step carries the parcel's carrier and tracking (checked by sync/domain/logistics.py)."""
        self.store.execute(
            AdvanceDepotOrder(
                depot_order_id=order_id,
                to_stage=to_stage,
                error_codes=error_codes,
                note=note,
                carrier=carrier,
                tracking=tracking,
            )
        )

    def grade(
        self,
        order_id: str,
        *,
        grade: DepotGrade,
        root_cause: str = "",
        corrective_action: str = "",
        pool_location_id: str | None = None,
    ) -> None:
        pools = self.pools()
        self.store.execute(
            GradeDepotOrder(
                depot_order_id=order_id,
                grade=grade,
                root_cause=root_cause,
                corrective_action=corrective_action,
                pool_location_id=pool_location_id or (pools[0].id if pools else None),
            )
        )

    def note(self, order_id: str, text: str) -> None:
        self.store.execute(
            AddNote(note_id=self.make_id(), subject_collection=DepotOrder.collection, subject_id=order_id, text=text)
        )

    def decide_credit(
        self,
        rma_id: str,
        *,
        reason: CreditReason,
        kit_present: tuple[KitItem, ...],
        inspection: InspectionFindings = CLEAN_UNIT,
    ) -> tuple[bool, tuple[str, ...]]:
        """The computed decision and its explanation (the inspector never types an amount)."""
        out = self.store.execute(
            DecideCredit(rma_id=rma_id, reason=reason, kit_present=kit_present, inspection=inspection)
        )
        decided = next(e for e in out if isinstance(e, Rma))
        assert decided.credit is not None
        return decided.credit.approved, decided.credit.reasons

    def close_rma(self, rma_id: str) -> None:
        self.store.execute(AdvanceRma(rma_id=rma_id, to_status=RmaStatus.CLOSED))

    # stock and pool -------------------------------------------------------------------------------------------
    def pools(self) -> list[StockLocation]:
        found = [loc for loc in self.store.all(StockLocation) if loc.kind is StockLocationKind.REFURBISHED_POOL]
        return sorted(found, key=lambda loc: loc.name)

    def stock(self, *, low_only: bool = False) -> list[StockRow]:
        locations = {loc.id: loc for loc in self.store.all(StockLocation)}
        numbers = {pn.id: pn for pn in self.store.all(PartNumber)}
        rows = []
        for level in self.store.all(StockLevel):
            loc = locations.get(level.location_id)
            pn = numbers.get(level.part_number_id)
            row = StockRow(
                location_id=level.location_id,
                location=loc.name if loc else level.location_id,
                kind=loc.kind.value if loc else "",
                part_number_id=level.part_number_id,
                part_code=pn.code if pn else level.part_number_id,
                description=pn.description if pn else "",
                quantity=level.quantity,
                low_threshold=level.low_threshold,
            )
            if row.low or not low_only:
                rows.append(row)
        return sorted(rows, key=lambda r: (not r.low, r.location, r.part_code))

    def pool(self) -> list[PoolRow]:
        pools = {loc.id: loc.name for loc in self.pools()}
        numbers = {pn.id: pn.code for pn in self.store.all(PartNumber)}
        rows = []
        for pool_id, name in pools.items():
            for part in self.store.children(Part, pool_id):
                if part.location is PartLocation.GRADED:
                    code = numbers.get(part.part_number_id, part.part_number_id)
                    rows.append(PoolRow(serial=part.serial, part_code=code, location=name, revision=part.revision))
        return sorted(rows, key=lambda r: (r.part_code, r.serial))
