"""Organizations, users and the roles that decide what each may do."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sync.domain.entity import DIRECTORY_SCOPE, Entity, org_scope


class OrgKind(StrEnum):
    OEM = "oem"
    CUSTOMER = "customer"
    SERVICE_PARTNER = "service_partner"


class Role(StrEnum):
    FIELD_ENGINEER = "field_engineer"
    INSTALLER = "installer"
    DEPOT = "depot"
    SERVICE_DESK = "service_desk"
    ADMIN = "admin"
    CUSTOMER = "customer"


@dataclass(frozen=True, kw_only=True)
class Organization(Entity):
    collection = "organizations"
    name: str
    kind: OrgKind
    # Customers a service partner works for; empty for the OEM and customers.
    serviced_org_ids: tuple[str, ...] = ()

    def scope_keys(self) -> frozenset[str]:
        return frozenset({org_scope(self.id), DIRECTORY_SCOPE})


@dataclass(frozen=True, kw_only=True)
class UserProfile(Entity):
    """What other users may see of a user; credentials live only on the server."""

    collection = "users"
    name: str
    role: Role


@dataclass(frozen=True, kw_only=True)
class Actor:
    """Who is doing something: filled in by the server from the device token, never taken from the client's word."""

    user_id: str
    org_id: str
    role: Role
    device_id: str
    org_kind: OrgKind = OrgKind.OEM
