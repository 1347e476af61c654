"""The depot's work on a returned unit: the stage machine (as data), what each step must capture, and grading.

    received → triage → repair → burn_in → shipped
                     ╰────────→ burn_in            (no fault in triage: burn-in to confirm it, the NFF path)
                                burn_in → repair   (burn-in failed: back to the bench)

Grading says where the unit goes next: good units into the refurbished pool, scrap out of circulation, and a
customer's own repaired unit (depot repair) back to the customer. NFF is recorded as such, never as a repair.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sync.domain.contract import ServiceModel
from sync.domain.errors import DomainError, IllegalTransition, InvalidInput, RuleViolation
from sync.domain.logistics import DepotGrade, DepotOrder, DepotStage, DepotStep, parcel_reference
from sync.domain.rma import RmaLane, RmaStatus
from sync.domain.words import words


@dataclass(frozen=True, kw_only=True)
class StepRule:
    """What a step must capture: the fault it found (an error code) and/or what was done (a note)."""

    needs_error_code: bool = False
    needs_note: bool = False
    needs_grade: bool = False
    # The parcel leaving the depot: its carrier and tracking number (sync/domain/logistics.py ``parcel_reference``).
    needs_parcel: bool = False


D = DepotStage
DEPOT_STEPS: Mapping[tuple[DepotStage, DepotStage], StepRule] = {
    (D.RECEIVED, D.TRIAGE): StepRule(),
    (D.TRIAGE, D.REPAIR): StepRule(needs_error_code=True),
    (D.TRIAGE, D.BURN_IN): StepRule(needs_note=True),
    (D.REPAIR, D.BURN_IN): StepRule(needs_note=True),
    (D.BURN_IN, D.REPAIR): StepRule(needs_error_code=True),
    (D.BURN_IN, D.SHIPPED): StepRule(needs_grade=True, needs_parcel=True),
}
del D


class Destination(StrEnum):
    REFURBISHED_POOL = "refurbished_pool"
    BACK_TO_OWNER = "back_to_owner"
    SCRAP = "scrap"


@dataclass(frozen=True, kw_only=True)
class GradeRule:
    stages: frozenset[DepotStage]
    # True: the unit must have been repaired; False: it must not have been; None: either.
    repaired: bool | None
    needs_root_cause: bool


G = DepotGrade
GRADE_RULES: Mapping[DepotGrade, GradeRule] = {
    G.REPAIRED_TESTED: GradeRule(stages=frozenset({DepotStage.BURN_IN}), repaired=True, needs_root_cause=True),
    G.READY_TO_SWAP: GradeRule(stages=frozenset({DepotStage.BURN_IN}), repaired=True, needs_root_cause=True),
    G.NO_FAULT_FOUND: GradeRule(stages=frozenset({DepotStage.BURN_IN}), repaired=False, needs_root_cause=False),
    G.SCRAP_SUPPLIER_CLAIM: GradeRule(
        stages=frozenset({DepotStage.TRIAGE, DepotStage.REPAIR, DepotStage.BURN_IN}),
        repaired=None,
        needs_root_cause=True,
    ),
}
del G


def next_stages(order: DepotOrder) -> tuple[DepotStage, ...]:
    return tuple(to for (frm, to) in DEPOT_STEPS if frm is order.stage)


def advance(
    order: DepotOrder,
    target: DepotStage,
    *,
    at: datetime,
    by: str,
    error_codes: tuple[str, ...],
    note: str,
    carrier: str = "",
    tracking: str = "",
) -> DepotOrder:
    rule = DEPOT_STEPS.get((order.stage, target))
    if rule is None:
        raise IllegalTransition(
            words("a depot order cannot go from “{current}” to “{target}”", current=order.stage, target=target),
            details={"from": order.stage.value, "to": target.value},
        )
    codes = tuple(c.strip().upper() for c in error_codes if c.strip())
    text = note.strip()
    if rule.needs_error_code and not codes:
        raise InvalidInput(
            words(
                "“{current}” → “{target}” needs the error code of the fault found",
                current=order.stage,
                target=target,
            )
        )
    if rule.needs_note and not text:
        raise InvalidInput(
            words(
                "“{current}” → “{target}” needs a note saying what was found or done",
                current=order.stage,
                target=target,
            )
        )
    if order.grade is not None and target is not DepotStage.SHIPPED:
        raise IllegalTransition(words("a graded unit only moves on to shipping"))
    if rule.needs_grade and order.grade is None:
        raise RuleViolation(words("grade the unit before it ships"))
    if rule.needs_grade and order.grade is DepotGrade.SCRAP_SUPPLIER_CLAIM:
        raise RuleViolation(words("a scrapped unit does not ship"))
    parcel = parcel_reference(carrier, tracking) if rule.needs_parcel else None
    step = DepotStep(
        stage=target,
        at=at,
        by=by,
        error_codes=codes,
        note=text,
        carrier=parcel.carrier if parcel else "",
        tracking=parcel.tracking if parcel else "",
    )
    notes = f"{order.notes}\n{target}: {text}".strip() if text else order.notes
    return replace(
        order,
        stage=target,
        error_codes=(*order.error_codes, *(c for c in codes if c not in order.error_codes)),
        notes=notes,
        history=(*order.history, step),
    )


def parcel_of(order: DepotOrder) -> DepotStep | None:
    """The ship step, with its carrier and tracking, once the order has shipped."""
    return next((s for s in reversed(order.history) if s.stage is DepotStage.SHIPPED), None)


def was_repaired(order: DepotOrder) -> bool:
    return any(step.stage is DepotStage.REPAIR for step in order.history)


def owner_keeps_unit(*, lane: RmaLane | None, model: ServiceModel | None) -> bool:
    """A depot repair of the customer's own unit: it goes back to them. After an advance exchange, or when the lane
    is replace or credit, the customer already has (or gets) another unit, so this one is the OEM's to pool."""
    return lane is RmaLane.REPAIR and model is not ServiceModel.ADVANCE_EXCHANGE


