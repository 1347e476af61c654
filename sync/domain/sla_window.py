"""Coverage windows: when an SLA clock runs at one site, and covered-time arithmetic over them.

A window is a set of weekdays and a daily start and end in the site's local time, minus the site's public holidays;
24×7 covers every instant (holidays included), so covered time there is elapsed real time.

All arithmetic is done on UTC instants between local window edges: a window's edges are converted from the site's
zone for each date on its own, so a DST change or a holiday that begins at local midnight is never off by the offset.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sync.domain.errors import InvalidInput
from sync.domain.words import words

DAY = timedelta(days=1)
ALL_WEEK = frozenset(range(7))
MONDAY_TO_FRIDAY = frozenset(range(5))
# A window with one open day a year still finds its time within this many days; past it the input is nonsense.
SEARCH_DAYS = 366 * 20


@dataclass(frozen=True, kw_only=True)
class CoverageWindow:
    """``opens``/``closes`` are offsets from local midnight, so a window may end at 24:00 (``timedelta(hours=24)``)."""

    name: str
    weekdays: frozenset[int]
    opens: timedelta
    closes: timedelta

    def __post_init__(self) -> None:
        if not self.weekdays or not self.weekdays <= ALL_WEEK:
            raise InvalidInput(
                words("window {window}: weekdays are 0 (Monday) to 6 (Sunday), at least one", window=self.name)
            )
        if not timedelta(0) <= self.opens < self.closes <= DAY:
            raise InvalidInput(
                words("window {window}: a day opens before it closes, both within 00:00-24:00", window=self.name)
            )

    @property
    def round_the_clock(self) -> bool:
        return self.weekdays == ALL_WEEK and self.opens == timedelta(0) and self.closes == DAY

    def at(self, *, timezone: str, holidays: frozenset[date] = frozenset()) -> SiteCoverage:
        return SiteCoverage(window=self, timezone=timezone, holidays=holidays)


def daily(name: str, opens: time, closes: time | None, weekdays: frozenset[int] = MONDAY_TO_FRIDAY) -> CoverageWindow:
    """A window from ``opens`` to ``closes`` local time (None: midnight at the end of the day)."""
    end = DAY if closes is None else timedelta(hours=closes.hour, minutes=closes.minute)
    return CoverageWindow(
        name=name, weekdays=weekdays, opens=timedelta(hours=opens.hour, minutes=opens.minute), closes=end
    )


def aware_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(words("SLA times must be instants with a timezone, never local strings"))
    return moment.astimezone(UTC)


@dataclass(frozen=True, kw_only=True)
class SiteCoverage:
    """One window at one site: its zone and its public holidays (local dates)."""

    window: CoverageWindow
    timezone: str
    holidays: frozenset[date] = field(default_factory=frozenset)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def local_date(self, moment: datetime) -> date:
        return aware_utc(moment).astimezone(self.zone).date()

    def is_business_day(self, day: date) -> bool:
        """A day the window opens on. In a 24×7 window every day is one, holidays included."""
        if self.window.round_the_clock:
            return True
        return day.weekday() in self.window.weekdays and day not in self.holidays

    def next_business_day(self, day: date) -> date:
        for _ in range(SEARCH_DAYS):
            day += DAY
            if self.is_business_day(day):
                return day
        raise InvalidInput(words("no business day found within twenty years"))

    def _edge(self, day: date, offset: timedelta) -> datetime:
        # Aware + timedelta is wall-clock arithmetic in Python, so 24:00 is the next local midnight and 08:00 stays
        # 08:00 on a DST day; astimezone then applies that date's own offset.
        return (datetime.combine(day, time(0), self.zone) + offset).astimezone(UTC)

    def opening(self, day: date) -> datetime:
        return self._edge(day, self.window.opens)

    def closing(self, day: date) -> datetime:
        return self._edge(day, self.window.closes)

    def local_instant(self, day: date, at: time) -> datetime:
        return self._edge(day, timedelta(hours=at.hour, minutes=at.minute, seconds=at.second))

    def intervals_from(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Covered intervals [open, close) in UTC, in order, clipped to begin no earlier than ``start``."""
        cursor = aware_utc(start)
        day = cursor.astimezone(self.zone).date() - DAY  # a window ending after midnight UTC may hold the start
        for _ in range(SEARCH_DAYS):
            if self.is_business_day(day):
                opens, closes = self.opening(day), self.closing(day)
                if closes > cursor:
                    yield max(opens, cursor), closes
            day += DAY
        raise InvalidInput(words("no covered time found within twenty years"))

    def add(self, start: datetime, covered: timedelta) -> datetime:
        """The instant ``covered`` time of coverage after ``start``; zero lands on the next covered instant."""
        if covered < timedelta(0):
            raise InvalidInput(words("covered time cannot be negative"))
        if self.window.round_the_clock:
            return aware_utc(start) + covered
        remaining = covered
        for begin, end in self.intervals_from(start):
            if remaining <= end - begin:
                return begin + remaining
            remaining -= end - begin
        raise AssertionError("unreachable: intervals_from raises first")  # pragma: no cover

    def between(self, start: datetime, end: datetime) -> timedelta:
        """Covered time inside [start, end); zero when ``end`` is not after ``start``."""
        first, last = aware_utc(start), aware_utc(end)
        if last <= first:
            return timedelta(0)
        if self.window.round_the_clock:
            return last - first
        total = timedelta(0)
        for begin, close in self.intervals_from(first):
            if begin >= last:
                break
            total += min(close, last) - begin
        return total
