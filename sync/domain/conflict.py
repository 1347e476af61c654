"""Field-edit conflicts: never silent, kept as records both sides can see and resolve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sync.domain.entity import Entity, org_scope, site_scope


@dataclass(frozen=True, kw_only=True)
class Conflict(Entity):
    """Two edits of the same field from the same base. The later one (in server order) is on the record;
    the one it overwrote is kept here until someone chooses."""

    collection = "conflicts"

    parent_key_field = "subject_id"

    subject_collection: str
    subject_id: str
    field: str
    base_value: str
    kept_value: str
    overwritten_value: str
    kept_author_id: str
    detected_at: datetime
    site_id: str | None = None
    resolved: bool = False
    resolved_value: str | None = None
    resolved_by: str | None = None

    def scope_keys(self) -> frozenset[str]:
        keys = {org_scope(self.org_id)}
        if self.site_id:
            keys.add(site_scope(self.site_id))
        return frozenset(keys)
