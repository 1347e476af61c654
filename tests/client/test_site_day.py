""" "Today" on screen is the site's calendar day: a Tokyo visit at 05:18 JST is today's there, though it is still
yesterday in UTC (issue 11: the home's "today's visits" compared UTC dates). Checked on the list the homes show
(app/services/homes.py), the one place that decides which visits are today's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from app.services.homes import HomeService
from server.seed import sid
from sync.domain.asset import Asset
from tests.client.conftest import Device

ARRIVED = datetime(2026, 12, 6, 20, 18, tzinfo=UTC)  # 2026-12-07 05:18 JST; 2026-12-06 in UTC


def test_a_tokyo_visit_at_dawn_is_among_todays_visits_all_tokyo_day_long(device: Callable[[str], Device]) -> None:
    d = device("admin")
    store = d.client.store
    asset = next(a for a in store.all(Asset) if a.site_id == sid("site", "tyo1"))
    store.clock = lambda: ARRIVED
    visit_id = d.field.start_visit(asset_id=asset.id)
    # Finished at once: a visit still open stays on the list whatever the day, so only its day can keep it there.
    d.field.end_visit(visit_id=visit_id, notes="", signed_by="Ada", signature_sha256="a" * 64)
    homes = HomeService(store=store, depot=d.services.depot)

    def todays(now: datetime) -> bool:
        store.clock = lambda: now
        return visit_id in [v.visit_id for v in homes.todays_visits()]

    assert todays(datetime(2026, 12, 6, 21, 0, tzinfo=UTC))  # 06:00 JST, still 6 December in UTC
    assert todays(datetime(2026, 12, 7, 14, 59, tzinfo=UTC))  # 23:59 JST
    assert not todays(datetime(2026, 12, 7, 15, 0, tzinfo=UTC))  # 00:00 JST on 8 December
    assert not todays(datetime(2026, 12, 6, 14, 59, tzinfo=UTC))  # 23:59 JST on 6 December
