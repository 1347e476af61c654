"""Rack space (sync/domain/rack.py): which Us a chassis takes, who is in the way, and the rack drawn U by U.

The racks here are written out by hand: ``occupied`` lists chassis as (serial, bottom U, height), and each case says
which U the new chassis would share first and with whom, or that the Us are free.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from sync.domain.asset import Asset
from sync.domain.catalog import ChassisFamily, Sku
from sync.domain.commands import RecordInstallation
from sync.domain.errors import RackSpaceTaken
from sync.domain.handlers import decide
from sync.domain.org import Role
from sync.domain.rack import Block, Occupant, elevation, first_clash, occupants
from sync.domain.site import Rack
from tests.domain.fakes import FakeContext
from tests.domain.world import LOOSE_ASSET, RACK, world


def occupant(serial: str, bottom: int, height: int) -> Occupant:
    return Occupant(asset_id=f"a-{serial}", serial=serial, sku_id="s", bottom_u=bottom, height_u=height)


FOUR_U_AT_35 = occupant("NBR22600003", 35, 4)  # U35–U38
ONE_U_AT_10 = occupant("ONE", 10, 1)
TWO_U_AT_1 = occupant("LOW", 1, 2)  # U1–U2


@pytest.mark.parametrize(
    ("occupied", "bottom", "height", "expected"),
    [
        # The case: a 4U at U36 on top of a 4U at U35 collides from U36 on.
        ([FOUR_U_AT_35], 36, 4, (36, "NBR22600003")),
        # Overlaps from below: the new chassis' first shared U is the occupant's bottom.
        ([FOUR_U_AT_35], 33, 4, (35, "NBR22600003")),
        ([FOUR_U_AT_35], 32, 4, (35, "NBR22600003")),
        ([FOUR_U_AT_35], 38, 1, (38, "NBR22600003")),
        ([FOUR_U_AT_35], 35, 4, (35, "NBR22600003")),
        ([FOUR_U_AT_35], 34, 6, (35, "NBR22600003")),
        # Touching is not overlapping: right below and right above are free.
        ([FOUR_U_AT_35], 31, 4, None),
        ([FOUR_U_AT_35], 39, 4, None),
        ([FOUR_U_AT_35], 34, 1, None),
        ([ONE_U_AT_10], 10, 1, (10, "ONE")),
        ([ONE_U_AT_10], 9, 1, None),
        ([ONE_U_AT_10], 11, 2, None),
        ([ONE_U_AT_10], 8, 3, (10, "ONE")),
        ([TWO_U_AT_1], 2, 2, (2, "LOW")),
        # Several occupants: the lowest shared U is named.
        ([TWO_U_AT_1, ONE_U_AT_10, FOUR_U_AT_35], 1, 40, (1, "LOW")),
        ([TWO_U_AT_1, ONE_U_AT_10, FOUR_U_AT_35], 3, 33, (10, "ONE")),
        ([TWO_U_AT_1, ONE_U_AT_10, FOUR_U_AT_35], 11, 24, None),
        ([], 1, 42, None),
    ],
)
def test_the_first_shared_u_and_its_occupant_are_found(
    occupied: list[Occupant], bottom: int, height: int, expected: tuple[int, str] | None
) -> None:
    clash = first_clash(occupied, asset_id="a-new", bottom_u=bottom, height_u=height)
    assert (None if clash is None else (clash[0], clash[1].serial)) == expected


@pytest.mark.parametrize(("bottom", "expected"), [(35, None), (36, None), (32, None), (39, None), (31, None)])
def test_a_chassis_is_never_in_its_own_way(bottom: int, expected: None) -> None:
    # The 4U moving a few Us up or down within its rack overlaps where it stands now, and nothing else.
    assert first_clash([FOUR_U_AT_35], asset_id="a-NBR22600003", bottom_u=bottom, height_u=4) == expected


@pytest.mark.parametrize(
    ("who", "text"),
    [(FOUR_U_AT_35, "4U at U35–U38"), (ONE_U_AT_10, "1U at U10"), (TWO_U_AT_1, "2U at U1–U2")],
)
def test_an_occupant_says_its_span_in_words(who: Occupant, text: str) -> None:
    assert who.span_text() == text


def _drawn(blocks: list[Block]) -> list[tuple[int, int, tuple[str, ...]]]:
    return [(b.top_u, b.bottom_u, tuple(o.serial for o in b.occupants)) for b in blocks]


def test_the_elevation_runs_top_down_with_empty_us_one_by_one_and_chassis_as_tall_as_they_are() -> None:
    blocks = elevation(12, [occupant("A", 9, 2), occupant("B", 1, 4), occupant("C", 12, 1)])
    assert _drawn(blocks) == [
        (12, 12, ("C",)),
        (11, 11, ()),
        (10, 9, ("A",)),
        (8, 8, ()),
        (7, 7, ()),
        (6, 6, ()),
        (5, 5, ()),
        (4, 1, ("B",)),
    ]


def test_an_empty_rack_is_every_u_empty_from_the_top() -> None:
    assert _drawn(elevation(3, [])) == [(3, 3, ()), (2, 2, ()), (1, 1, ())]


def test_chassis_recorded_on_the_same_us_share_one_clashing_block_instead_of_hiding_one() -> None:
    blocks = elevation(40, [FOUR_U_AT_35, occupant("NBR22600004", 36, 4), occupant("X", 30, 2)])
    drawn = _drawn(blocks)
    assert drawn[0] == (40, 40, ())
    assert drawn[1] == (39, 35, ("NBR22600004", "NBR22600003"))
    assert blocks[1].clash and blocks[1].height_u == 5
    assert drawn[2:6] == [(34, 34, ()), (33, 33, ()), (32, 32, ()), (31, 30, ("X",))]
    assert drawn[6:] == [(u, u, ()) for u in range(29, 0, -1)]


def test_a_chassis_overhanging_the_top_is_drawn_above_the_rack_height() -> None:
    assert _drawn(elevation(4, [occupant("TALL", 3, 4)])) == [(6, 3, ("TALL",)), (2, 2, ()), (1, 1, ())]


# The handler: RecordInstallation runs the check on both ends ----------------------------------------------------
FOUR_U = Sku(
    id="sku-4u",
    org_id="org-oem",
    code="G4",
    name="4U GPU server",
    family=ChassisFamily.GPU_SERVER,
    depth_mm=800,
    height_u=4,
    revision="A",
)
FIRST = Asset(id="asset-a", org_id="org-acme", serial="NBR22600003", sku_id="sku-4u", revision="A")
SECOND = Asset(id="asset-b", org_id="org-acme", serial="NBR22600004", sku_id="sku-4u", revision="A")


def rack_world() -> FakeContext:
    ctx = world(Role.INSTALLER)
    ctx.put(FOUR_U, FIRST, SECOND)
    return ctx


def install(asset: Asset, u: int, rack: Rack = RACK) -> RecordInstallation:
    return RecordInstallation(
        installation_id=f"i-{asset.id}-{rack.id}-{u}",
        asset_id=asset.id,
        rack_id=rack.id,
        u_position=u,
        measured_depth_mm=1000,
        rail_kit_id=None,
    )


def apply(ctx: FakeContext, command: RecordInstallation) -> None:
    ctx.put(*decide(command, ctx))


def test_a_4u_at_u36_on_top_of_a_4u_at_u35_is_refused_naming_the_occupant() -> None:
    ctx = rack_world()
    apply(ctx, install(FIRST, 35))
    with pytest.raises(RackSpaceTaken) as refused:
        decide(install(SECOND, 36), ctx)
    assert refused.value.message == "U36 is taken by NBR22600003 (4U at U35–U38)"
    assert refused.value.code == "rack_space_taken"
    assert refused.value.details == {
        "rack_id": "rack-1",
        "u": 36,
        "serial": "NBR22600003",
        "asset_id": "asset-a",
        "bottom_u": 35,
        "height_u": 4,
        "words": {
            "template": "U{u} is taken by {serial} ({span})",
            "values": {
                "u": 36,
                "serial": "NBR22600003",
                "span": {"template": "{height}U at U{bottom}–U{top}", "values": {"height": 4, "bottom": 35, "top": 38}},
            },
        },
    }


def test_the_world_chassis_already_in_the_rack_blocks_its_us() -> None:
    # ASSET (2U) stands at U10–U11 of R1 in the fixed world.
    with pytest.raises(RackSpaceTaken, match=r"^U11 is taken by NB0001 \(2U at U10–U11\)$"):
        decide(install(LOOSE_ASSET, 11), rack_world())


@pytest.mark.parametrize("u", [31, 39, 12, 1])
def test_a_chassis_right_next_to_another_is_accepted(u: int) -> None:
    ctx = rack_world()
    apply(ctx, install(FIRST, 35))
    written = decide(install(SECOND, u), ctx)
    assert [(type(e).__name__, getattr(e, "u_position", None)) for e in written[:2]] == [
        ("Installation", u),
        ("Asset", u),
    ]


@pytest.mark.parametrize("u", [33, 34, 36, 37])
def test_moving_a_chassis_a_few_us_within_its_rack_does_not_collide_with_itself(u: int) -> None:
    ctx = rack_world()
    apply(ctx, install(FIRST, 35))
    apply(ctx, install(FIRST, u))
    assert [(o.serial, o.bottom_u) for o in occupants(ctx, "rack-1")] == [("NB0001", 10), ("NBR22600003", u)]


def test_a_chassis_moved_to_another_rack_frees_its_us() -> None:
    ctx = rack_world()
    other = Rack(id="rack-2", org_id="org-acme", site_id="site-ber", name="R2", height_u=42, mounting_depth_mm=1000)
    ctx.put(other)
    apply(ctx, install(FIRST, 35))
    apply(ctx, install(FIRST, 35, rack=other))
    apply(ctx, install(SECOND, 36))
    assert [(o.serial, o.bottom_u) for o in occupants(ctx, "rack-1")] == [("NB0001", 10), ("NBR22600004", 36)]
    assert [(o.serial, o.bottom_u) for o in occupants(ctx, "rack-2")] == [("NBR22600003", 35)]


def test_a_chassis_taken_out_of_its_rack_frees_its_us() -> None:
    ctx = rack_world()
    apply(ctx, install(FIRST, 35))
    placed = ctx.get(Asset, "asset-a")
    assert placed is not None
    ctx.put(replace(placed, rack_id=None, u_position=None))
    apply(ctx, install(SECOND, 36))
    assert [(o.serial, o.bottom_u) for o in occupants(ctx, "rack-1")] == [("NB0001", 10), ("NBR22600004", 36)]


def test_occupants_take_their_height_from_the_catalog_model() -> None:
    ctx = rack_world()
    apply(ctx, install(FIRST, 20))
    assert [(o.serial, o.bottom_u, o.height_u, o.top_u) for o in occupants(ctx, "rack-1")] == [
        ("NB0001", 10, 2, 11),
        ("NBR22600003", 20, 4, 23),
    ]
