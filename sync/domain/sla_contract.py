"""The tier a contract sells, and which of two tiers promises more: the one home of both.

A contract names a tier template (sync/domain/sla_catalogue.py); one from before templates has only a ServiceTier of
response and restore hours on a calendar, read here as hour targets for every severity on the same window, so the
engine computes exactly what the old calendar did.

Of two tiers, the faster is the one whose critical response takes less real time on average (``expected_wait``: 4 h
in business hours is slower than 4 h round the clock, 48 business hours slower than next business day); then the
critical restore the same way. The governing contract of a chassis (sync/domain/coverage.py) is the fastest of its
contracts.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sync.domain.calendar import Coverage
from sync.domain.contract import Contract, ServiceTier
from sync.domain.service import Severity
from sync.domain.sla import HoursTarget, Target, Targets, Tier, hours
from sync.domain.sla_catalogue import TWENTY_FOUR_BY_SEVEN, template
from sync.domain.sla_window import CoverageWindow, daily


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


def contract_tier(contract: Contract) -> Tier:
    """The tier a contract sells: its template, or its own hours for a contract from before templates."""
    return template(contract.tier_template) if contract.tier_template else tier_of(contract.tier)


WEEK = timedelta(days=7)
NEVER = timedelta.max  # a clock with no committed time


def expected_wait(target: Target | None, window: CoverageWindow) -> timedelta:
    """The real time a target takes on average: covered hours stretched by the share of the week the window covers
    (4 h on a 50-hour week is 13.4 h), business days by the share of the week's days that are business days."""
    if target is None:
        return NEVER
    if isinstance(target, HoursTarget):
        weekly = len(window.weekdays) * (window.closes - window.opens)
        return target.covered * (WEEK / weekly)
    return timedelta(days=target.days) * (7 / len(window.weekdays))


def tier_rank(tier: Tier) -> tuple[timedelta, timedelta]:
    """Sorts the fastest tier first: the critical response's expected wait, then the critical restore's."""
    critical = tier.for_severity(Severity.CRITICAL)
    return (expected_wait(critical.response, tier.window), expected_wait(critical.restore, tier.window))
