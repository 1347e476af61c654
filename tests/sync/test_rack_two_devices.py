"""Two installers work in the same rack offline: each device accepts its own move (its copy of the rack shows the
Us free), the first to sync wins them, and the second is rejected on sync with the occupant named, its command kept
visible with the server's copy, nothing lost. Runs over HTTP against the in-process server on SQLite and PostgreSQL.

The seeded rack Quarry TYO1 / T01 (42U) holds NBR12600008 (1U at U9), NBN42600028 (2U at U17–U18) and NBG82600018
(4U at U35–U38); U19 to U34 are free.
"""

from __future__ import annotations

from collections.abc import Callable

from app.bootstrap import Client
from app.services.field import FieldService
from server.seed import sid
from sync.domain.asset import Asset
from sync.domain.rack import occupants

T01 = sid("rack", "tyo1", "T01")
GPU_4U = sid("asset", "NBG82600018")
ONE_U = sid("asset", "NBR12600008")


def _layout(client: Client) -> list[tuple[str, int, int]]:
    return [(o.serial, o.bottom_u, o.height_u) for o in occupants(client.store, T01)]


def test_the_second_device_to_sync_into_taken_us_is_rejected_naming_the_occupant(
    enrolled: Callable[[str], Client],
) -> None:
    first, second = enrolled("installer"), enrolled("installer")
    for device in (first, second):
        device.sync()
    seeded = [("NBR12600008", 9, 1), ("NBN42600028", 17, 2), ("NBG82600018", 35, 4)]
    assert _layout(first) == _layout(second) == seeded

    # Offline: the 4U moves down to U25–U28 on one device; on the other, the 1U moves to U27, free as far as it knows.
    FieldService(store=first.store).record_installation(
        asset_id=GPU_4U, rack_id=T01, u_position=25, measured_depth_mm=1070, rail_kit_id=None
    )
    FieldService(store=second.store).record_installation(
        asset_id=ONE_U, rack_id=T01, u_position=27, measured_depth_mm=1070, rail_kit_id=None
    )
    assert _layout(second) == [("NBN42600028", 17, 2), ("NBR12600008", 27, 1), ("NBG82600018", 35, 4)]

    assert first.sync().rejected == 0
    report = second.sync()
    assert (report.pushed, report.rejected) == (1, 1)
    (rejection,) = second.store.rejections()
    assert (rejection.type, rejection.code) == ("RecordInstallation", "rack_space_taken")
    assert rejection.message == "U27 is taken by NBG82600018 (4U at U25–U28)"
    assert rejection.details["serial"] == "NBG82600018"
    assert (rejection.payload["asset_id"], rejection.payload["u_position"]) == (ONE_U, 27)
    copies = {(c["collection"], c["id"]): c["data"] for c in rejection.server_copy}
    assert (copies[("assets", ONE_U)]["rack_id"], copies[("assets", ONE_U)]["u_position"]) == (T01, 9)

    # Both devices now show the server's rack: the winner's move, the loser's chassis back where it was.
    assert _layout(first) == _layout(second) == [("NBR12600008", 9, 1), ("NBN42600028", 17, 2), ("NBG82600018", 25, 4)]
    moved = second.store.get(Asset, ONE_U)
    assert moved is not None and moved.u_position == 9
    assert second.store.pending_count() == 0
