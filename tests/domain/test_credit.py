"""Return-for-credit guardrails, one rule per row: each failure is named alone, fees and amounts are computed."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from sync.domain.credit import (
    CreditClaim,
    CreditReason,
    CreditRule,
    CreditTerms,
    InspectionFindings,
    KitItem,
    decide_credit,
    is_defective,
    money,
)

DELIVERED = date(2026, 3, 2)
CLEAN = CreditClaim(
    reason=CreditReason.NOT_NEEDED,
    delivered_on=DELIVERED,
    claimed_on=DELIVERED + timedelta(days=10),
    kit_present=frozenset(KitItem),
    inspection=InspectionFindings(),
)
TERMS = CreditTerms(offered=True, price_cents=400_000, claim_window_days=30, restocking_fee_percent=15)


def test_a_clean_non_defective_return_is_credited_minus_the_restocking_fee_and_says_so() -> None:
    decision = decide_credit(claim=CLEAN, terms=TERMS)
    assert (decision.approved, decision.amount_cents, decision.fee_cents, decision.price_cents) == (
        True,
        340_000,
        60_000,
        400_000,
    )
    assert decision.failed == ()
    assert not decision.defective
    assert decision.reasons == (
        "claim made 10 days after delivery, inside the 30-day window",
        "kit complete: accessories, rails, screws and packaging returned",
        "inspection passed",
        "non-defective return: restocking fee 15% = EUR 600.00",
        "credit EUR 4,000.00 - fee EUR 600.00 = EUR 3,400.00",
    )


@pytest.mark.parametrize(
    ("change", "terms_change", "rule", "reason"),
    [
        pytest.param(
            {"claimed_on": DELIVERED + timedelta(days=31)},
            {},
            CreditRule.CLAIM_WINDOW,
            "claim made 31 days after delivery, outside the 30-day window",
            id="window-late",
        ),
        pytest.param(
            {"claimed_on": DELIVERED - timedelta(days=1)},
            {},
            CreditRule.CLAIM_WINDOW,
            "claim made -1 days after delivery, outside the 30-day window",
            id="window-before-delivery",
        ),
        pytest.param(
            {"delivered_on": None},
            {},
            CreditRule.CLAIM_WINDOW,
            "no delivery date on record, so the claim window cannot be checked",
            id="window-no-delivery",
        ),
        *[
            pytest.param(
                {"kit_present": frozenset(KitItem) - {item}},
                {},
                CreditRule(f"kit_{item.value}"),
                f"kit incomplete: {item.value} missing",
                id=f"kit-{item.value}",
            )
            for item in KitItem
        ],
        pytest.param(
            {"inspection": InspectionFindings(physical_damage=True)},
            {},
            CreditRule.INSPECTION_DAMAGE,
            "inspection failed: physical damage beyond transit wear",
            id="damage",
        ),
        pytest.param(
            {"inspection": InspectionFindings(seal_intact=False)},
            {},
            CreditRule.INSPECTION_SEAL,
            "inspection failed: warranty seal broken",
            id="seal",
        ),
        pytest.param(
            {"inspection": InspectionFindings(serial_label_intact=False)},
            {},
            CreditRule.INSPECTION_LABEL,
            "inspection failed: serial label missing or not matching",
            id="label",
        ),
        pytest.param(
            {},
            {"price_cents": None},
            CreditRule.PRICE_ON_RECORD,
            "no price on record for this item, so there is nothing to credit against",
            id="price",
        ),
        pytest.param(
            {},
            {"offered": False},
            CreditRule.OFFERED,
            "no contract covering this serial offers return for credit",
            id="offered",
        ),
    ],
)
def test_each_guardrail_alone_denies_the_credit_and_names_its_rule_and_reason(
    change: dict[str, object], terms_change: dict[str, object], rule: CreditRule, reason: str
) -> None:
    claim = replace(CLEAN, **change)  # type: ignore[arg-type]
    decision = decide_credit(claim=claim, terms=replace(TERMS, **terms_change))  # type: ignore[arg-type]
    assert decision.failed == (rule,)
    assert reason in decision.reasons
    assert (decision.approved, decision.amount_cents, decision.fee_cents) == (False, 0, 0)
    assert decision.reasons[-1] == "credit denied"


@pytest.mark.parametrize("days", [0, 30])
def test_the_claim_window_includes_the_delivery_day_and_its_last_day(days: int) -> None:
    decision = decide_credit(claim=replace(CLEAN, claimed_on=DELIVERED + timedelta(days=days)), terms=TERMS)
    assert decision.approved


def test_every_failing_rule_is_listed_at_once_in_rule_order() -> None:
    claim = replace(
        CLEAN,
        claimed_on=DELIVERED + timedelta(days=90),
        kit_present=frozenset(),
        inspection=InspectionFindings(physical_damage=True, seal_intact=False, serial_label_intact=False),
    )
    decision = decide_credit(claim=claim, terms=replace(TERMS, offered=False, price_cents=None))
    assert decision.failed == (
        CreditRule.OFFERED,
        CreditRule.CLAIM_WINDOW,
        CreditRule.KIT_ACCESSORIES,
        CreditRule.KIT_RAILS,
        CreditRule.KIT_SCREWS,
        CreditRule.KIT_PACKAGING,
        CreditRule.INSPECTION_DAMAGE,
        CreditRule.INSPECTION_SEAL,
        CreditRule.INSPECTION_LABEL,
        CreditRule.PRICE_ON_RECORD,
    )


@pytest.mark.parametrize(
    ("reason", "findings", "defective"),
    [
        (CreditReason.DEAD_ON_ARRIVAL, InspectionFindings(fault_confirmed=True), True),
        (CreditReason.DEAD_ON_ARRIVAL, InspectionFindings(), False),
        (CreditReason.DEAD_ON_ARRIVAL, InspectionFindings(spec_mismatch_confirmed=True), False),
        (CreditReason.WRONG_SPEC, InspectionFindings(spec_mismatch_confirmed=True), True),
        (CreditReason.WRONG_SPEC, InspectionFindings(fault_confirmed=True), False),
        (CreditReason.NOT_NEEDED, InspectionFindings(fault_confirmed=True, spec_mismatch_confirmed=True), False),
    ],
)
def test_only_the_oems_fault_confirmed_at_inspection_makes_a_return_defective(
    reason: CreditReason, findings: InspectionFindings, defective: bool
) -> None:
    claim = replace(CLEAN, reason=reason, inspection=findings)
    assert is_defective(claim) is defective
    decision = decide_credit(claim=claim, terms=TERMS)
    assert decision.defective is defective
    assert (decision.fee_cents, decision.amount_cents) == ((0, 400_000) if defective else (60_000, 340_000))


def test_a_confirmed_doa_explains_why_no_fee_is_charged() -> None:
    claim = replace(CLEAN, reason=CreditReason.DEAD_ON_ARRIVAL, inspection=InspectionFindings(fault_confirmed=True))
    assert (
        "dead on arrival confirmed at inspection: no restocking fee" in decide_credit(claim=claim, terms=TERMS).reasons
    )


@pytest.mark.parametrize(
    ("price", "percent", "fee"), [(400_000, 15, 60_000), (99_999, 15, 14_999), (1_000, 0, 0), (1_000, 100, 1_000)]
)
def test_the_restocking_fee_is_the_percentage_rounded_down_to_the_cent(price: int, percent: int, fee: int) -> None:
    decision = decide_credit(claim=CLEAN, terms=replace(TERMS, price_cents=price, restocking_fee_percent=percent))
    assert (decision.fee_cents, decision.amount_cents) == (fee, price - fee)


@pytest.mark.parametrize(
    ("cents", "currency", "text"),
    [(0, "EUR", "EUR 0.00"), (5, "USD", "USD 0.05"), (123_456_78, "JPY", "JPY 123,456.78"), (-150, "EUR", "EUR -1.50")],
)
def test_money_is_shown_with_its_currency_thousands_and_two_decimals(cents: int, currency: str, text: str) -> None:
    assert money(cents, currency) == text
