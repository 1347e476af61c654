"""Where chassis live: sites (with the timezone their SLA clocks run in) and racks (with their mounting depth)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sync.domain.entity import Entity, org_scope, site_scope
from sync.domain.errors import InvalidInput
from sync.domain.words import words


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
            raise InvalidInput(
                words(
                    "site {site}: {km} km to its depot is not a distance on Earth", site=self.name, km=self.distance_km
                )
            )
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise InvalidInput(
                words("site {site}: unknown timezone '{timezone}'", site=self.name, timezone=self.timezone)
            ) from exc

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
            raise InvalidInput(
                words("rack {rack}: height {height} U is not a rack", rack=self.name, height=self.height_u)
            )
        if not 100 <= self.mounting_depth_mm <= 1600:
            raise InvalidInput(
                words(
                    "rack {rack}: mounting depth {depth} mm is implausible",
                    rack=self.name,
                    depth=self.mounting_depth_mm,
                )
            )

    def scope_keys(self) -> frozenset[str]:
        return frozenset({org_scope(self.org_id), site_scope(self.site_id)})
