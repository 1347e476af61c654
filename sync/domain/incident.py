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

Devices work offline, so the same stop can be made twice: two engineers both respond, or an arrival reaches the
server after the desk's call back. The first one the server replays moves the incident; a later one that stops the
same clock ("responded", "restored") is kept as a **late** event (``also``): it changes no state, but the earliest
real time of each stop is the one that counts, so every replica converges on one response and one restore time.
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
from sync.domain.words import Phrase, words


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
# Each amendment in a refusal's words: "a customer may not change severity".
AMENDMENT_WORDS: Mapping[Amendment, Phrase] = {
    Amendment.CHANGE_SEVERITY: words("change severity"),
    Amendment.CHANGE_TIER: words("change tier"),
    Amendment.EXTEND_FOR_PARTS: words("extend for parts"),
}

PAUSES: Mapping[IncidentStatus, PauseReason] = {
    IncidentStatus.OPEN_WAITING_FOR_CUSTOMER: PauseReason.WAITING_FOR_CUSTOMER,
    IncidentStatus.WAITING_FOR_CUSTOMER: PauseReason.WAITING_FOR_CUSTOMER,
    IncidentStatus.WAITING_FOR_PARTS: PauseReason.WAITING_FOR_PARTS,
}


# The steps that stop a clock (a restore also stops the response clock), and the states before the first response.
STOPS = frozenset({IncidentStatus.RESPONDED, IncidentStatus.RESTORED})
BEFORE_RESPONSE = frozenset({IncidentStatus.OPEN, IncidentStatus.OPEN_WAITING_FOR_CUSTOMER})


def check_transition(current: IncidentStatus, target: IncidentStatus, role: Role) -> None:
    roles = TRANSITIONS.get((current, target))
    if roles is None:
        raise IllegalTransition(
            words("an incident cannot go from “{current}” to “{target}”", current=current, target=target),
            details={"from": current.value, "to": target.value},
        )
    if role not in roles:
        raise Forbidden(
            words(
                "a {role} may not move an incident from “{current}” to “{target}”",
                role=role,
                current=current,
                target=target,
            )
        )


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
    # The same stop made again by another device after the incident had moved on: no state change, only its time.
    late: bool = False


