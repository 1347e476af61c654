from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from sync.domain.asset import Asset, InstalledPart, Part, PartLocation
from sync.domain.catalog import Sku
from sync.domain.commands import SwapFru
from sync.domain.errors import (
    DepotOnlyPart,
    DomainError,
    Forbidden,
    InsufficientStock,
    InvalidInput,
    NotFound,
    PartUnavailable,
)
from sync.domain.handlers import decide
from sync.domain.logistics import ObligationStatus, ReturnObligation
from sync.domain.org import Role
from sync.domain.service import FruSwap
from sync.domain.stock import StockLevel
from tests.domain.world import (
    ALL_ROLES,
    ASSET,
    BACKPLANE,
    CONTRACT,
    FAN,
    FAN_NEW,
    FAN_OLD,
    NOW,
    OTHER_VAN,
    VAN,
    actor,
    level,
    world,
)

SWAP_ROLES = {Role.FIELD_ENGINEER, Role.INSTALLER, Role.SERVICE_DESK, Role.ADMIN}


def swap(**changes: object) -> SwapFru:
    fields: dict[str, object] = {
        "swap_id": "swap-1",
        "asset_id": "asset-1",
        "visit_id": "visit-1",
        "slot": "fan",
        "removed_serial": "fan-old",
        "installed_serial": "S/N: fan-new",
        "from_location_id": "van-1",
        "error_code": " E-FAN3 ",
        "reason": " tach failure ",
        "obligation_id": "obl-1",
        **changes,
    }
    return SwapFru(**fields)  # type: ignore[arg-type]


def test_a_swap_records_the_fact_moves_both_parts_takes_one_from_stock_and_opens_a_return() -> None:
    out = decide(swap(), world())
    assert [(type(e), e.id) for e in out] == [
        (FruSwap, "swap-1"),
        (Asset, "asset-1"),
        (Part, "part-fan-new"),
        (Part, "part-fan-old"),
        (StockLevel, "van-1:pn-fan"),
        (ReturnObligation, "obl-1"),
    ]
    fact, asset, installed, removed, stock, obligation = out
    assert fact == FruSwap(
        id="swap-1",
        org_id="org-acme",
        site_id="site-ber",
        asset_id="asset-1",
        visit_id="visit-1",
        slot="fan",
        removed_serial="FAN-OLD",
        installed_serial="FAN-NEW",
        error_code="E-FAN3",
        reason="tach failure",
        performed_by="u-field_engineer",
        performed_at=NOW,
    )
    assert asset == replace(
        ASSET,
        installed_parts=(
            InstalledPart(slot="bp", part_serial="BP-OLD"),
            InstalledPart(slot="fan", part_serial="FAN-NEW"),
        ),
    )
    assert installed == replace(FAN_NEW, location=PartLocation.INSTALLED, location_id="asset-1", site_id="site-ber")
    assert removed == replace(FAN_OLD, location=PartLocation.IN_TRANSIT, location_id="obl-1", site_id="site-ber")
    assert isinstance(stock, StockLevel) and stock.quantity == 1
    # Thursday 5 March + 10 working days in Berlin, no contract: Thursday 19 March.
    assert obligation == ReturnObligation(
        id="obl-1",
        org_id="org-acme",
        serial="FAN-OLD",
        source_collection="fru_swaps",
        source_id="swap-1",
        site_id="site-ber",
        replacement_serial="FAN-NEW",
        due_on=date(2026, 3, 19),
        penalty_cents=0,
        status=ObligationStatus.OPEN,
        contract_id=None,
        timezone="Europe/Berlin",
    )


def test_a_covering_contract_sets_the_return_window_holidays_and_penalty() -> None:
    contract = replace(
        CONTRACT, return_window_business_days=5, holidays=(date(2026, 3, 10),), unreturned_penalty_cents=9
    )
    out = decide(swap(), world().put(contract))
    obligation = out[-1]
    # Fri 6, Mon 9, (Tue 10 is a holiday), Wed 11, Thu 12, Fri 13.
    assert isinstance(obligation, ReturnObligation)
    assert (obligation.due_on, obligation.penalty_cents) == (date(2026, 3, 13), 9)
    # What set the due date stays with it, so the ledger ages it on the same calendar.
    assert (obligation.contract_id, obligation.timezone) == (CONTRACT.id, "Europe/Berlin")


