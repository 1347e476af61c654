"""RMAs: drafting, moving along the state machine (the desk's decisions, the approval gate), shipping an advance
exchange's replacement, and the return-for-credit decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.commands import AdvanceRma, DecideCredit, DraftRma, ShipReplacement
from sync.domain.context import Context
from sync.domain.contract import DEFAULT_CURRENCY, ServiceModel
from sync.domain.coverage import (
    CONTRACT_MODELS,
    entitlement_of,
    governing_contract_of,
    models_offered,
    return_terms_for,
    site_day,
)
from sync.domain.credit import CreditClaim, CreditTerms, decide_credit
from sync.domain.errors import Forbidden, InvalidInput, NotFound, PartUnavailable, RuleViolation
from sync.domain.exchange import check_pairing
from sync.domain.handlers.common import Outcome, load, require_role
from sync.domain.logistics import ReturnObligation, Shipment, ShipmentDirection, ShipmentStatus
from sync.domain.permissions import Action, require_rma_step
from sync.domain.rma import SHIPMENT_STATUSES, Rma, RmaStatus, credit_refusal, require_evidence, with_return_terms
from sync.domain.serials import normalise_serial
from sync.domain.stock import StockLevel, stock_level_id
from sync.domain.triage import triage_evidence
from sync.domain.words import Phrase, listed, words


def draft_rma(cmd: DraftRma, ctx: Context) -> Outcome:
    require_role(ctx, Action.DRAFT_RMA, "draft an RMA")
    asset = load(ctx, Asset, cmd.asset_id)
    if cmd.rack_depth_mm is not None and cmd.rack_depth_mm <= 0:
        raise InvalidInput(words("measured rack depth must be a positive number of millimetres"))
    rma = Rma(
        id=cmd.rma_id,
        org_id=asset.org_id,
        asset_id=asset.id,
        site_id=asset.site_id,
        part_serial=normalise_serial(cmd.part_serial) if cmd.part_serial else None,
        model=cmd.model,
        symptom=cmd.symptom.strip(),
        repro_steps=cmd.repro_steps.strip(),
        severity=cmd.severity.value,
        controller_involved=cmd.controller_involved,
        rack_depth_mm=cmd.rack_depth_mm,
        rail_kit_id=cmd.rail_kit_id,
        created_by=ctx.actor.user_id,
        created_at=ctx.now,
    )
    return [rma]


def _check_model_offered(ctx: Context, rma: Rma) -> None:
    """An approval may not promise a model the serial is not entitled to (advance exchange on a warranty-only unit)."""
    if rma.model not in CONTRACT_MODELS:
        return
    asset = load(ctx, Asset, rma.asset_id)
    entitled = entitlement_of(ctx, asset, site_day(ctx, asset.site_id, ctx.now))
    if rma.model not in models_offered(entitled):
        offered = listed(entitled.models, empty=words("none"))
        raise Forbidden(
            words(
                "{serial} is not entitled to “{model}” (offered: {offered})",
                serial=asset.serial,
                model=rma.model,
                offered=offered,
            ),
            details={"model": rma.model.value, "offered": [m.value for m in entitled.models]},
        )


def advance_rma(cmd: AdvanceRma, ctx: Context) -> Outcome:
    rma = load(ctx, Rma, cmd.rma_id)
    target = cmd.to_status
    require_rma_step(ctx.actor.role, rma, target)
    if target in SHIPMENT_STATUSES:
        raise RuleViolation(
            words(
                "an RMA becomes “{status}” when the depot ships its unit with a carrier and tracking number",
                status=target,
            ),
            details={"from": rma.status.value, "to": target.value},
        )
    moved = rma.moved_to(target, at=ctx.now, by=ctx.actor.user_id, note=cmd.note)
    if target is RmaStatus.NEEDS_INFO:
        if not cmd.note.strip():
            raise InvalidInput(words("sending an RMA back needs the question to ask"))
        moved = replace(moved, question=cmd.note.strip())
    if target is RmaStatus.APPROVED:
        require_evidence(triage_evidence(ctx, rma))
        if cmd.lane is None:
            raise InvalidInput(words("approval must choose a lane: repair, replace or credit"))
        moved = replace(moved, lane=cmd.lane, model=cmd.model or rma.model, number=ctx.issue_rma_number())
        _check_model_offered(ctx, moved)
    if target is RmaStatus.AWAITING_RETURN or target is RmaStatus.REPLACEMENT_SHIPPED:
        asset = load(ctx, Asset, rma.asset_id)
        contract = governing_contract_of(ctx, asset, site_day(ctx, asset.site_id, ctx.now))
        if (
            rma.model is ServiceModel.ADVANCE_EXCHANGE
            and contract is not None
            and (ServiceModel.ADVANCE_EXCHANGE not in contract.models)
        ):
            raise Forbidden(words("contract {number} does not offer advance exchange", number=contract.number))
        if moved.return_due is None:
            terms = return_terms_for(ctx, asset, shipped_at=ctx.now, site_id=rma.site_id)
            moved = with_return_terms(moved, terms)
    return [moved]


def _joined(reasons: Sequence[Phrase]) -> Phrase:
    """The reasons as one phrase, "; " between them, each still translatable."""
    joined = reasons[0] if reasons else Phrase("")
    for reason in reasons[1:]:
        joined = words("{before}; {after}", before=joined, after=reason)
    return joined


# advance exchange -------------------------------------------------------------------------------------------------
def ship_replacement(cmd: ShipReplacement, ctx: Context) -> Outcome:
    require_role(ctx, Action.SHIP_REPLACEMENT, "ship a replacement")
    rma = load(ctx, Rma, cmd.rma_id)
    moved = rma.moved_to(RmaStatus.REPLACEMENT_SHIPPED, at=ctx.now, by=ctx.actor.user_id, note=cmd.tracking)
    asset = load(ctx, Asset, rma.asset_id)
    entitled = entitlement_of(ctx, asset, site_day(ctx, asset.site_id, ctx.now))
    if ServiceModel.ADVANCE_EXCHANGE not in entitled.models:
        raise Forbidden(
            words(
                "{serial} is not entitled to advance exchange: {reasons}",
                serial=asset.serial,
                reasons=_joined(entitled.reasons),
            )
        )
    suspect = rma.part_serial or asset.serial
    replacement = normalise_serial(cmd.replacement_serial)
    check_pairing(suspect_serial=suspect, replacement_serial=replacement)
    out: Outcome = []
    if rma.part_serial:
        out += _take_spare(ctx, cmd, suspect=suspect, replacement=replacement, site_id=rma.site_id)
    else:
        _check_spare_chassis(ctx, asset, replacement)
    terms = return_terms_for(ctx, asset, shipped_at=ctx.now, site_id=rma.site_id)
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
        due_on=terms.due_on,
        penalty_cents=terms.penalty_cents,
        currency=terms.currency,
        contract_id=terms.contract_id,
        timezone=terms.timezone,
    )
    shipped = replace(with_return_terms(moved, terms), replacement_serial=replacement)
    return [shipped, shipment, obligation, *out]


def _take_spare(ctx: Context, cmd: ShipReplacement, *, suspect: str, replacement: str, site_id: str | None) -> Outcome:
    if cmd.from_location_id is None:
        raise InvalidInput(words("say which stock location the replacement part comes from"))
    spare = ctx.find(Part, replacement)
    if spare is None:
        raise NotFound(words("no spare part {serial} that you can see", serial=replacement))
    if spare.location not in (PartLocation.IN_STOCK, PartLocation.GRADED) or spare.location_id != cmd.from_location_id:
        raise PartUnavailable(
            words("part {serial} is not in stock at the location you are taking it from", serial=replacement),
            details={"location": spare.location.value, "location_id": spare.location_id},
        )
    old = ctx.find(Part, suspect)
    if old is not None and old.part_number_id != spare.part_number_id:
        raise InvalidInput(
            words(
                "{replacement} is not the same part number as the suspect part {suspect}",
                replacement=replacement,
                suspect=suspect,
            )
        )
    level = load(ctx, StockLevel, stock_level_id(cmd.from_location_id, spare.part_number_id)).adjusted(-1)
    return [spare.moved(PartLocation.IN_TRANSIT, cmd.shipment_id, site_id=site_id), level]


def _check_spare_chassis(ctx: Context, asset: Asset, replacement: str) -> None:
    spare = ctx.find(Asset, replacement)
    if spare is not None and spare.sku_id != asset.sku_id:
        raise InvalidInput(
            words("chassis {replacement} is another SKU than {chassis}", replacement=replacement, chassis=asset.serial)
        )
    if spare is not None and spare.site_id is not None:
        raise PartUnavailable(words("chassis {serial} is installed at a site, not a spare", serial=replacement))


# return for credit ------------------------------------------------------------------------------------------------
def decide_rma_credit(cmd: DecideCredit, ctx: Context) -> Outcome:
    require_role(ctx, Action.DECIDE_CREDIT, "decide a credit")
    rma = load(ctx, Rma, cmd.rma_id)
    refusal = credit_refusal(rma)
    if refusal is not None:
        raise refusal
    asset = load(ctx, Asset, rma.asset_id)
    claimed_on = site_day(ctx, rma.site_id, rma.created_at)
    governing = governing_contract_of(ctx, asset, claimed_on)
    # Credit terms come from the contract that governs the unit on the claim day, as the approval's entitlement did.
    contract = governing if governing and ServiceModel.RETURN_FOR_CREDIT in governing.models else None
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
            currency=contract.currency if contract else DEFAULT_CURRENCY,
        ),
    )
    decided = replace(rma, credit=decision)
    if decision.approved:
        decided = decided.moved_to(RmaStatus.CREDITED, at=ctx.now, by=ctx.actor.user_id, note=decision.reasons[-1])
    return [decided]
