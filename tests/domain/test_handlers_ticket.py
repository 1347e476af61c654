"""OpenTicket names the tier and contract its clocks run under; the due times are the SLA engine's
(sync/domain/sla.py via incident_terms.ticket_clocks), on the device and the server alike.

World: Thursday 5 March 2026 10:00Z = 11:00 CET in Berlin = 19:00 JST in Tokyo. The Gold contract: 4 h response,
8 h restore, Monday to Friday 08:00-18:00 at the site.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from sync.domain.calendar import Coverage
from sync.domain.commands import OpenTicket
from sync.domain.handlers import decide
from sync.domain.incident_terms import ticket_clocks
from sync.domain.service import Severity
from sync.domain.sla import Clock
from sync.domain.ticket import Ticket
from tests.domain.world import ASSET, CONTRACT, GOLD, world


def utc(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def opened(ctx_changes: dict[str, object], severity: Severity = Severity.MAJOR) -> tuple[datetime | None, ...]:
    """The (response, restore) due times of a ticket just opened, as every reader recomputes them."""
    ctx = world(with_contract=True)
    if "contract" in ctx_changes:
        ctx.put(ctx_changes["contract"])  # type: ignore[arg-type]
    if "asset" in ctx_changes:
        ctx.put(ctx_changes["asset"])  # type: ignore[arg-type]
    out = decide(OpenTicket(ticket_id="t-new", asset_id="asset-1", symptom="PSU 2 amber", severity=severity), ctx)
    (ticket,) = out
    assert isinstance(ticket, Ticket)
    clocks = ticket_clocks(ctx, ticket, ticket.opened_at)
    return clocks[Clock.RESPONSE].due, clocks[Clock.RESTORE].due


@pytest.mark.parametrize(
    ("changes", "response", "restore"),
    [
        # 11:00 CET + 4 h = 15:00 CET; 8 h = 7 h Thursday + 1 h Friday → Fri 09:00 CET.
        pytest.param({}, utc(2026, 3, 5, 14), utc(2026, 3, 6, 8), id="berlin"),
        # Friday a site holiday on the contract: restore runs on to Mon 9 March 09:00 CET.
        pytest.param(
            {"contract": replace(CONTRACT, holidays=(date(2026, 3, 6),))},
            utc(2026, 3, 5, 14),
            utc(2026, 3, 9, 8),
            id="holiday",
        ),
        # 19:00 JST is after the close: both clocks start Friday 08:00 JST (Thu 23:00Z).
        pytest.param({"asset": replace(ASSET, site_id="site-tyo")}, utc(2026, 3, 6, 3), utc(2026, 3, 6, 7), id="tokyo"),
        # Round the clock: elapsed hours.
        pytest.param(
            {"contract": replace(CONTRACT, tier=replace(GOLD, coverage=Coverage.ALWAYS))},
            utc(2026, 3, 5, 14),
            utc(2026, 3, 5, 18),
            id="24x7",
        ),
        # Out of term, but the chassis is under warranty: the own warranty (1 h response, 24 h restore, 24×5).
        pytest.param(
            {"contract": replace(CONTRACT, ends_on=date(2026, 3, 1))},
            utc(2026, 3, 5, 11),
            utc(2026, 3, 6, 10),
            id="no-contract-own-warranty",
        ),
        # No contract and the warranty ended: no committed time.
        pytest.param(
            {"contract": replace(CONTRACT, ends_on=date(2026, 3, 1)), "asset": replace(ASSET, warranty_end=None)},
            None,
            None,
            id="no-contract-no-warranty",
        ),
    ],
)
def test_an_opened_ticket_runs_under_the_contract_due_times_as_instants(
    changes: dict[str, object], response: datetime | None, restore: datetime | None
) -> None:
    dues = opened(changes)
    assert dues == (response, restore)
    for due in dues:
        assert due is None or due.tzinfo is UTC


@pytest.mark.parametrize("severity", list(Severity))
def test_an_hours_contract_gives_every_severity_the_same_targets(severity: Severity) -> None:
    assert opened({}, severity) == (utc(2026, 3, 5, 14), utc(2026, 3, 6, 8))
