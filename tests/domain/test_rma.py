from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sync.domain.contract import ServiceModel
from sync.domain.errors import EvidenceMissing, IllegalTransition, InvalidInput
from sync.domain.rma import (
    TRANSITIONS,
    EvidenceItem,
    RmaStatus,
    StatusChange,
    TriageEvidence,
    check_transition,
    format_rma_number,
    require_evidence,
)
from tests.domain.world import rma

S = RmaStatus
M = ServiceModel
AT = datetime(2026, 3, 5, 10, 0, tzinfo=UTC)
EDGES = sorted(TRANSITIONS.items())
NON_EDGES = [pair for pair in itertools.product(RmaStatus, RmaStatus) if pair not in TRANSITIONS]
NOT_ADVANCE = frozenset(set(M) - {M.ADVANCE_EXCHANGE})


def test_the_transition_table_is_the_state_machine_of_the_design() -> None:
    expected = {
        (S.DRAFT, S.SUBMITTED): None,
        (S.SUBMITTED, S.TRIAGE): None,
        (S.TRIAGE, S.NEEDS_INFO): None,
        (S.NEEDS_INFO, S.TRIAGE): None,
        (S.TRIAGE, S.APPROVED): None,
        (S.TRIAGE, S.REJECTED): None,
        (S.APPROVED, S.REPLACEMENT_SHIPPED): {M.ADVANCE_EXCHANGE},
        (S.REPLACEMENT_SHIPPED, S.AWAITING_RETURN): {M.ADVANCE_EXCHANGE},
        (S.APPROVED, S.AWAITING_RETURN): NOT_ADVANCE,
        (S.AWAITING_RETURN, S.RECEIVED): None,
        (S.RECEIVED, S.INSPECTION): None,
        (S.INSPECTION, S.REPAIRED): None,
        (S.INSPECTION, S.REPLACED): None,
        (S.INSPECTION, S.CREDITED): None,
        (S.INSPECTION, S.RETURNED_NFF): None,
        (S.REPAIRED, S.SHIPPED_BACK): None,
        (S.RETURNED_NFF, S.SHIPPED_BACK): None,
        (S.SHIPPED_BACK, S.CLOSED): None,
        (S.REPAIRED, S.CLOSED): None,
        (S.REPLACED, S.CLOSED): None,
        (S.CREDITED, S.CLOSED): None,
        (S.RETURNED_NFF, S.CLOSED): None,
    }
    assert dict(TRANSITIONS) == expected


@pytest.mark.parametrize(("edge", "models"), EDGES, ids=[f"{a}->{b}" for (a, b), _ in EDGES])
@pytest.mark.parametrize("model", list(ServiceModel))
def test_every_edge_moves_an_rma_of_an_allowed_model_and_refuses_the_others(
    edge: tuple[RmaStatus, RmaStatus], models: frozenset[ServiceModel] | None, model: ServiceModel
) -> None:
    source, target = edge
    before = rma(source, model, history=(StatusChange(status=source, at=AT, by="u-0"),))
    if models is None or model in models:
        after = before.moved_to(target, at=AT, by="u-desk", note="checked")
        assert after.status is target
        assert after.history == (*before.history, StatusChange(status=target, at=AT, by="u-desk", note="checked"))
        assert replace(after, status=source, history=before.history) == before
    else:
        with pytest.raises(IllegalTransition) as raised:
            before.moved_to(target, at=AT, by="u-desk")
        assert raised.value.details == {
            "from": source.value,
            "to": target.value,
            "model": model.value,
            "words": {
                "template": "“{current}” → “{target}” is not open to the “{model}” model",
                "values": {
                    "current": {"kind": "RmaStatus", "code": source.value},
                    "target": {"kind": "RmaStatus", "code": target.value},
                    "model": {"kind": "ServiceModel", "code": model.value},
                },
            },
        }


