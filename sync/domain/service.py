"""Field service: severities, visits by engineers, and FRU swaps done on those visits (incidents: ticket.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sync.domain.entity import Entity, org_scope, site_scope


class Severity(StrEnum):
    CRITICAL = "critical"
    MAJOR = "major"
    MINOR = "minor"


@dataclass(frozen=True, kw_only=True)
class SiteBound(Entity):
    """A record about work at one site: its org and the engineers assigned to the site may see it."""

    site_id: str

    def scope_keys(self) -> frozenset[str]:
        return frozenset({org_scope(self.org_id), site_scope(self.site_id)})


@dataclass(frozen=True, kw_only=True)
class Visit(SiteBound):
    collection = "visits"

    parent_key_field = "asset_id"

    asset_id: str
    ticket_id: str | None
    engineer_id: str
    arrived_at: datetime
    left_at: datetime | None = None
    notes: str = ""
    signed_by: str | None = None
    signature_sha256: str | None = None

    def blob_names(self) -> frozenset[str]:
        return frozenset({self.signature_sha256} if self.signature_sha256 else ())


@dataclass(frozen=True, kw_only=True)
class FruSwap(SiteBound):
    """Append-only fact: this part came out of that slot and that one went in."""

    collection = "fru_swaps"

    parent_key_field = "asset_id"

    asset_id: str
    visit_id: str | None
    slot: str
    removed_serial: str
    installed_serial: str
    error_code: str
    reason: str
    performed_by: str
    performed_at: datetime
