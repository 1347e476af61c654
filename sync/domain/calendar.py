"""Service-time arithmetic: SLA due times and business-day windows, in the site's own timezone and coverage hours."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sync.domain.errors import InvalidInput
from sync.domain.words import words


class Coverage(StrEnum):
    ALWAYS = "24x7"
    BUSINESS_HOURS = "business_hours"


MONDAY_TO_FRIDAY = frozenset({0, 1, 2, 3, 4})


@dataclass(frozen=True, kw_only=True)
class ServiceCalendar:
    """When the service clock runs at one site under one contract tier."""

    timezone: str
    coverage: Coverage
    day_start: time = time(8, 0)
    day_end: time = time(18, 0)
    workdays: frozenset[int] = MONDAY_TO_FRIDAY
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.coverage is Coverage.BUSINESS_HOURS and not self.day_start < self.day_end:
            raise InvalidInput(words("business day must start before it ends"))
        if not self.workdays:
            raise InvalidInput(words("a calendar needs at least one working day"))

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() in self.workdays and day not in self.holidays


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise InvalidInput(words("service times must carry a timezone"))
    return moment.astimezone(UTC)


def add_service_hours(start: datetime, hours: float, calendar: ServiceCalendar) -> datetime:
    """The UTC moment ``hours`` of covered service time after ``start``.

    Arithmetic is done in UTC between local window edges, so a DST change never stretches or shrinks a window.
    """
    if hours < 0:
        raise InvalidInput(words("service hours cannot be negative"))
    cursor = _aware(start)
    remaining = timedelta(hours=hours)
    if calendar.coverage is Coverage.ALWAYS:
        return cursor + remaining
    zone = calendar.zone
    day = cursor.astimezone(zone).date()
    # Bounded: a calendar with one working day a week still finishes within years, not forever.
    for _ in range(366 * 20):
        if calendar.is_working_day(day):
            opens = datetime.combine(day, calendar.day_start, zone).astimezone(UTC)
            closes = datetime.combine(day, calendar.day_end, zone).astimezone(UTC)
            begin = max(cursor, opens)
            if begin < closes:
                available = closes - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
        day += timedelta(days=1)
    raise InvalidInput(words("no covered service time found within twenty years"))


def add_business_days(start: datetime, days: int, calendar: ServiceCalendar) -> date:
    """The local date ``days`` working days after the local date of ``start`` (the start day itself not counted)."""
    if days < 0:
        raise InvalidInput(words("business days cannot be negative"))
    day = _aware(start).astimezone(calendar.zone).date()
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            counted += 1
    return day


def business_days_between(start: date, end: date, calendar: ServiceCalendar) -> int:
    """Working days after ``start`` up to and including ``end``; negative when ``end`` is before ``start``."""
    if end < start:
        return -business_days_between(end, start, calendar)
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count
