"""The swap-to-return chain: a part removed in a FRU swap goes back under an RMA, drafted from the swap.

A swap already opens the return obligation for the removed part (sync/domain/handlers/field.py); this says which
swaps still have no RMA for their removed part, and what an RMA drafted from a swap starts with (its serial, the
chassis, the error code and the engineer's reason), so nobody retypes what the swap recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sync.domain.rma import Rma, RmaStatus
from sync.domain.service import FruSwap


@dataclass(frozen=True, kw_only=True)
class ReturnDraft:
    """What an RMA drafted from a swap starts with; the engineer can still change any of it."""

    swap_id: str
    asset_id: str
    slot: str
    part_serial: str
    error_code: str
    symptom: str


def return_draft(swap: FruSwap) -> ReturnDraft:
    reason = swap.reason.strip()
    symptom = f"{swap.error_code} ({swap.slot})" + (f": {reason}" if reason else "")
    return ReturnDraft(
        swap_id=swap.id,
        asset_id=swap.asset_id,
        slot=swap.slot,
        part_serial=swap.removed_serial,
        error_code=swap.error_code,
        symptom=symptom,
    )


def returns_to_draft(swaps: Iterable[FruSwap], rmas: Iterable[Rma]) -> tuple[ReturnDraft, ...]:
    """The swaps whose removed part has no RMA yet (a rejected RMA does not count: the part still has to go back),
    newest first."""
    covered = {r.part_serial for r in rmas if r.part_serial and r.status is not RmaStatus.REJECTED}
    pending = [s for s in swaps if s.removed_serial not in covered]
    return tuple(return_draft(s) for s in sorted(pending, key=lambda s: s.performed_at, reverse=True))
