"""Incident commands through ``decide``: opening under the contract's tier template, moving through the one state
machine, arrivals, the earliest real response winning across devices, amendments and their conflicts, breaches.

World (tests/domain/world.py): Thursday 5 March 2026, 10:00Z = 11:00 CET in Berlin. TICKET was received at 08:00Z
(09:00 CET) under ServicePac NBD (9×5, 4 h response, NBD restore): response due 13:00 CET = 12:00Z, restore due
Friday 17:00 CET = 16:00Z.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sync import codec
from sync.domain.commands import AmendIncident, MoveIncident, OpenTicket, RecordBreach, ResolveConflict, StartVisit
from sync.domain.conflict import Conflict
from sync.domain.errors import Forbidden, IllegalTransition, InvalidInput, NotFound, RuleViolation
from sync.domain.handlers import decide
from sync.domain.incident import Amendment, IncidentStatus
from sync.domain.incident_terms import ticket_clocks
from sync.domain.org import Role
from sync.domain.service import Severity
from sync.domain.sla import Clock, ClockStatus
from sync.domain.ticket import Ticket
from tests.domain.fakes import FakeContext
from tests.domain.world import ASSET, CONTRACT, TICKET, world

S = IncidentStatus


def at(hour: int, minute: int = 0, day: int = 5) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def run(ctx: FakeContext, command: object) -> list[object]:
    out = decide(command, ctx)  # type: ignore[arg-type]
    ctx.apply(out)
    return list(out)


def ticket_in(ctx: FakeContext, ticket_id: str = TICKET.id) -> Ticket:
    found = ctx.get(Ticket, ticket_id)
    assert found is not None
    return found


def as_role(ctx: FakeContext, role: Role, now: datetime) -> FakeContext:
    other = world(role, now=now)
    other.records = ctx.records
    return other


def test_an_incident_opened_under_a_contract_naming_a_template_runs_under_that_template() -> None:
    ctx = world(Role.SERVICE_DESK).put(replace(CONTRACT, tier_template="ProSupport Plus Mission Critical"))
    command = OpenTicket(
        ticket_id="t-new",
        asset_id=ASSET.id,
        symptom="  PSU 2 amber ",
        severity=Severity.CRITICAL,
        contact_name=" Dana Okafor ",
        contact_phone="+49 69 1234",
    )
    (ticket,) = run(ctx, command)
    assert isinstance(ticket, Ticket)
    assert (ticket.tier_name, ticket.contract_id, ticket.status) == (
        "ProSupport Plus Mission Critical",
        CONTRACT.id,
        S.OPEN,
    )
    assert (ticket.symptom, ticket.contact_name, ticket.contact_phone) == ("PSU 2 amber", "Dana Okafor", "+49 69 1234")
    assert (ticket.opened_at, ticket.opened_by, ticket.history) == (at(10), "u-service_desk", ())
    clocks = ticket_clocks(ctx, ticket, at(10))
    # Critical on Mission Critical: 30 min response, 4 h restore, round the clock.
    assert (clocks[Clock.RESPONSE].due, clocks[Clock.RESTORE].due) == (at(10, 30), at(14))


def test_a_customer_opens_incidents_on_its_own_chassis_only() -> None:
    ctx = world(Role.CUSTOMER)
    (ticket,) = run(ctx, OpenTicket(ticket_id="t-c", asset_id=ASSET.id, symptom="fans", severity=Severity.MINOR))
    assert isinstance(ticket, Ticket) and ticket.opened_by == "u-customer"
    foreign = replace(ASSET, id="asset-foreign", serial="NB7777", org_id="org-other")
    ctx.put(foreign)
    with pytest.raises(NotFound):
        decide(OpenTicket(ticket_id="t-d", asset_id=foreign.id, symptom="x", severity=Severity.MINOR), ctx)


def test_the_whole_walk_open_to_closed_keeps_every_step_with_who_and_when() -> None:
    ctx = world(Role.FIELD_ENGINEER, now=at(9))
    run(ctx, MoveIncident(ticket_id=TICKET.id, to_status=S.RESPONDED, note="called back", from_status=S.OPEN))
    run(as_role(ctx, Role.FIELD_ENGINEER, at(10)), MoveIncident(ticket_id=TICKET.id, to_status=S.WAITING_FOR_PARTS))
    run(as_role(ctx, Role.DEPOT, at(12)), MoveIncident(ticket_id=TICKET.id, to_status=S.RESPONDED))
    run(as_role(ctx, Role.FIELD_ENGINEER, at(13)), MoveIncident(ticket_id=TICKET.id, to_status=S.RESTORED))
    with pytest.raises(Forbidden):
        decide(MoveIncident(ticket_id=TICKET.id, to_status=S.CLOSED), as_role(ctx, Role.FIELD_ENGINEER, at(14)))
    run(as_role(ctx, Role.CUSTOMER, at(14)), MoveIncident(ticket_id=TICKET.id, to_status=S.CLOSED))
    ticket = ticket_in(ctx)
    assert ticket.status is S.CLOSED
    assert [(e.status, e.at, e.by) for e in ticket.history] == [
        (S.RESPONDED, at(9), "u-field_engineer"),
        (S.WAITING_FOR_PARTS, at(10), "u-field_engineer"),
        (S.RESPONDED, at(12), "u-depot"),
        (S.RESTORED, at(13), "u-field_engineer"),
        (S.CLOSED, at(14), "u-customer"),
    ]
    assert (ticket.responded_at, ticket.restored_at) == (at(9), at(13))
    # The 2 h waiting for parts (a pause on ServicePac NBD) moved the NBD restore due, Friday 17:00 CET (the window's
    # close), by 2 h of covered time: Monday 10:00 CET = 09:00Z.
    restore = ticket_clocks(ctx, ticket, at(15))[Clock.RESTORE]
    assert (restore.status, restore.due) == (ClockStatus.MET, at(9, day=9))


def test_a_step_that_is_no_edge_is_refused_and_an_installer_moves_no_incident() -> None:
    ctx = world(Role.SERVICE_DESK)
    with pytest.raises(IllegalTransition):
        decide(MoveIncident(ticket_id=TICKET.id, to_status=S.CLOSED), ctx)
    with pytest.raises(Forbidden):
        decide(MoveIncident(ticket_id=TICKET.id, to_status=S.RESPONDED), world(Role.INSTALLER))


def test_the_first_arrival_responds_and_a_later_one_changes_nothing() -> None:
    ctx = world(Role.FIELD_ENGINEER, now=at(9))
    out = run(ctx, StartVisit(visit_id="v-1", asset_id=ASSET.id, ticket_id=TICKET.id))
    assert len(out) == 2
    ticket = ticket_in(ctx)
    assert (ticket.status, ticket.responded_at, ticket.history[0].note) == (S.RESPONDED, at(9), "arrived on site")
    out = run(
        as_role(ctx, Role.FIELD_ENGINEER, at(11)), StartVisit(visit_id="v-2", asset_id=ASSET.id, ticket_id=TICKET.id)
    )
    assert len(out) == 1  # the visit only
    assert ticket_in(ctx) == ticket


def test_an_installer_arriving_for_an_incident_is_refused_not_silently_left_unresponded() -> None:
    with pytest.raises(Forbidden):
        decide(StartVisit(visit_id="v-1", asset_id=ASSET.id, ticket_id=TICKET.id), world(Role.INSTALLER))


def test_an_earlier_response_made_offline_becomes_the_response_time_when_it_arrives_later() -> None:
    ctx = world(Role.SERVICE_DESK, now=at(10, 30))
    run(ctx, MoveIncident(ticket_id=TICKET.id, to_status=S.RESPONDED, from_status=S.OPEN))
    # The engineer arrived at 09:15, offline; the visit reaches the server after the desk's call back.
    run(
        as_role(ctx, Role.FIELD_ENGINEER, at(9, 15)), StartVisit(visit_id="v-1", asset_id=ASSET.id, ticket_id=TICKET.id)
    )
    ticket = ticket_in(ctx)
    assert (ticket.status, ticket.responded_at) == (S.RESPONDED, at(9, 15))
    assert [(e.status, e.late) for e in ticket.history] == [(S.RESPONDED, False), (S.RESPONDED, True)]
    # Another offline response, later than the one on record, changes nothing.
    late = MoveIncident(ticket_id=TICKET.id, to_status=S.RESPONDED, from_status=S.OPEN)
    assert decide(late, as_role(ctx, Role.FIELD_ENGINEER, at(9, 45))) == []
    # Without saying what it saw, a second response is just an illegal step.
    with pytest.raises(IllegalTransition):
        decide(MoveIncident(ticket_id=TICKET.id, to_status=S.RESPONDED), as_role(ctx, Role.FIELD_ENGINEER, at(9)))
    # The earlier response also starts nothing new: the next real step must still come after the last one.
    with pytest.raises(InvalidInput):
        decide(MoveIncident(ticket_id=TICKET.id, to_status=S.RESTORED), as_role(ctx, Role.FIELD_ENGINEER, at(10)))


def test_severity_and_tier_changes_are_the_desks_and_a_parts_extension_also_the_engineers() -> None:
    ctx = world(Role.SERVICE_DESK, now=at(11))
    run(
        ctx, AmendIncident(ticket_id=TICKET.id, amendment=Amendment.CHANGE_SEVERITY, value="critical", reason="cluster")
    )
    run(
        ctx,
        AmendIncident(ticket_id=TICKET.id, amendment=Amendment.CHANGE_TIER, value="Foundation NBD", reason="re-read"),
    )
    with pytest.raises(Forbidden):
        decide(
            AmendIncident(ticket_id=TICKET.id, amendment=Amendment.CHANGE_SEVERITY, value="minor", reason="x"),
            world(Role.FIELD_ENGINEER),
        )
    engineer = as_role(ctx, Role.FIELD_ENGINEER, at(12))
    run(engineer, AmendIncident(ticket_id=TICKET.id, amendment=Amendment.EXTEND_FOR_PARTS, reason="no PSU in buffer"))
    ticket = ticket_in(ctx)
    assert (ticket.severity, ticket.tier_name) == (Severity.CRITICAL, "Foundation NBD")
    assert [(e.amendment, e.value, e.note) for e in ticket.history] == [
        (Amendment.CHANGE_SEVERITY, "critical", "cluster"),
        (Amendment.CHANGE_TIER, "Foundation NBD", "re-read"),
        (Amendment.EXTEND_FOR_PARTS, "", "no PSU in buffer"),
    ]
    restore = ticket_clocks(ctx, ticket, at(12))[Clock.RESTORE]
    # Foundation NBD's extension: 2 business days from Thursday → Monday 17:00 CET.
    assert restore.due == at(16, day=9) and restore.extension is not None
    with pytest.raises(InvalidInput):
        decide(AmendIncident(ticket_id=TICKET.id, amendment=Amendment.CHANGE_TIER, value="Gold-ish", reason="x"), ctx)


def test_a_severity_change_from_a_stale_base_is_applied_and_leaves_a_conflict_to_resolve() -> None:
    ctx = world(Role.SERVICE_DESK, now=at(11))
    run(
        ctx,
        AmendIncident(
            ticket_id=TICKET.id, amendment=Amendment.CHANGE_SEVERITY, value="minor", reason="a", base_value="major"
        ),
    )
    out = run(
        as_role(ctx, Role.ADMIN, at(11, 5)),
        AmendIncident(
            ticket_id=TICKET.id, amendment=Amendment.CHANGE_SEVERITY, value="critical", reason="b", base_value="major"
        ),
    )
    conflicts = [e for e in out if isinstance(e, Conflict)]
    assert len(conflicts) == 1
    conflict = conflicts[0]
    assert (conflict.subject_collection, conflict.field, conflict.base_value) == ("tickets", "severity", "major")
    assert (conflict.kept_value, conflict.overwritten_value) == ("critical", "minor")
    assert ticket_in(ctx).severity is Severity.CRITICAL
    run(as_role(ctx, Role.SERVICE_DESK, at(11, 10)), ResolveConflict(conflict_id=conflict.id, chosen_value="minor"))
    ticket = ticket_in(ctx)
    assert ticket.severity is Severity.MINOR
    assert ticket.history[-1].note == "conflict resolved: minor chosen over critical"
    resolved = ctx.get(Conflict, conflict.id)
    assert resolved is not None and resolved.resolved and resolved.resolved_value == "minor"


def test_a_breach_is_recorded_once_at_the_due_time_and_never_before_it() -> None:
    ctx = world(Role.ADMIN, now=at(11))
    with pytest.raises(RuleViolation):
        decide(RecordBreach(ticket_id=TICKET.id, clock=Clock.RESPONSE), ctx)
    later = as_role(ctx, Role.ADMIN, at(12, 1))
    run(later, RecordBreach(ticket_id=TICKET.id, clock=Clock.RESPONSE))
    assert ticket_in(ctx).response_breached_at == at(12)
    assert decide(RecordBreach(ticket_id=TICKET.id, clock=Clock.RESPONSE), as_role(ctx, Role.ADMIN, at(13))) == []
    with pytest.raises(RuleViolation):
        decide(RecordBreach(ticket_id=TICKET.id, clock=Clock.RESTORE), later)
    with pytest.raises(Forbidden):
        decide(RecordBreach(ticket_id=TICKET.id, clock=Clock.RESPONSE), as_role(ctx, Role.FIELD_ENGINEER, at(13)))


def test_a_ticket_from_before_incident_histories_still_decodes_with_its_times_as_steps() -> None:
    stored = {
        "id": "t-old",
        "org_id": "org-acme",
        "site_id": "site-ber",
        "asset_id": ASSET.id,
        "symptom": "fans",
        "severity": "major",
        "opened_at": "2026-03-05T08:00:00Z",
        "response_due": "2026-03-05T12:00:00Z",
        "restore_due": None,
        "status": "restored",
        "responded_at": "2026-03-05T09:00:00Z",
        "restored_at": "2026-03-05T11:00:00Z",
    }
    ticket = codec.load(Ticket, stored)
    incident = ticket.incident()
    assert [e.status for e in incident.history] == [S.RESPONDED, S.RESTORED]
    facts = incident.clock_facts()
    assert (facts.responded_at, facts.restored_at) == (at(9), at(11))
    states = ticket_clocks(world(), ticket, at(12))
    assert {s.status for s in states.values()} == {ClockStatus.NOT_COMMITTED}


def test_an_earlier_restore_made_offline_becomes_the_restore_time_and_the_status_stays() -> None:
    ctx = world(Role.SERVICE_DESK, now=at(9))
    run(ctx, MoveIncident(ticket_id=TICKET.id, to_status=S.RESPONDED, from_status=S.OPEN))
    run(as_role(ctx, Role.SERVICE_DESK, at(11)), MoveIncident(ticket_id=TICKET.id, to_status=S.RESTORED))
    run(as_role(ctx, Role.CUSTOMER, at(12)), MoveIncident(ticket_id=TICKET.id, to_status=S.CLOSED))
    # The engineer restored it at 10:00 in the cage, offline, having seen it responded.
    engineer = as_role(ctx, Role.FIELD_ENGINEER, at(10))
    run(engineer, MoveIncident(ticket_id=TICKET.id, to_status=S.RESTORED, from_status=S.RESPONDED))
    ticket = ticket_in(ctx)
    assert (ticket.status, ticket.responded_at, ticket.restored_at) == (S.CLOSED, at(9), at(10))
    assert ticket.history[-1].late and ticket.history[-1].by == "u-field_engineer"
    # A customer never restores, late or not.
    with pytest.raises(Forbidden):
        decide(
            MoveIncident(ticket_id=TICKET.id, to_status=S.RESTORED, from_status=S.RESPONDED),
            as_role(ctx, Role.CUSTOMER, at(9, 30)),
        )
