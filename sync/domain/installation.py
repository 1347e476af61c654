"""Where a chassis went: the installer's record, with the fit check stored beside it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sync.domain.entity import Entity, org_scope, site_scope


@dataclass(frozen=True, kw_only=True)
class Installation(Entity):
    collection = "installations"

    parent_key_field = "asset_id"

    asset_id: str
    site_id: str
    rack_id: str
    u_position: int
    measured_depth_mm: int
    rail_kit_id: str | None
    fit_problems: tuple[str, ...]
    installed_by: str
    installed_at: datetime

    def scope_keys(self) -> frozenset[str]:
        return frozenset({org_scope(self.org_id), site_scope(self.site_id)})
