"""Chassis (assets, by serial) and the serialized FRUs (parts) that move in and out of them."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from sync.domain.entity import Entity, org_scope, site_scope, user_scope
from sync.domain.errors import InvalidInput
from sync.domain.words import words


@dataclass(frozen=True, kw_only=True)
class InstalledPart:
    slot: str
    part_serial: str


@dataclass(frozen=True, kw_only=True)
class Asset(Entity):
    collection = "assets"
    serial: str
    sku_id: str
    revision: str
    lot: str = ""
    ship_date: date | None = None
    warranty_end: date | None = None
    site_id: str | None = None
    rack_id: str | None = None
    u_position: int | None = None
    installed_parts: tuple[InstalledPart, ...] = ()
    notes: str = ""
    # Who registered it: a field engineer registering a customer's chassis before it is placed at one of their
    # sites holds neither the owner's org key nor a site key, and must not lose the chassis they just registered.
    registered_by: str | None = None

    def scope_keys(self) -> frozenset[str]:
        keys = {org_scope(self.org_id)}
        if self.site_id:
            keys.add(site_scope(self.site_id))
        if self.registered_by:
            keys.add(user_scope(self.registered_by))
        return frozenset(keys)

    natural_key_field = "serial"
    # Chassis are looked up by the rack they are in: a rack's occupants (sync/domain/rack.py) decide its free Us.
    parent_key_field = "rack_id"

    def part_in(self, slot: str) -> str | None:
        for installed in self.installed_parts:
            if installed.slot == slot:
                return installed.part_serial
        return None

    def with_part(self, slot: str, part_serial: str) -> Asset:
        others = tuple(p for p in self.installed_parts if p.slot != slot)
        parts = tuple(sorted((*others, InstalledPart(slot=slot, part_serial=part_serial)), key=lambda p: p.slot))
        return replace(self, installed_parts=parts)

    def under_warranty(self, on: date) -> bool:
        return self.warranty_end is not None and on <= self.warranty_end


class PartLocation(StrEnum):
    IN_STOCK = "in_stock"
    INSTALLED = "installed"
    IN_TRANSIT = "in_transit"
    AT_DEPOT = "at_depot"
    GRADED = "graded"
    SCRAPPED = "scrapped"


@dataclass(frozen=True, kw_only=True)
class Part(Entity):
    """A serialized FRU. It is in exactly one place: ``location`` says what kind, ``location_id`` which one."""

    collection = "parts"
    natural_key_field = "serial"
    # Parts are looked up by where they are: the spares in a van, the FRUs in a chassis.
    parent_key_field = "location_id"
    serial: str
    part_number_id: str
    revision: str = ""
    lot: str = ""
    location: PartLocation
    location_id: str
    # The site a part is at (installed there, or removed there and on its way back), so the site's engineers see it.
    site_id: str | None = None

    def __post_init__(self) -> None:
        if not self.location_id:
            raise InvalidInput(words("part {serial}: a location needs an id", serial=self.serial))

    def scope_keys(self) -> frozenset[str]:
        keys = {org_scope(self.org_id)}
        if self.site_id:
            keys.add(site_scope(self.site_id))
        return frozenset(keys)

    def moved(self, location: PartLocation, location_id: str, *, site_id: str | None = None) -> Part:
        return replace(self, location=location, location_id=location_id, site_id=site_id)
