"""Incidents: opening one on a chassis, moving it through its state machine, amending it, recording a breach.

Every step goes through sync/domain/incident.py (the one table of edges and roles); the tier and place come from
sync/domain/incident_terms.py. Nothing here computes a due time: the record stores facts, the clocks are recomputed.
"""

from __future__ import annotations

from sync.domain.asset import Asset
from sync.domain.commands import AmendIncident, MoveIncident, OpenTicket, RecordBreach
from sync.domain.conflict import Conflict
from sync.domain.context import Context
from sync.domain.contract import Contract
from sync.domain.errors import InvalidInput, NotFound, RuleViolation
from sync.domain.handlers.common import Outcome, load, require_role
from sync.domain.incident import Amendment, Incident, open_incident
from sync.domain.incident_terms import terms_for, ticket_clocks, ticket_terms, tier_named
from sync.domain.org import Role
from sync.domain.permissions import Action
from sync.domain.sla_alerts import breaches_to_record
from sync.domain.ticket import Ticket
from sync.domain.words import words

# The record field each amendment that changes a value changes (a parts extension changes none).
AMENDED_FIELD = {Amendment.CHANGE_SEVERITY: "severity", Amendment.CHANGE_TIER: "tier_name"}


def open_ticket(cmd: OpenTicket, ctx: Context) -> Outcome:
    require_role(ctx, Action.OPEN_TICKET, "open an incident")
    asset = load(ctx, Asset, cmd.asset_id)
    if ctx.actor.role is Role.CUSTOMER and asset.org_id != ctx.actor.org_id:
        # A customer's users report faults on their own organization's chassis only.
        raise NotFound(f"no asset {cmd.asset_id!r} that you can see")  # plain text, as load()'s (handlers/common.py)
    if not cmd.symptom.strip():
        raise InvalidInput(words("describe the symptom"))
    terms = terms_for(ctx, asset, ctx.now)
    incident = open_incident(received_at=ctx.now, severity=cmd.severity, tier_name=terms.tier.name)
    ticket = Ticket(
        id=cmd.ticket_id,
        org_id=asset.org_id,
        site_id=asset.site_id or "",
        asset_id=asset.id,
        symptom=cmd.symptom.strip(),
        severity=incident.severity,
        opened_at=incident.received_at,
        tier_name=incident.tier_name,
        contract_id=terms.contract.id if terms.contract else None,
        opened_by=ctx.actor.user_id,
        contact_name=cmd.contact_name.strip(),
        contact_phone=cmd.contact_phone.strip(),
    )
    return [ticket]


def _changed(ticket: Ticket, before: Incident, after: Incident) -> Outcome:
    return [] if after == before else [ticket.with_incident(after)]


def move_incident(cmd: MoveIncident, ctx: Context) -> Outcome:
    require_role(ctx, Action.MOVE_INCIDENT, "move an incident")
    ticket = load(ctx, Ticket, cmd.ticket_id)
    tier, _place = ticket_terms(ctx, ticket)
    before = ticket.incident()
    after = before.stepped(
        cmd.to_status,
        seen=cmd.from_status,
        at=ctx.now,
        by=ctx.actor.user_id,
        role=ctx.actor.role,
        tier=tier,
        note=cmd.note.strip(),
    )
    return _changed(ticket, before, after)


def arrival(ticket: Ticket, ctx: Context) -> Outcome:
    """An engineer arrived for ``ticket`` (StartVisit): the first arrival is the response, through the table."""
    tier, _place = ticket_terms(ctx, ticket)
    before = ticket.incident()
    after = before.arrived(at=ctx.now, by=ctx.actor.user_id, role=ctx.actor.role, tier=tier)
    return _changed(ticket, before, after)


def amend_incident(cmd: AmendIncident, ctx: Context) -> Outcome:
    require_role(ctx, Action.AMEND_INCIDENT, "amend an incident")
    ticket = load(ctx, Ticket, cmd.ticket_id)
    return _amended(ticket, cmd.amendment, cmd.value, cmd.reason, ctx, base_value=cmd.base_value)


def _amended(
    ticket: Ticket, amendment: Amendment, value: str, reason: str, ctx: Context, *, base_value: str | None
) -> Outcome:
    tier, _place = ticket_terms(ctx, ticket)
    if amendment is Amendment.CHANGE_TIER:
        contract = ctx.get(Contract, ticket.contract_id) if ticket.contract_id else None
        tier_named(value.strip(), contract)  # a tier nobody can compute clocks for is refused before it is stored
        value = value.strip()
    after = ticket.incident().amended(
        amendment, value, at=ctx.now, by=ctx.actor.user_id, role=ctx.actor.role, reason=reason, tier=tier
    )
    out: Outcome = [ticket.with_incident(after)]
    field = AMENDED_FIELD.get(amendment)
    current = str(getattr(ticket, field)) if field else ""
    if field and base_value is not None and current not in (base_value, value):
        # Two people changed it from the same value: the later one (server order) is on the record, the other
        # is kept where both can see it and choose.
        out.append(
            Conflict(
                id=f"{ticket.id}:{field}:{ctx.actor.device_id}:{len(ticket.history)}",
                org_id=ticket.org_id,
                site_id=ticket.site_id or None,
                subject_collection=Ticket.collection,
                subject_id=ticket.id,
                field=field,
                base_value=base_value,
                kept_value=value,
                overwritten_value=current,
                kept_author_id=ctx.actor.user_id,
                detected_at=ctx.now,
            )
        )
    return out


def resolve_ticket_conflict(conflict: Conflict, chosen: str, ctx: Context) -> Outcome:
    """The value chosen for a ticket's severity or tier, applied as an amendment (so its history says so)."""
    ticket = load(ctx, Ticket, conflict.subject_id)
    amendment = next(a for a, f in AMENDED_FIELD.items() if f == conflict.field)
    if str(getattr(ticket, conflict.field)) == chosen:
        return []
    other = conflict.overwritten_value if chosen == conflict.kept_value else conflict.kept_value
    reason = f"conflict resolved: {chosen} chosen over {other}"
    return _amended(ticket, amendment, chosen, reason, ctx, base_value=None)


def record_breach(cmd: RecordBreach, ctx: Context) -> Outcome:
    require_role(ctx, Action.RECORD_BREACH, "record a breach")
    ticket = load(ctx, Ticket, cmd.ticket_id)
    if ticket.breached_at(cmd.clock) is not None:
        return []  # once per clock, however often the sweep asks
    states = ticket_clocks(ctx, ticket, ctx.now)
    if cmd.clock not in breaches_to_record(states, frozenset()):
        raise RuleViolation(
            words("the {clock} clock of this incident has not breached", clock=cmd.clock),
            details={"clock": cmd.clock.value},
        )
    due = states[cmd.clock].due
    assert due is not None  # a breached or missed clock has a due time
    return [ticket.with_breach(cmd.clock, due)]
