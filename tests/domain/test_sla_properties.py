"""Properties of the SLA clocks over every tier template, four zones (with and without DST) and their holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from sync.domain.service import Severity
from sync.domain.sla import Clock, ClockFacts, Pause, PauseReason, ServicePlace, Tier, clock_state, due_times
from sync.domain.sla_catalogue import TEMPLATES

ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")
HOLIDAYS = frozenset({date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 31), date(2027, 1, 1), date(2026, 4, 3)})

moments = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC))
tiers = st.sampled_from(TEMPLATES)
places = st.builds(
    ServicePlace,
    timezone=st.sampled_from(ZONES),
    holidays=st.just(HOLIDAYS),
    distance_km=st.sampled_from((Decimal(0), Decimal(80), Decimal(120), Decimal(160))),
)
severities = st.sampled_from(list(Severity))
# Up to ten days later, to the second.
delays = st.integers(min_value=0, max_value=10 * 24 * 3600).map(lambda s: timedelta(seconds=s))


@settings(max_examples=300, deadline=None)
@given(tier=tiers, place=places, severity=severities, opened=moments, later=delays)
def test_a_due_time_never_moves_earlier_when_the_incident_is_opened_later(
    tier: Tier, place: ServicePlace, severity: Severity, opened: datetime, later: timedelta
) -> None:
    first = due_times(tier=tier, severity=severity, place=place, received_at=opened)
    second = due_times(tier=tier, severity=severity, place=place, received_at=opened + later)
    for clock in Clock:
        a, b = first[clock], second[clock]
        assert (a is None) == (b is None)
        if a is not None and b is not None:
            assert a <= b


@settings(max_examples=300, deadline=None)
@given(
    tier=tiers,
    place=places,
    severity=severities,
    opened=moments,
    offset=delays,
    length=st.integers(min_value=1, max_value=48 * 60).map(lambda m: timedelta(minutes=m)),
    clock=st.sampled_from(list(Clock)),
)
def test_a_pause_of_length_p_inside_coverage_moves_the_due_time_by_exactly_p_of_covered_time(
    tier: Tier,
    place: ServicePlace,
    severity: Severity,
    opened: datetime,
    offset: timedelta,
    length: timedelta,
    clock: Clock,
) -> None:
    before = clock_state(
        clock, tier=tier, severity=severity, place=place, facts=ClockFacts(received_at=opened), now=opened
    )
    assume(before.due is not None)
    assert before.due is not None
    coverage = place.coverage(tier)
    # Put the pause inside one covered interval, before the due time, and no longer than that interval's rest.
    begin, end = next(coverage.intervals_from(opened + offset))
    pause_end = min(begin + length, end)
    assume(begin < before.due and begin < pause_end)
    paused = ClockFacts(
        received_at=opened,
        pauses=(Pause(reason=PauseReason.WAITING_FOR_CUSTOMER, start=begin, end=pause_end),),
    )
    after = clock_state(clock, tier=tier, severity=severity, place=place, facts=paused, now=pause_end)
    assert after.due is not None
    held = pause_end - begin
    assert coverage.between(before.due, after.due) == held
    # ... and not a moment later than needed: the due is the first instant with that much covered time after it.
    assert after.due == coverage.add(before.due, held)
    # The budget is unchanged and the time used excludes the pause.
    assert after.budget == before.budget
    assert after.used == coverage.between(opened, pause_end) - held
