"""The permission matrix, written out role by role: adding a role to a row of sync/domain/permissions.py fails here.

Columns: fe = field_engineer, inst = installer, depot, desk = service_desk, admin, cust = customer.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from sync.domain.contract import ServiceModel
from sync.domain.logistics import DepotGrade, DepotOrder, DepotStage, DepotStep
from sync.domain.org import Role
from sync.domain.permissions import (
    Action,
    RmaAction,
    grades_allowed,
    may,
    may_take_step,
    moves_allowed,
    rma_actions,
    stages_allowed,
    steps_before,
)
from sync.domain.rma import TRANSITIONS, RmaLane, RmaStatus
from tests.domain.world import NOW, rma

COLUMNS = (Role.FIELD_ENGINEER, Role.INSTALLER, Role.DEPOT, Role.SERVICE_DESK, Role.ADMIN, Role.CUSTOMER)


def roles(row: str) -> frozenset[Role]:
    """'x x . x x .' → the roles whose column holds an x."""
    marks = row.split()
    assert len(marks) == len(COLUMNS), row
    return frozenset(role for role, mark in zip(COLUMNS, marks, strict=True) if mark == "x")


#                                 fe inst depot desk admin cust
ACTIONS = {
    Action.REGISTER_ASSET: roles("x  x    x     x    x     ."),
    Action.EDIT_ASSET: roles("x  x    x     x    x     ."),
    Action.RESOLVE_CONFLICT: roles("x  x    x     x    x     ."),
    Action.RECORD_INSTALLATION: roles("x  x    .     x    x     ."),
    Action.SWAP_FRU: roles("x  x    .     x    x     ."),
    Action.OPEN_TICKET: roles("x  x    .     x    x     x"),
    Action.MOVE_INCIDENT: roles("x  .    x     x    x     x"),
    Action.AMEND_INCIDENT: roles("x  .    .     x    x     ."),
    Action.RECORD_BREACH: roles(".  .    .     x    x     ."),
    Action.ACKNOWLEDGE_BREACH: roles(".  .    .     x    x     ."),
    Action.START_VISIT: roles("x  x    .     x    x     ."),
    Action.END_VISIT: roles("x  x    .     x    x     ."),
    Action.END_ANY_VISIT: roles(".  .    .     x    x     ."),
    Action.DRAFT_RMA: roles("x  x    x     x    x     x"),
    Action.SHIP_REPLACEMENT: roles(".  .    x     x    x     ."),
    Action.RECEIVE_RETURN: roles(".  .    x     x    x     ."),
    Action.WORK_DEPOT_ORDER: roles(".  .    x     x    x     ."),
    Action.GRADE_DEPOT_ORDER: roles(".  .    x     x    x     ."),
    Action.DECIDE_CREDIT: roles(".  .    x     x    x     ."),
    Action.ADJUST_STOCK: roles(".  .    x     x    x     ."),
    Action.MOVE_ANY_STOCK: roles(".  .    x     x    x     ."),
    Action.MOVE_OWN_VAN_STOCK: roles("x  x    .     .    .     ."),
    Action.REVOKE_ANY_DEVICE: roles(".  .    .     .    x     ."),
    Action.OPEN_DESK_QUEUE: roles(".  .    .     x    x     ."),
    Action.OPEN_DEPOT_SESSION: roles(".  .    x     .    x     ."),
    Action.READ_SLA_ATTAINMENT: roles(".  .    .     x    x     x"),
}

S = RmaStatus
#                                                    fe inst depot desk admin cust
RMA_STEPS = {
    (S.DRAFT, S.SUBMITTED): roles("x  x    x     x    x     x"),
    (S.SUBMITTED, S.TRIAGE): roles(".  .    .     x    x     ."),
    (S.TRIAGE, S.NEEDS_INFO): roles(".  .    .     x    x     ."),
    (S.NEEDS_INFO, S.TRIAGE): roles("x  x    x     x    x     x"),
    (S.TRIAGE, S.APPROVED): roles(".  .    .     x    x     ."),
    (S.TRIAGE, S.REJECTED): roles(".  .    .     x    x     ."),
    (S.APPROVED, S.REPLACEMENT_SHIPPED): roles(".  .    x     x    x     ."),
    (S.REPLACEMENT_SHIPPED, S.AWAITING_RETURN): roles(".  .    x     x    x     ."),
    (S.APPROVED, S.AWAITING_RETURN): roles(".  .    x     x    x     ."),
    (S.AWAITING_RETURN, S.RECEIVED): roles(".  .    x     x    x     ."),
    (S.RECEIVED, S.INSPECTION): roles(".  .    x     x    x     ."),
    (S.INSPECTION, S.REPAIRED): roles(".  .    x     x    x     ."),
    (S.INSPECTION, S.REPLACED): roles(".  .    x     x    x     ."),
    (S.INSPECTION, S.CREDITED): roles(".  .    x     x    x     ."),
    (S.INSPECTION, S.RETURNED_NFF): roles(".  .    x     x    x     ."),
    (S.REPAIRED, S.SHIPPED_BACK): roles(".  .    x     x    x     ."),
    (S.RETURNED_NFF, S.SHIPPED_BACK): roles(".  .    x     x    x     ."),
    (S.SHIPPED_BACK, S.CLOSED): roles(".  .    x     x    x     ."),
    (S.REPAIRED, S.CLOSED): roles(".  .    x     x    x     ."),
    (S.REPLACED, S.CLOSED): roles(".  .    x     x    x     ."),
    (S.CREDITED, S.CLOSED): roles(".  .    x     x    x     ."),
    (S.RETURNED_NFF, S.CLOSED): roles(".  .    x     x    x     ."),
}


@pytest.mark.parametrize("action", list(Action))
@pytest.mark.parametrize("role", COLUMNS)
def test_each_action_is_granted_to_exactly_its_row(action: Action, role: Role) -> None:
    assert may(role, action) is (role in ACTIONS[action])


def test_no_role_may_do_anything() -> None:
    assert [a for a in Action if may(None, a)] == []


def test_the_step_table_names_every_edge_of_the_state_machine_and_nothing_else() -> None:
    assert set(RMA_STEPS) == set(TRANSITIONS)


@pytest.mark.parametrize("edge", list(RMA_STEPS), ids=[f"{a}->{b}" for a, b in RMA_STEPS])
@pytest.mark.parametrize("role", COLUMNS)
def test_each_rma_edge_is_open_to_exactly_its_row(edge: tuple[RmaStatus, RmaStatus], role: Role) -> None:
    assert may_take_step(role, *edge) is (role in RMA_STEPS[edge])


def test_a_step_that_is_no_edge_is_left_to_the_state_machine() -> None:
    assert may_take_step(Role.CUSTOMER, S.DRAFT, S.APPROVED) is True


@pytest.mark.parametrize(
    ("role", "status", "model", "moves"),
    [
        (Role.FIELD_ENGINEER, S.DRAFT, ServiceModel.STANDARD, (S.SUBMITTED,)),
        (Role.FIELD_ENGINEER, S.TRIAGE, ServiceModel.STANDARD, ()),
        (Role.SERVICE_DESK, S.TRIAGE, ServiceModel.STANDARD, (S.NEEDS_INFO, S.APPROVED, S.REJECTED)),
        (Role.DEPOT, S.TRIAGE, ServiceModel.STANDARD, ()),
        (Role.DEPOT, S.APPROVED, ServiceModel.STANDARD, (S.AWAITING_RETURN,)),
        (Role.DEPOT, S.APPROVED, ServiceModel.ADVANCE_EXCHANGE, (S.REPLACEMENT_SHIPPED,)),
        (Role.ADMIN, S.INSPECTION, ServiceModel.STANDARD, (S.REPAIRED, S.REPLACED, S.CREDITED, S.RETURNED_NFF)),
        (Role.CUSTOMER, S.NEEDS_INFO, ServiceModel.STANDARD, (S.TRIAGE,)),
        (None, S.DRAFT, ServiceModel.STANDARD, ()),
    ],
)
def test_moves_allowed_are_the_legal_edges_for_the_model_that_the_role_may_take(
    role: Role | None, status: RmaStatus, model: ServiceModel, moves: tuple[RmaStatus, ...]
) -> None:
    assert moves_allowed(role, replace(rma(status), model=model)) == moves


A = RmaAction


@pytest.mark.parametrize(
    ("role", "status", "model", "number", "actions"),
    [
        (Role.FIELD_ENGINEER, S.DRAFT, ServiceModel.STANDARD, None, (A.SUBMIT, A.ADD_EVIDENCE)),
        (Role.CUSTOMER, S.NEEDS_INFO, ServiceModel.STANDARD, None, (A.ANSWER, A.ADD_EVIDENCE)),
        (Role.FIELD_ENGINEER, S.SUBMITTED, ServiceModel.STANDARD, None, (A.ADD_EVIDENCE,)),
        (
            Role.SERVICE_DESK,
            S.SUBMITTED,
            ServiceModel.STANDARD,
            None,
            (A.APPROVE, A.SEND_BACK, A.REJECT, A.ADD_EVIDENCE),
        ),
        (Role.ADMIN, S.TRIAGE, ServiceModel.STANDARD, None, (A.APPROVE, A.SEND_BACK, A.REJECT, A.ADD_EVIDENCE)),
        (Role.DEPOT, S.TRIAGE, ServiceModel.STANDARD, None, (A.ADD_EVIDENCE,)),
        (Role.DEPOT, S.APPROVED, ServiceModel.ADVANCE_EXCHANGE, "RMA-2026-000001", (A.SHIP_REPLACEMENT, A.LABEL)),
        (Role.SERVICE_DESK, S.APPROVED, ServiceModel.STANDARD, "RMA-2026-000001", (A.AWAIT_RETURN, A.LABEL)),
        (Role.FIELD_ENGINEER, S.APPROVED, ServiceModel.STANDARD, "RMA-2026-000001", (A.LABEL,)),
        (Role.FIELD_ENGINEER, S.APPROVED, ServiceModel.STANDARD, None, ()),
        (Role.CUSTOMER, S.AWAITING_RETURN, ServiceModel.STANDARD, "RMA-2026-000001", (A.LABEL,)),
        (Role.DEPOT, S.RECEIVED, ServiceModel.STANDARD, "RMA-2026-000001", ()),
        (Role.DEPOT, S.RETURNED_NFF, ServiceModel.STANDARD, "RMA-2026-000001", (A.CLOSE,)),
        (Role.INSTALLER, S.RETURNED_NFF, ServiceModel.STANDARD, "RMA-2026-000001", ()),
        (None, S.DRAFT, ServiceModel.STANDARD, None, ()),
    ],
)
def test_an_rma_page_offers_the_actions_of_the_table(
    role: Role | None, status: RmaStatus, model: ServiceModel, number: str | None, actions: tuple[RmaAction, ...]
) -> None:
    assert rma_actions(role, replace(rma(status), model=model, number=number)) == actions


def order(stage: DepotStage, *history: DepotStage, grade: DepotGrade | None = None) -> DepotOrder:
    steps = tuple(DepotStep(stage=s, at=NOW, by="u-depot") for s in history)
    return DepotOrder(
        id="do-1",
        org_id="org-oem",
        rma_id="rma-1",
        serial="S1",
        stage=stage,
        received_at=NOW,
        history=steps,
        grade=grade,
    )


D = DepotStage
G = DepotGrade


@pytest.mark.parametrize(
    ("role", "current", "stages"),
    [
        (Role.DEPOT, order(D.RECEIVED), (D.TRIAGE,)),
        (Role.SERVICE_DESK, order(D.TRIAGE, D.TRIAGE), (D.REPAIR, D.BURN_IN)),
        (Role.ADMIN, order(D.BURN_IN, D.TRIAGE, D.BURN_IN), (D.REPAIR, D.SHIPPED)),
        (Role.FIELD_ENGINEER, order(D.RECEIVED), ()),
        (Role.CUSTOMER, order(D.TRIAGE, D.TRIAGE), ()),
    ],
)
def test_depot_stages_follow_the_stage_machine_for_depot_roles_only(
    role: Role, current: DepotOrder, stages: tuple[DepotStage, ...]
) -> None:
    assert stages_allowed(role, current) == stages


@pytest.mark.parametrize(
    ("role", "current", "lane", "model", "grades"),
    [
        # Repaired and burnt in, an advance exchange: the unit is the OEM's to pool, so it may become swap stock.
        (
            Role.DEPOT,
            order(D.BURN_IN, D.TRIAGE, D.REPAIR, D.BURN_IN),
            RmaLane.REPAIR,
            ServiceModel.ADVANCE_EXCHANGE,
            (G.REPAIRED_TESTED, G.READY_TO_SWAP, G.SCRAP_SUPPLIER_CLAIM),
        ),
        # The customer's own unit on a depot repair goes back to them: never swap stock.
        (
            Role.DEPOT,
            order(D.BURN_IN, D.TRIAGE, D.REPAIR, D.BURN_IN),
            RmaLane.REPAIR,
            ServiceModel.DEPOT_REPAIR,
            (G.REPAIRED_TESTED, G.SCRAP_SUPPLIER_CLAIM),
        ),
        # Burnt in without a repair: no fault found, or scrap.
        (
            Role.ADMIN,
            order(D.BURN_IN, D.TRIAGE, D.BURN_IN),
            RmaLane.REPLACE,
            ServiceModel.STANDARD,
            (G.SCRAP_SUPPLIER_CLAIM, G.NO_FAULT_FOUND),
        ),
        (Role.DEPOT, order(D.TRIAGE, D.TRIAGE), RmaLane.REPAIR, ServiceModel.STANDARD, (G.SCRAP_SUPPLIER_CLAIM,)),
        (Role.DEPOT, order(D.RECEIVED), RmaLane.REPAIR, ServiceModel.STANDARD, ()),
        (
            Role.DEPOT,
            order(D.BURN_IN, D.TRIAGE, D.BURN_IN, grade=G.NO_FAULT_FOUND),
            RmaLane.REPAIR,
            ServiceModel.STANDARD,
            (),
        ),
        (Role.FIELD_ENGINEER, order(D.TRIAGE, D.TRIAGE), RmaLane.REPAIR, ServiceModel.STANDARD, ()),
    ],
)
def test_grades_allowed_ask_the_grading_rules_for_the_order_and_its_rma(
    role: Role,
    current: DepotOrder,
    lane: RmaLane,
    model: ServiceModel,
    grades: tuple[DepotGrade, ...],
) -> None:
    owner = replace(rma(S.INSPECTION), lane=lane, model=model)
    assert grades_allowed(role, current, owner) == grades


@pytest.mark.parametrize(
    ("status", "action", "before"),
    [
        (S.SUBMITTED, A.APPROVE, (S.TRIAGE,)),
        (S.SUBMITTED, A.SEND_BACK, (S.TRIAGE,)),
        (S.SUBMITTED, A.REJECT, (S.TRIAGE,)),
        (S.TRIAGE, A.APPROVE, ()),
        (S.DRAFT, A.SUBMIT, ()),
        (S.DRAFT, A.APPROVE, ()),
        (S.APPROVED, A.LABEL, ()),
    ],
)
def test_a_desk_decision_on_a_fresh_submission_starts_triage_first(
    status: RmaStatus, action: RmaAction, before: tuple[RmaStatus, ...]
) -> None:
    assert steps_before(rma(status), action) == before
