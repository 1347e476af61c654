"""Rack space: which Us each chassis takes, who is in the way of another, and the rack drawn U by U.

A chassis placed at U ``n`` (its bottom U) with a SKU ``h`` U high takes U ``n`` to ``n + h - 1``. Where a chassis is
now is its ``Asset`` record (``rack_id``, ``u_position``); ``Installation`` records are the history of how it got
there, so a chassis moved or taken out of a rack frees its Us by its asset record changing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sync.domain.asset import Asset
from sync.domain.catalog import Sku
from sync.domain.context import Reader
from sync.domain.errors import RackSpaceTaken
from sync.domain.words import Phrase, words


@dataclass(frozen=True, kw_only=True)
class Occupant:
    """A chassis in a rack and the Us it takes."""

    asset_id: str
    serial: str
    sku_id: str
    bottom_u: int
    height_u: int

    @property
    def top_u(self) -> int:
        return self.bottom_u + self.height_u - 1

    def overlaps(self, bottom_u: int, height_u: int) -> bool:
        return self.bottom_u <= bottom_u + height_u - 1 and bottom_u <= self.top_u

    def span_text(self) -> str:
        """ "4U at U35–U38", or "1U at U7"."""
        return str(self.span_phrase())

    def span_phrase(self) -> Phrase:
        if self.height_u == 1:
            return words("1U at U{u}", u=self.bottom_u)
        return words("{height}U at U{bottom}–U{top}", height=self.height_u, bottom=self.bottom_u, top=self.top_u)


def occupants(reader: Reader, rack_id: str) -> list[Occupant]:
    """The chassis this reader can see in the rack, lowest first.

    A field user who sees a rack through its site sees every chassis in it (a placed chassis carries its site's scope
    key), so the device and the server judge the same rack.
    """
    out = []
    for asset in reader.children(Asset, rack_id):
        if asset.rack_id != rack_id or asset.u_position is None:
            continue
        sku = reader.get(Sku, asset.sku_id)
        # The catalog syncs to everyone; a SKU missing from it still takes at least its own U.
        height = sku.height_u if sku is not None else 1
        out.append(
            Occupant(
                asset_id=asset.id, serial=asset.serial, sku_id=asset.sku_id, bottom_u=asset.u_position, height_u=height
            )
        )
    return sorted(out, key=lambda o: (o.bottom_u, o.serial))


def first_clash(
    placed: Iterable[Occupant], *, asset_id: str, bottom_u: int, height_u: int
) -> tuple[int, Occupant] | None:
    """The lowest U the chassis ``asset_id`` would share at ``bottom_u``, and who holds it; None when the Us are free.

    The chassis itself is not in its own way: moving it a few Us within its rack may overlap where it stands now.
    """
    clashes = [
        (max(bottom_u, o.bottom_u), o) for o in placed if o.asset_id != asset_id and o.overlaps(bottom_u, height_u)
    ]
    return min(clashes, key=lambda c: (c[0], c[1].serial)) if clashes else None


def clash_text(u: int, occupant: Occupant) -> str:
    return str(clash_phrase(u, occupant))


def clash_phrase(u: int, occupant: Occupant) -> Phrase:
    """ "U36 is taken by NBR22600003 (4U at U35–U38)", translatable."""
    return words("U{u} is taken by {serial} ({span})", u=u, serial=occupant.serial, span=occupant.span_phrase())


def require_space(reader: Reader, *, rack_id: str, asset_id: str, bottom_u: int, height_u: int) -> None:
    """Refuse (``RackSpaceTaken``) a chassis whose Us another chassis in the rack already takes."""
    clash = first_clash(occupants(reader, rack_id), asset_id=asset_id, bottom_u=bottom_u, height_u=height_u)
    if clash is None:
        return
    u, occupant = clash
    raise RackSpaceTaken(
        clash_phrase(u, occupant),
        details={
            "rack_id": rack_id,
            "u": u,
            "serial": occupant.serial,
            "asset_id": occupant.asset_id,
            "bottom_u": occupant.bottom_u,
            "height_u": occupant.height_u,
        },
    )


@dataclass(frozen=True, kw_only=True)
class Block:
    """One band of the rack elevation, drawn top to bottom: an empty U, or a chassis with its height.

    Two chassis recorded on the same Us (written before this check existed, or by two devices the server has not
    judged yet) share one block, ``clash`` set, so the drawing shows the problem instead of hiding one of them.
    """

    top_u: int
    bottom_u: int
    occupants: tuple[Occupant, ...] = ()

    @property
    def height_u(self) -> int:
        return self.top_u - self.bottom_u + 1

    @property
    def empty(self) -> bool:
        return not self.occupants

    @property
    def clash(self) -> bool:
        return len(self.occupants) > 1


def elevation(height_u: int, placed: Iterable[Occupant]) -> list[Block]:
    """The rack from its top U down to U1 (and any chassis overhanging the top): empty Us one by one, chassis as
    blocks as high as they are, overlapping chassis merged into one clashing block."""
    groups: list[list[Occupant]] = []
    for occupant in sorted(placed, key=lambda o: (o.top_u, o.bottom_u), reverse=True):
        if groups and min(o.bottom_u for o in groups[-1]) <= occupant.top_u:
            groups[-1].append(occupant)
        else:
            groups.append([occupant])
    top = max([height_u, *(max(o.top_u for o in g) for g in groups)])
    blocks: list[Block] = []
    u = top
    for group in groups:
        group_top = max(o.top_u for o in group)
        group_bottom = min(o.bottom_u for o in group)
        blocks.extend(Block(top_u=free, bottom_u=free) for free in range(u, group_top, -1))
        ordered = tuple(sorted(group, key=lambda o: (-o.top_u, o.serial)))
        blocks.append(Block(top_u=group_top, bottom_u=group_bottom, occupants=ordered))
        u = group_bottom - 1
    blocks.extend(Block(top_u=free, bottom_u=free) for free in range(u, 0, -1))
    return blocks
