"""AcknowledgeBreach through ``decide``: only a recorded breach, once per clock, by the desk and admins only.

World (tests/domain/world.py): TICKET on the Berlin chassis under ServicePac NBD, received Thursday 5 March 2026
08:00Z; its response clock (4 h of 9×5 coverage) is due 12:00Z, and the sweep records that breach at 12:00Z.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from sync import codec
from sync.domain.commands import AcknowledgeBreach, RecordBreach
from sync.domain.errors import Forbidden, NotFound, RuleViolation
from sync.domain.handlers import decide
from sync.domain.org import Role
from sync.domain.sla import Clock
from sync.domain.ticket import Ticket
from tests.domain.fakes import FakeContext
from tests.domain.world import TICKET, world


def at(hour: int, minute: int = 0, day: int = 5) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


def with_response_breach() -> FakeContext:
    ctx = world(Role.ADMIN, now=at(12, 1))
    ctx.apply(decide(RecordBreach(ticket_id=TICKET.id, clock=Clock.RESPONSE), ctx))
    return ctx


def as_role(ctx: FakeContext, role: Role, now: datetime) -> FakeContext:
    other = world(role, now=now)
    other.records = ctx.records
    return other


def ticket_in(ctx: FakeContext) -> Ticket:
    found = ctx.get(Ticket, TICKET.id)
    assert found is not None
    return found


ACK = AcknowledgeBreach(ticket_id=TICKET.id, clock=Clock.RESPONSE)


def test_the_desk_acknowledges_a_recorded_breach_and_the_record_says_who_and_when() -> None:
    ctx = as_role(with_response_breach(), Role.SERVICE_DESK, at(12, 30))
    (ticket,) = decide(ACK, ctx)
    assert isinstance(ticket, Ticket)
    assert (ticket.response_breach_seen_by, ticket.response_breach_seen_at) == ("u-service_desk", at(12, 30))
    assert (ticket.restore_breach_seen_by, ticket.restore_breach_seen_at) == ("", None)
    assert (ticket.breach_seen(Clock.RESPONSE), ticket.breach_seen(Clock.RESTORE)) == (True, False)


def test_a_breach_that_is_not_recorded_cannot_be_acknowledged() -> None:
    # Due and late by now, but the sweep has not recorded it: there is no notice to acknowledge.
    late = world(Role.SERVICE_DESK, now=at(13))
    with pytest.raises(RuleViolation) as refused:
        decide(ACK, late)
    assert refused.value.details == {
        "clock": "response",
        "words": {
            "template": "no breach of the {clock} clock is recorded on this incident",
            "values": {"clock": {"kind": "Clock", "code": "response"}},
        },
    }
    # The response breach recorded, the restore clock's not.
    with pytest.raises(RuleViolation):
        decide(replace(ACK, clock=Clock.RESTORE), as_role(with_response_breach(), Role.SERVICE_DESK, at(13)))
    with pytest.raises(NotFound):
        decide(replace(ACK, ticket_id="no-such-ticket"), as_role(with_response_breach(), Role.SERVICE_DESK, at(13)))


def test_a_second_acknowledgement_is_applied_and_changes_nothing() -> None:
    ctx = with_response_breach()
    ctx.apply(decide(ACK, as_role(ctx, Role.SERVICE_DESK, at(12, 30))))
    first = ticket_in(ctx)
    assert decide(ACK, as_role(ctx, Role.ADMIN, at(14))) == []
    assert decide(ACK, as_role(ctx, Role.SERVICE_DESK, at(12, 30))) == []
    assert ticket_in(ctx) == first
    assert (first.response_breach_seen_by, first.response_breach_seen_at) == ("u-service_desk", at(12, 30))


# Who may acknowledge, written out: the desk and admins.
MAY_ACKNOWLEDGE = {
    Role.FIELD_ENGINEER: False,
    Role.INSTALLER: False,
    Role.DEPOT: False,
    Role.SERVICE_DESK: True,
    Role.ADMIN: True,
    Role.CUSTOMER: False,
}


def test_the_role_matrix_covers_every_role() -> None:
    assert set(MAY_ACKNOWLEDGE) == set(Role)


@pytest.mark.parametrize(("role", "allowed"), sorted(MAY_ACKNOWLEDGE.items()))
def test_only_the_desk_and_admins_may_acknowledge(role: Role, allowed: bool) -> None:
    ctx = as_role(with_response_breach(), role, at(12, 30))
    if allowed:
        assert len(decide(ACK, ctx)) == 1
    else:
        with pytest.raises(Forbidden):
            decide(ACK, ctx)


def test_a_ticket_stored_before_acknowledgements_decodes_with_its_notices_out() -> None:
    stored = codec.dump(replace(TICKET, response_breached_at=at(12)))
    for clock in ("response", "restore"):
        stored.pop(f"{clock}_breach_seen_by")
        stored.pop(f"{clock}_breach_seen_at")
    ticket = codec.load(Ticket, stored)
    assert ticket.response_breached_at == at(12)
    assert (ticket.breach_seen(Clock.RESPONSE), ticket.breach_seen(Clock.RESTORE)) == (False, False)
