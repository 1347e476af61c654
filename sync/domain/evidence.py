"""Append-only facts attached to any record: photos (content-addressed) and notes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sync.domain.entity import Entity, org_scope, site_scope
from sync.domain.errors import InvalidInput

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")


class PhotoKind(StrEnum):
    INSTALL = "install"
    LABEL = "label"
    DAMAGE = "damage"
    PART = "part"
    LOG = "log"
    OTHER = "other"


@dataclass(frozen=True, kw_only=True)
class Attachment(Entity):
    """Something attached to another record (``subject_collection``/``subject_id``); seen where that record is."""

    subject_collection: str
    subject_id: str
    site_id: str | None = None

    def scope_keys(self) -> frozenset[str]:
        keys = {org_scope(self.org_id)}
        if self.site_id:
            keys.add(site_scope(self.site_id))
        return frozenset(keys)


@dataclass(frozen=True, kw_only=True)
class Photo(Attachment):
    collection = "photos"

    parent_key_field = "subject_id"

    sha256: str
    thumbnail_sha256: str | None
    kind: PhotoKind
    caption: str = ""
    width: int = 0
    height: int = 0
    taken_by: str
    taken_at: datetime

    def __post_init__(self) -> None:
        for digest in (self.sha256, self.thumbnail_sha256):
            if digest is not None and not SHA256_HEX.match(digest):
                raise InvalidInput("a photo is named by the lowercase hex SHA-256 of its bytes")


@dataclass(frozen=True, kw_only=True)
class Note(Attachment):
    collection = "notes"

    parent_key_field = "subject_id"

    text: str
    author_id: str
    written_at: datetime
