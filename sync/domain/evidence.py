"""Append-only facts attached to any record: photos (content-addressed) and notes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sync.domain.entity import Entity, org_scope, site_scope
from sync.domain.errors import InvalidInput
from sync.domain.words import words

SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
# What a photo record's bytes are: a picture (the device re-encodes to JPEG), or a controller log (kind LOG only),
# plain UTF-8 text or gzip-compressed text (sync/logtext.py). The server checks the bytes are what this says.
JPEG_MEDIA_TYPE = "image/jpeg"
IMAGE_MEDIA_TYPES = (JPEG_MEDIA_TYPE, "image/png", "image/webp")
TEXT_LOG_MEDIA_TYPE = "text/plain; charset=utf-8"
GZIP_LOG_MEDIA_TYPE = "application/gzip"
LOG_MEDIA_TYPES = (TEXT_LOG_MEDIA_TYPE, GZIP_LOG_MEDIA_TYPE)
MAX_FILE_NAME = 255
_UNSAFE_NAME = re.compile(r"[/\\\x00-\x1f\x7f]")


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
    media_type: str = JPEG_MEDIA_TYPE
    file_name: str = ""  # the name of the file picked on the device (logs), for people; never a path
    size: int = 0  # bytes of ``sha256`` when the device said (logs); 0 when unknown

    def __post_init__(self) -> None:
        for digest in (self.sha256, self.thumbnail_sha256):
            if digest is not None and not SHA256_HEX.match(digest):
                raise InvalidInput(words("a photo is named by the lowercase hex SHA-256 of its bytes"))
        check_media(kind=self.kind, media_type=self.media_type, file_name=self.file_name, size=self.size)

    def blob_names(self) -> frozenset[str]:
        return frozenset(d for d in (self.sha256, self.thumbnail_sha256) if d)

    @property
    def is_log(self) -> bool:
        return self.media_type in LOG_MEDIA_TYPES


def check_media(*, kind: PhotoKind, media_type: str, file_name: str, size: int) -> None:
    if media_type in LOG_MEDIA_TYPES:
        if kind is not PhotoKind.LOG:
            raise InvalidInput(words("only a photo of kind log may be a text log"))
    elif media_type not in IMAGE_MEDIA_TYPES:
        raise InvalidInput(words("a photo is one of {types}", types=", ".join(IMAGE_MEDIA_TYPES + LOG_MEDIA_TYPES)))
    if len(file_name) > MAX_FILE_NAME or _UNSAFE_NAME.search(file_name):
        raise InvalidInput(
            words(
                "a file name has at most {limit} characters and no slashes or control characters", limit=MAX_FILE_NAME
            )
        )
    if size < 0:
        raise InvalidInput(words("a size is not negative"))


def base_name(name: str) -> str:
    """The last part of a picked file's name (a browser or phone may hand over a path), without control characters."""
    last = re.split(r"[/\\]", name)[-1]
    return re.sub(r"[\x00-\x1f\x7f]", "", last).strip()[:MAX_FILE_NAME]


@dataclass(frozen=True, kw_only=True)
class Note(Attachment):
    collection = "notes"

    parent_key_field = "subject_id"

    text: str
    author_id: str
    written_at: datetime
