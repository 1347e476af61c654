"""The desk's escalation notices on the device: the notices out now, and acknowledging one ("Seen").

Which notices are out, and from when, is the domain's (sync/domain/escalations.py: a recorded breach, from the first
covered instant of the incident's window at its site, until acknowledged); who sees them is the acknowledging
command's grant (the desk and admins). Acknowledging goes through the store like every command: applied on the device
at once (the notice goes), queued in the outbox, replayed by the server. Times are shown on the site's clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from app.adapters.breach_rows import tickets_with_unseen_breaches
from app.adapters.cached_reader import CachedReader
from app.adapters.local_store import LocalStore, as_utc
from app.i18n import Phrase
from app.timefmt import short_phrase
from sync.domain.asset import Asset
from sync.domain.commands import AcknowledgeBreach
from sync.domain.escalations import notices_out
from sync.domain.permissions import Action, may
from sync.domain.site import Site
from sync.domain.sla import Clock
from sync.domain.ticket import Ticket


@dataclass(frozen=True, kw_only=True)
class EscalationLine:
    """One notice out, as the desk's home lists it: "NBR1234 · Helix FRA1", which clock, "Thu 14:00 CET"."""

    ticket_id: str
    clock: Clock
    title: str
    breached_text: Phrase


@dataclass
class EscalationService:
    store: LocalStore
    now: Callable[[], datetime] | None = None

    def _now(self) -> datetime:
        return as_utc((self.now or self.store.clock)())

    def shown(self) -> bool:
        """Whether this user has an escalations list at all: whoever may acknowledge a notice."""
        return may(self.store.role(), Action.ACKNOWLEDGE_BREACH)

    def notices(self) -> tuple[EscalationLine, ...]:
        """The notices out now, oldest first; none for a user who may not acknowledge them."""
        if not self.shown():
            return ()
        tickets = self.store.get_many(Ticket, tickets_with_unseen_breaches(self.store))
        found = notices_out(CachedReader(self.store), tickets, self._now())
        if not found:
            return ()
        by_id = {t.id: t for t in tickets}
        serials = {a.id: a.serial for a in self.store.get_many(Asset, sorted({t.asset_id for t in tickets}))}
        sites = {s.id: s.name for s in self.store.get_many(Site, sorted({t.site_id for t in tickets if t.site_id}))}
        lines = []
        for notice in found:
            ticket = by_id[notice.ticket_id]
            where = sites.get(ticket.site_id, "not installed")
            lines.append(
                EscalationLine(
                    ticket_id=ticket.id,
                    clock=notice.clock,
                    title=f"{serials.get(ticket.asset_id, '?')} · {where}",
                    breached_text=short_phrase(notice.breached_at, notice.timezone),
                )
            )
        return tuple(lines)

    def acknowledge(self, ticket_id: str, clock: Clock) -> None:
        """The desk has seen this notice: applied here at once, sent with the next sync."""
        self.store.execute(AcknowledgeBreach(ticket_id=ticket_id, clock=clock))
