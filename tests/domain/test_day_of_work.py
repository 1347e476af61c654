"""What a visit report covers (sync/domain/day_of_work.py): the work on the chassis that site day.

The visit: Tokyo (UTC+9, no DST), arrival 2026-12-06 23:30 UTC = 2026-12-07 08:30 JST, so the report's day is
the 7th. 2026-12-06 14:59 UTC is 23:59 JST on the 6th (the day before); 2026-12-07 14:59 UTC is 23:59 JST on the
7th (same day); 2026-12-07 15:00 UTC is 00:00 JST on the 8th (the day after). Worked out by hand.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sync.domain.day_of_work import day_of_work, site_date
from sync.domain.evidence import Note, Photo, PhotoKind
from sync.domain.service import FruSwap, Visit

TOKYO = "Asia/Tokyo"
ARRIVED = datetime(2026, 12, 6, 23, 30, tzinfo=UTC)
DAY_BEFORE_LAST_MINUTE = datetime(2026, 12, 6, 14, 59, tzinfo=UTC)
SAME_DAY_LAST_MINUTE = datetime(2026, 12, 7, 14, 59, tzinfo=UTC)
NEXT_DAY_FIRST_MINUTE = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
VISIT = Visit(
    id="visit-1",
    org_id="org-acme",
    site_id="site-tyo",
    asset_id="asset-1",
    ticket_id=None,
    engineer_id="u-eng",
    arrived_at=ARRIVED,
)


def swap(swap_id: str, at: datetime, *, visit_id: str | None = None, asset_id: str = "asset-1") -> FruSwap:
    return FruSwap(
        id=swap_id,
        org_id="org-acme",
        site_id="site-tyo",
        asset_id=asset_id,
        visit_id=visit_id,
        slot="FAN-WALL",
        removed_serial=f"OLD-{swap_id}",
        installed_serial=f"NEW-{swap_id}",
        error_code="E-FAN",
        reason="",
        performed_by="u-eng",
        performed_at=at,
    )


def photo(photo_id: str, subject: tuple[str, str], at: datetime) -> Photo:
    return Photo(
        id=photo_id,
        org_id="org-acme",
        subject_collection=subject[0],
        subject_id=subject[1],
        sha256="a" * 64,
        thumbnail_sha256=None,
        kind=PhotoKind.PART,
        taken_by="u-eng",
        taken_at=at,
    )


def note(note_id: str, subject: tuple[str, str], at: datetime) -> Note:
    return Note(
        id=note_id,
        org_id="org-acme",
        subject_collection=subject[0],
        subject_id=subject[1],
        text=note_id,
        author_id="u-eng",
        written_at=at,
    )


def test_the_report_day_is_the_site_calendar_day_of_the_arrival() -> None:
    assert site_date(ARRIVED, TOKYO) == date(2026, 12, 7)
    assert site_date(ARRIVED, "UTC") == date(2026, 12, 6)
    assert day_of_work(visit=VISIT, timezone=TOKYO, swaps=(), notes=(), photos=()).day == date(2026, 12, 7)


# swap: its time, its visit, its chassis → in the report?
SWAPS = [
    ("before the visit, no visit", SAME_DAY_LAST_MINUTE.replace(hour=0), None, "asset-1", True),
    ("last minute of the day", SAME_DAY_LAST_MINUTE, None, "asset-1", True),
    ("a colleague's visit that day", SAME_DAY_LAST_MINUTE, "visit-2", "asset-1", True),
    ("day before (UTC: same day)", DAY_BEFORE_LAST_MINUTE, None, "asset-1", False),
    ("day after", NEXT_DAY_FIRST_MINUTE, None, "asset-1", False),
    ("this visit, saved after midnight", NEXT_DAY_FIRST_MINUTE, "visit-1", "asset-1", True),
    ("another chassis that day", SAME_DAY_LAST_MINUTE, None, "asset-2", False),
]


@pytest.mark.parametrize(("case", "at", "visit_id", "asset_id", "included"), SWAPS, ids=[s[0] for s in SWAPS])
def test_swaps_on_the_chassis_that_site_day_are_in_the_report(
    case: str, at: datetime, visit_id: str | None, asset_id: str, included: bool
) -> None:
    found = day_of_work(
        visit=VISIT, timezone=TOKYO, swaps=[swap("sw", at, visit_id=visit_id, asset_id=asset_id)], notes=(), photos=()
    )
    assert [s.id for s in found.swaps] == (["sw"] if included else [])


# subject, time → counted? (the swap "sw-today" is in the report, "sw-old" is not)
ATTACHED = [
    (("visits", "visit-1"), NEXT_DAY_FIRST_MINUTE, True),
    (("assets", "asset-1"), SAME_DAY_LAST_MINUTE, True),
    (("assets", "asset-1"), DAY_BEFORE_LAST_MINUTE, False),
    (("fru_swaps", "sw-today"), SAME_DAY_LAST_MINUTE, True),
    (("fru_swaps", "sw-old"), SAME_DAY_LAST_MINUTE, False),
    (("assets", "asset-2"), SAME_DAY_LAST_MINUTE, False),
    (("visits", "visit-2"), SAME_DAY_LAST_MINUTE, False),
]


@pytest.mark.parametrize(("subject", "at", "counted"), ATTACHED)
def test_photos_and_notes_on_the_visit_the_chassis_or_the_days_swaps_are_counted(
    subject: tuple[str, str], at: datetime, counted: bool
) -> None:
    swaps = [swap("sw-today", SAME_DAY_LAST_MINUTE), swap("sw-old", DAY_BEFORE_LAST_MINUTE)]
    found = day_of_work(
        visit=VISIT,
        timezone=TOKYO,
        swaps=swaps,
        # Each record offered twice (a visit's and a chassis's children overlap): counted once.
        notes=[note("n", subject, at)] * 2,
        photos=[photo("p", subject, at)] * 2,
    )
    assert ([n.id for n in found.notes], [p.id for p in found.photos]) == ((["n"], ["p"]) if counted else ([], []))
