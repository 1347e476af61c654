"""The OEM's catalog: chassis SKUs with their FRU slots, part numbers and rail kits."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from sync.domain.entity import CATALOG_SCOPE, Entity
from sync.domain.errors import InvalidInput
from sync.domain.words import words


class ChassisFamily(StrEnum):
    GPU_SERVER = "gpu_server"
    RACKMOUNT = "rackmount"
    WALL_MOUNT = "wall_mount"
    NAS = "nas"
    ITX = "itx"


class FruType(StrEnum):
    FAN_WALL = "fan_wall"
    BACKPLANE = "backplane"
    IO_BOARD = "io_board"
    PSU_BRACKET = "psu_bracket"
    PSU = "psu"
    RAIL_KIT = "rail_kit"
    DRIVE_CAGE = "drive_cage"
    RISER = "riser"


class Serviceability(StrEnum):
    FIELD_REPLACEABLE = "field_replaceable"
    DEPOT_ONLY = "depot_only"


@dataclass(frozen=True, kw_only=True)
class FruSlot:
    name: str
    fru_type: FruType


@dataclass(frozen=True, kw_only=True)
class CatalogEntity(Entity):
    def scope_keys(self) -> frozenset[str]:
        return frozenset({CATALOG_SCOPE})


@dataclass(frozen=True, kw_only=True)
class RailKit(CatalogEntity):
    collection = "rail_kits"
    code: str
    name: str
    min_depth_mm: int
    max_depth_mm: int

    def __post_init__(self) -> None:
        if not 0 < self.min_depth_mm <= self.max_depth_mm:
            raise InvalidInput(
                words(
                    "rail kit {code}: depth range {low}-{high} mm is empty",
                    code=self.code,
                    low=self.min_depth_mm,
                    high=self.max_depth_mm,
                )
            )

    natural_key_field = "code"

    def covers(self, rack_depth_mm: int) -> bool:
        return self.min_depth_mm <= rack_depth_mm <= self.max_depth_mm


@dataclass(frozen=True, kw_only=True)
class Sku(CatalogEntity):
    collection = "skus"
    code: str
    name: str
    family: ChassisFamily
    depth_mm: int
    height_u: int
    revision: str
    fru_slots: tuple[FruSlot, ...] = ()
    rail_kit_ids: tuple[str, ...] = ()
    # A regular expression every serial of this SKU matches in full ("" when unknown). Scanning uses it to tell the
    # serial apart from the other barcodes on a label.
    serial_pattern: str = ""

    def __post_init__(self) -> None:
        if self.depth_mm <= 0 or self.height_u <= 0:
            raise InvalidInput(words("SKU {code}: depth and height must be positive", code=self.code))
        if self.serial_pattern:
            try:
                re.compile(self.serial_pattern)
            except re.error as err:
                raise InvalidInput(
                    words(
                        "SKU {code}: serial pattern is not a valid expression ({error})", code=self.code, error=str(err)
                    )
                ) from err
        names = [slot.name for slot in self.fru_slots]
        if len(names) != len(set(names)):
            raise InvalidInput(words("SKU {code}: FRU slot names repeat", code=self.code))

    natural_key_field = "code"

    def slot(self, name: str) -> FruSlot:
        for slot in self.fru_slots:
            if slot.name == name:
                return slot
        raise InvalidInput(words("SKU {code} has no FRU slot '{slot}'", code=self.code, slot=name))


@dataclass(frozen=True, kw_only=True)
class PartNumber(CatalogEntity):
    collection = "part_numbers"
    code: str
    description: str
    fru_type: FruType
    serviceability: Serviceability

    natural_key_field = "code"

    @property
    def field_replaceable(self) -> bool:
        return self.serviceability is Serviceability.FIELD_REPLACEABLE