@dataclass(frozen=True, kw_only=True)
class Incident:
    received_at: datetime
    severity: Severity
    tier_name: str
    status: IncidentStatus = IncidentStatus.OPEN
    history: tuple[IncidentEvent, ...] = ()

    def _after_last(self, at: datetime) -> datetime:
        moment = aware_utc(at)
        # Late events (``also``) carry an earlier real time by nature; the steps that moved the incident run forward.
        steps = [e for e in self.history if not e.late]
        last = aware_utc(steps[-1].at) if steps else aware_utc(self.received_at)
        if moment < last:
            raise InvalidInput(words("incident history runs forward: this step is dated before the last one"))
        return moment

    def moved(
        self, target: IncidentStatus, *, at: datetime, by: str, role: Role, tier: Tier, note: str = ""
    ) -> Incident:
        """The incident after one step; ``tier`` is its current tier (it decides whether parts may pause)."""
        check_transition(self.status, target, role)
        if target is IncidentStatus.WAITING_FOR_PARTS and not tier.parts_pause:
            raise RuleViolation(words("{tier} does not stop the clock while waiting for parts", tier=tier.name))
        event = IncidentEvent(at=self._after_last(at), by=by, role=role, status=target, note=note)
        return replace(self, status=target, history=(*self.history, event))

    def amended(
        self, amendment: Amendment, value: str, *, at: datetime, by: str, role: Role, reason: str, tier: Tier
    ) -> Incident:
        """Change severity or tier, or record a parts extension (``value`` unused); every amendment says why."""
        if role not in AMENDMENTS[amendment]:
            raise Forbidden(words("a {role} may not {doing}", role=role, doing=AMENDMENT_WORDS[amendment]))
        if not reason.strip():
            raise InvalidInput(words("say why: the reason is shown with the clocks"))
        if self.status is IncidentStatus.CLOSED:
            raise IllegalTransition(words("a closed incident is not amended"))
        changed = self
        if amendment is Amendment.CHANGE_SEVERITY:
            if value not in set(Severity):
                raise InvalidInput(words("severity is one of {choices}", choices=", ".join(Severity)))
            changed = replace(self, severity=Severity(value))
        elif amendment is Amendment.CHANGE_TIER:
            if not value.strip():
                raise InvalidInput(words("name the new tier"))
            changed = replace(self, tier_name=value)
        elif tier.parts_extension is None:
            raise RuleViolation(words("{tier} grants no parts extension", tier=tier.name))
        event = IncidentEvent(
            at=self._after_last(at), by=by, role=role, amendment=amendment, value=value, note=reason.strip()
        )
        return replace(changed, history=(*changed.history, event))

    def also(self, stop: IncidentStatus, *, at: datetime, by: str, role: Role, note: str = "") -> Incident:
        """A response or restore another device made first: kept as a late event when it is earlier than the one on
        record (the earliest real stop counts), else nothing changes. Its author must be one who may make it."""
        if stop not in STOPS:
            raise IllegalTransition(
                words("only a response or a restore can be made again, not “{status}”", status=stop)
            )
        if not any(role in roles for (_, target), roles in TRANSITIONS.items() if target is stop):
            raise Forbidden(words("a {role} may not mark an incident “{status}”", role=role, status=stop))
        moment = aware_utc(at)
        if moment < aware_utc(self.received_at):
            raise InvalidInput(words("a stop cannot come before the incident was received"))
        facts = self.clock_facts()
        recorded = facts.responded_at if stop is IncidentStatus.RESPONDED else facts.restored_at
        if recorded is None:
            raise IllegalTransition(
                words(
                    "the incident is “{current}”: move it to “{target}” instead",
                    current=self.status,
                    target=stop,
                )
            )
        if moment >= aware_utc(recorded):
            return self
        event = IncidentEvent(at=moment, by=by, role=role, status=stop, note=note, late=True)
        return replace(self, history=(*self.history, event))

    def stepped(
        self,
        target: IncidentStatus,
        *,
        seen: IncidentStatus | None,
        at: datetime,
        by: str,
        role: Role,
        tier: Tier,
        note: str = "",
    ) -> Incident:
        """A move as its author made it, perhaps offline: ``seen`` is the status they saw (None: not said).

        When someone else has since made the same stop (the author saw the incident before its response and it is
        responded now), the move is kept as a late event (``also``); anything else is an ordinary move, refused if
        it is no edge from where the incident is now.
        """
        if seen is not None and seen is not self.status and target in STOPS and self._stopped(target):
            return self.also(target, at=at, by=by, role=role, note=note)
        return self.moved(target, at=at, by=by, role=role, tier=tier, note=note)

    def arrived(self, *, at: datetime, by: str, role: Role, tier: Tier) -> Incident:
        """An engineer on site: the first arrival responds (through the table); a later one changes nothing, and an
        arrival made offline before the recorded response becomes the response time (``also``)."""
        if self.status in BEFORE_RESPONSE:
            return self.moved(IncidentStatus.RESPONDED, at=at, by=by, role=role, tier=tier, note="arrived on site")
        return self.also(IncidentStatus.RESPONDED, at=at, by=by, role=role, note="arrived on site")

    def _stopped(self, stop: IncidentStatus) -> bool:
        facts = self.clock_facts()
        return (facts.responded_at if stop is IncidentStatus.RESPONDED else facts.restored_at) is not None

    def clock_facts(self) -> ClockFacts:
        """Read the clocks' facts off the history: first response, restore, pauses, the latest parts extension.

        Late events (see ``also``) only count for their time: the earliest response and restore win.
        """
        responded: datetime | None = None
        restored: datetime | None = None
        pauses: list[Pause] = []
        extension = None
        for event in self.history:
            if event.amendment is Amendment.EXTEND_FOR_PARTS:
                extension = PartsExtension(at=event.at, by=event.by, reason=event.note)
            if event.status is None:
                continue
            if event.status in STOPS:
                responded = _earliest(responded, event.at)
            if event.status is IncidentStatus.RESTORED:
                restored = _earliest(restored, event.at)
            if event.late:
                continue
            if pauses and pauses[-1].end is None:
                pauses[-1] = replace(pauses[-1], end=event.at)
            reason = PAUSES.get(event.status)
            if reason is not None:
                pauses.append(Pause(reason=reason, start=event.at))
        return ClockFacts(
            received_at=self.received_at,
            responded_at=responded,
            restored_at=restored,
            pauses=tuple(pauses),
            extension=extension,
        )


def _earliest(current: datetime | None, candidate: datetime) -> datetime:
    return candidate if current is None or aware_utc(candidate) < aware_utc(current) else current


def open_incident(*, received_at: datetime, severity: Severity, tier_name: str) -> Incident:
    """Who may open one is the opening command's permission (OpenTicket's), kept with the other commands' grants."""
    return Incident(received_at=aware_utc(received_at), severity=severity, tier_name=tier_name)


def incident_clocks(
    incident: Incident, *, tier: Tier, place: ServicePlace, now: datetime
) -> Mapping[Clock, ClockState]:
    """Both clocks as of ``now``, recomputed from the whole history under the incident's current tier and severity."""
    if tier.name != incident.tier_name:
        raise InvalidInput(
            words("the incident is under {current}, not {tier}", current=incident.tier_name, tier=tier.name)
        )
    return clock_states(tier=tier, severity=incident.severity, place=place, facts=incident.clock_facts(), now=now)
