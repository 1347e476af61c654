"""Return-for-credit guardrails: a credit is computed from the claim, the kit, the inspection and the contract.

Nobody types a credit amount in. ``decide_credit`` checks every rule, keeps going after a failure so the screen can
list all of them at once, and explains each step in words:

    rule              passes when
    claim_window      the claim was made within the contract's window after delivery (DOA and wrong spec alike)
    kit_<item>        accessories, rails, screws and the original packaging all came back
    inspection_*      no damage beyond transit, warranty seal intact, serial label intact and matching
    price_on_record   the contract lists a price for what comes back (the credit base)
    offered           the covering contract offers return for credit

A return is *non-defective* unless the inspection confirms the OEM's fault (a confirmed dead-on-arrival fault or a
confirmed wrong spec); non-defective returns pay the contract's restocking fee.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sync.domain.contract import DEFAULT_CURRENCY


class CreditReason(StrEnum):
    DEAD_ON_ARRIVAL = "dead_on_arrival"
    WRONG_SPEC = "wrong_spec"
    NOT_NEEDED = "not_needed"


class KitItem(StrEnum):
    ACCESSORIES = "accessories"
    RAILS = "rails"
    SCREWS = "screws"
    PACKAGING = "packaging"


class CreditRule(StrEnum):
    CLAIM_WINDOW = "claim_window"
    KIT_ACCESSORIES = "kit_accessories"
    KIT_RAILS = "kit_rails"
    KIT_SCREWS = "kit_screws"
    KIT_PACKAGING = "kit_packaging"
    INSPECTION_DAMAGE = "inspection_damage"
    INSPECTION_SEAL = "inspection_seal"
    INSPECTION_LABEL = "inspection_label"
    PRICE_ON_RECORD = "price_on_record"
    OFFERED = "offered"


KIT_RULES = {
    KitItem.ACCESSORIES: CreditRule.KIT_ACCESSORIES,
    KitItem.RAILS: CreditRule.KIT_RAILS,
    KitItem.SCREWS: CreditRule.KIT_SCREWS,
    KitItem.PACKAGING: CreditRule.KIT_PACKAGING,
}


@dataclass(frozen=True, kw_only=True)
class InspectionFindings:
    """What the depot inspector saw. The defaults describe a clean unit that works."""

    fault_confirmed: bool = False
    spec_mismatch_confirmed: bool = False
    physical_damage: bool = False
    seal_intact: bool = True
    serial_label_intact: bool = True


@dataclass(frozen=True, kw_only=True)
class CreditClaim:
    reason: CreditReason
    delivered_on: date | None
    claimed_on: date
    kit_present: frozenset[KitItem]
    inspection: InspectionFindings


@dataclass(frozen=True, kw_only=True)
class CreditTerms:
    offered: bool
    price_cents: int | None
    claim_window_days: int
    restocking_fee_percent: int
    currency: str = DEFAULT_CURRENCY


@dataclass(frozen=True, kw_only=True)
class CreditDecision:
    approved: bool
    amount_cents: int
    fee_cents: int
    price_cents: int
    defective: bool
    failed: tuple[CreditRule, ...]
    reasons: tuple[str, ...]
    currency: str = DEFAULT_CURRENCY  # of the amounts above; decisions stored before it were in euros


def money(cents: int, currency: str) -> str:
    """An exact amount with its currency, always: ``EUR 1,234.56`` (never a bare number a reader must guess)."""
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{currency} {sign}{cents // 100:,}.{cents % 100:02d}"


def is_defective(claim: CreditClaim) -> bool:
    """The OEM's fault, confirmed at inspection: no restocking fee."""
    if claim.reason is CreditReason.DEAD_ON_ARRIVAL:
        return claim.inspection.fault_confirmed
    if claim.reason is CreditReason.WRONG_SPEC:
        return claim.inspection.spec_mismatch_confirmed
    return False


def _window(claim: CreditClaim, terms: CreditTerms) -> tuple[bool, str]:
    if claim.delivered_on is None:
        return False, "no delivery date on record, so the claim window cannot be checked"
    days = (claim.claimed_on - claim.delivered_on).days
    inside = 0 <= days <= terms.claim_window_days
    where = "inside" if inside else "outside"
    return inside, f"claim made {days} days after delivery, {where} the {terms.claim_window_days}-day window"


def _inspection(findings: InspectionFindings) -> list[tuple[CreditRule, str]]:
    failures = []
    if findings.physical_damage:
        failures.append((CreditRule.INSPECTION_DAMAGE, "inspection failed: physical damage beyond transit wear"))
    if not findings.seal_intact:
        failures.append((CreditRule.INSPECTION_SEAL, "inspection failed: warranty seal broken"))
    if not findings.serial_label_intact:
        failures.append((CreditRule.INSPECTION_LABEL, "inspection failed: serial label missing or not matching"))
    return failures


def decide_credit(*, claim: CreditClaim, terms: CreditTerms) -> CreditDecision:
    failed: list[CreditRule] = []
    reasons: list[str] = []
    if not terms.offered:
        failed.append(CreditRule.OFFERED)
        reasons.append("no contract covering this serial offers return for credit")
    inside, text = _window(claim, terms)
    reasons.append(text)
    if not inside:
        failed.append(CreditRule.CLAIM_WINDOW)
    missing = [item for item in KitItem if item not in claim.kit_present]
    for item in missing:
        failed.append(KIT_RULES[item])
        reasons.append(f"kit incomplete: {item.value} missing")
    if not missing:
        reasons.append("kit complete: accessories, rails, screws and packaging returned")
    inspection = _inspection(claim.inspection)
    failed.extend(rule for rule, _ in inspection)
    reasons.extend(text for _, text in inspection)
    if not inspection:
        reasons.append("inspection passed")
    if terms.price_cents is None:
        failed.append(CreditRule.PRICE_ON_RECORD)
        reasons.append("no price on record for this item, so there is nothing to credit against")
    price = terms.price_cents or 0
    defective = is_defective(claim)
    fee = 0 if defective else price * terms.restocking_fee_percent // 100
    if defective:
        reasons.append(f"{claim.reason.value.replace('_', ' ')} confirmed at inspection: no restocking fee")
    else:
        reasons.append(
            f"non-defective return: restocking fee {terms.restocking_fee_percent}% = {money(fee, terms.currency)}",
        )
    approved = not failed
    amount = price - fee if approved else 0
    if approved:
        cur = terms.currency
        reasons.append(f"credit {money(price, cur)} - fee {money(fee, cur)} = {money(amount, cur)}")
    else:
        reasons.append("credit denied")
    return CreditDecision(
        approved=approved,
        amount_cents=amount,
        fee_cents=fee if approved else 0,
        price_cents=price,
        defective=defective,
        failed=tuple(failed),
        reasons=tuple(reasons),
        currency=terms.currency,
    )
