"""Business-day windows (return due dates). Expected dates counted by hand on a 2026 calendar.

March 2026: Mon 2, Thu 5, Fri 6, Sat 7, Sun 8, Mon 9 ... Thu 19.
Easter 2026: Good Friday 3 April, Easter Monday 6 April.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.domain.calendar import Coverage, ServiceCalendar, add_business_days, business_days_between
from sync.domain.errors import InvalidInput

BER = ZoneInfo("Europe/Berlin")
EASTER = (date(2026, 4, 3), date(2026, 4, 6))


def berlin(*holidays: date) -> ServiceCalendar:
    return ServiceCalendar(timezone="Europe/Berlin", coverage=Coverage.BUSINESS_HOURS, holidays=frozenset(holidays))


@pytest.mark.parametrize(
    ("start", "days", "holidays", "expected"),
    [
        pytest.param(datetime(2026, 3, 5, 11, 0, tzinfo=BER), 0, (), date(2026, 3, 5), id="zero"),
        pytest.param(datetime(2026, 3, 5, 11, 0, tzinfo=BER), 1, (), date(2026, 3, 6), id="next-day"),
        pytest.param(datetime(2026, 3, 5, 11, 0, tzinfo=BER), 2, (), date(2026, 3, 9), id="over-weekend"),
        pytest.param(datetime(2026, 3, 5, 11, 0, tzinfo=BER), 10, (), date(2026, 3, 19), id="two-weeks"),
        pytest.param(datetime(2026, 3, 7, 11, 0, tzinfo=BER), 1, (), date(2026, 3, 9), id="from-saturday"),
        pytest.param(datetime(2026, 3, 8, 11, 0, tzinfo=BER), 5, (), date(2026, 3, 13), id="from-sunday"),
        pytest.param(datetime(2026, 4, 2, 11, 0, tzinfo=BER), 1, EASTER, date(2026, 4, 7), id="easter"),
        pytest.param(datetime(2026, 4, 1, 11, 0, tzinfo=BER), 3, EASTER, date(2026, 4, 8), id="across-easter"),
        # The start day itself is never counted, so zero days from a holiday is that holiday.
        pytest.param(datetime(2026, 4, 3, 11, 0, tzinfo=BER), 0, EASTER, date(2026, 4, 3), id="zero-on-holiday"),
        # 23:30 UTC on Thursday is already Friday in Berlin: one working day on is Monday, not Friday.
        pytest.param(datetime(2026, 3, 5, 23, 30, tzinfo=UTC), 1, (), date(2026, 3, 9), id="site-date"),
        # Counting across the March DST change changes nothing: days are dates.
        pytest.param(datetime(2026, 3, 27, 17, 0, tzinfo=BER), 1, (), date(2026, 3, 30), id="dst"),
    ],
)
def test_business_days_are_counted_in_the_site_calendar(
    start: datetime, days: int, holidays: tuple[date, ...], expected: date
) -> None:
    assert add_business_days(start, days, berlin(*holidays)) == expected


def test_business_days_use_the_calendar_timezone_not_utc() -> None:
    # Thursday 23:30 UTC is Friday 08:30 in Tokyo; ten working days after Friday 6 March is Friday 20 March.
    tokyo = ServiceCalendar(timezone="Asia/Tokyo", coverage=Coverage.ALWAYS)
    assert add_business_days(datetime(2026, 3, 5, 23, 30, tzinfo=UTC), 10, tokyo) == date(2026, 3, 20)


def test_negative_business_days_are_refused() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        add_business_days(datetime(2026, 3, 5, 9, 0, tzinfo=UTC), -1, berlin())


def test_business_days_from_a_naive_time_are_refused() -> None:
    with pytest.raises(InvalidInput, match="timezone"):
        add_business_days(datetime(2026, 3, 5, 9, 0), 1, berlin())


@pytest.mark.parametrize(
    ("start", "end", "holidays", "expected"),
    [
        (date(2026, 3, 5), date(2026, 3, 5), (), 0),
        (date(2026, 3, 5), date(2026, 3, 6), (), 1),
        (date(2026, 3, 6), date(2026, 3, 9), (), 1),
        (date(2026, 3, 6), date(2026, 3, 7), (), 0),
        (date(2026, 3, 7), date(2026, 3, 8), (), 0),
        (date(2026, 3, 5), date(2026, 3, 19), (), 10),
        (date(2026, 4, 1), date(2026, 4, 8), EASTER, 3),
        (date(2026, 4, 2), date(2026, 4, 6), EASTER, 0),
        (date(2026, 3, 9), date(2026, 3, 6), (), -1),
        (date(2026, 3, 19), date(2026, 3, 5), (), -10),
        (date(2026, 4, 8), date(2026, 4, 1), EASTER, -3),
    ],
)
def test_business_days_between_count_working_days_after_start_up_to_end(
    start: date, end: date, holidays: tuple[date, ...], expected: int
) -> None:
    assert business_days_between(start, end, berlin(*holidays)) == expected


@settings(max_examples=100, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2028, 12, 31), timezones=st.just(UTC)),
    days=st.integers(min_value=0, max_value=60),
)
def test_counting_back_the_days_just_added_gives_the_same_number(start: datetime, days: int) -> None:
    calendar = berlin(*EASTER, date(2026, 12, 25))
    due = add_business_days(start, days, calendar)
    assert business_days_between(start.astimezone(BER).date(), due, calendar) == days
    assert days == 0 or calendar.is_working_day(due)
