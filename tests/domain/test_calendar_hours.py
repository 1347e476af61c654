"""SLA due times. Every expected value below was worked out by hand, in UTC, from the zone's published offsets.

2026 transitions used: Berlin CET→CEST Sun 29 Mar, back Sun 25 Oct; New York EST→EDT Sun 8 Mar, back Sun 1 Nov;
Sydney AEDT→AEST Sun 5 Apr, AEST→AEDT Sun 4 Oct; Tokyo is UTC+9 all year.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync.domain.calendar import Coverage, ServiceCalendar, add_service_hours
from sync.domain.errors import InvalidInput

BER = ZoneInfo("Europe/Berlin")
NYC = ZoneInfo("America/New_York")
TYO = ZoneInfo("Asia/Tokyo")
SYD = ZoneInfo("Australia/Sydney")
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney")


def business(zone: str = "Europe/Berlin", *, holidays: tuple[date, ...] = ()) -> ServiceCalendar:
    return ServiceCalendar(timezone=zone, coverage=Coverage.BUSINESS_HOURS, holidays=frozenset(holidays))


def always(zone: str = "Europe/Berlin") -> ServiceCalendar:
    return ServiceCalendar(timezone=zone, coverage=Coverage.ALWAYS)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("start", "hours", "calendar", "expected"),
    [
        # Thursday 5 March 2026 in Berlin (CET, UTC+1); the window is 08:00-18:00.
        pytest.param(datetime(2026, 3, 5, 9, 0, tzinfo=BER), 4, business(), utc(2026, 3, 5, 12, 0), id="inside"),
        pytest.param(
            datetime(2026, 3, 5, 14, 0, tzinfo=BER), 4, business(), utc(2026, 3, 5, 17, 0), id="ends-at-close"
        ),
        pytest.param(datetime(2026, 3, 5, 6, 30, tzinfo=BER), 2, business(), utc(2026, 3, 5, 9, 0), id="before-open"),
        pytest.param(datetime(2026, 3, 5, 8, 0, tzinfo=BER), 10, business(), utc(2026, 3, 5, 17, 0), id="whole-day"),
        pytest.param(datetime(2026, 3, 5, 19, 0, tzinfo=BER), 2, business(), utc(2026, 3, 6, 9, 0), id="after-close"),
        pytest.param(datetime(2026, 3, 5, 16, 0, tzinfo=BER), 4, business(), utc(2026, 3, 6, 9, 0), id="spills-over"),
        pytest.param(datetime(2026, 3, 5, 9, 0, tzinfo=BER), 0.25, business(), utc(2026, 3, 5, 8, 15), id="quarter"),
        pytest.param(datetime(2026, 3, 7, 11, 0, tzinfo=BER), 1, business(), utc(2026, 3, 9, 8, 0), id="saturday"),
        pytest.param(datetime(2026, 3, 8, 23, 0, tzinfo=BER), 1, business(), utc(2026, 3, 9, 8, 0), id="sunday-night"),
        pytest.param(datetime(2026, 3, 6, 17, 0, tzinfo=BER), 3, business(), utc(2026, 3, 9, 9, 0), id="over-weekend"),
        pytest.param(
            datetime(2026, 3, 6, 17, 0, tzinfo=BER),
            3,
            business(holidays=(date(2026, 3, 9),)),
            utc(2026, 3, 10, 9, 0),
            id="monday-holiday",
        ),
        pytest.param(
            datetime(2026, 3, 9, 10, 0, tzinfo=BER),
            2,
            business(holidays=(date(2026, 3, 9),)),
            utc(2026, 3, 10, 9, 0),
            id="starts-on-holiday",
        ),
        # 10 + 10 + 10 hours Mon-Wed, then 5 on Thursday.
        pytest.param(datetime(2026, 3, 2, 8, 0, tzinfo=BER), 35, business(), utc(2026, 3, 5, 12, 0), id="several-days"),
        # 12 working days from Monday 2 March: two weeks of 10 days, then Monday and Tuesday 16 and 17 March.
        pytest.param(datetime(2026, 3, 2, 8, 0, tzinfo=BER), 120, business(), utc(2026, 3, 17, 17, 0), id="weeks"),
        pytest.param(datetime(2026, 3, 5, 9, 0, tzinfo=BER), 0, business(), utc(2026, 3, 5, 8, 0), id="zero-inside"),
        # Zero hours outside the window land on the next opening: the clock has not started yet.
        pytest.param(datetime(2026, 3, 7, 11, 0, tzinfo=BER), 0, business(), utc(2026, 3, 9, 7, 0), id="zero-weekend"),
        # Friday 17:00 + 3 h: one hour on Friday, two on Monday, across a DST change in between.
        pytest.param(datetime(2026, 3, 27, 17, 0, tzinfo=BER), 3, business(), utc(2026, 3, 30, 8, 0), id="berlin-mar"),
        pytest.param(
            datetime(2026, 10, 23, 17, 0, tzinfo=BER), 3, business(), utc(2026, 10, 26, 9, 0), id="berlin-oct"
        ),
        pytest.param(
            datetime(2026, 3, 6, 17, 0, tzinfo=NYC),
            3,
            business("America/New_York"),
            utc(2026, 3, 9, 14, 0),
            id="ny-mar",
        ),
        pytest.param(
            datetime(2026, 10, 30, 17, 0, tzinfo=NYC),
            3,
            business("America/New_York"),
            utc(2026, 11, 2, 15, 0),
            id="ny-nov",
        ),
        pytest.param(
            datetime(2026, 3, 5, 17, 0, tzinfo=TYO), 3, business("Asia/Tokyo"), utc(2026, 3, 6, 1, 0), id="tokyo"
        ),
        # 23:30 UTC on Thursday is already Friday 08:30 in Tokyo: the site's date counts, not UTC's.
        pytest.param(utc(2026, 3, 5, 23, 30), 1, business("Asia/Tokyo"), utc(2026, 3, 6, 0, 30), id="tokyo-next-day"),
        pytest.param(
            datetime(2026, 4, 3, 17, 0, tzinfo=SYD),
            3,
            business("Australia/Sydney"),
            utc(2026, 4, 6, 0, 0),
            id="sydney-apr",
        ),
        pytest.param(
            datetime(2026, 10, 2, 17, 0, tzinfo=SYD),
            3,
            business("Australia/Sydney"),
            utc(2026, 10, 4, 23, 0),
            id="sydney-oct",
        ),
        # Round the clock: elapsed hours, so a DST day is 23 or 25 wall-clock hours long; weekends and holidays count.
        pytest.param(datetime(2026, 3, 28, 12, 0, tzinfo=BER), 24, always(), utc(2026, 3, 29, 11, 0), id="24x7-mar"),
        pytest.param(
            datetime(2026, 11, 1, 0, 0, tzinfo=NYC),
            4,
            always("America/New_York"),
            utc(2026, 11, 1, 8, 0),
            id="24x7-nov",
        ),
        pytest.param(datetime(2026, 3, 7, 11, 0, tzinfo=BER), 2, always(), utc(2026, 3, 7, 12, 0), id="24x7-saturday"),
        pytest.param(datetime(2026, 3, 7, 11, 0, tzinfo=BER), 0, always(), utc(2026, 3, 7, 10, 0), id="24x7-zero"),
        pytest.param(
            datetime(2026, 10, 3, 12, 0, tzinfo=SYD),
            24,
            always("Australia/Sydney"),
            utc(2026, 10, 4, 2, 0),
            id="24x7-sydney",
        ),
    ],
)
def test_service_hours_run_only_inside_the_site_calendar(
    start: datetime, hours: float, calendar: ServiceCalendar, expected: datetime
) -> None:
    due = add_service_hours(start, hours, calendar)
    assert due == expected
    assert due.utcoffset() is not None and due.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


def night_window(zone: str = "Europe/Berlin") -> ServiceCalendar:
    """Every day 01:00-05:00: a window the DST change falls inside."""
    return ServiceCalendar(
        timezone=zone,
        coverage=Coverage.BUSINESS_HOURS,
        day_start=time(1, 0),
        day_end=time(5, 0),
        workdays=frozenset(range(7)),
    )


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        # 29 March: 01:00 CET (00:00Z) to 05:00 CEST (03:00Z) is only three real hours; half an hour is left for
        # Monday 01:00 CEST (23:00Z on Sunday).
        (datetime(2026, 3, 29, 1, 0, tzinfo=BER), 3.5, utc(2026, 3, 29, 23, 30)),
        # 25 October: 01:00 CEST (23:00Z) to 05:00 CET (04:00Z) is five real hours, so 4.5 h fit on the same night.
        (datetime(2026, 10, 25, 1, 0, tzinfo=BER), 4.5, utc(2026, 10, 25, 3, 30)),
    ],
)
def test_a_window_spanning_a_dst_change_holds_the_real_hours_between_its_local_edges(
    start: datetime, hours: float, expected: datetime
) -> None:
    assert add_service_hours(start, hours, night_window()) == expected


@pytest.mark.parametrize("calendar", [business(), always()], ids=["business", "24x7"])
def test_naive_start_times_are_refused(calendar: ServiceCalendar) -> None:
    with pytest.raises(InvalidInput, match="timezone"):
        add_service_hours(datetime(2026, 3, 5, 9, 0), 1, calendar)


@pytest.mark.parametrize("calendar", [business(), always()], ids=["business", "24x7"])
def test_negative_service_hours_are_refused(calendar: ServiceCalendar) -> None:
    with pytest.raises(InvalidInput, match="negative"):
        add_service_hours(utc(2026, 3, 5, 9, 0), -0.25, calendar)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"day_start": time(18, 0), "day_end": time(8, 0)}, "start before it ends"),
        ({"day_start": time(8, 0), "day_end": time(8, 0)}, "start before it ends"),
        ({"workdays": frozenset()}, "working day"),
    ],
)
def test_a_calendar_without_service_time_cannot_be_built(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        ServiceCalendar(timezone="Europe/Berlin", coverage=Coverage.BUSINESS_HOURS, **changes)  # type: ignore[arg-type]


moments = st.datetimes(min_value=datetime(2024, 1, 1), max_value=datetime(2030, 12, 31), timezones=st.just(UTC))
# Quarter hours are exact in binary, so sums of them never round differently from their parts.
quarters = st.integers(min_value=0, max_value=4 * 60).map(lambda q: q / 4)


@settings(max_examples=150, deadline=None)
@given(start=moments, first=quarters, second=quarters.filter(lambda h: h > 0), zone=st.sampled_from(ZONES))
def test_business_hours_added_in_two_steps_end_where_one_step_ends(
    start: datetime, first: float, second: float, zone: str
) -> None:
    calendar = business(zone, holidays=(date(2026, 12, 25), date(2027, 1, 1)))
    in_one = add_service_hours(start, first + second, calendar)
    in_two = add_service_hours(add_service_hours(start, first, calendar), second, calendar)
    assert in_one == in_two


@settings(max_examples=100, deadline=None)
@given(start=moments, hours=quarters, zone=st.sampled_from(ZONES))
def test_a_business_hours_due_time_is_never_before_start_plus_the_hours_and_lies_in_a_window(
    start: datetime, hours: float, zone: str
) -> None:
    calendar = business(zone)
    due = add_service_hours(start, hours, calendar)
    local = due.astimezone(calendar.zone)
    assert due - start >= timedelta(hours=hours)
    assert calendar.is_working_day(local.date())
    assert time(8, 0) <= local.time() <= time(18, 0)
