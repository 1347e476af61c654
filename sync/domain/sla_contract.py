"""Today's contracts (a ServiceTier of response and restore hours on a calendar) read as SLA engine tiers.

Contracts predate the tier model of sync/domain/sla.py; until they name a tier template, their hours are read as
hour targets for every severity on the same window, so the engine computes exactly what the old calendar did.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sync.domain.calendar import Coverage
from sync.domain.contract import Contract, ServiceTier
from sync.domain.service import Severity
from sync.domain.sla import Clock, ServicePlace, Targets, Tier, due_times, hours
from sync.domain.sla_catalogue import TWENTY_FOUR_BY_SEVEN
from sync.domain.sla_window import daily


def tier_of(tier: ServiceTier) -> Tier:
    if tier.coverage is Coverage.ALWAYS:
        window = TWENTY_FOUR_BY_SEVEN
    else:
        window = daily(f"Mon-Fri {tier.day_start:%H:%M}-{tier.day_end:%H:%M}", tier.day_start, tier.day_end)
    # str() first: the float 0.1 is not the Decimal 0.1, and a target of hours is exact.
    targets = Targets(
        response=hours(Decimal(str(tier.response_hours))), restore=hours(Decimal(str(tier.restore_hours)))
    )
    return Tier(name=tier.name, window=window, targets=tuple((severity, targets) for severity in Severity))


def place_of(contract: Contract, timezone: str) -> ServicePlace:
    return ServicePlace(timezone=timezone, holidays=frozenset(contract.holidays))


def contract_due_times(
    contract: Contract, *, timezone: str, severity: Severity, received_at: datetime
) -> tuple[datetime | None, datetime | None]:
    """(response due, restore due) of an incident received under ``contract`` at a site in ``timezone``."""
    due = due_times(
        tier=tier_of(contract.tier), severity=severity, place=place_of(contract, timezone), received_at=received_at
    )
    return due[Clock.RESPONSE], due[Clock.RESTORE]
