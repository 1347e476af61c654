"""The depot: receiving returns by a scan of the label or the serial, depot order steps, grading."""

from __future__ import annotations

from dataclasses import replace

from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.commands import AdvanceDepotOrder, GradeDepotOrder, ReceiveReturn
from sync.domain.context import Context
from sync.domain.depot import (
    Destination,
    advance,
    check_grade,
    destination,
    graded,
    owner_keeps_unit,
    rma_after_shipping,
    rma_outcome,
)
from sync.domain.errors import DuplicateRecord, IllegalTransition, InvalidInput, NotFound, RuleViolation
from sync.domain.exchange import close_obligation
from sync.domain.handlers.common import Outcome, load, require_role, stock_level
from sync.domain.logistics import (
    DepotOrder,
    DepotStage,
    ObligationStatus,
    ReturnObligation,
    Shipment,
    ShipmentDirection,
    ShipmentStatus,
    depot_shipment_id,
)
from sync.domain.permissions import Action, require_depot_stage
from sync.domain.rma import Rma, RmaStatus
from sync.domain.serials import normalise_serial
from sync.domain.stock import StockLocation, StockLocationKind
from sync.domain.words import words

# Statuses a box can arrive in: a returned unit is never refused at the door because a desk step lags behind.
AWAITED = frozenset({RmaStatus.AWAITING_RETURN, RmaStatus.REPLACEMENT_SHIPPED})


ARRIVED = frozenset(
    {
        RmaStatus.RECEIVED,
        RmaStatus.INSPECTION,
        RmaStatus.REPAIRED,
        RmaStatus.REPLACED,
        RmaStatus.CREDITED,
        RmaStatus.RETURNED_NFF,
        RmaStatus.CLOSED,
    }
)


# depot receiving --------------------------------------------------------------------------------------------------
def receive_return(cmd: ReceiveReturn, ctx: Context) -> Outcome:
    require_role(ctx, Action.RECEIVE_RETURN, "receive returns")
    code = cmd.code.strip()
    if not code:
        raise InvalidInput(words("scan the RMA label or the serial"))
    rma, obligation, serial = _resolve(ctx, code)
    out: Outcome = []
    if rma is not None:
        if rma.status in ARRIVED:
            raise DuplicateRecord(
                words("{box} was already received ({status})", box=rma.number or serial, status=rma.status),
                details={**_box(rma, serial, code), "status": rma.status.value, "duplicate_scan": code},
            )
        moved = rma
        try:
            if rma.status is RmaStatus.REPLACEMENT_SHIPPED:
                moved = moved.moved_to(RmaStatus.AWAITING_RETURN, at=ctx.now, by=ctx.actor.user_id)
            out.append(moved.moved_to(RmaStatus.RECEIVED, at=ctx.now, by=ctx.actor.user_id, note=f"scanned {code}"))
        except IllegalTransition as err:
            # The depot holds a box, not an RMA id: say which box, so the refusal can name it and what it waits for.
            raise IllegalTransition(err.message, details={**err.details, **_box(rma, serial, code)}) from err
        obligation = obligation or _open_obligation(ctx, rma)
    if obligation is not None:
        if obligation.status is not ObligationStatus.OPEN and rma is None:
            raise DuplicateRecord(
                words("the return of {serial} was already received", serial=serial),
                details={"obligation_id": obligation.id, "duplicate_scan": code},
            )
        if obligation.status is ObligationStatus.OPEN:
            out.append(close_obligation(obligation, at=ctx.now))
    if rma is None and obligation is None:
        raise NotFound(words("no RMA or awaited return for '{code}'", code=code), details={"code": code})
    order = DepotOrder(
        id=cmd.depot_order_id,
        org_id=ctx.actor.org_id,
        rma_id=rma.id if rma else None,
        serial=serial,
        received_at=ctx.now,
        received_by=ctx.actor.user_id,
        obligation_id=obligation.id if obligation else None,
    )
    part = ctx.find(Part, serial)
    if part is not None:
        order = replace(order, part_number_id=part.part_number_id, revision=part.revision, lot=part.lot)
        out.append(part.moved(PartLocation.AT_DEPOT, order.id))
    asset = ctx.get(Asset, rma.asset_id) if rma else None
    if asset is not None:
        order = replace(order, sku_id=asset.sku_id)
        if part is None:
            order = replace(order, revision=asset.revision, lot=asset.lot)
    return [order, *out]


def _box(rma: Rma, serial: str, code: str) -> dict[str, object]:
    return {"code": code, "rma_id": rma.id, "rma_number": rma.number, "serial": serial}


def _resolve(ctx: Context, code: str) -> tuple[Rma | None, ReturnObligation | None, str]:
    """What a scan names: an RMA (by its number, or by the serial it is for) and/or an open return obligation."""
    rma = ctx.find(Rma, code.upper())
    if rma is not None:
        asset = load(ctx, Asset, rma.asset_id)
        return rma, None, rma.part_serial or asset.serial
    serial = normalise_serial(code)
    part = ctx.find(Part, serial)
    if part is not None and part.location is PartLocation.AT_DEPOT:
        raise DuplicateRecord(
            words("{serial} is already at the depot", serial=serial),
            details={"depot_order_id": part.location_id, "duplicate_scan": code},
        )
    if part is not None and part.location is PartLocation.IN_TRANSIT:
        obligation = ctx.get(ReturnObligation, part.location_id)
        if obligation is not None:
            source = ctx.get(Rma, obligation.source_id) if obligation.source_collection == Rma.collection else None
            return source, obligation, serial
    chassis = ctx.find(Asset, serial)
    if chassis is not None:
        return _rma_for(ctx, chassis.id, part_serial=None), None, serial
    if part is not None and part.location is PartLocation.INSTALLED:
        return _rma_for(ctx, part.location_id, part_serial=serial), None, serial
    return None, None, serial


