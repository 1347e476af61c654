"""The base every synced record derives from: an id, an owning organization and who may see it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

CATALOG_SCOPE = "catalog"
# Organization names and kinds: every OEM and service-partner user may see them (to register a chassis for a
# customer); customers never see each other.
DIRECTORY_SCOPE = "directory"


def org_scope(org_id: str) -> str:
    return f"org:{org_id}"


def site_scope(site_id: str) -> str:
    return f"site:{site_id}"


def user_scope(user_id: str) -> str:
    return f"user:{user_id}"


@dataclass(frozen=True, kw_only=True)
class Entity:
    """A record both ends keep. Subclasses name their ``collection`` and say who may see them.

    Entities are immutable: rules return changed copies (``dataclasses.replace``), so a rejected command can never
    leave a half-changed object behind.
    """

    collection: ClassVar[str] = ""
    # Field holding a key unique within the collection (a serial, an RMA number), indexed on both ends.
    natural_key_field: ClassVar[str | None] = None
    # Field holding the id of the record this one belongs to (an asset's visits, a rack's site), indexed for lookups.
    parent_key_field: ClassVar[str | None] = None
    id: str
    org_id: str

    def scope_keys(self) -> frozenset[str]:
        """Scope keys a user must hold one of to see this record (see docs/sync-protocol.md, Scopes)."""
        return frozenset({org_scope(self.org_id)})

    def blob_names(self) -> frozenset[str]:
        """SHA-256 names of the blobs this record stands for (a photo's bytes, a visit's signature): the only fields
        whose hashes grant reading a blob (the server indexes them as records are written); text never does."""
        return frozenset()

    def natural_key(self) -> str | None:
        return _key(getattr(self, self.natural_key_field)) if self.natural_key_field else None

    def parent_key(self) -> str | None:
        return _key(getattr(self, self.parent_key_field)) if self.parent_key_field else None


def keys_of(kind: type[Entity], data: dict[str, object]) -> tuple[str | None, str | None]:
    """(natural key, parent key) straight from a record's data, without building the entity: pulls are large."""
    natural = _key(data.get(kind.natural_key_field)) if kind.natural_key_field else None
    parent = _key(data.get(kind.parent_key_field)) if kind.parent_key_field else None
    return natural, parent


def _key(value: object) -> str | None:
    return value if isinstance(value, str) and value else None
