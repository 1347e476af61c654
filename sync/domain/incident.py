"""Incidents: the state machine (one table of edges with the roles that may take each) and their history.

    open ──► responded ──► restored ──► closed
     │  ▲        │  ▲  ▲
     ▼  │        ▼  │  │
    open, waiting    waiting for customer / waiting for parts      (every pause state may also go to restored)
    for customer

Pausing before the first response keeps the response clock stopped too, so there are two "waiting for customer"
states: one before the response, one after. A reply together with a pause is two steps in one save (responded,
then waiting), which fulfils the response clock; a resolve straight from a pause ends the pause at that instant.
The clocks are never stored: ``clock_facts`` reads them off the history, and sync/domain/sla.py recomputes them
under the incident's current tier and severity (so a change of either midway applies from receipt).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from sync.domain.errors import Forbidden, IllegalTransition, InvalidInput, RuleViolation
from sync.domain.org import Role
from sync.domain.service import Severity
from sync.domain.sla import (
    Clock,
    ClockFacts,
    ClockState,
    PartsExtension,
    Pause,
    PauseReason,
    ServicePlace,
    Tier,
    clock_states,
)
from sync.domain.sla_window import aware_utc


class IncidentStatus(StrEnum):
    OPEN = "open"
    OPEN_WAITING_FOR_CUSTOMER = "open_waiting_for_customer"
    RESPONDED = "responded"
    WAITING_FOR_CUSTOMER = "waiting_for_customer"
    WAITING_FOR_PARTS = "waiting_for_parts"
    RESTORED = "restored"
    CLOSED = "closed"


class Amendment(StrEnum):
    CHANGE_SEVERITY = "change_severity"
    CHANGE_TIER = "change_tier"
    EXTEND_FOR_PARTS = "extend_for_parts"


_R = Role
RESPONDERS = frozenset({_R.FIELD_ENGINEER, _R.SERVICE_DESK, _R.ADMIN})
S = IncidentStatus
# Every legal edge and who may take it. Tests walk this table edge by edge and role by role; anything else is an
# IllegalTransition (no edge) or Forbidden (edge, wrong role), on the device and on the server alike.
TRANSITIONS: Mapping[tuple[IncidentStatus, IncidentStatus], frozenset[Role]] = {
    (S.OPEN, S.RESPONDED): RESPONDERS,
    (S.OPEN, S.OPEN_WAITING_FOR_CUSTOMER): RESPONDERS,
    (S.OPEN, S.RESTORED): RESPONDERS,  # fixed remotely at first contact: fulfils both clocks
    (S.OPEN_WAITING_FOR_CUSTOMER, S.OPEN): RESPONDERS | {_R.CUSTOMER},  # the customer answered
    (S.OPEN_WAITING_FOR_CUSTOMER, S.RESPONDED): RESPONDERS,
    (S.OPEN_WAITING_FOR_CUSTOMER, S.RESTORED): RESPONDERS,
    (S.RESPONDED, S.WAITING_FOR_CUSTOMER): RESPONDERS,
    (S.RESPONDED, S.WAITING_FOR_PARTS): RESPONDERS,  # only where the tier allows it
    (S.RESPONDED, S.RESTORED): RESPONDERS,
    (S.WAITING_FOR_CUSTOMER, S.RESPONDED): RESPONDERS | {_R.CUSTOMER},
    (S.WAITING_FOR_CUSTOMER, S.RESTORED): RESPONDERS,
    (S.WAITING_FOR_PARTS, S.RESPONDED): RESPONDERS | {_R.DEPOT},  # the part arrived
    (S.WAITING_FOR_PARTS, S.RESTORED): RESPONDERS,
    (S.RESTORED, S.CLOSED): frozenset({_R.SERVICE_DESK, _R.ADMIN, _R.CUSTOMER}),
}
del S

AMENDMENTS: Mapping[Amendment, frozenset[Role]] = {
    Amendment.CHANGE_SEVERITY: frozenset({_R.SERVICE_DESK, _R.ADMIN}),
    Amendment.CHANGE_TIER: frozenset({_R.SERVICE_DESK, _R.ADMIN}),
    Amendment.EXTEND_FOR_PARTS: frozenset({_R.FIELD_ENGINEER, _R.SERVICE_DESK, _R.ADMIN}),
}
del _R

PAUSES: Mapping[IncidentStatus, PauseReason] = {
    IncidentStatus.OPEN_WAITING_FOR_CUSTOMER: PauseReason.WAITING_FOR_CUSTOMER,
    IncidentStatus.WAITING_FOR_CUSTOMER: PauseReason.WAITING_FOR_CUSTOMER,
    IncidentStatus.WAITING_FOR_PARTS: PauseReason.WAITING_FOR_PARTS,
}


def check_transition(current: IncidentStatus, target: IncidentStatus, role: Role) -> None:
    roles = TRANSITIONS.get((current, target))
    if roles is None:
        raise IllegalTransition(
            f"an incident cannot go from {current} to {target}", details={"from": current.value, "to": target.value}
        )
    if role not in roles:
        raise Forbidden(f"a {role} may not move an incident from {current} to {target}")


@dataclass(frozen=True, kw_only=True)
class IncidentEvent:
    """One line of history: a move (``status``), or an amendment with its new value and the reason."""

    at: datetime
    by: str
    role: Role
    status: IncidentStatus | None = None
    amendment: Amendment | None = None
    value: str = ""
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Incident:
    received_at: datetime
    severity: Severity
    tier_name: str
    status: IncidentStatus = IncidentStatus.OPEN
    history: tuple[IncidentEvent, ...] = ()

    def _after_last(self, at: datetime) -> datetime:
        moment = aware_utc(at)
        last = aware_utc(self.history[-1].at) if self.history else aware_utc(self.received_at)
        if moment < last:
            raise InvalidInput("incident history runs forward: this step is dated before the last one")
        return moment

    def moved(
        self, target: IncidentStatus, *, at: datetime, by: str, role: Role, tier: Tier, note: str = ""
    ) -> Incident:
        """The incident after one step; ``tier`` is its current tier (it decides whether parts may pause)."""
        check_transition(self.status, target, role)
        if target is IncidentStatus.WAITING_FOR_PARTS and not tier.parts_pause:
            raise RuleViolation(f"{tier.name} does not stop the clock while waiting for parts")
        event = IncidentEvent(at=self._after_last(at), by=by, role=role, status=target, note=note)
        return replace(self, status=target, history=(*self.history, event))

    def amended(
        self, amendment: Amendment, value: str, *, at: datetime, by: str, role: Role, reason: str, tier: Tier
    ) -> Incident:
        """Change severity or tier, or record a parts extension (``value`` unused); every amendment says why."""
        if role not in AMENDMENTS[amendment]:
            raise Forbidden(f"a {role} may not {amendment.value.replace('_', ' ')}")
        if not reason.strip():
            raise InvalidInput("say why: the reason is shown with the clocks")
        if self.status is IncidentStatus.CLOSED:
            raise IllegalTransition("a closed incident is not amended")
        changed = self
        if amendment is Amendment.CHANGE_SEVERITY:
            if value not in set(Severity):
                raise InvalidInput(f"severity is one of {', '.join(Severity)}")
            changed = replace(self, severity=Severity(value))
        elif amendment is Amendment.CHANGE_TIER:
            if not value.strip():
                raise InvalidInput("name the new tier")
            changed = replace(self, tier_name=value)
        elif tier.parts_extension is None:
            raise RuleViolation(f"{tier.name} grants no parts extension")
        event = IncidentEvent(
            at=self._after_last(at), by=by, role=role, amendment=amendment, value=value, note=reason.strip()
        )
        return replace(changed, history=(*changed.history, event))

    def clock_facts(self) -> ClockFacts:
        """Read the clocks' facts off the history: first response, restore, pauses, the latest parts extension."""
        responded = restored = None
        pauses: list[Pause] = []
        extension = None
        for event in self.history:
            if event.amendment is Amendment.EXTEND_FOR_PARTS:
                extension = PartsExtension(at=event.at, by=event.by, reason=event.note)
            if event.status is None:
                continue
            if pauses and pauses[-1].end is None:
                pauses[-1] = replace(pauses[-1], end=event.at)
            reason = PAUSES.get(event.status)
            if reason is not None:
                pauses.append(Pause(reason=reason, start=event.at))
            if event.status in (IncidentStatus.RESPONDED, IncidentStatus.RESTORED) and responded is None:
                responded = event.at
            if event.status is IncidentStatus.RESTORED:
                restored = event.at
        return ClockFacts(
            received_at=self.received_at,
            responded_at=responded,
            restored_at=restored,
            pauses=tuple(pauses),
            extension=extension,
        )


def open_incident(*, received_at: datetime, severity: Severity, tier_name: str) -> Incident:
    """Who may open one is the opening command's permission (OpenTicket's), kept with the other commands' grants."""
    return Incident(received_at=aware_utc(received_at), severity=severity, tier_name=tier_name)


def incident_clocks(
    incident: Incident, *, tier: Tier, place: ServicePlace, now: datetime
) -> Mapping[Clock, ClockState]:
    """Both clocks as of ``now``, recomputed from the whole history under the incident's current tier and severity."""
    if tier.name != incident.tier_name:
        raise InvalidInput(f"the incident is under {incident.tier_name}, not {tier.name}")
    return clock_states(tier=tier, severity=incident.severity, place=place, facts=incident.clock_facts(), now=now)
