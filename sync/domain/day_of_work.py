"""What a visit report covers: all the work on the visit's chassis on the visit's day, in the site's calendar.

Work is not always recorded under the visit: a swap saved before the visit was started (or by a colleague), a note
or a photo on the chassis page. The customer signs for the day's work on their chassis, so the report takes every
swap on that chassis performed that site day, and the notes and photos on the visit, the chassis or those swaps
written that day. Photos and notes of the visit itself always count. "That day" is the site's calendar day of the
arrival (a Tokyo visit at 08:30 JST on the 7th is the 7th, though it is the 6th in UTC).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sync.domain.asset import Asset
from sync.domain.evidence import Note, Photo
from sync.domain.service import FruSwap, Visit


@dataclass(frozen=True, kw_only=True)
class DayOfWork:
    day: date
    swaps: tuple[FruSwap, ...]
    notes: tuple[Note, ...]
    photos: tuple[Photo, ...]


def site_date(moment: datetime, timezone: str) -> date:
    return moment.astimezone(ZoneInfo(timezone)).date()


def day_of_work(
    *,
    visit: Visit,
    timezone: str,
    swaps: Iterable[FruSwap],
    notes: Iterable[Note],
    photos: Iterable[Photo],
) -> DayOfWork:
    """``swaps``: the chassis's swaps; ``notes``/``photos``: those on the visit, the chassis and its swaps (any day).
    Each comes back once, oldest first."""
    day = site_date(visit.arrived_at, timezone)

    def that_day(moment: datetime) -> bool:
        return site_date(moment, timezone) == day

    done = tuple(
        sorted(
            {
                s.id: s
                for s in swaps
                if s.asset_id == visit.asset_id and (s.visit_id == visit.id or that_day(s.performed_at))
            }.values(),
            key=lambda s: s.performed_at,
        )
    )
    subjects = {(Asset.collection, visit.asset_id), *((FruSwap.collection, s.id) for s in done)}

    def counts(subject: tuple[str, str], moment: datetime) -> bool:
        return subject == (Visit.collection, visit.id) or (subject in subjects and that_day(moment))

    kept_notes = {n.id: n for n in notes if counts((n.subject_collection, n.subject_id), n.written_at)}
    kept_photos = {p.id: p for p in photos if counts((p.subject_collection, p.subject_id), p.taken_at)}
    return DayOfWork(
        day=day,
        swaps=done,
        notes=tuple(sorted(kept_notes.values(), key=lambda n: n.written_at)),
        photos=tuple(sorted(kept_photos.values(), key=lambda p: p.taken_at)),
    )
