"""Times as people read them: an aware UTC instant shown in a site's own zone with its abbreviation, and durations
in plain words.

Storage and the wire stay UTC (exports and the API use ISO-8601 UTC); this module is only for text on screen.
``zone`` is an IANA name (a site's ``timezone``); ``None`` means "this device's own zone", for records that belong
to no site (the last sync) — callers say so where they pass it. A zone this machine does not know is
shown in UTC and the text says so, never a silent UTC. Naive datetimes are refused: a time without a zone cannot be
placed on anyone's clock, so the caller must say it is UTC first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.i18n import Phrase, words

UNKNOWN_ZONE_NOTE = "zone unknown"


def _local(instant: datetime, zone: str | None) -> tuple[datetime, str]:
    """The instant on the zone's clock, and its abbreviation (with a note when the zone is unknown here)."""
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"naive datetime {instant!r}: say which zone it is in (stored times are UTC)")
    if zone is None:
        local = instant.astimezone()  # the device's own zone, from the operating system
        return local, local.tzname() or "local"
    try:
        tz = ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return instant.astimezone(UTC), f"UTC ({UNKNOWN_ZONE_NOTE}: {zone})"
    local = instant.astimezone(tz)
    return local, local.tzname() or zone


def local_text(instant: datetime, zone: str | None) -> str:
    """Full form: ``2026-12-06 05:18 JST``."""
    local, abbr = _local(instant, zone)
    return f"{local:%Y-%m-%d %H:%M} {abbr}"


def short_phrase(instant: datetime, zone: str | None) -> Phrase:
    """Short form where space is tight and the week is near: ``Thu 14:30 CET``, its weekday in the reader's language
    (from the catalogs, not the C locale's)."""
    local, abbr = _local(instant, zone)
    return words("{weekday} {time}", weekday=words(WEEKDAYS[local.weekday()]), time=f"{local:%H:%M} {abbr}")


def clock_text(instant: datetime, zone: str | None) -> str:
    """Time of day only, for things that are today by construction: ``14:30 CET``."""
    local, abbr = _local(instant, zone)
    return f"{local:%H:%M} {abbr}"


# Catalog entries: the short form's weekday in the reader's language.
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def duration_phrase(span: timedelta) -> Phrase:
    """A length of time in plain words, rounded down to the minute: ``2 h 10 min``, ``3 days 4 h``,
    ``less than a minute``. The sign is ignored; :func:`relative_phrase` says which way it points."""
    minutes = int(abs(span).total_seconds() // 60)
    if minutes == 0:
        return words("less than a minute")
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        # Past a day the minutes are noise for a countdown.
        day_part = words("{days} day", days=days) if days == 1 else words("{days} days", days=days)
        return words("{days_part} {hours} h", days_part=day_part, hours=hours) if hours else day_part
    if hours:
        return words("{hours} h {mins} min", hours=hours, mins=mins) if mins else words("{hours} h", hours=hours)
    return words("{mins} min", mins=mins)


def relative_phrase(due: datetime, now: datetime) -> Phrase:
    """A countdown to ``due`` seen at ``now``: ``due in 2 h 10 min`` or ``3 h overdue``. Both must be aware."""
    for moment in (due, now):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(f"naive datetime {moment!r}: say which zone it is in (stored times are UTC)")
    left = due - now
    if left >= timedelta(0):
        return words("due in {left}", left=duration_phrase(left))
    return words("{late} overdue", late=duration_phrase(left))