@pytest.mark.parametrize(("source", "target"), NON_EDGES, ids=[f"{a}->{b}" for a, b in NON_EDGES])
def test_every_pair_not_in_the_table_is_an_illegal_transition_for_every_model(
    source: RmaStatus, target: RmaStatus
) -> None:
    for model in ServiceModel:
        with pytest.raises(IllegalTransition) as raised:
            rma(source, model).moved_to(target, at=AT, by="u-desk")
        assert raised.value.code == "illegal_transition"
        assert raised.value.details == {
            "from": source.value,
            "to": target.value,
            "words": {
                "template": "an RMA cannot go from “{current}” to “{target}”",
                "values": {
                    "current": {"kind": "RmaStatus", "code": source.value},
                    "target": {"kind": "RmaStatus", "code": target.value},
                },
            },
        }
        with pytest.raises(IllegalTransition):
            check_transition(source, target, model)


def test_the_table_leaves_no_status_unreachable_and_only_closed_and_rejected_final() -> None:
    sources = {a for a, _ in TRANSITIONS}
    targets = {b for _, b in TRANSITIONS}
    assert set(RmaStatus) - targets == {S.DRAFT}
    assert set(RmaStatus) - sources == {S.CLOSED, S.REJECTED}


COMPLETE = TriageEvidence(
    install_photos=1,
    label_photos=1,
    log_attachments=1,
    rack_depth_mm=800,
    rail_kit_id="rk-600",
    symptom="fan alarm",
    repro_steps="power on",
    controller_involved=True,
)


@pytest.mark.parametrize(
    ("gap", "expected"),
    [
        ({"install_photos": 0}, EvidenceItem.INSTALL_PHOTOS),
        ({"label_photos": 0}, EvidenceItem.LABEL_PHOTOS),
        ({"rack_depth_mm": None}, EvidenceItem.RACK_DEPTH_AND_RAIL_KIT),
        ({"rail_kit_id": None}, EvidenceItem.RACK_DEPTH_AND_RAIL_KIT),
        ({"symptom": "  "}, EvidenceItem.SYMPTOM_AND_REPRO),
        ({"repro_steps": ""}, EvidenceItem.SYMPTOM_AND_REPRO),
        ({"log_attachments": 0}, EvidenceItem.CONTROLLER_LOGS),
    ],
)
def test_each_missing_triage_item_is_named_alone(gap: dict[str, object], expected: EvidenceItem) -> None:
    evidence = replace(COMPLETE, **gap)  # type: ignore[arg-type]
    assert evidence.missing() == (expected,)
    with pytest.raises(EvidenceMissing) as raised:
        require_evidence(evidence)
    assert raised.value.details == {
        "missing": [expected.value],
        "words": {"template": "triage evidence missing: {names}", "values": {"names": expected.value}},
    }


def test_complete_evidence_passes_the_triage_gate() -> None:
    assert COMPLETE.missing() == ()
    require_evidence(COMPLETE)


def test_logs_are_only_needed_when_a_controller_is_involved() -> None:
    assert replace(COMPLETE, controller_involved=False, log_attachments=0).missing() == ()


def test_empty_evidence_lists_every_gap_in_checklist_order() -> None:
    assert TriageEvidence(controller_involved=True).missing() == tuple(EvidenceItem)
    with pytest.raises(EvidenceMissing, match="install_photos, label_photos, rack_depth_and_rail_kit"):
        require_evidence(TriageEvidence())


def test_an_rma_hands_its_own_fields_to_the_triage_gate() -> None:
    evidence = rma(controller_involved=True).evidence(install_photos=2, label_photos=1, log_attachments=0)
    assert evidence == replace(
        COMPLETE, install_photos=2, log_attachments=0, symptom="fan wall alarm", repro_steps="power on, wait 5 min"
    )
    assert evidence.missing() == (EvidenceItem.CONTROLLER_LOGS,)


@pytest.mark.parametrize(
    ("sequence", "year", "expected"),
    [(1, 2026, "RMA-2026-000001"), (123, 2026, "RMA-2026-000123"), (999999, 2027, "RMA-2027-999999")],
)
def test_rma_numbers_are_year_and_zero_padded_sequence(sequence: int, year: int, expected: str) -> None:
    assert format_rma_number(sequence, year=year) == expected


@pytest.mark.parametrize("sequence", [0, -1])
def test_rma_sequences_start_at_one(sequence: int) -> None:
    with pytest.raises(InvalidInput):
        format_rma_number(sequence, year=2026)