def destination(grade: DepotGrade, *, owner_keeps: bool) -> Destination:
    if grade is DepotGrade.SCRAP_SUPPLIER_CLAIM:
        return Destination.SCRAP
    return Destination.BACK_TO_OWNER if owner_keeps else Destination.REFURBISHED_POOL


def grade_refusal(order: DepotOrder, grade: DepotGrade, *, owner_keeps: bool) -> DomainError | None:
    """Why ``order`` cannot be graded ``grade`` now (its stage, its repair history, where it goes), or None.

    The texts a grade needs are checked by ``check_grade``; this is the part a screen asks to offer its grades."""
    if order.grade is not None:
        return IllegalTransition(
            words("this unit is already graded “{grade}”", grade=order.grade), details={"grade": order.grade.value}
        )
    rule = GRADE_RULES[grade]
    if order.stage not in rule.stages:
        stages = ", ".join(sorted(s.value for s in rule.stages))
        return IllegalTransition(
            words(
                "“{grade}” is given at {stages}, not at “{stage}”",
                grade=grade,
                stages=stages,
                stage=order.stage,
            ),
            details={"stage": order.stage.value, "grade": grade.value},
        )
    repaired = was_repaired(order)
    if rule.repaired is True and not repaired:
        return RuleViolation(
            words("“{grade}” needs a repair step; a unit with no fault found is graded “no fault found”", grade=grade)
        )
    if rule.repaired is False and repaired:
        return RuleViolation(words("a repaired unit had a fault: it cannot be graded no fault found"))
    if grade is DepotGrade.READY_TO_SWAP and owner_keeps:
        return RuleViolation(words("a customer's own repaired unit goes back to them; it cannot become swap stock"))
    return None


def check_grade(
    order: DepotOrder, grade: DepotGrade, *, root_cause: str, corrective_action: str, owner_keeps: bool
) -> None:
    refusal = grade_refusal(order, grade, owner_keeps=owner_keeps)
    if refusal is not None:
        raise refusal
    if GRADE_RULES[grade].needs_root_cause and not (root_cause.strip() and corrective_action.strip()):
        raise InvalidInput(words("“{grade}” needs the root cause and the corrective action", grade=grade))


def graded(
    order: DepotOrder, grade: DepotGrade, *, at: datetime, by: str, root_cause: str, corrective_action: str
) -> DepotOrder:
    return replace(
        order,
        grade=grade,
        root_cause=root_cause.strip(),
        corrective_action=corrective_action.strip(),
        graded_at=at,
        graded_by=by,
    )


def rma_outcome(grade: DepotGrade, lane: RmaLane | None) -> RmaStatus | None:
    """Where grading leaves the RMA. A credit is decided by its own rules (DecideCredit), not by the grade."""
    if lane is RmaLane.CREDIT:
        return None
    if grade is DepotGrade.NO_FAULT_FOUND:
        return RmaStatus.RETURNED_NFF
    if lane is RmaLane.REPAIR and grade is not DepotGrade.SCRAP_SUPPLIER_CLAIM:
        return RmaStatus.REPAIRED
    return RmaStatus.REPLACED


# What the RMA becomes when the depot ships its unit: the customer's own unit going back is "shipped back" (from
# repaired, or from no fault found); a unit going to the pool or to scrap leaves the RMA where grading put it.
SHIPPED_BACK_FROM = frozenset({RmaStatus.REPAIRED, RmaStatus.RETURNED_NFF})


def rma_after_shipping(status: RmaStatus, *, owner_keeps: bool) -> RmaStatus | None:
    if owner_keeps and status in SHIPPED_BACK_FROM:
        return RmaStatus.SHIPPED_BACK
    return None
