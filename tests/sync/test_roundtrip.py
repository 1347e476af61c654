from __future__ import annotations

import uuid
from collections.abc import Callable

from app.bootstrap import Client
from server.seed import sid
from sync.domain.asset import Asset, Part, PartLocation
from sync.domain.commands import SwapFru
from sync.domain.stock import StockLevel, stock_level_id


def test_offline_fru_swap_reaches_the_server_once_and_comes_back_as_server_state(
    enrolled: Callable[[str], Client],
) -> None:
    engineer = enrolled("engineer")
    engineer.sync()
    van = sid("loc", "van-engineer")
    fan_wall = sid("pn", "FW-R-02")
    asset = next(a for a in engineer.store.all(Asset) if a.sku_id == sid("sku", "R2") and a.part_in("FAN-WALL"))
    spare = next(p for p in engineer.store.all(Part) if p.location_id == van and p.part_number_id == fan_wall)
    removed = asset.part_in("FAN-WALL")
    assert removed is not None
    before = engineer.store.get(StockLevel, stock_level_id(van, fan_wall))
    assert before is not None

    engineer.store.execute(
        SwapFru(
            swap_id=str(uuid.uuid4()),
            asset_id=asset.id,
            visit_id=None,
            slot="FAN-WALL",
            removed_serial=removed,
            installed_serial=spare.serial,
            from_location_id=van,
            error_code="E-FAN3",
            reason="tach failure",
            obligation_id=str(uuid.uuid4()),
        )
    )
    assert engineer.store.pending_count() == 1
    report = engineer.sync()

    assert (report.pushed, report.rejected) == (1, 0)
    assert engineer.store.pending_count() == 0
    desk = enrolled("desk")
    desk.sync()
    on_server = desk.store.get(Asset, asset.id)
    assert on_server is not None and on_server.part_in("FAN-WALL") == spare.serial
    level = desk.store.get(StockLevel, stock_level_id(van, fan_wall))
    assert level is not None and level.quantity == before.quantity - 1
    old = desk.store.find(Part, removed)
    assert old is not None and old.location is PartLocation.IN_TRANSIT
