"""Covered time inside coverage windows. Offsets: Berlin CET→CEST Sun 29 Mar 2026 at 02:00, back Sun 25 Oct at
03:00; New York EST→EDT Sun 8 Mar. Berlin in early March is UTC+1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from sync.domain.errors import InvalidInput
from sync.domain.sla_catalogue import NINE_BY_FIVE, TWENTY_FOUR_BY_FIVE, TWENTY_FOUR_BY_SEVEN
from sync.domain.sla_window import ALL_WEEK, CoverageWindow, SiteCoverage, daily

NIGHTS = daily("nights", time(1, 0), time(5, 0), weekdays=ALL_WEEK)
H = timedelta(hours=1)


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def berlin(window: CoverageWindow, *holidays: date) -> SiteCoverage:
    return window.at(timezone="Europe/Berlin", holidays=frozenset(holidays))


@pytest.mark.parametrize(
    ("coverage", "start", "end", "covered"),
    [
        # Thu 5 Mar 09:00 CET to Mon 9 Mar 10:00 CET on 9×5: 8 h + 9 h + 2 h.
        pytest.param(berlin(NINE_BY_FIVE), utc(2026, 3, 5, 8), utc(2026, 3, 9, 9), 19 * H, id="9x5-weekend"),
        # The same with Friday a holiday: 8 h + 2 h.
        pytest.param(
            berlin(NINE_BY_FIVE, date(2026, 3, 6)), utc(2026, 3, 5, 8), utc(2026, 3, 9, 9), 10 * H, id="9x5-holiday"
        ),
        # 24×7 is elapsed time, holidays and DST notwithstanding: Sat 28 Mar 12:00Z to Sun 29 Mar 12:00Z.
        pytest.param(
            berlin(TWENTY_FOUR_BY_SEVEN, date(2026, 3, 28)), utc(2026, 3, 28, 12), utc(2026, 3, 29, 12), 24 * H,
            id="24x7-elapsed",
        ),
        # 24×5 from Fri 27 Mar 12:00Z (13:00 CET) to Mon 30 Mar 12:00Z (14:00 CEST): Friday to midnight CET
        # (23:00Z) is 11 h, Monday from midnight CEST (Sun 22:00Z) is 14 h.
        pytest.param(berlin(TWENTY_FOUR_BY_FIVE), utc(2026, 3, 27, 12), utc(2026, 3, 30, 12), 25 * H, id="24x5-dst"),
        # Nights 01:00-05:00 every day: on 29 Mar, 01:00 CET (00:00Z) to 05:00 CEST (03:00Z) is three real hours;
        # on 25 Oct, 01:00 CEST (23:00Z) to 05:00 CET (04:00Z) is five.
        pytest.param(berlin(NIGHTS), utc(2026, 3, 28, 12), utc(2026, 3, 29, 12), 3 * H, id="night-spring"),
        pytest.param(berlin(NIGHTS), utc(2026, 10, 24, 12), utc(2026, 10, 25, 12), 5 * H, id="night-fall"),
        pytest.param(berlin(NINE_BY_FIVE), utc(2026, 3, 9, 9), utc(2026, 3, 5, 8), timedelta(0), id="backwards"),
    ],
)  # fmt: skip
def test_covered_time_between_two_instants(
    coverage: SiteCoverage, start: datetime, end: datetime, covered: timedelta
) -> None:
    assert coverage.between(start, end) == covered


@pytest.mark.parametrize(
    ("coverage", "start", "covered", "expected"),
    [
        # Zero covered time from a Saturday lands on Monday's opening, 08:00 CET.
        pytest.param(berlin(NINE_BY_FIVE), utc(2026, 3, 7, 10), timedelta(0), utc(2026, 3, 9, 7), id="zero-weekend"),
        # Exactly to the close stays on the closing instant, not the next opening.
        pytest.param(berlin(NINE_BY_FIVE), utc(2026, 3, 5, 7), 9 * H, utc(2026, 3, 5, 16), id="to-the-close"),
        pytest.param(berlin(NIGHTS), utc(2026, 3, 29, 0), 3.5 * H, utc(2026, 3, 29, 23, 30), id="night-spring"),
    ],
)
def test_adding_covered_time(coverage: SiteCoverage, start: datetime, covered: timedelta, expected: datetime) -> None:
    assert coverage.add(start, covered) == expected


def test_negative_covered_time_is_refused() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        berlin(NINE_BY_FIVE).add(utc(2026, 3, 5, 8), -H)


def test_only_round_the_clock_every_day_ignores_holidays() -> None:
    christmas = date(2026, 12, 25)  # a Friday
    assert berlin(TWENTY_FOUR_BY_SEVEN, christmas).is_business_day(christmas)
    assert not berlin(TWENTY_FOUR_BY_FIVE, christmas).is_business_day(christmas)
    assert not berlin(NINE_BY_FIVE, christmas).is_business_day(christmas)