def _rma_for(ctx: Context, asset_id: str, *, part_serial: str | None) -> Rma | None:
    """The RMA a serial is coming back under: an awaited one first, else the last one that arrived (a duplicate)."""
    mine = [r for r in ctx.children(Rma, asset_id) if r.part_serial == part_serial]
    awaited = [r for r in mine if r.status in AWAITED]
    arrived = [r for r in mine if r.status in ARRIVED]
    pick = awaited or arrived
    return max(pick, key=lambda r: r.created_at) if pick else None


def _open_obligation(ctx: Context, rma: Rma) -> ReturnObligation | None:
    found = [o for o in ctx.children(ReturnObligation, rma.id) if o.status is ObligationStatus.OPEN]
    return found[0] if found else None


# depot steps and grading ------------------------------------------------------------------------------------------
def advance_depot_order(cmd: AdvanceDepotOrder, ctx: Context) -> Outcome:
    require_role(ctx, Action.WORK_DEPOT_ORDER, "work depot orders")
    require_depot_stage(ctx.actor.role, cmd.to_stage)
    order = load(ctx, DepotOrder, cmd.depot_order_id)
    moved = advance(
        order,
        cmd.to_stage,
        at=ctx.now,
        by=ctx.actor.user_id,
        error_codes=cmd.error_codes,
        note=cmd.note,
        carrier=cmd.carrier,
        tracking=cmd.tracking,
    )
    out: Outcome = [moved]
    rma = ctx.get(Rma, order.rma_id) if order.rma_id else None
    if rma is not None and cmd.to_stage is DepotStage.TRIAGE and rma.status is RmaStatus.RECEIVED:
        out.append(rma.moved_to(RmaStatus.INSPECTION, at=ctx.now, by=ctx.actor.user_id, note="depot triage"))
    if cmd.to_stage is DepotStage.SHIPPED:
        out += _ship(ctx, moved, rma)
    return out


def _ship(ctx: Context, order: DepotOrder, rma: Rma | None) -> Outcome:
    """The parcel leaves: a Shipment with its carrier and tracking, the part in transit, and the RMA following it
    when the unit goes back to its owner (sync/domain/depot.py ``rma_after_shipping``)."""
    step = order.history[-1]
    owner_keeps = owner_keeps_unit(lane=rma.lane, model=rma.model) if rma else False
    to_owner = rma is not None and owner_keeps
    shipment = Shipment(
        id=depot_shipment_id(order.id),
        # The owner's shipment is on the owner's record (the customer sees it); a move to the pool stays the depot's.
        org_id=rma.org_id if rma is not None and to_owner else order.org_id,
        rma_id=rma.id if rma is not None and to_owner else None,
        direction=ShipmentDirection.OUTBOUND,
        serials=(order.serial,),
        carrier=step.carrier,
        tracking=step.tracking,
        status=ShipmentStatus.IN_TRANSIT,
        shipped_at=ctx.now,
    )
    out: Outcome = [shipment]
    part = ctx.find(Part, order.serial)
    if part is not None and part.location is PartLocation.AT_DEPOT:
        out.append(part.moved(PartLocation.IN_TRANSIT, order.id, site_id=rma.site_id if rma else None))
    follows = rma_after_shipping(rma.status, owner_keeps=owner_keeps) if rma else None
    if rma is not None and follows is not None:
        note = f"{step.carrier} {step.tracking}"
        out.append(rma.moved_to(follows, at=ctx.now, by=ctx.actor.user_id, note=note))
    return out


def grade_depot_order(cmd: GradeDepotOrder, ctx: Context) -> Outcome:
    require_role(ctx, Action.GRADE_DEPOT_ORDER, "grade depot orders")
    order = load(ctx, DepotOrder, cmd.depot_order_id)
    rma = ctx.get(Rma, order.rma_id) if order.rma_id else None
    keeps = owner_keeps_unit(lane=rma.lane, model=rma.model) if rma else False
    check_grade(order, cmd.grade, root_cause=cmd.root_cause, corrective_action=cmd.corrective_action, owner_keeps=keeps)
    done = graded(
        order,
        cmd.grade,
        at=ctx.now,
        by=ctx.actor.user_id,
        root_cause=cmd.root_cause,
        corrective_action=cmd.corrective_action,
    )
    out: Outcome = [done]
    outcome = rma_outcome(cmd.grade, rma.lane) if rma else None
    if rma is not None and outcome is not None:
        note = f"depot graded {cmd.grade}"
        out.append(rma.moved_to(outcome, at=ctx.now, by=ctx.actor.user_id, note=note))
    part = ctx.find(Part, order.serial)
    where = destination(cmd.grade, owner_keeps=keeps)
    if where is Destination.SCRAP and part is not None:
        out.append(part.moved(PartLocation.SCRAPPED, order.id))
    if where is Destination.REFURBISHED_POOL and part is not None:
        out += _into_pool(ctx, cmd.pool_location_id, part)
    return out


def _into_pool(ctx: Context, pool_location_id: str | None, part: Part) -> Outcome:
    if pool_location_id is None:
        raise InvalidInput(words("say which refurbished pool the graded unit goes to"))
    pool = load(ctx, StockLocation, pool_location_id)
    if pool.kind is not StockLocationKind.REFURBISHED_POOL:
        raise RuleViolation(words("{pool} is not a refurbished pool", pool=pool.name))
    level = stock_level(ctx, pool, part.part_number_id).adjusted(+1)
    pooled = replace(part.moved(PartLocation.GRADED, pool.id), org_id=pool.org_id)
    return [pooled, level]
