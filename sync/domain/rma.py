"""Return material authorizations: the state machine (as data), lanes, models and the triage evidence gate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum

from sync.domain.contract import ServiceModel
from sync.domain.coverage import ReturnTerms
from sync.domain.credit import CreditDecision
from sync.domain.entity import Entity, org_scope, site_scope
from sync.domain.errors import DomainError, EvidenceMissing, IllegalTransition, InvalidInput, RuleViolation
from sync.domain.words import words


class RmaStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    TRIAGE = "triage"
    NEEDS_INFO = "needs_info"
    APPROVED = "approved"
    REJECTED = "rejected"
    REPLACEMENT_SHIPPED = "replacement_shipped"
    AWAITING_RETURN = "awaiting_return"
    RECEIVED = "received"
    INSPECTION = "inspection"
    REPAIRED = "repaired"
    REPLACED = "replaced"
    CREDITED = "credited"
    RETURNED_NFF = "returned_nff"
    CLOSED = "closed"
    # The customer's own unit is on its way back from the depot (carrier and tracking on its Shipment). Last, so
    # the demo data seeded per status keeps its RMA numbers.
    SHIPPED_BACK = "shipped_back"


class RmaLane(StrEnum):
    REPAIR = "repair"
    REPLACE = "replace"
    CREDIT = "credit"


S = RmaStatus
# Every legal edge, and the service models it is open to (None: every model). Tests walk this table edge by edge;
# anything not here is an IllegalTransition, on the device and on the server alike.
TRANSITIONS: Mapping[tuple[RmaStatus, RmaStatus], frozenset[ServiceModel] | None] = {
    (S.DRAFT, S.SUBMITTED): None,
    (S.SUBMITTED, S.TRIAGE): None,
    (S.TRIAGE, S.NEEDS_INFO): None,
    (S.NEEDS_INFO, S.TRIAGE): None,
    (S.TRIAGE, S.APPROVED): None,
    (S.TRIAGE, S.REJECTED): None,
    (S.APPROVED, S.REPLACEMENT_SHIPPED): frozenset({ServiceModel.ADVANCE_EXCHANGE}),
    (S.REPLACEMENT_SHIPPED, S.AWAITING_RETURN): frozenset({ServiceModel.ADVANCE_EXCHANGE}),
    (S.APPROVED, S.AWAITING_RETURN): frozenset(set(ServiceModel) - {ServiceModel.ADVANCE_EXCHANGE}),
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
del S


# Statuses only a shipment sets (the depot's ship step, with its carrier and tracking), never a bare AdvanceRma.
SHIPMENT_STATUSES = frozenset({RmaStatus.SHIPPED_BACK})


# How long an RMA may sit in a status before it is late (hours): the desk queue shows each age against it.
STATUS_TARGET_HOURS: Mapping[RmaStatus, float] = {
    RmaStatus.SUBMITTED: 4,
    RmaStatus.TRIAGE: 8,
    RmaStatus.NEEDS_INFO: 72,
    RmaStatus.APPROVED: 24,
    RmaStatus.RECEIVED: 24,
    RmaStatus.INSPECTION: 72,
}


class EvidenceItem(StrEnum):
    INSTALL_PHOTOS = "install_photos"
    LABEL_PHOTOS = "label_photos"
    RACK_DEPTH_AND_RAIL_KIT = "rack_depth_and_rail_kit"
    SYMPTOM_AND_REPRO = "symptom_and_repro"
    CONTROLLER_LOGS = "controller_logs"


@dataclass(frozen=True, kw_only=True)
class TriageEvidence:
    """What the triage gate looks at. Photo counts are derived from attached Photo facts by the caller."""

    install_photos: int = 0
    label_photos: int = 0
    log_attachments: int = 0
    rack_depth_mm: int | None = None
    rail_kit_id: str | None = None
    symptom: str = ""
    repro_steps: str = ""
    controller_involved: bool = False

    def missing(self) -> tuple[EvidenceItem, ...]:
        gaps: list[EvidenceItem] = []
        if self.install_photos < 1:
            gaps.append(EvidenceItem.INSTALL_PHOTOS)
        if self.label_photos < 1:
            gaps.append(EvidenceItem.LABEL_PHOTOS)
        if self.rack_depth_mm is None or self.rail_kit_id is None:
            gaps.append(EvidenceItem.RACK_DEPTH_AND_RAIL_KIT)
        if not self.symptom.strip() or not self.repro_steps.strip():
            gaps.append(EvidenceItem.SYMPTOM_AND_REPRO)
        if self.controller_involved and self.log_attachments < 1:
            gaps.append(EvidenceItem.CONTROLLER_LOGS)
        return tuple(gaps)


@dataclass(frozen=True, kw_only=True)
class StatusChange:
    status: RmaStatus
    at: datetime
    by: str
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Rma(Entity):
    collection = "rmas"

    parent_key_field = "asset_id"

    asset_id: str
    site_id: str | None
    part_serial: str | None
    model: ServiceModel
    lane: RmaLane | None = None
    status: RmaStatus = RmaStatus.DRAFT
    number: str | None = None
    symptom: str = ""
    repro_steps: str = ""
    severity: str = "major"
    controller_involved: bool = False
    rack_depth_mm: int | None = None
    rail_kit_id: str | None = None
    question: str = ""
    created_by: str
    created_at: datetime
    return_due: date | None = None
    # What set ``return_due`` (sync/domain/coverage.py); None on records written before these were stored.
    return_contract_id: str | None = None
    return_timezone: str | None = None
    history: tuple[StatusChange, ...] = ()
    # The good unit sent ahead in an advance exchange (its pairing with the suspect serial is the ReturnObligation).
    replacement_serial: str | None = None
    # Computed by DecideCredit from the guardrails in sync/domain/credit.py, with its explanation; never typed in.
    credit: CreditDecision | None = None

    def scope_keys(self) -> frozenset[str]:
        keys = {org_scope(self.org_id)}
        if self.site_id:
            keys.add(site_scope(self.site_id))
        return frozenset(keys)

    natural_key_field = "number"

    def evidence(self, *, install_photos: int, label_photos: int, log_attachments: int) -> TriageEvidence:
        return TriageEvidence(
            install_photos=install_photos,
            label_photos=label_photos,
            log_attachments=log_attachments,
            rack_depth_mm=self.rack_depth_mm,
            rail_kit_id=self.rail_kit_id,
            symptom=self.symptom,
            repro_steps=self.repro_steps,
            controller_involved=self.controller_involved,
        )

    def moved_to(self, target: RmaStatus, *, at: datetime, by: str, note: str = "") -> Rma:
        check_transition(self.status, target, self.model)
        change = StatusChange(status=target, at=at, by=by, note=note)
        return replace(self, status=target, history=(*self.history, change))


def check_transition(current: RmaStatus, target: RmaStatus, model: ServiceModel) -> None:
    key = (current, target)
    if key not in TRANSITIONS:
        raise IllegalTransition(
            words("an RMA cannot go from “{current}” to “{target}”", current=current, target=target),
            details={"from": current.value, "to": target.value},
        )
    models = TRANSITIONS[key]
    if models is not None and model not in models:
        raise IllegalTransition(
            words(
                "“{current}” → “{target}” is not open to the “{model}” model",
                current=current,
                target=target,
                model=model,
            ),
            details={"from": current.value, "to": target.value, "model": model.value},
        )


def require_evidence(evidence: TriageEvidence) -> None:
    gaps = evidence.missing()
    if gaps:
        names = ", ".join(g.value for g in gaps)
        raise EvidenceMissing(
            words("triage evidence missing: {names}", names=names), details={"missing": [g.value for g in gaps]}
        )


def format_rma_number(sequence: int, *, year: int) -> str:
    """RMA-2026-000123: human-readable, sortable, short enough for a Code 128 label."""
    if sequence <= 0:
        raise InvalidInput(words("RMA sequence numbers start at 1"))
    return f"RMA-{year}-{sequence:06d}"


def with_return_terms(rma: Rma, terms: ReturnTerms) -> Rma:
    """The RMA owing its unit back by ``terms``, keeping what set the due date for the ledger's aging."""
    return replace(rma, return_due=terms.due_on, return_contract_id=terms.contract_id, return_timezone=terms.timezone)


def credit_refusal(rma: Rma) -> DomainError | None:
    """Why no credit can be decided on ``rma`` now, or None: only the credit lane, only at inspection."""
    if rma.lane is not RmaLane.CREDIT:
        return RuleViolation(
            words("this RMA is on the {lane} lane; only the credit lane gets a credit decision", lane=str(rma.lane))
        )
    if rma.status is not RmaStatus.INSPECTION:
        return IllegalTransition(
            words("a credit is decided at inspection, and this RMA is “{status}”", status=rma.status),
            details={"from": rma.status.value, "to": RmaStatus.CREDITED.value},
        )
    return None
