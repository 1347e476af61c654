"""Spares: where they are kept and how many of each part number there are. A level is never negative."""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

from sync.domain.entity import Entity, org_scope, user_scope
from sync.domain.errors import InsufficientStock, InvalidInput
from sync.domain.words import words


class StockLocationKind(StrEnum):
    REGIONAL_BUFFER = "regional_buffer"
    VAN = "van"
    DEPOT = "depot"
    REFURBISHED_POOL = "refurbished_pool"


@dataclass(frozen=True, kw_only=True)
class StockLocation(Entity):
    collection = "stock_locations"
    name: str
    kind: StockLocationKind
    region: str = ""
    # The engineer whose van this is; they see it even without an org-wide scope.
    holder_user_id: str | None = None

    def scope_keys(self) -> frozenset[str]:
        keys = {org_scope(self.org_id)}
        if self.holder_user_id:
            keys.add(user_scope(self.holder_user_id))
        return frozenset(keys)


def stock_level_id(location_id: str, part_number_id: str) -> str:
    """Levels are keyed by place and part, so two devices creating the same level offline agree on its id."""
    return f"{location_id}:{part_number_id}"


@dataclass(frozen=True, kw_only=True)
class StockLevel(Entity):
    collection = "stock_levels"

    parent_key_field = "location_id"

    location_id: str
    part_number_id: str
    quantity: int
    low_threshold: int = 0
    holder_user_id: str | None = None

    def __post_init__(self) -> None:
        if self.quantity < 0:
            raise InsufficientStock(
                words(
                    "stock of {part} at {location} cannot go below zero",
                    part=self.part_number_id,
                    location=self.location_id,
                )
            )
        if self.id != stock_level_id(self.location_id, self.part_number_id):
            raise InvalidInput(words("a stock level's id is its location and part number"))

    def scope_keys(self) -> frozenset[str]:
        keys = {org_scope(self.org_id)}
        if self.holder_user_id:
            keys.add(user_scope(self.holder_user_id))
        return frozenset(keys)

    @property
    def low(self) -> bool:
        return self.quantity <= self.low_threshold

    def adjusted(self, delta: int) -> StockLevel:
        if self.quantity + delta < 0:
            raise InsufficientStock(
                words(
                    "only {quantity} of this part at this location; cannot take {wanted}",
                    quantity=self.quantity,
                    wanted=-delta,
                ),
                details={"location_id": self.location_id, "part_number_id": self.part_number_id},
            )
        return replace(self, quantity=self.quantity + delta)
