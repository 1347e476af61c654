from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest

from sync.domain.asset import Asset
from sync.domain.calendar import MONDAY_TO_FRIDAY, Coverage
from sync.domain.contract import Contract, ServiceModel, ServiceTier
from sync.domain.coverage import entitlement
from sync.domain.errors import InvalidInput

M = ServiceModel
TODAY = date(2026, 3, 5)
ASSET = Asset(id="a1", org_id="acme", serial="NB1", sku_id="sku", revision="A", warranty_end=date(2027, 1, 31))
SILVER = ServiceTier(name="Silver", response_hours=8, restore_hours=24, coverage=Coverage.BUSINESS_HOURS)
GOLD = ServiceTier(name="Gold", response_hours=4, restore_hours=8, coverage=Coverage.ALWAYS)


def contract(
    number: str = "C-1",
    *,
    tier: ServiceTier = SILVER,
    models: tuple[ServiceModel, ...] = (M.STANDARD, M.ON_SITE),
    starts_on: date = date(2026, 1, 1),
    ends_on: date = date(2026, 12, 31),
    asset_ids: tuple[str, ...] = ("a1",),
) -> Contract:
    return Contract(
        id=number.lower(),
        org_id="acme",
        number=number,
        tier=tier,
        models=models,
        starts_on=starts_on,
        ends_on=ends_on,
        asset_ids=asset_ids,
    )


@pytest.mark.parametrize(
    ("warranty_end", "under_warranty", "models", "first_reason"),
    [
        (date(2027, 1, 31), True, (M.STANDARD, M.DEPOT_REPAIR), "under warranty until 2027-01-31"),
        (TODAY, True, (M.STANDARD, M.DEPOT_REPAIR), "under warranty until 2026-03-05"),
        (date(2026, 3, 4), False, (), "warranty ended 2026-03-04"),
        (None, False, (), "no warranty end date on record"),
    ],
)
def test_without_a_contract_warranty_alone_decides_the_entitlement(
    warranty_end: date | None, under_warranty: bool, models: tuple[ServiceModel, ...], first_reason: str
) -> None:
    result = entitlement(asset=replace(ASSET, warranty_end=warranty_end), contracts=[], on=TODAY)
    assert result.under_warranty is under_warranty
    assert result.covered is under_warranty
    assert (result.contract_id, result.tier, result.models) == (None, None, models)
    assert tuple(map(str, result.reasons)) == (first_reason, "no service contract covers this serial")


def test_a_contract_in_term_covers_an_expired_chassis_with_its_own_models() -> None:
    expired = replace(ASSET, warranty_end=date(2025, 1, 31))
    result = entitlement(asset=expired, contracts=[contract()], on=TODAY)
    assert (result.under_warranty, result.covered) == (False, True)
    assert (result.contract_id, result.tier, result.models) == ("c-1", "Silver", (M.STANDARD, M.ON_SITE))
    assert tuple(map(str, result.reasons)) == ("warranty ended 2025-01-31", "contract C-1 (Silver) until 2026-12-31")


@pytest.mark.parametrize("on", [date(2026, 1, 1), date(2026, 12, 31)], ids=["first-day", "last-day"])
def test_a_contract_covers_its_first_and_last_day(on: date) -> None:
    assert entitlement(asset=ASSET, contracts=[contract()], on=on).contract_id == "c-1"


@pytest.mark.parametrize(
    ("starts_on", "ends_on"),
    [(date(2024, 1, 1), date(2026, 3, 4)), (date(2026, 3, 6), date(2026, 12, 31))],
    ids=["ended-yesterday", "starts-tomorrow"],
)
def test_a_contract_out_of_term_is_named_as_the_reason_it_does_not_cover(starts_on: date, ends_on: date) -> None:
    lapsed = contract("C-0", starts_on=starts_on, ends_on=ends_on)
    result = entitlement(asset=replace(ASSET, warranty_end=date(2025, 1, 31)), contracts=[lapsed], on=TODAY)
    assert (result.covered, result.contract_id, result.models) == (False, None, ())
    assert tuple(map(str, result.reasons)) == (
        "warranty ended 2025-01-31",
        f"contract C-0 not in term ({starts_on}..{ends_on})",
    )


def test_a_lapsed_contract_leaves_the_warranty_models_in_place() -> None:
    lapsed = contract("C-0", starts_on=date(2024, 1, 1), ends_on=date(2025, 12, 31))
    result = entitlement(asset=ASSET, contracts=[lapsed], on=TODAY)
    assert (result.covered, result.contract_id, result.models) == (True, None, (M.STANDARD, M.DEPOT_REPAIR))
    assert str(result.reasons[1]) == "contract C-0 not in term (2024-01-01..2025-12-31)"


def test_a_contract_for_other_chassis_is_neither_coverage_nor_a_reason() -> None:
    result = entitlement(asset=ASSET, contracts=[contract(asset_ids=("a2",))], on=TODAY)
    assert result.contract_id is None
    assert tuple(map(str, result.reasons)) == (
        "under warranty until 2027-01-31",
        "no service contract covers this serial",
    )


@pytest.mark.parametrize("order", [(0, 1), (1, 0)], ids=["silver-first", "gold-first"])
def test_of_two_covering_contracts_the_fastest_response_wins_whatever_the_order(order: tuple[int, int]) -> None:
    both = [contract("C-S"), contract("C-G", tier=GOLD, models=(M.ADVANCE_EXCHANGE,))]
    result = entitlement(asset=ASSET, contracts=[both[i] for i in order], on=TODAY)
    assert (result.contract_id, result.tier, result.models) == ("c-g", "Gold", (M.ADVANCE_EXCHANGE,))
    assert str(result.reasons[-1]) == "contract C-G (Gold) until 2026-12-31"


def test_a_contract_cannot_end_before_it_starts() -> None:
    with pytest.raises(InvalidInput, match="ends before it starts"):
        contract(starts_on=date(2026, 3, 5), ends_on=date(2026, 3, 4))


@pytest.mark.parametrize(("response", "restore"), [(0, 8), (-1, 8), (8, 4)])
def test_a_tier_needs_a_positive_response_that_comes_before_restore(response: float, restore: float) -> None:
    with pytest.raises(InvalidInput, match="restore must not come before response"):
        ServiceTier(name="Bad", response_hours=response, restore_hours=restore, coverage=Coverage.ALWAYS)


def test_a_contract_calendar_carries_its_tier_hours_and_holidays_into_the_site_timezone() -> None:
    tier = replace(SILVER, day_start=time(7, 0), day_end=time(19, 0))
    base = contract(tier=tier)
    calendar = replace(base, holidays=(date(2026, 12, 25),)).calendar("Asia/Tokyo")
    assert (calendar.timezone, calendar.coverage) == ("Asia/Tokyo", Coverage.BUSINESS_HOURS)
    assert (calendar.day_start, calendar.day_end, calendar.workdays) == (time(7, 0), time(19, 0), MONDAY_TO_FRIDAY)
    assert calendar.holidays == frozenset({date(2026, 12, 25)})
