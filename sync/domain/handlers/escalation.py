"""Acknowledging an escalation notice: the desk has seen a recorded breach (sync/domain/escalations.py).

Once per clock: a second acknowledgement (two desk users, or a device replaying its outbox) is applied and changes
nothing, so the first person and moment stay on the record. Only a breach the server recorded has a notice.
"""

from __future__ import annotations

from sync.domain.commands import AcknowledgeBreach
from sync.domain.context import Context
from sync.domain.errors import RuleViolation
from sync.domain.handlers.common import Outcome, load, require_role
from sync.domain.permissions import Action
from sync.domain.ticket import Ticket
from sync.domain.words import words


def acknowledge_breach(cmd: AcknowledgeBreach, ctx: Context) -> Outcome:
    require_role(ctx, Action.ACKNOWLEDGE_BREACH, "acknowledge a breach")
    ticket = load(ctx, Ticket, cmd.ticket_id)
    if ticket.breached_at(cmd.clock) is None:
        raise RuleViolation(
            words("no breach of the {clock} clock is recorded on this incident", clock=cmd.clock),
            details={"clock": cmd.clock.value},
        )
    if ticket.breach_seen(cmd.clock):
        return []  # acknowledged already: the first acknowledgement stays
    return [ticket.with_breach_seen(cmd.clock, by=ctx.actor.user_id, at=ctx.now)]
