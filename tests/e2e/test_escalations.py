"""The desk's escalations in a real browser against a real server process: the breaches the seed recorded are
lines under "Escalations" on the desk's home, "Seen" takes one away at once, and the acknowledgement reaches the
server (a second desk device finds it acknowledged there)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import expect

from app.services.escalations import EscalationService
from sync.domain.ticket import Ticket
from tests.e2e.browser import FletPage
from tests.e2e.checks import checking_device, sync_until
from tests.e2e.processes import ServerProcess


def test_the_desk_sees_its_escalations_and_acknowledges_one(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    check = checking_device(server, tmp_path, "escalations")
    notices = EscalationService(store=check.store).notices()
    assert notices, "the seed records breaches of open incidents (server/seed_incidents.py)"

    desk = field_app("desk", width=1280, name="escalations")
    desk.see("Escalations", timeout=30_000)
    desk.see(notices[0].title)
    seen = desk.page.get_by_role("button", name="Seen", exact=True)
    expect(seen).to_have_count(len(notices))
    desk.shot("listed")
    seen.first.click()
    expect(seen).to_have_count(len(notices) - 1)

    def acknowledged() -> int:
        found = check.store.get_many(Ticket, [n.ticket_id for n in notices])
        return sum(t.breach_seen(n.clock) for t in found for n in notices if n.ticket_id == t.id)

    sync_until(check, lambda _check: acknowledged() == 1)
    assert len(EscalationService(store=check.store).notices()) == len(notices) - 1
