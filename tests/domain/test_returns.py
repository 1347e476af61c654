"""The swap-to-return chain (sync/domain/returns.py): which swaps still owe an RMA, and what its draft starts with."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sync.domain.returns import ReturnDraft, return_draft, returns_to_draft
from sync.domain.rma import RmaStatus
from sync.domain.service import FruSwap
from tests.domain.world import NOW, rma


def swap(swap_id: str, removed: str, *, hours: int = 0, reason: str = "fan 3 tach reads 0 rpm") -> FruSwap:
    return FruSwap(
        id=swap_id,
        org_id="org-acme",
        site_id="site-ber",
        asset_id="asset-1",
        visit_id="visit-1",
        slot="FAN-WALL",
        removed_serial=removed,
        installed_serial=f"{removed}-NEW",
        error_code="E-FAN",
        reason=reason,
        performed_by="u-eng",
        performed_at=NOW + timedelta(hours=hours),
    )


@pytest.mark.parametrize(
    ("reason", "symptom"),
    [
        ("fan 3 tach reads 0 rpm", "E-FAN (FAN-WALL): fan 3 tach reads 0 rpm"),
        ("  ", "E-FAN (FAN-WALL)"),
    ],
)
def test_a_return_drafted_from_a_swap_carries_the_removed_serial_the_chassis_and_the_error_code(
    reason: str, symptom: str
) -> None:
    assert return_draft(swap("sw-1", "FAN-OLD", reason=reason)) == ReturnDraft(
        swap_id="sw-1",
        asset_id="asset-1",
        slot="FAN-WALL",
        part_serial="FAN-OLD",
        error_code="E-FAN",
        symptom=symptom,
    )


# RMAs on the chassis (part serial, status) → removed serials still to draft, newest swap first
OWED = [
    ((), ["FAN-C", "FAN-B", "FAN-A"]),
    ((("FAN-B", RmaStatus.DRAFT),), ["FAN-C", "FAN-A"]),
    ((("FAN-A", RmaStatus.CLOSED), ("FAN-C", RmaStatus.SUBMITTED)), ["FAN-B"]),
    ((("FAN-A", RmaStatus.REJECTED),), ["FAN-C", "FAN-B", "FAN-A"]),
    (((None, RmaStatus.DRAFT),), ["FAN-C", "FAN-B", "FAN-A"]),
    ((("FAN-A", RmaStatus.DRAFT), ("FAN-B", RmaStatus.DRAFT), ("FAN-C", RmaStatus.DRAFT)), []),
]


@pytest.mark.parametrize(("existing", "owed"), OWED)
def test_only_swaps_whose_removed_part_has_no_live_rma_are_offered_for_return(
    existing: tuple[tuple[str | None, RmaStatus], ...], owed: list[str]
) -> None:
    swaps = [swap("sw-a", "FAN-A", hours=0), swap("sw-c", "FAN-C", hours=2), swap("sw-b", "FAN-B", hours=1)]
    rmas = [rma(status, id=f"rma-{i}", part_serial=serial) for i, (serial, status) in enumerate(existing)]
    assert [d.part_serial for d in returns_to_draft(swaps, rmas)] == owed
