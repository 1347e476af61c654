"""What a user may see and write: their scope keys (see docs/sync-protocol.md, Scopes)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sync.domain.entity import CATALOG_SCOPE, DIRECTORY_SCOPE, org_scope, user_scope
from sync.domain.org import OrgKind, Role

FIELD_ROLES = frozenset({Role.FIELD_ENGINEER, Role.INSTALLER})
OEM_WIDE_ROLES = frozenset({Role.SERVICE_DESK, Role.ADMIN, Role.DEPOT})


@dataclass(frozen=True, kw_only=True)
class Scope:
    """``keys`` None means everything (OEM staff). ``write_orgs`` None means any organization."""

    keys: frozenset[str] | None
    write_orgs: frozenset[str] | None

    def sees(self, record_keys: frozenset[str]) -> bool:
        return self.keys is None or not self.keys.isdisjoint(record_keys)

    def may_write(self, org_id: str) -> bool:
        return self.write_orgs is None or org_id in self.write_orgs

    def fingerprint(self) -> str:
        if self.keys is None:
            return "all"
        return hashlib.sha256("\n".join(sorted(self.keys)).encode()).hexdigest()[:16]


def scope_for(
    *,
    user_id: str,
    org_id: str,
    org_kind: OrgKind,
    role: Role,
    serviced_org_ids: frozenset[str],
    assignments: frozenset[str],
) -> Scope:
    if org_kind is OrgKind.OEM and role in OEM_WIDE_ROLES:
        return Scope(keys=None, write_orgs=None)
    base = {CATALOG_SCOPE, user_scope(user_id)} | set(assignments)
    if org_kind is not OrgKind.CUSTOMER:
        base.add(DIRECTORY_SCOPE)
    assigned_orgs = {key.removeprefix("org:") for key in assignments if key.startswith("org:")}
    if role in FIELD_ROLES:
        # Field staff see their own org's records (stock, vans) and what their assignments name: their sites.
        keys = base | {org_scope(org_id)}
        writable = None if org_kind is OrgKind.OEM else frozenset({org_id, *serviced_org_ids, *assigned_orgs})
        return Scope(keys=frozenset(keys), write_orgs=writable)
    orgs = {org_id, *serviced_org_ids, *assigned_orgs}
    keys = base | {org_scope(o) for o in orgs}
    return Scope(keys=frozenset(keys), write_orgs=frozenset(orgs))