def test_the_return_window_is_counted_from_the_date_at_the_site() -> None:
    # 23:30 UTC on Thursday is Friday morning in Tokyo: ten working days from Friday 6 March is Friday 20 March.
    ctx = world(now=datetime(2026, 3, 5, 23, 30, tzinfo=UTC))
    ctx.put(replace(ASSET, site_id="site-tyo", rack_id=None))
    obligation = decide(swap(), ctx)[-1]
    assert isinstance(obligation, ReturnObligation)
    assert (obligation.due_on, obligation.site_id, obligation.timezone) == (date(2026, 3, 20), "site-tyo", "Asia/Tokyo")


def test_a_removed_part_nobody_registered_is_created_on_its_way_back() -> None:
    ctx = world().put(replace(ASSET, installed_parts=()))
    out = decide(swap(removed_serial="fan-unknown"), ctx)
    removed = out[3]
    assert removed == Part(
        id="part:FAN-UNKNOWN",
        org_id="org-acme",
        serial="FAN-UNKNOWN",
        part_number_id="pn-fan",
        location=PartLocation.IN_TRANSIT,
        location_id="obl-1",
        site_id="site-ber",
    )


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_field_roles_may_swap_a_fru(role: Role) -> None:
    ctx = world(role)
    if role in SWAP_ROLES:
        assert decide(swap(), ctx)[0].id == "swap-1"
    else:
        with pytest.raises(Forbidden):
            decide(swap(), ctx)


@pytest.mark.parametrize(
    ("setup", "command", "error", "message"),
    [
        (None, swap(asset_id="asset-x"), NotFound, "asset"),
        ("no-sku", swap(), NotFound, "sku"),
        (None, swap(installed_serial="FAN-NOWHERE"), NotFound, "FAN-NOWHERE"),
        ("no-level", swap(), NotFound, "stock level"),
        (None, swap(slot="gpu"), InvalidInput, "no FRU slot 'gpu'"),
        (None, swap(installed_serial="FAN-OLD"), InvalidInput, "same serial"),
        (None, swap(removed_serial="<?>"), InvalidInput, "characters"),
        (None, swap(slot="psu", removed_serial="PSU-OLD", installed_serial="FAN-NEW"), InvalidInput, "does not go"),
        (None, swap(removed_serial="FAN-OTHER"), PartUnavailable, "holds FAN-OLD"),
        (None, swap(from_location_id="van-2"), PartUnavailable, "not in stock"),
        ("spare-installed", swap(), PartUnavailable, "not in stock"),
        (
            "removed-is-a-spare",
            swap(removed_serial="PSU-NEW", slot="psu", installed_serial="PSU-X"),
            PartUnavailable,
            "not installed",
        ),
        (None, swap(slot="bp", removed_serial="BP-OLD", installed_serial="BP-NEW"), DepotOnlyPart, "depot"),
        ("empty-van", swap(), InsufficientStock, "only 0"),
    ],
)
def test_a_swap_that_cannot_happen_is_refused_with_its_reason(
    setup: str | None, command: SwapFru, error: type[DomainError], message: str
) -> None:
    ctx = world()
    if setup == "no-sku":
        ctx.drop(Sku, "sku-2u")
    elif setup == "no-level":
        ctx.drop(StockLevel, "van-1:pn-fan")
    elif setup == "spare-installed":
        ctx.put(replace(FAN_NEW, location=PartLocation.INSTALLED, location_id="asset-9"))
    elif setup == "removed-is-a-spare":
        ctx.put(replace(FAN_NEW, id="part-psu-x", serial="PSU-X", part_number_id="pn-psu"))
    elif setup == "empty-van":
        ctx.put(level(VAN, FAN, 0))
    with pytest.raises(error, match=message) as raised:
        decide(command, ctx)
    assert type(raised.value) is error


def test_a_depot_only_part_is_refused_with_its_code_even_with_stock_on_hand() -> None:
    ctx = world().put(level(VAN, BACKPLANE, 5), level(OTHER_VAN, BACKPLANE, 5))
    with pytest.raises(DepotOnlyPart) as raised:
        decide(swap(slot="bp", removed_serial="BP-OLD", installed_serial="BP-NEW"), ctx)
    assert raised.value.code == "depot_only_part"


def test_a_swap_by_another_engineer_is_theirs() -> None:
    ctx = world()
    ctx.actor = actor(Role.FIELD_ENGINEER, user_id="u-other")
    fact = decide(swap(), ctx)[0]
    assert isinstance(fact, FruSwap) and fact.performed_by == "u-other"
