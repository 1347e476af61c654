"""The depot stage machine, step captures and grading rules, walked edge by edge and row by row."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sync.domain.contract import ServiceModel
from sync.domain.depot import (
    DEPOT_STEPS,
    GRADE_RULES,
    Destination,
    advance,
    check_grade,
    destination,
    graded,
    next_stages,
    owner_keeps_unit,
    parcel_of,
    rma_after_shipping,
    rma_outcome,
    was_repaired,
)
from sync.domain.errors import IllegalTransition, InvalidInput, RuleViolation
from sync.domain.logistics import DepotGrade, DepotOrder, DepotStage, DepotStep
from sync.domain.rma import RmaLane, RmaStatus

D = DepotStage
G = DepotGrade
AT = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
EDGES = sorted(DEPOT_STEPS.items())
NON_EDGES = [pair for pair in itertools.product(DepotStage, DepotStage) if pair not in DEPOT_STEPS]


def order(stage: DepotStage = D.RECEIVED, *, repaired: bool = False, grade: DepotGrade | None = None) -> DepotOrder:
    history = (DepotStep(stage=D.REPAIR, at=AT, by="u-depot"),) if repaired else ()
    return DepotOrder(
        id="do-1",
        org_id="org-oem",
        rma_id="rma-1",
        serial="FAN-OLD",
        stage=stage,
        received_at=AT,
        history=history,
        grade=grade,
    )


def test_the_step_table_is_the_depot_flow_of_the_design() -> None:
    assert {edge: (r.needs_error_code, r.needs_note, r.needs_grade) for edge, r in DEPOT_STEPS.items()} == {
        (D.RECEIVED, D.TRIAGE): (False, False, False),
        (D.TRIAGE, D.REPAIR): (True, False, False),
        (D.TRIAGE, D.BURN_IN): (False, True, False),
        (D.REPAIR, D.BURN_IN): (False, True, False),
        (D.BURN_IN, D.REPAIR): (True, False, False),
        (D.BURN_IN, D.SHIPPED): (False, False, True),
    }
    assert {edge for edge, r in DEPOT_STEPS.items() if r.needs_parcel} == {(D.BURN_IN, D.SHIPPED)}


@pytest.mark.parametrize(("edge", "rule"), EDGES, ids=[f"{a}->{b}" for (a, b), _ in EDGES])
def test_every_step_moves_the_order_and_records_what_it_captured(
    edge: tuple[DepotStage, DepotStage], rule: object
) -> None:
    source, target = edge
    before = order(source, grade=G.REPAIRED_TESTED if target is D.SHIPPED else None)
    after = advance(
        before,
        target,
        at=AT,
        by="u-depot",
        error_codes=(" e-fan3 ", ""),
        note=" fan 3 dead ",
        carrier=" DHL  Express ",
        tracking="1z 999-aa1 0123456784",
    )
    assert after.stage is target
    # Only the ship step keeps the parcel; every other step ignores it.
    parcel = ("DHL Express", "1Z999AA10123456784") if target is D.SHIPPED else ("", "")
    assert after.history[-1] == DepotStep(
        stage=target,
        at=AT,
        by="u-depot",
        error_codes=("E-FAN3",),
        note="fan 3 dead",
        carrier=parcel[0],
        tracking=parcel[1],
    )
    assert after.error_codes == ("E-FAN3",)
    assert after.notes == f"{target}: fan 3 dead"
    assert target in next_stages(before)


@pytest.mark.parametrize(("source", "target"), NON_EDGES, ids=[f"{a}->{b}" for a, b in NON_EDGES])
def test_every_step_not_in_the_table_is_an_illegal_transition(source: DepotStage, target: DepotStage) -> None:
    with pytest.raises(IllegalTransition) as raised:
        advance(order(source), target, at=AT, by="u-depot", error_codes=("E1",), note="n")
    assert raised.value.details == {
        "from": source.value,
        "to": target.value,
        "words": {
            "template": "a depot order cannot go from “{current}” to “{target}”",
            "values": {
                "current": {"kind": "DepotStage", "code": source.value},
                "target": {"kind": "DepotStage", "code": target.value},
            },
        },
    }


@pytest.mark.parametrize(
    ("source", "target", "codes", "note", "error", "message"),
    [
        (D.TRIAGE, D.REPAIR, (), "n", InvalidInput, "needs the error code"),
        (D.TRIAGE, D.REPAIR, ("  ",), "n", InvalidInput, "needs the error code"),
        (D.BURN_IN, D.REPAIR, (), "n", InvalidInput, "needs the error code"),
        (D.TRIAGE, D.BURN_IN, ("E1",), " ", InvalidInput, "needs a note"),
        (D.REPAIR, D.BURN_IN, (), "", InvalidInput, "needs a note"),
        (D.BURN_IN, D.SHIPPED, (), "", RuleViolation, "grade the unit before it ships"),
    ],
)
def test_a_step_without_its_capture_is_refused(
    source: DepotStage,
    target: DepotStage,
    codes: tuple[str, ...],
    note: str,
    error: type[Exception],
    message: str,
) -> None:
    with pytest.raises(error, match=message):
        advance(order(source), target, at=AT, by="u-depot", error_codes=codes, note=note)


# carrier, tracking typed → the parcel kept, or the refusal's words (limits: sync/domain/limits.py).
PARCELS = [
    ("DHL", "JD014600006281", ("DHL", "JD014600006281")),
    ("  UPS ", "1Z 999 AA1 01 2345 6784", ("UPS", "1Z999AA10123456784")),
    ("Royal  Mail", "ab-123.456/789gb", ("Royal Mail", "AB123456789GB")),
    ("FedEx", "12345678", ("FedEx", "12345678")),
    ("USPS", "9" * 35, ("USPS", "9" * 35)),
    ("", "JD014600006281", "say which carrier"),
    ("   ", "JD014600006281", "say which carrier"),
    ("C" * 61, "JD014600006281", "at most 60 characters"),
    ("DHL", "", "tracking number"),
    ("DHL", " - ", "tracking number"),
    ("DHL", "1234567", "8 to 35 letters and digits; 1234567 has 7"),
    ("DHL", "9" * 36, "8 to 35 letters and digits"),
    ("DHL", "JD0146#0006281", "letters and digits only"),
    ("DHL", "JD01460000628ü", "letters and digits only"),
]


@pytest.mark.parametrize(("carrier", "tracking", "expected"), PARCELS)
def test_the_ship_step_keeps_a_valid_parcel_and_refuses_a_missing_or_malformed_one(
    carrier: str, tracking: str, expected: tuple[str, str] | str
) -> None:
    before = order(D.BURN_IN, grade=G.REPAIRED_TESTED)
    if isinstance(expected, str):
        with pytest.raises(InvalidInput, match=expected):
            advance(before, D.SHIPPED, at=AT, by="u", error_codes=(), note="", carrier=carrier, tracking=tracking)
        return
    after = advance(before, D.SHIPPED, at=AT, by="u", error_codes=(), note="", carrier=carrier, tracking=tracking)
    step = parcel_of(after)
    assert step is not None and (step.carrier, step.tracking) == expected


def test_an_order_has_no_parcel_until_it_ships() -> None:
    assert parcel_of(order(D.BURN_IN, grade=G.REPAIRED_TESTED)) is None


# RMA status at the ship step, whether the unit goes back to its owner → what the RMA becomes (None: stays).
AFTER_SHIPPING = [
    (RmaStatus.REPAIRED, True, RmaStatus.SHIPPED_BACK),
    (RmaStatus.RETURNED_NFF, True, RmaStatus.SHIPPED_BACK),
    (RmaStatus.REPAIRED, False, None),
    (RmaStatus.RETURNED_NFF, False, None),
    (RmaStatus.REPLACED, True, None),
    (RmaStatus.REPLACED, False, None),
    (RmaStatus.CREDITED, False, None),
    (RmaStatus.CLOSED, True, None),
    (RmaStatus.INSPECTION, True, None),
]


@pytest.mark.parametrize(("status", "owner_keeps", "expected"), AFTER_SHIPPING)
def test_the_rma_follows_the_unit_shipped_back_to_its_owner(
    status: RmaStatus, owner_keeps: bool, expected: RmaStatus | None
) -> None:
    assert rma_after_shipping(status, owner_keeps=owner_keeps) is expected


def test_a_scrapped_unit_does_not_ship_and_a_graded_unit_only_moves_on_to_shipping() -> None:
    with pytest.raises(RuleViolation, match="scrapped"):
        advance(order(D.BURN_IN, grade=G.SCRAP_SUPPLIER_CLAIM), D.SHIPPED, at=AT, by="u", error_codes=(), note="")
    with pytest.raises(IllegalTransition, match="graded unit"):
        advance(order(D.BURN_IN, grade=G.NO_FAULT_FOUND), D.REPAIR, at=AT, by="u", error_codes=("E1",), note="")


def test_error_codes_accumulate_once_each_and_notes_append_per_step() -> None:
    first = advance(order(D.TRIAGE), D.REPAIR, at=AT, by="u", error_codes=("E1", "E2"), note="bench")
    second = advance(first, D.BURN_IN, at=AT, by="u", error_codes=("e2", "E3"), note="replaced fan")
    assert second.error_codes == ("E1", "E2", "E3")
    assert second.notes == "repair: bench\nburn_in: replaced fan"
    assert was_repaired(second) and not was_repaired(order(D.BURN_IN))


def test_the_grade_table_is_the_design() -> None:
    assert {g: (frozenset(r.stages), r.repaired, r.needs_root_cause) for g, r in GRADE_RULES.items()} == {
        G.REPAIRED_TESTED: (frozenset({D.BURN_IN}), True, True),
        G.READY_TO_SWAP: (frozenset({D.BURN_IN}), True, True),
        G.NO_FAULT_FOUND: (frozenset({D.BURN_IN}), False, False),
        G.SCRAP_SUPPLIER_CLAIM: (frozenset({D.TRIAGE, D.REPAIR, D.BURN_IN}), None, True),
    }


GRADE_CASES = [(grade, stage, repaired) for grade in DepotGrade for stage in DepotStage for repaired in (False, True)]


@pytest.mark.parametrize(
    ("grade", "stage", "repaired"), GRADE_CASES, ids=[f"{g}@{s}-r{int(r)}" for g, s, r in GRADE_CASES]
)
def test_every_grade_at_every_stage_with_and_without_repair(
    grade: DepotGrade, stage: DepotStage, repaired: bool
) -> None:
    rule = GRADE_RULES[grade]
    target = order(stage, repaired=repaired)
    allowed = stage in rule.stages and (rule.repaired is None or rule.repaired is repaired)
    if allowed:
        check_grade(target, grade, root_cause="bearing", corrective_action="new fan", owner_keeps=False)
        done = graded(target, grade, at=AT, by="u-depot", root_cause=" bearing ", corrective_action=" new fan ")
        assert (done.grade, done.root_cause, done.corrective_action, done.graded_at) == (
            grade,
            "bearing",
            "new fan",
            AT,
        )
    else:
        expected = IllegalTransition if stage not in rule.stages else RuleViolation
        with pytest.raises(expected):
            check_grade(target, grade, root_cause="bearing", corrective_action="new fan", owner_keeps=False)


@pytest.mark.parametrize("grade", [g for g, r in GRADE_RULES.items() if r.needs_root_cause])
@pytest.mark.parametrize(("root", "action"), [("", "fix"), ("cause", " "), ("", "")])
def test_a_confirmed_fault_needs_root_cause_and_corrective_action(grade: DepotGrade, root: str, action: str) -> None:
    with pytest.raises(InvalidInput, match="root cause"):
        check_grade(
            order(D.BURN_IN, repaired=True), grade, root_cause=root, corrective_action=action, owner_keeps=False
        )


def test_no_fault_found_needs_no_root_cause() -> None:
    check_grade(order(D.BURN_IN), G.NO_FAULT_FOUND, root_cause="", corrective_action="", owner_keeps=False)


def test_a_unit_is_graded_once() -> None:
    with pytest.raises(IllegalTransition, match="already graded"):
        check_grade(
            order(D.BURN_IN, grade=G.NO_FAULT_FOUND),
            G.NO_FAULT_FOUND,
            root_cause="",
            corrective_action="",
            owner_keeps=False,
        )


def test_a_customers_own_repaired_unit_cannot_become_swap_stock() -> None:
    with pytest.raises(RuleViolation, match="goes back to them"):
        check_grade(
            order(D.BURN_IN, repaired=True), G.READY_TO_SWAP, root_cause="c", corrective_action="a", owner_keeps=True
        )


LANES = [None, *RmaLane]


@pytest.mark.parametrize("lane", LANES)
@pytest.mark.parametrize("model", [None, *ServiceModel])
def test_only_a_repair_lane_without_advance_exchange_keeps_the_unit_with_its_owner(
    lane: RmaLane | None, model: ServiceModel | None
) -> None:
    assert owner_keeps_unit(lane=lane, model=model) is (
        lane is RmaLane.REPAIR and model is not ServiceModel.ADVANCE_EXCHANGE
    )


@pytest.mark.parametrize(
    ("grade", "owner_keeps", "expected"),
    [
        (G.SCRAP_SUPPLIER_CLAIM, True, Destination.SCRAP),
        (G.SCRAP_SUPPLIER_CLAIM, False, Destination.SCRAP),
        (G.REPAIRED_TESTED, True, Destination.BACK_TO_OWNER),
        (G.REPAIRED_TESTED, False, Destination.REFURBISHED_POOL),
        (G.READY_TO_SWAP, False, Destination.REFURBISHED_POOL),
        (G.NO_FAULT_FOUND, True, Destination.BACK_TO_OWNER),
        (G.NO_FAULT_FOUND, False, Destination.REFURBISHED_POOL),
    ],
)
def test_grading_decides_where_the_unit_goes(grade: DepotGrade, owner_keeps: bool, expected: Destination) -> None:
    assert destination(grade, owner_keeps=owner_keeps) is expected


@pytest.mark.parametrize(
    ("grade", "lane", "expected"),
    [
        *[(g, RmaLane.CREDIT, None) for g in DepotGrade],
        *[(G.NO_FAULT_FOUND, lane, RmaStatus.RETURNED_NFF) for lane in (None, RmaLane.REPAIR, RmaLane.REPLACE)],
        (G.REPAIRED_TESTED, RmaLane.REPAIR, RmaStatus.REPAIRED),
        (G.READY_TO_SWAP, RmaLane.REPAIR, RmaStatus.REPAIRED),
        (G.SCRAP_SUPPLIER_CLAIM, RmaLane.REPAIR, RmaStatus.REPLACED),
        (G.REPAIRED_TESTED, RmaLane.REPLACE, RmaStatus.REPLACED),
        (G.READY_TO_SWAP, RmaLane.REPLACE, RmaStatus.REPLACED),
        (G.SCRAP_SUPPLIER_CLAIM, RmaLane.REPLACE, RmaStatus.REPLACED),
        (G.REPAIRED_TESTED, None, RmaStatus.REPLACED),
    ],
)
def test_grading_leaves_the_rma_in_its_outcome_and_nff_is_recorded_as_such(
    grade: DepotGrade, lane: RmaLane | None, expected: RmaStatus | None
) -> None:
    assert rma_outcome(grade, lane) is expected


def test_grading_changes_only_the_grade_fields() -> None:
    before = order(D.BURN_IN, repaired=True)
    after = graded(before, G.REPAIRED_TESTED, at=AT, by="u-depot", root_cause="c", corrective_action="a")
    assert replace(after, grade=None, root_cause="", corrective_action="", graded_at=None, graded_by="") == before
