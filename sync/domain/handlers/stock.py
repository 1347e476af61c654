"""Spares: adjusting a stock level, moving stock between locations (a van's holder moves their own)."""

from __future__ import annotations

from dataclasses import replace

from sync.domain.asset import Part, PartLocation
from sync.domain.catalog import PartNumber
from sync.domain.commands import AdjustStock, MoveStock
from sync.domain.context import Context
from sync.domain.errors import Forbidden, InvalidInput, PartUnavailable
from sync.domain.handlers.common import Outcome, load, require_role, stock_level
from sync.domain.permissions import Action, may
from sync.domain.serials import normalise_serial
from sync.domain.stock import StockLocation, StockLocationKind
from sync.domain.words import words


def adjust_stock(cmd: AdjustStock, ctx: Context) -> Outcome:
    require_role(ctx, Action.ADJUST_STOCK, "adjust stock")
    location = load(ctx, StockLocation, cmd.location_id)
    load(ctx, PartNumber, cmd.part_number_id)
    if not cmd.reason.strip():
        raise InvalidInput(words("a stock adjustment needs a reason"))
    return [stock_level(ctx, location, cmd.part_number_id).adjusted(cmd.delta)]


# spares -----------------------------------------------------------------------------------------------------------
def move_stock(cmd: MoveStock, ctx: Context) -> Outcome:
    source = load(ctx, StockLocation, cmd.from_location_id)
    target = load(ctx, StockLocation, cmd.to_location_id)
    if not may(ctx.actor.role, Action.MOVE_ANY_STOCK):
        # An engineer moves stock between their own van and a shared location: never into or out of a colleague's.
        held = [location for location in (source, target) if location.holder_user_id is not None]
        own = [location for location in held if location.holder_user_id == ctx.actor.user_id]
        if not may(ctx.actor.role, Action.MOVE_OWN_VAN_STOCK) or not own or len(own) != len(held):
            raise Forbidden(words("a {role} may only move stock into or out of their own van", role=ctx.actor.role))
    if source.id == target.id:
        raise InvalidInput(words("moving stock needs two different locations"))
    if cmd.quantity < 1:
        raise InvalidInput(words("move at least one part"))
    if cmd.serials and len(set(cmd.serials)) != cmd.quantity:
        raise InvalidInput(
            words(
                "{quantity} parts to move but {distinct} distinct serials given",
                quantity=cmd.quantity,
                distinct=len(set(cmd.serials)),
            )
        )
    if not cmd.reason.strip():
        raise InvalidInput(words("a stock move needs a reason"))
    load(ctx, PartNumber, cmd.part_number_id)
    taken = stock_level(ctx, source, cmd.part_number_id).adjusted(-cmd.quantity)
    given = stock_level(ctx, target, cmd.part_number_id).adjusted(+cmd.quantity)
    state = PartLocation.GRADED if target.kind is StockLocationKind.REFURBISHED_POOL else PartLocation.IN_STOCK
    parts: Outcome = []
    for raw in cmd.serials:
        serial = normalise_serial(raw)
        part = ctx.find(Part, serial)
        on_shelf = part is not None and part.location in (PartLocation.IN_STOCK, PartLocation.GRADED)
        if part is None or not on_shelf or part.location_id != source.id or part.part_number_id != cmd.part_number_id:
            raise PartUnavailable(
                words("part {serial} is not on the shelf at {location}", serial=serial, location=source.name),
                details={"serial": serial},
            )
        parts.append(replace(part.moved(state, target.id), org_id=target.org_id))
    return [taken, given, *parts]
