""" "Today" on screen is the site's calendar day: a Tokyo visit at 05:18 JST is today's there, though it is still
yesterday in UTC (issue 11: the home's "today's visits" compared UTC dates)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from server.seed import sid
from sync.domain.asset import Asset
from tests.client.conftest import Device

ARRIVED = datetime(2026, 12, 6, 20, 18, tzinfo=UTC)  # 2026-12-07 05:18 JST; 2026-12-06 in UTC


def test_a_tokyo_visit_at_dawn_is_among_todays_visits_all_tokyo_day_long(device: Callable[[str], Device]) -> None:
    d = device("admin")
    asset = next(a for a in d.client.store.all(Asset) if a.site_id == sid("site", "tyo1"))
    d.client.store.clock = lambda: ARRIVED
    visit_id = d.field.start_visit(asset_id=asset.id)

    def todays(now: datetime) -> list[str]:
        d.field.now = lambda: now
        return [v.id for v, _ in d.field.todays_visits()]

    assert todays(datetime(2026, 12, 6, 21, 0, tzinfo=UTC)) == [visit_id]  # 06:00 JST, still 6 December in UTC
    assert todays(datetime(2026, 12, 7, 14, 59, tzinfo=UTC)) == [visit_id]  # 23:59 JST
    assert todays(datetime(2026, 12, 7, 15, 0, tzinfo=UTC)) == []  # 00:00 JST on 8 December
    assert todays(datetime(2026, 12, 6, 14, 59, tzinfo=UTC)) == []  # 23:59 JST on 6 December
