"""The synced incident record (collection ``tickets``): an incident (sync/domain/incident.py) about one chassis.

The record carries what the clocks need and nothing they compute: when it was received (``opened_at``), severity,
the tier it runs under and the contract that named it, its status and history, who to call, and the breaches the
server recorded. Due times are never stored (they move with pauses and amendments); every reader recomputes them
with ``sync.domain.incident_terms.ticket_clocks``. ``responded_at`` / ``restored_at`` are written from the history
on every change (``with_incident``), so lists and exports can read them without replaying it.

Records written before incidents had a history (status open/responded/restored/closed and the two times only)
still decode: ``incident()`` reads their times as the steps they stand for.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sync.domain.incident import Incident, IncidentEvent, IncidentStatus
from sync.domain.org import Role
from sync.domain.service import Severity, SiteBound
from sync.domain.sla import Clock
from sync.domain.sla_catalogue import NO_CONTRACT

# Who a step read off a record from before incident histories is attributed to.
LEGACY_AUTHOR = "legacy"


@dataclass(frozen=True, kw_only=True)
class Ticket(SiteBound):
    collection = "tickets"

    parent_key_field = "asset_id"

    asset_id: str
    symptom: str
    severity: Severity
    # When the incident was received: both clocks start here (the wire name predates incidents).
    opened_at: datetime
    status: IncidentStatus = IncidentStatus.OPEN
    # The tier the clocks run under (a template of sync/domain/sla_catalogue.py, or the contract's own tier name);
    # empty on records from before tiers were named.
    tier_name: str = ""
    contract_id: str | None = None
    opened_by: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    history: tuple[IncidentEvent, ...] = ()
    # Read off the history (the earliest real response and restore), written with every change.
    responded_at: datetime | None = None
    restored_at: datetime | None = None
    # When each clock breached, recorded once by RecordBreach (the server's sweep); None: not recorded.
    response_breached_at: datetime | None = None
    restore_breached_at: datetime | None = None
    # Who on the desk acknowledged each recorded breach's escalation notice, and when (AcknowledgeBreach, once per
    # clock); empty / None: the notice is still out (sync/domain/escalations.py).
    response_breach_seen_by: str = ""
    response_breach_seen_at: datetime | None = None
    restore_breach_seen_by: str = ""
    restore_breach_seen_at: datetime | None = None

    def incident(self) -> Incident:
        """The incident this record holds, for the state machine and the clocks."""
        return Incident(
            received_at=self.opened_at,
            severity=self.severity,
            tier_name=self.tier_name or NO_CONTRACT.name,
            status=self.status,
            history=self.history or self._legacy_history(),
        )

    def with_incident(self, incident: Incident) -> Ticket:
        """This record after ``incident`` changed: status, severity, tier, history and the stop times."""
        facts = incident.clock_facts()
        return replace(
            self,
            status=incident.status,
            severity=incident.severity,
            tier_name=incident.tier_name,
            history=incident.history,
            responded_at=facts.responded_at,
            restored_at=facts.restored_at,
        )

    def breached_at(self, clock: Clock) -> datetime | None:
        return self.response_breached_at if clock is Clock.RESPONSE else self.restore_breached_at

    def with_breach(self, clock: Clock, at: datetime) -> Ticket:
        if clock is Clock.RESPONSE:
            return replace(self, response_breached_at=at)
        return replace(self, restore_breached_at=at)

    def breach_seen(self, clock: Clock) -> bool:
        """Whether the desk acknowledged the escalation notice of ``clock``'s breach."""
        at = self.response_breach_seen_at if clock is Clock.RESPONSE else self.restore_breach_seen_at
        return at is not None

    def with_breach_seen(self, clock: Clock, *, by: str, at: datetime) -> Ticket:
        if clock is Clock.RESPONSE:
            return replace(self, response_breach_seen_by=by, response_breach_seen_at=at)
        return replace(self, restore_breach_seen_by=by, restore_breach_seen_at=at)

    def _legacy_history(self) -> tuple[IncidentEvent, ...]:
        steps: list[tuple[datetime | None, IncidentStatus]] = [
            (self.responded_at, IncidentStatus.RESPONDED),
            (self.restored_at, IncidentStatus.RESTORED),
        ]
        if self.status is IncidentStatus.CLOSED:
            steps.append((self.restored_at, IncidentStatus.CLOSED))
        return tuple(
            IncidentEvent(at=at, by=LEGACY_AUTHOR, role=Role.ADMIN, status=status) for at, status in steps if at
        )
