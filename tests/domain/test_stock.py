from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sync.domain.errors import InsufficientStock, InvalidInput
from sync.domain.stock import StockLevel, stock_level_id


def level(quantity: int, *, level_id: str = "van-1:pn-fan", low_threshold: int = 0) -> StockLevel:
    return StockLevel(
        id=level_id,
        org_id="oem",
        location_id="van-1",
        part_number_id="pn-fan",
        quantity=quantity,
        low_threshold=low_threshold,
    )


def test_a_level_id_is_its_location_and_part_number() -> None:
    assert stock_level_id("van-1", "pn-fan") == "van-1:pn-fan"


@pytest.mark.parametrize("level_id", ["pn-fan:van-1", "van-1", "van-1:pn-psu", ""])
def test_a_level_under_any_other_id_cannot_be_built(level_id: str) -> None:
    with pytest.raises(InvalidInput, match="location and part number"):
        level(1, level_id=level_id)


def test_a_negative_level_cannot_be_built() -> None:
    with pytest.raises(InsufficientStock) as raised:
        level(-1)
    assert raised.value.code == "insufficient_stock"


@pytest.mark.parametrize(("quantity", "delta", "expected"), [(2, -1, 1), (2, -2, 0), (0, 3, 3), (5, 0, 5)])
def test_adjusting_a_level_returns_a_changed_copy(quantity: int, delta: int, expected: int) -> None:
    before = level(quantity)
    assert before.adjusted(delta).quantity == expected
    assert before.quantity == quantity


@pytest.mark.parametrize(("quantity", "delta"), [(0, -1), (2, -3)])
def test_taking_more_than_is_there_is_refused_with_the_place_and_part(quantity: int, delta: int) -> None:
    with pytest.raises(InsufficientStock) as raised:
        level(quantity).adjusted(delta)
    assert raised.value.details == {
        "location_id": "van-1",
        "part_number_id": "pn-fan",
        "words": {
            "template": "only {quantity} of this part at this location; cannot take {wanted}",
            "values": {"quantity": quantity, "wanted": -delta},
        },
    }


@pytest.mark.parametrize(("quantity", "low"), [(0, True), (2, True), (3, False)])
def test_a_level_at_or_below_its_threshold_is_low(quantity: int, low: bool) -> None:
    assert level(quantity, low_threshold=2).low is low


@given(quantity=st.integers(min_value=0, max_value=10_000), delta=st.integers(min_value=-20_000, max_value=20_000))
def test_an_adjusted_level_is_never_negative(quantity: int, delta: int) -> None:
    try:
        after = level(quantity).adjusted(delta)
    except InsufficientStock:
        assert quantity + delta < 0
    else:
        assert after.quantity == quantity + delta >= 0
