"""Will this chassis, on this rail kit, fit this rack? Wrong rail depth is a top cause of No Fault Found returns."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sync.domain.catalog import RailKit, Sku

# Rear clearance a chassis needs behind it for cables and airflow, beyond its own depth.
REAR_CLEARANCE_MM = 50


class FitProblem(StrEnum):
    RACK_SHALLOWER_THAN_RAILS = "rack_shallower_than_rails"
    RACK_DEEPER_THAN_RAILS = "rack_deeper_than_rails"
    CHASSIS_DEEPER_THAN_RACK = "chassis_deeper_than_rack"
    RAIL_KIT_NOT_FOR_SKU = "rail_kit_not_for_sku"
    U_POSITION_OUTSIDE_RACK = "u_position_outside_rack"


FIT_PROBLEM_TEXT: dict[FitProblem, str] = {
    FitProblem.RACK_SHALLOWER_THAN_RAILS: "the rack is shallower than the rail kit's shortest setting",
    FitProblem.RACK_DEEPER_THAN_RAILS: "the rack is deeper than the rail kit can extend",
    FitProblem.CHASSIS_DEEPER_THAN_RACK: "the chassis (with rear clearance) is deeper than the rack",
    FitProblem.RAIL_KIT_NOT_FOR_SKU: "this rail kit is not listed as compatible with the chassis SKU",
    FitProblem.U_POSITION_OUTSIDE_RACK: "the chassis does not fit in the rack at that U position",
}


@dataclass(frozen=True, kw_only=True)
class FitResult:
    problems: tuple[FitProblem, ...]

    @property
    def fits(self) -> bool:
        return not self.problems

    def explain(self) -> list[str]:
        return [FIT_PROBLEM_TEXT[p] for p in self.problems]


def check_fit(
    *, sku: Sku, rail_kit: RailKit | None, rack_depth_mm: int, rack_height_u: int, u_position: int
) -> FitResult:
    """Every reason the install would not fit, in a stable order; an empty tuple means it fits."""
    problems: list[FitProblem] = []
    if rail_kit is not None:
        if rail_kit.id not in sku.rail_kit_ids:
            problems.append(FitProblem.RAIL_KIT_NOT_FOR_SKU)
        if rack_depth_mm < rail_kit.min_depth_mm:
            problems.append(FitProblem.RACK_SHALLOWER_THAN_RAILS)
        elif rack_depth_mm > rail_kit.max_depth_mm:
            problems.append(FitProblem.RACK_DEEPER_THAN_RAILS)
    if sku.depth_mm + REAR_CLEARANCE_MM > rack_depth_mm:
        problems.append(FitProblem.CHASSIS_DEEPER_THAN_RACK)
    if u_position < 1 or u_position + sku.height_u - 1 > rack_height_u:
        problems.append(FitProblem.U_POSITION_OUTSIDE_RACK)
    return FitResult(problems=tuple(problems))
