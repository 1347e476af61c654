"""What every command handler shares: the outcome type, the role check, loading a visible record, a stock level."""

from __future__ import annotations

from typing import TypeVar

from sync.domain.context import Context, Reader
from sync.domain.entity import Entity
from sync.domain.errors import NotFound
from sync.domain.permissions import Action, require
from sync.domain.stock import StockLevel, StockLocation, stock_level_id

E = TypeVar("E", bound=Entity)

Outcome = list[Entity]


def require_role(ctx: Context, action: Action, doing: str) -> None:
    """Forbidden unless the actor's role may ``action`` (sync/domain/permissions.py); ``doing`` names it."""
    require(ctx.actor.role, action, doing)


def load(reader: Reader, kind: type[E], record_id: str) -> E:
    """The visible record, or NotFound (a record out of scope is as missing as one that does not exist)."""
    found = reader.get(kind, record_id)
    if found is None:
        # Plain text, not words(): a refusal's details say nothing of a record the caller may not see, not even the
        # id it sent (tests/protocol/test_bad_input.py), and words would carry the id in details.words.
        raise NotFound(f"no {kind.collection[:-1].replace('_', ' ')} {record_id!r} that you can see")
    return found


def stock_level(reader: Reader, location: StockLocation, part_number_id: str) -> StockLevel:
    """The level of a part number at a location, starting at zero the first time that part goes there."""
    level_id = stock_level_id(location.id, part_number_id)
    return reader.get(StockLevel, level_id) or StockLevel(
        id=level_id,
        org_id=location.org_id,
        location_id=location.id,
        part_number_id=part_number_id,
        quantity=0,
        holder_user_id=location.holder_user_id,
    )
