"""Rules for the after-sales commands: advance exchange, depot receiving, depot steps, grading, credit, stock moves.

Pure like sync/domain/handlers.py (which registers these): the device runs them for its optimistic copy, the server
replays them as the authority, so an illegal step is refused with the same reason on both ends.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.catalog import PartNumber
from sync.domain.commands import (
    AdvanceDepotOrder,
    DecideCredit,
    GradeDepotOrder,
    MoveStock,
    ReceiveReturn,
    ShipReplacement,
)
from sync.domain.context import Context
from sync.domain.contract import Contract, ServiceModel, entitlement
from sync.domain.credit import CreditClaim, CreditTerms, decide_credit
from sync.domain.depot import Destination, advance, check_grade, destination, graded, owner_keeps_unit, rma_outcome
from sync.domain.entity import Entity
from sync.domain.errors import (
    DuplicateRecord,
    Forbidden,
    IllegalTransition,
    InvalidInput,
    NotFound,
    PartUnavailable,
    RuleViolation,
)
from sync.domain.exchange import check_pairing, close_obligation, return_due_on
from sync.domain.logistics import (
    DepotOrder,
    DepotStage,
    ObligationStatus,
    ReturnObligation,
    Shipment,
    ShipmentDirection,
    ShipmentStatus,
)
from sync.domain.org import Role
from sync.domain.rma import Rma, RmaLane, RmaStatus
from sync.domain.serials import normalise_serial
from sync.domain.site import Site
from sync.domain.stock import StockLevel, StockLocation, StockLocationKind, stock_level_id

E = TypeVar("E", bound=Entity)
Outcome = list[Entity]

DEPOT_ROLES = frozenset({Role.DEPOT, Role.SERVICE_DESK, Role.ADMIN})
VAN_ROLES = frozenset({Role.FIELD_ENGINEER, Role.INSTALLER})
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


def _require_role(ctx: Context, allowed: frozenset[Role], action: str) -> None:
    if ctx.actor.role not in allowed:
        raise Forbidden(f"a {ctx.actor.role} may not {action}")


def _load(ctx: Context, kind: type[E], record_id: str) -> E:
    found = ctx.get(kind, record_id)
    if found is None:
        raise NotFound(f"no {kind.collection[:-1].replace('_', ' ')} {record_id!r} that you can see")
    return found


def _covering(ctx: Context, asset: Asset) -> Contract | None:
    active = [c for c in ctx.children(Contract, asset.org_id) if c.covers(asset.id, ctx.now.date())]
    return min(active, key=lambda c: c.tier.response_hours) if active else None


def _timezone(ctx: Context, site_id: str | None) -> str:
    site = ctx.get(Site, site_id) if site_id else None
    return site.timezone if site else "UTC"


# advance exchange -------------------------------------------------------------------------------------------------
def ship_replacement(cmd: ShipReplacement, ctx: Context) -> Outcome:
    _require_role(ctx, DEPOT_ROLES, "ship a replacement")
    rma = _load(ctx, Rma, cmd.rma_id)
    moved = rma.moved_to(RmaStatus.REPLACEMENT_SHIPPED, at=ctx.now, by=ctx.actor.user_id, note=cmd.tracking)
    asset = _load(ctx, Asset, rma.asset_id)
    entitled = entitlement(asset=asset, contracts=ctx.children(Contract, asset.org_id), on=ctx.now.date())
    if ServiceModel.ADVANCE_EXCHANGE not in entitled.models:
        raise Forbidden(f"{asset.serial} is not entitled to advance exchange: {'; '.join(entitled.reasons)}")
    suspect = rma.part_serial or asset.serial
    replacement = normalise_serial(cmd.replacement_serial)
    check_pairing(suspect_serial=suspect, replacement_serial=replacement)
    out: Outcome = []
    if rma.part_serial:
        out += _take_spare(ctx, cmd, suspect=suspect, replacement=replacement, site_id=rma.site_id)
    else:
        _check_spare_chassis(ctx, asset, replacement)
    contract = _covering(ctx, asset)
    due = return_due_on(shipped_at=ctx.now, contract=contract, timezone=_timezone(ctx, rma.site_id))
    shipment = Shipment(
        id=cmd.shipment_id,
        org_id=rma.org_id,
        rma_id=rma.id,
        direction=ShipmentDirection.OUTBOUND,
        serials=(replacement,),
        carrier=cmd.carrier.strip(),
        tracking=cmd.tracking.strip(),
        status=ShipmentStatus.IN_TRANSIT,
        shipped_at=ctx.now,
    )
    obligation = ReturnObligation(
        id=cmd.obligation_id,
        org_id=rma.org_id,
        serial=suspect,
        source_collection=Rma.collection,
        source_id=rma.id,
        site_id=rma.site_id,
        replacement_serial=replacement,
        due_on=due,
        penalty_cents=contract.unreturned_penalty_cents if contract else 0,
    )
    shipped = replace(moved, return_due=due, replacement_serial=replacement)
    return [shipped, shipment, obligation, *out]


def _take_spare(ctx: Context, cmd: ShipReplacement, *, suspect: str, replacement: str, site_id: str | None) -> Outcome:
    if cmd.from_location_id is None:
        raise InvalidInput("say which stock location the replacement part comes from")
    spare = ctx.find(Part, replacement)
    if spare is None:
        raise NotFound(f"no spare part {replacement} that you can see")
    if spare.location not in (PartLocation.IN_STOCK, PartLocation.GRADED) or spare.location_id != cmd.from_location_id:
        raise PartUnavailable(
            f"part {replacement} is not in stock at the location you are taking it from",
            details={"location": spare.location.value, "location_id": spare.location_id},
        )
    old = ctx.find(Part, suspect)
    if old is not None and old.part_number_id != spare.part_number_id:
        raise InvalidInput(f"{replacement} is not the same part number as the suspect part {suspect}")
    level = _load(ctx, StockLevel, stock_level_id(cmd.from_location_id, spare.part_number_id)).adjusted(-1)
    return [spare.moved(PartLocation.IN_TRANSIT, cmd.shipment_id, site_id=site_id), level]


def _check_spare_chassis(ctx: Context, asset: Asset, replacement: str) -> None:
    spare = ctx.find(Asset, replacement)
    if spare is not None and spare.sku_id != asset.sku_id:
        raise InvalidInput(f"chassis {replacement} is another SKU than {asset.serial}")
    if spare is not None and spare.site_id is not None:
        raise PartUnavailable(f"chassis {replacement} is installed at a site, not a spare")


# depot receiving --------------------------------------------------------------------------------------------------
def receive_return(cmd: ReceiveReturn, ctx: Context) -> Outcome:
    _require_role(ctx, DEPOT_ROLES, "receive returns")
    code = cmd.code.strip()
    if not code:
        raise InvalidInput("scan the RMA label or the serial")
    rma, obligation, serial = _resolve(ctx, code)
    out: Outcome = []
    if rma is not None:
        if rma.status in ARRIVED:
            raise DuplicateRecord(
                f"{rma.number or serial} was already received ({rma.status})",
                details={"rma_id": rma.id, "status": rma.status.value, "duplicate_scan": code},
            )
        moved = rma
        if rma.status is RmaStatus.REPLACEMENT_SHIPPED:
            moved = moved.moved_to(RmaStatus.AWAITING_RETURN, at=ctx.now, by=ctx.actor.user_id)
        out.append(moved.moved_to(RmaStatus.RECEIVED, at=ctx.now, by=ctx.actor.user_id, note=f"scanned {code}"))
        obligation = obligation or _open_obligation(ctx, rma)
    if obligation is not None:
        if obligation.status is not ObligationStatus.OPEN and rma is None:
            raise DuplicateRecord(
                f"the return of {serial} was already received",
                details={"obligation_id": obligation.id, "duplicate_scan": code},
            )
        if obligation.status is ObligationStatus.OPEN:
            out.append(close_obligation(obligation, at=ctx.now))
    if rma is None and obligation is None:
        raise NotFound(f"no RMA or awaited return for {code!r}", details={"code": code})
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


def _resolve(ctx: Context, code: str) -> tuple[Rma | None, ReturnObligation | None, str]:
    """What a scan names: an RMA (by its number, or by the serial it is for) and/or an open return obligation."""
    rma = ctx.find(Rma, code.upper())
    if rma is not None:
        asset = _load(ctx, Asset, rma.asset_id)
        return rma, None, rma.part_serial or asset.serial
    serial = normalise_serial(code)
    part = ctx.find(Part, serial)
    if part is not None and part.location is PartLocation.AT_DEPOT:
        raise DuplicateRecord(
            f"{serial} is already at the depot", details={"depot_order_id": part.location_id, "duplicate_scan": code}
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
    _require_role(ctx, DEPOT_ROLES, "work depot orders")
    order = _load(ctx, DepotOrder, cmd.depot_order_id)
    moved = advance(order, cmd.to_stage, at=ctx.now, by=ctx.actor.user_id, error_codes=cmd.error_codes, note=cmd.note)
    out: Outcome = [moved]
    rma = ctx.get(Rma, order.rma_id) if order.rma_id else None
    if rma is not None and cmd.to_stage is DepotStage.TRIAGE and rma.status is RmaStatus.RECEIVED:
        out.append(rma.moved_to(RmaStatus.INSPECTION, at=ctx.now, by=ctx.actor.user_id, note="depot triage"))
    if cmd.to_stage is DepotStage.SHIPPED:
        part = ctx.find(Part, order.serial)
        if part is not None and part.location is PartLocation.AT_DEPOT:
            out.append(part.moved(PartLocation.IN_TRANSIT, order.id, site_id=rma.site_id if rma else None))
    return out


def grade_depot_order(cmd: GradeDepotOrder, ctx: Context) -> Outcome:
    _require_role(ctx, DEPOT_ROLES, "grade depot orders")
    order = _load(ctx, DepotOrder, cmd.depot_order_id)
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
        raise InvalidInput("say which refurbished pool the graded unit goes to")
    pool = _load(ctx, StockLocation, pool_location_id)
    if pool.kind is not StockLocationKind.REFURBISHED_POOL:
        raise RuleViolation(f"{pool.name} is not a refurbished pool")
    level = _level(ctx, pool, part.part_number_id).adjusted(+1)
    pooled = replace(part.moved(PartLocation.GRADED, pool.id), org_id=pool.org_id)
    return [pooled, level]


def _level(ctx: Context, location: StockLocation, part_number_id: str) -> StockLevel:
    level_id = stock_level_id(location.id, part_number_id)
    return ctx.get(StockLevel, level_id) or StockLevel(
        id=level_id,
        org_id=location.org_id,
        location_id=location.id,
        part_number_id=part_number_id,
        quantity=0,
        holder_user_id=location.holder_user_id,
    )


# return for credit ------------------------------------------------------------------------------------------------
def decide_rma_credit(cmd: DecideCredit, ctx: Context) -> Outcome:
    _require_role(ctx, DEPOT_ROLES, "decide a credit")
    rma = _load(ctx, Rma, cmd.rma_id)
    if rma.lane is not RmaLane.CREDIT:
        raise RuleViolation(f"this RMA is on the {rma.lane} lane; only the credit lane gets a credit decision")
    if rma.status is not RmaStatus.INSPECTION:
        raise IllegalTransition(
            f"a credit is decided at inspection, and this RMA is {rma.status}",
            details={"from": rma.status.value, "to": RmaStatus.CREDITED.value},
        )
    asset = _load(ctx, Asset, rma.asset_id)
    claimed_on = rma.created_at.date()
    active = [c for c in ctx.children(Contract, asset.org_id) if c.covers(asset.id, claimed_on)]
    contract = next((c for c in active if ServiceModel.RETURN_FOR_CREDIT in c.models), None)
    part = ctx.find(Part, rma.part_serial) if rma.part_serial else None
    item_id = part.part_number_id if part else asset.sku_id
    decision = decide_credit(
        claim=CreditClaim(
            reason=cmd.reason,
            delivered_on=asset.ship_date,
            claimed_on=claimed_on,
            kit_present=frozenset(cmd.kit_present),
            inspection=cmd.inspection,
        ),
        terms=CreditTerms(
            offered=contract is not None,
            price_cents=contract.price_of(item_id) if contract else None,
            claim_window_days=contract.credit_claim_window_days if contract else 0,
            restocking_fee_percent=contract.restocking_fee_percent if contract else 0,
        ),
    )
    decided = replace(rma, credit=decision)
    if decision.approved:
        decided = decided.moved_to(RmaStatus.CREDITED, at=ctx.now, by=ctx.actor.user_id, note=decision.reasons[-1])
    return [decided]


# spares -----------------------------------------------------------------------------------------------------------
def move_stock(cmd: MoveStock, ctx: Context) -> Outcome:
    source = _load(ctx, StockLocation, cmd.from_location_id)
    target = _load(ctx, StockLocation, cmd.to_location_id)
    if ctx.actor.role not in DEPOT_ROLES:
        # An engineer moves stock between their own van and a shared location: never into or out of a colleague's.
        held = [location for location in (source, target) if location.holder_user_id is not None]
        own = [location for location in held if location.holder_user_id == ctx.actor.user_id]
        if ctx.actor.role not in VAN_ROLES or not own or len(own) != len(held):
            raise Forbidden(f"a {ctx.actor.role} may only move stock into or out of their own van")
    if source.id == target.id:
        raise InvalidInput("moving stock needs two different locations")
    if cmd.quantity < 1:
        raise InvalidInput("move at least one part")
    if cmd.serials and len(set(cmd.serials)) != cmd.quantity:
        raise InvalidInput(f"{cmd.quantity} parts to move but {len(set(cmd.serials))} distinct serials given")
    if not cmd.reason.strip():
        raise InvalidInput("a stock move needs a reason")
    _load(ctx, PartNumber, cmd.part_number_id)
    taken = _level(ctx, source, cmd.part_number_id).adjusted(-cmd.quantity)
    given = _level(ctx, target, cmd.part_number_id).adjusted(+cmd.quantity)
    state = PartLocation.GRADED if target.kind is StockLocationKind.REFURBISHED_POOL else PartLocation.IN_STOCK
    parts: Outcome = []
    for raw in cmd.serials:
        serial = normalise_serial(raw)
        part = ctx.find(Part, serial)
        on_shelf = part is not None and part.location in (PartLocation.IN_STOCK, PartLocation.GRADED)
        if part is None or not on_shelf or part.location_id != source.id or part.part_number_id != cmd.part_number_id:
            raise PartUnavailable(f"part {serial} is not on the shelf at {source.name}", details={"serial": serial})
        parts.append(replace(part.moved(state, target.id), org_id=target.org_id))
    return [taken, given, *parts]
