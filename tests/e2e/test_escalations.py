"""The desk's escalations in a real browser against a real server process: the breaches the server recorded are
lines under "Escalations" on the desk's home, "Seen" takes one away at once, and the acknowledgement reaches the
server (a second desk device finds it acknowledged there)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from app.services.escalations import EscalationService
from sync.domain.sla import Clock
from sync.domain.ticket import Ticket
from tests.e2e.browser import FletPage
from tests.e2e.checks import checking_device, sync_until
from tests.e2e.processes import ServerProcess


def test_the_desk_sees_its_escalations_and_acknowledges_one(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    check = checking_device(server, tmp_path, "escalations")
    notices = EscalationService(store=check.store).notices()
    assert notices, "the seed's incidents breach, and the server records it (server/seed_incidents.py, its sweep)"
    # The server's sweep may record more breaches while the desk starts: the test follows one notice it knows of.
    notice = notices[0]
    which = "Response" if notice.clock is Clock.RESPONSE else "Restore"

    desk = field_app("desk", width=1280, name="escalations")
    desk.see("Escalations", timeout=30_000)
    # A notice's line is a button named by its title and when its clock breached; its "Seen" is inside it.
    line = desk.page.get_by_role("button", name=re.compile(rf"^{re.escape(notice.title)} {which} breached at "))
    expect(line).to_have_count(1)
    desk.shot("listed")
    line.get_by_role("button", name="Seen", exact=True).click()
    expect(line).to_have_count(0)

    def acknowledged() -> bool:
        (ticket,) = check.store.get_many(Ticket, [notice.ticket_id])
        return ticket.breach_seen(notice.clock)

    sync_until(check, lambda _check: acknowledged())
    assert all(
        (n.ticket_id, n.clock) != (notice.ticket_id, notice.clock)
        for n in EscalationService(store=check.store).notices()
    )
