from __future__ import annotations

import pytest

from sync.domain.catalog import ChassisFamily, RailKit, Sku
from sync.domain.fit import FIT_PROBLEM_TEXT, FitProblem, check_fit

P = FitProblem
# Rails adjust from 600 to 900 mm; the 2U chassis is 500 mm deep, so it needs 550 mm with its rear clearance and
# rack depth alone decides the rail problems. The 650 mm chassis needs exactly 700 mm.
RAILS = RailKit(id="rk", org_id="oem", code="RK", name="rails", min_depth_mm=600, max_depth_mm=900)
OTHER_RAILS = RailKit(id="rk-other", org_id="oem", code="RK-O", name="other", min_depth_mm=600, max_depth_mm=900)


def sku(depth_mm: int = 500, height_u: int = 2) -> Sku:
    return Sku(
        id="sku",
        org_id="oem",
        code="S",
        name="chassis",
        family=ChassisFamily.RACKMOUNT,
        depth_mm=depth_mm,
        height_u=height_u,
        revision="A",
        rail_kit_ids=("rk",),
    )


@pytest.mark.parametrize(
    ("chassis", "rails", "depth", "height", "u", "expected"),
    [
        # Fits, with every boundary met exactly.
        (sku(), RAILS, 750, 42, 10, ()),
        (sku(), RAILS, 600, 42, 10, ()),
        (sku(), RAILS, 900, 42, 10, ()),
        (sku(depth_mm=650), RAILS, 700, 42, 10, ()),
        (sku(), RAILS, 750, 42, 1, ()),
        (sku(), RAILS, 750, 42, 41, ()),
        (sku(height_u=1), RAILS, 750, 42, 42, ()),
        (sku(height_u=42), RAILS, 750, 42, 1, ()),
        # One problem each, one millimetre or one U past the boundary.
        (sku(), RAILS, 599, 42, 10, (P.RACK_SHALLOWER_THAN_RAILS,)),
        (sku(), RAILS, 901, 42, 10, (P.RACK_DEEPER_THAN_RAILS,)),
        (sku(depth_mm=650), RAILS, 699, 42, 10, (P.CHASSIS_DEEPER_THAN_RACK,)),
        (sku(), OTHER_RAILS, 750, 42, 10, (P.RAIL_KIT_NOT_FOR_SKU,)),
        (sku(), RAILS, 750, 42, 42, (P.U_POSITION_OUTSIDE_RACK,)),
        (sku(), RAILS, 750, 42, 0, (P.U_POSITION_OUTSIDE_RACK,)),
        (sku(), RAILS, 750, 42, -3, (P.U_POSITION_OUTSIDE_RACK,)),
        (sku(height_u=43), RAILS, 750, 42, 1, (P.U_POSITION_OUTSIDE_RACK,)),
        # Without rails only the chassis itself is checked, whatever the rack depth.
        (sku(), None, 300, 42, 10, (P.CHASSIS_DEEPER_THAN_RACK,)),
        (sku(), None, 1500, 42, 10, ()),
        (sku(), None, 550, 42, 10, ()),
        (sku(), None, 750, 42, 42, (P.U_POSITION_OUTSIDE_RACK,)),
        # Combinations come back in one stable order.
        (sku(), RAILS, 549, 42, 10, (P.RACK_SHALLOWER_THAN_RAILS, P.CHASSIS_DEEPER_THAN_RACK)),
        (sku(), RAILS, 901, 42, 42, (P.RACK_DEEPER_THAN_RAILS, P.U_POSITION_OUTSIDE_RACK)),
        (sku(), OTHER_RAILS, 901, 42, 10, (P.RAIL_KIT_NOT_FOR_SKU, P.RACK_DEEPER_THAN_RAILS)),
        (
            sku(),
            OTHER_RAILS,
            500,
            42,
            0,
            (
                P.RAIL_KIT_NOT_FOR_SKU,
                P.RACK_SHALLOWER_THAN_RAILS,
                P.CHASSIS_DEEPER_THAN_RACK,
                P.U_POSITION_OUTSIDE_RACK,
            ),
        ),
    ],
)
def test_fit_check_names_every_problem_in_a_stable_order(
    chassis: Sku, rails: RailKit | None, depth: int, height: int, u: int, expected: tuple[FitProblem, ...]
) -> None:
    result = check_fit(sku=chassis, rail_kit=rails, rack_depth_mm=depth, rack_height_u=height, u_position=u)
    assert result.problems == expected
    assert result.fits is (expected == ())


def test_fit_result_explains_each_problem_in_words() -> None:
    result = check_fit(sku=sku(), rail_kit=OTHER_RAILS, rack_depth_mm=901, rack_height_u=42, u_position=42)
    assert result.explain() == [
        "this rail kit is not listed as compatible with the chassis SKU",
        "the rack is deeper than the rail kit can extend",
        "the chassis does not fit in the rack at that U position",
    ]


def test_every_fit_problem_has_an_explanation() -> None:
    assert set(FIT_PROBLEM_TEXT) == set(FitProblem)
    assert all(text.strip() for text in FIT_PROBLEM_TEXT.values())
