"""Where chassis live: sites (with the timezone their SLA clocks run in) and racks (with their mounting depth)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync.domain.entity import Entity, org_scope, site_scope
from sync.domain.errors import InvalidInput


class SiteKind(StrEnum):
    COLOCATION = "colocation"
    EDGE = "edge"
    ENTERPRISE = "enterprise"
    DEPOT = "depot"


@dataclass(frozen=True, kw_only=True)
class Site(Entity):
    collection = "sites"
    name: str
    kind: SiteKind
    timezone: str
    region: str
    # Road distance to the depot or partner that services the site: distance zones of the SLA tiers read it
    # (sync/domain/sla.py). None: not surveyed, read as within the first zone.
    distance_km: int | None = None

    def __post_init__(self) -> None:
        if self.distance_km is not None and not 0 <= self.distance_km <= 40_000:
            raise InvalidInput(f"site {self.name}: {self.distance_km} km to its depot is not a distance on Earth")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(f"site {self.name}: unknown timezone {self.timezone!r}") from exc

    def scope_keys(self) -> frozenset[str]:
        return frozenset({org_scope(self.org_id), site_scope(self.id)})

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, kw_only=True)
class Rack(Entity):
    collection = "racks"

    parent_key_field = "site_id"

    site_id: str
    name: str
    height_u: int
    mounting_depth_mm: int

    def __post_init__(self) -> None:
        if not 1 <= self.height_u <= 60:
            raise InvalidInput(f"rack {self.name}: height {self.height_u} U is not a rack")
        if not 100 <= self.mounting_depth_mm <= 1600:
            raise InvalidInput(f"rack {self.name}: mounting depth {self.mounting_depth_mm} mm is implausible")

    def scope_keys(self) -> frozenset[str]:
        return frozenset({org_scope(self.org_id), site_scope(self.site_id)})
