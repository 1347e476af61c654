"""Times on screen: the site's own clock with its zone abbreviation, never silent UTC (issues 11 and 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from app.i18n import Translator
from app.timefmt import clock_text, duration_phrase, local_text, relative_phrase, short_phrase


def utc(y: int, mo: int, d: int, h: int, mi: int) -> datetime:
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


# (instant in UTC, zone, full form, short form) — expected strings written out, not computed.
CASES = [
    # Berlin in winter (CET, +01) and in summer (CEST, +02)
    (utc(2026, 12, 3, 13, 30), "Europe/Berlin", "2026-12-03 14:30 CET", "Thu 14:30 CET"),
    (utc(2026, 7, 2, 13, 30), "Europe/Berlin", "2026-07-02 15:30 CEST", "Thu 15:30 CEST"),
    # New York (EST, -05): the local date is the day before the UTC date
    (utc(2026, 12, 4, 2, 15), "America/New_York", "2026-12-03 21:15 EST", "Thu 21:15 EST"),
    # Tokyo (JST, +09): the brief's example, a day ahead of UTC
    (utc(2026, 12, 5, 20, 18), "Asia/Tokyo", "2026-12-06 05:18 JST", "Sun 05:18 JST"),
    # Sydney in its summer (AEDT, +11) and winter (AEST, +10)
    (utc(2026, 12, 5, 23, 0), "Australia/Sydney", "2026-12-06 10:00 AEDT", "Sun 10:00 AEDT"),
    (utc(2026, 6, 5, 23, 0), "Australia/Sydney", "2026-06-06 09:00 AEST", "Sat 09:00 AEST"),
    # The night Berlin leaves summer time (2026-10-25): 02:30 happens twice, the abbreviation tells them apart
    (utc(2026, 10, 25, 0, 30), "Europe/Berlin", "2026-10-25 02:30 CEST", "Sun 02:30 CEST"),
    (utc(2026, 10, 25, 1, 30), "Europe/Berlin", "2026-10-25 02:30 CET", "Sun 02:30 CET"),
    # The night Berlin enters summer time (2026-03-29): 01:59 CET is followed by 03:00 CEST
    (utc(2026, 3, 29, 0, 59), "Europe/Berlin", "2026-03-29 01:59 CET", "Sun 01:59 CET"),
    (utc(2026, 3, 29, 1, 0), "Europe/Berlin", "2026-03-29 03:00 CEST", "Sun 03:00 CEST"),
    # A site explicitly in UTC
    (utc(2026, 12, 5, 20, 18), "UTC", "2026-12-05 20:18 UTC", "Sat 20:18 UTC"),
]


@pytest.mark.parametrize(("instant", "zone", "full", "short"), CASES)
def test_local_and_short_forms(instant: datetime, zone: str, full: str, short: str) -> None:
    assert local_text(instant, zone) == full
    assert str(short_phrase(instant, zone)) == short


def test_the_short_forms_weekday_is_in_the_readers_language() -> None:
    german = Translator.for_language("de")
    assert german.phrase(short_phrase(utc(2026, 12, 3, 13, 30), "Europe/Berlin")) == "Do 14:30 CET"
    assert german.phrase(short_phrase(utc(2026, 12, 5, 23, 0), "Australia/Sydney")) == "So 10:00 AEDT"


def test_an_instant_given_in_another_offset_is_the_same_instant() -> None:
    plus_two = datetime(2026, 12, 5, 22, 18, tzinfo=timezone(timedelta(hours=2)))  # 20:18 UTC
    assert local_text(plus_two, "Asia/Tokyo") == "2026-12-06 05:18 JST"


def test_clock_form() -> None:
    assert clock_text(utc(2026, 12, 5, 20, 18), "Asia/Tokyo") == "05:18 JST"
    assert clock_text(utc(2026, 7, 2, 13, 30), "America/New_York") == "09:30 EDT"


def test_unknown_zone_falls_back_to_utc_and_says_so() -> None:
    assert local_text(utc(2026, 12, 5, 20, 18), "Mars/Olympus") == "2026-12-05 20:18 UTC (zone unknown: Mars/Olympus)"
    assert str(short_phrase(utc(2026, 12, 5, 20, 18), "")) == "Sat 20:18 UTC (zone unknown: )"


def test_naive_datetimes_are_refused() -> None:
    naive = datetime(2026, 12, 5, 20, 18)
    for fmt in (local_text, short_phrase, clock_text):
        with pytest.raises(ValueError, match="naive"):
            fmt(naive, "Europe/Berlin")
    with pytest.raises(ValueError, match="naive"):
        relative_phrase(naive, utc(2026, 12, 5, 20, 18))
    with pytest.raises(ValueError, match="naive"):
        relative_phrase(utc(2026, 12, 5, 20, 18), naive)


@pytest.mark.usefixtures("device_in_tokyo")
def test_no_site_means_the_device_zone() -> None:
    assert local_text(utc(2026, 12, 5, 20, 18), None) == "2026-12-06 05:18 JST"
    assert clock_text(utc(2026, 12, 5, 20, 18), None) == "05:18 JST"


DURATIONS = [
    (timedelta(seconds=59), "less than a minute"),
    (timedelta(minutes=1), "1 min"),
    (timedelta(minutes=45, seconds=59), "45 min"),
    (timedelta(hours=1), "1 h"),
    (timedelta(hours=2, minutes=10), "2 h 10 min"),
    (timedelta(hours=23, minutes=59), "23 h 59 min"),
    (timedelta(days=1), "1 day"),
    (timedelta(days=1, hours=3, minutes=20), "1 day 3 h"),
    (timedelta(days=3, hours=4), "3 days 4 h"),
    (-timedelta(hours=3), "3 h"),
]


@pytest.mark.parametrize(("span", "words"), DURATIONS)
def test_duration_words(span: timedelta, words: str) -> None:
    assert str(duration_phrase(span)) == words


RELATIVE = [
    (utc(2026, 12, 6, 16, 40), utc(2026, 12, 6, 14, 30), "due in 2 h 10 min"),
    (utc(2026, 12, 6, 11, 30), utc(2026, 12, 6, 14, 30), "3 h overdue"),
    (utc(2026, 12, 6, 14, 30), utc(2026, 12, 6, 14, 30), "due in less than a minute"),
    (utc(2026, 12, 8, 14, 30), utc(2026, 12, 6, 14, 30), "due in 2 days"),
    (utc(2026, 12, 6, 14, 29), utc(2026, 12, 6, 14, 30), "1 min overdue"),
]


@pytest.mark.parametrize(("due", "now", "text"), RELATIVE)
def test_relative_countdowns(due: datetime, now: datetime, text: str) -> None:
    assert str(relative_phrase(due, now)) == text
