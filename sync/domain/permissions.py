"""Who may do what: one literal table per kind of step, and the questions services and views ask of it.

Three tables, each written out role by role so a change to one is a change a reviewer sees:

- ``GRANTS``: action × role, for every command (and the two after-sales screens a home page offers);
- ``RMA_STEPS``: RMA edge (from status, to status) × role, for every edge of ``sync.domain.rma.TRANSITIONS``;
- ``DEPOT_STAGES``: depot stage reached × role, for every stage a depot order can move to.

Incident steps and amendments keep their role sets beside their state machine (``sync.domain.incident.TRANSITIONS``
and ``AMENDMENTS``, checked by ``Incident.moved``/``amended``); ``GRANTS`` gives the incident commands to exactly the
roles named there.

Handlers check against them (``require``, ``require_rma_step``, ``require_depot_stage``), so the device and the
server refuse the same steps; services derive their buttons from them (``rma_actions``, ``stages_allowed``,
``grades_allowed``, ``may``) instead of restating role sets. A step that is no edge of the state machine is left to
the machine, which refuses it with its reason whoever asks.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from sync.domain.depot import grade_refusal, next_stages, owner_keeps_unit
from sync.domain.errors import Forbidden
from sync.domain.incident import AMENDMENTS as INCIDENT_AMENDMENTS
from sync.domain.incident import TRANSITIONS as INCIDENT_STEPS
from sync.domain.logistics import DepotGrade, DepotOrder, DepotStage
from sync.domain.org import Role
from sync.domain.rma import SHIPMENT_STATUSES, TRANSITIONS, Rma, RmaStatus
from sync.domain.words import words


class Action(StrEnum):
    """Everything a role may or may not do, besides moving an RMA or a depot order (their own tables)."""

    REGISTER_ASSET = "register_asset"
    EDIT_ASSET = "edit_asset"
    RESOLVE_CONFLICT = "resolve_conflict"
    RECORD_INSTALLATION = "record_installation"
    SWAP_FRU = "swap_fru"
    OPEN_TICKET = "open_ticket"
    # Incident steps and amendments: who may take each one is in sync/domain/incident.py (TRANSITIONS, AMENDMENTS);
    # these grant the commands to the roles named there at all.
    MOVE_INCIDENT = "move_incident"
    AMEND_INCIDENT = "amend_incident"
    # Recording that a clock breached (the server's sweep runs as an admin identity; the desk may record one too).
    RECORD_BREACH = "record_breach"
    # Acknowledging a recorded breach's escalation notice: the desk's list of notices out (sync/domain/escalations.py).
    ACKNOWLEDGE_BREACH = "acknowledge_breach"
    START_VISIT = "start_visit"
    END_VISIT = "end_visit"
    # Ending a visit another engineer started (the engineer on the visit may always end it).
    END_ANY_VISIT = "end_any_visit"
    DRAFT_RMA = "draft_rma"
    SHIP_REPLACEMENT = "ship_replacement"
    RECEIVE_RETURN = "receive_return"
    WORK_DEPOT_ORDER = "work_depot_order"
    GRADE_DEPOT_ORDER = "grade_depot_order"
    DECIDE_CREDIT = "decide_credit"
    ADJUST_STOCK = "adjust_stock"
    MOVE_ANY_STOCK = "move_any_stock"
    # Moving stock into or out of a van the actor holds.
    MOVE_OWN_VAN_STOCK = "move_own_van_stock"
    # Revoking another user's enrolled device (everyone may revoke their own).
    REVOKE_ANY_DEVICE = "revoke_any_device"
    # The after-sales screens a home page offers (who works there, not who may touch the records).
    OPEN_DESK_QUEUE = "open_desk_queue"
    OPEN_DEPOT_SESSION = "open_depot_session"
    # SLA attainment (the desk's card, the CSV export): over the records the reader's scope holds.
    READ_SLA_ATTAINMENT = "read_sla_attainment"


R = Role
_EVERYONE = frozenset(Role)
_FIELD = frozenset({R.FIELD_ENGINEER, R.INSTALLER, R.SERVICE_DESK, R.ADMIN})
_DESK = frozenset({R.SERVICE_DESK, R.ADMIN})
_DEPOT = frozenset({R.DEPOT, R.SERVICE_DESK, R.ADMIN})
A = Action
GRANTS: Mapping[Action, frozenset[Role]] = {
    A.REGISTER_ASSET: _FIELD | {R.DEPOT},
    A.EDIT_ASSET: _FIELD | {R.DEPOT},
    # Choosing a conflict's value is an edit: whoever may not edit the chassis may not pick its value either.
    A.RESOLVE_CONFLICT: _FIELD | {R.DEPOT},
    A.RECORD_INSTALLATION: _FIELD,
    A.SWAP_FRU: _FIELD,
    A.OPEN_TICKET: _FIELD | {R.CUSTOMER},
    A.MOVE_INCIDENT: frozenset().union(*INCIDENT_STEPS.values()),
    A.AMEND_INCIDENT: frozenset().union(*INCIDENT_AMENDMENTS.values()),
    A.RECORD_BREACH: _DESK,
    A.ACKNOWLEDGE_BREACH: _DESK,
    A.START_VISIT: _FIELD,
    A.END_VISIT: _FIELD,
    A.END_ANY_VISIT: _DESK,
    A.DRAFT_RMA: _EVERYONE,
    A.SHIP_REPLACEMENT: _DEPOT,
    A.RECEIVE_RETURN: _DEPOT,
    A.WORK_DEPOT_ORDER: _DEPOT,
    A.GRADE_DEPOT_ORDER: _DEPOT,
    A.DECIDE_CREDIT: _DEPOT,
    A.ADJUST_STOCK: _DEPOT,
    A.MOVE_ANY_STOCK: _DEPOT,
    A.MOVE_OWN_VAN_STOCK: frozenset({R.FIELD_ENGINEER, R.INSTALLER}),
    A.REVOKE_ANY_DEVICE: frozenset({R.ADMIN}),
    A.OPEN_DESK_QUEUE: _DESK,
    A.OPEN_DEPOT_SESSION: frozenset({R.DEPOT, R.ADMIN}),
    A.READ_SLA_ATTAINMENT: _DESK | {R.CUSTOMER},
}
del A

S = RmaStatus
# Every edge of the RMA state machine and who may take it. Whoever may draft may submit and answer the desk's
# question; the desk triages and decides; the depot (and the desk, and admins) moves the unit through logistics.
RMA_STEPS: Mapping[tuple[RmaStatus, RmaStatus], frozenset[Role]] = {
    (S.DRAFT, S.SUBMITTED): _EVERYONE,
    (S.SUBMITTED, S.TRIAGE): _DESK,
    (S.TRIAGE, S.NEEDS_INFO): _DESK,
    (S.NEEDS_INFO, S.TRIAGE): _EVERYONE,
    (S.TRIAGE, S.APPROVED): _DESK,
    (S.TRIAGE, S.REJECTED): _DESK,
    (S.APPROVED, S.REPLACEMENT_SHIPPED): _DEPOT,
    (S.REPLACEMENT_SHIPPED, S.AWAITING_RETURN): _DEPOT,
    (S.APPROVED, S.AWAITING_RETURN): _DEPOT,
    (S.AWAITING_RETURN, S.RECEIVED): _DEPOT,
    (S.RECEIVED, S.INSPECTION): _DEPOT,
    (S.INSPECTION, S.REPAIRED): _DEPOT,
    (S.INSPECTION, S.REPLACED): _DEPOT,
    (S.INSPECTION, S.CREDITED): _DEPOT,
    (S.INSPECTION, S.RETURNED_NFF): _DEPOT,
    (S.REPAIRED, S.SHIPPED_BACK): _DEPOT,
    (S.RETURNED_NFF, S.SHIPPED_BACK): _DEPOT,
    (S.SHIPPED_BACK, S.CLOSED): _DEPOT,
    (S.REPAIRED, S.CLOSED): _DEPOT,
    (S.REPLACED, S.CLOSED): _DEPOT,
    (S.CREDITED, S.CLOSED): _DEPOT,
    (S.RETURNED_NFF, S.CLOSED): _DEPOT,
}

D = DepotStage
DEPOT_STAGES: Mapping[DepotStage, frozenset[Role]] = {
    D.TRIAGE: _DEPOT,
    D.REPAIR: _DEPOT,
    D.BURN_IN: _DEPOT,
    D.SHIPPED: _DEPOT,
}
del D, R


class RmaAction(StrEnum):
    """The buttons of an RMA page. Each is one or more RMA steps (``RMA_ACTIONS``), the label, or adding evidence."""

    SUBMIT = "submit"
    ANSWER = "answer"
    APPROVE = "approve"
    SEND_BACK = "send_back"
    REJECT = "reject"
    SHIP_REPLACEMENT = "ship_replacement"
    AWAIT_RETURN = "await_return"
    CLOSE = "close"
    LABEL = "label"
    ADD_EVIDENCE = "add_evidence"


# The status paths an action takes. The desk's decisions from a fresh submission start triage first.
RMA_ACTIONS: Mapping[RmaAction, tuple[tuple[RmaStatus, ...], ...]] = {
    RmaAction.SUBMIT: ((S.DRAFT, S.SUBMITTED),),
    RmaAction.ANSWER: ((S.NEEDS_INFO, S.TRIAGE),),
    RmaAction.APPROVE: ((S.SUBMITTED, S.TRIAGE, S.APPROVED), (S.TRIAGE, S.APPROVED)),
    RmaAction.SEND_BACK: ((S.SUBMITTED, S.TRIAGE, S.NEEDS_INFO), (S.TRIAGE, S.NEEDS_INFO)),
    RmaAction.REJECT: ((S.SUBMITTED, S.TRIAGE, S.REJECTED), (S.TRIAGE, S.REJECTED)),
    RmaAction.SHIP_REPLACEMENT: ((S.APPROVED, S.REPLACEMENT_SHIPPED),),
    RmaAction.AWAIT_RETURN: ((S.APPROVED, S.AWAITING_RETURN),),
    RmaAction.CLOSE: tuple(
        (outcome, S.CLOSED) for outcome in (S.REPAIRED, S.REPLACED, S.CREDITED, S.RETURNED_NFF, S.SHIPPED_BACK)
    ),
}
# A numbered RMA whose unit is still to be sent back prints its return label, whoever looks at it.
LABEL_STATUSES = frozenset({S.APPROVED, S.REPLACEMENT_SHIPPED, S.AWAITING_RETURN})
# Photos and logs are added as triage evidence until the desk has decided; anyone who can see the RMA may add them.
EVIDENCE_STATUSES = frozenset({S.DRAFT, S.SUBMITTED, S.TRIAGE, S.NEEDS_INFO})
del S


def may(role: Role | None, action: Action) -> bool:
    return role is not None and role in GRANTS[action]


def require(role: Role, action: Action, doing: str) -> None:
    """Raise Forbidden unless ``role`` may do ``action``; ``doing`` names it for the message ("swap a FRU")."""
    if not may(role, action):
        raise Forbidden(
            words("a {role} may not {doing}", role=role, doing=words(doing)),
            details={"role": role.value, "doing": doing},
        )


def may_take_step(role: Role | None, source: RmaStatus, target: RmaStatus) -> bool:
    """True when ``role`` may take the edge; a step that is no edge is not a question of roles (True)."""
    allowed = RMA_STEPS.get((source, target))
    return allowed is None or (role is not None and role in allowed)


def require_rma_step(role: Role, rma: Rma, target: RmaStatus) -> None:
    if not may_take_step(role, rma.status, target):
        raise Forbidden(
            words(
                "a {role} may not move an RMA from “{current}” to “{target}”",
                role=role,
                current=rma.status,
                target=target,
            )
        )


def moves_allowed(role: Role | None, rma: Rma) -> tuple[RmaStatus, ...]:
    """The statuses ``role`` may move ``rma`` to next: legal edges for its model that the role may take."""
    out = []
    for (source, target), roles in RMA_STEPS.items():
        models = TRANSITIONS[(source, target)]
        legal = source is rma.status and (models is None or rma.model in models)
        # A shipment's status comes with the shipment (the depot's ship step), never as a bare move.
        if legal and target not in SHIPMENT_STATUSES and role is not None and role in roles:
            out.append(target)
    return tuple(out)


def _path_open(role: Role | None, rma: Rma, path: tuple[RmaStatus, ...]) -> bool:
    if path[0] is not rma.status:
        return False
    for source, target in zip(path, path[1:], strict=False):
        models = TRANSITIONS.get((source, target), frozenset())
        if models is not None and rma.model not in models:
            return False
        if role is None or role not in RMA_STEPS[(source, target)]:
            return False
    return True


def steps_before(rma: Rma, action: RmaAction) -> tuple[RmaStatus, ...]:
    """The statuses ``action`` passes through from where ``rma`` is before its last step (the desk approving a fresh
    submission first starts triage); empty when the action is one step from here or does not start here."""
    path = next((p for p in RMA_ACTIONS.get(action, ()) if p[0] is rma.status), ())
    return path[1:-1]


def rma_actions(role: Role | None, rma: Rma) -> tuple[RmaAction, ...]:
    """The buttons an RMA page shows this role, in ``RmaAction`` order."""
    out = [action for action, paths in RMA_ACTIONS.items() if any(_path_open(role, rma, p) for p in paths)]
    if rma.number is not None and rma.status in LABEL_STATUSES:
        out.append(RmaAction.LABEL)
    if role is not None and rma.status in EVIDENCE_STATUSES:
        out.append(RmaAction.ADD_EVIDENCE)
    return tuple(out)


def require_depot_stage(role: Role, target: DepotStage) -> None:
    allowed = DEPOT_STAGES.get(target, frozenset())
    if role not in allowed:
        raise Forbidden(words("a {role} may not move depot orders to “{stage}”", role=role, stage=target))


def stages_allowed(role: Role | None, order: DepotOrder) -> tuple[DepotStage, ...]:
    """The stages ``role`` may move ``order`` to next."""
    return tuple(s for s in next_stages(order) if role is not None and role in DEPOT_STAGES.get(s, frozenset()))


def grades_allowed(role: Role | None, order: DepotOrder, rma: Rma | None) -> tuple[DepotGrade, ...]:
    """The grades ``role`` may give ``order`` now (given a root cause and corrective action where a grade needs
    them): the depot's grading rules asked directly, not probed with placeholder texts."""
    if not may(role, Action.GRADE_DEPOT_ORDER):
        return ()
    keeps = owner_keeps_unit(lane=rma.lane, model=rma.model) if rma else False
    return tuple(g for g in DepotGrade if grade_refusal(order, g, owner_keeps=keeps) is None)
