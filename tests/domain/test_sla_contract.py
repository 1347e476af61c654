"""Contracts of today read as engine tiers compute exactly what the old service calendar computed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from hypothesis import given, settings
from hypothesis import strategies as st

from sync.domain.calendar import Coverage, ServiceCalendar, add_service_hours
from sync.domain.contract import ServiceTier
from sync.domain.service import Severity
from sync.domain.sla import Clock, ServicePlace, due_times
from sync.domain.sla_contract import tier_of

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
HOLIDAYS = frozenset({date(2026, 12, 25), date(2027, 1, 1), date(2026, 4, 3), date(2026, 11, 26)})
moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 6, 30), timezones=st.just(UTC))
quarters = st.integers(min_value=1, max_value=4 * 60).map(lambda q: q / 4)


@settings(max_examples=200, deadline=None)
@given(
    response=quarters,
    extra=st.integers(min_value=0, max_value=4 * 60).map(lambda q: q / 4),
    coverage=st.sampled_from(list(Coverage)),
    start=st.sampled_from((time(7, 0), time(8, 0), time(9, 30))),
    end=st.sampled_from((time(17, 0), time(18, 0), time(21, 0))),
    zone=st.sampled_from(ZONES),
    received=moments,
    severity=st.sampled_from(list(Severity)),
)
def test_an_old_style_tier_gets_the_same_due_times_from_the_engine_as_from_the_calendar(
    response: float,
    extra: float,
    coverage: Coverage,
    start: time,
    end: time,
    zone: str,
    received: datetime,
    severity: Severity,
) -> None:
    old = ServiceTier(
        name="old", response_hours=response, restore_hours=response + extra, coverage=coverage, day_start=start,
        day_end=end,
    )  # fmt: skip
    calendar = ServiceCalendar(timezone=zone, coverage=coverage, day_start=start, day_end=end, holidays=HOLIDAYS)
    due = due_times(
        tier=tier_of(old), severity=severity, place=ServicePlace(timezone=zone, holidays=HOLIDAYS), received_at=received
    )
    assert due == {
        Clock.RESPONSE: add_service_hours(received, response, calendar),
        Clock.RESTORE: add_service_hours(received, response + extra, calendar),
    }


def test_an_old_style_tier_keeps_its_name_and_window() -> None:
    tier = tier_of(ServiceTier(name="Gold NBD", response_hours=4, restore_hours=20, coverage=Coverage.BUSINESS_HOURS))
    assert (tier.name, tier.window.name, tier.for_severity(Severity.MINOR).restore) == (
        "Gold NBD",
        "Mon-Fri 08:00-18:00",
        tier.for_severity(Severity.CRITICAL).restore,
    )
    always = tier_of(ServiceTier(name="P", response_hours=0.5, restore_hours=4, coverage=Coverage.ALWAYS))
    assert (always.window.name, always.for_severity(Severity.MAJOR).response.describe()) == ("24×7", "30 min")  # type: ignore[union-attr]
