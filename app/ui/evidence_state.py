"""What the RMA page holds to show its evidence photos: each with its thumbnail, and the one enlarged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sync.domain.evidence import Photo, PhotoKind
from sync.domain.rma import EvidenceItem


@dataclass(frozen=True, kw_only=True)
class EvidencePhoto:
    item: EvidenceItem  # the checklist item it answers
    photo: Photo
    thumbnail: bytes | None  # None until this device holds it; tapping fetches the full picture


@dataclass(frozen=True, kw_only=True)
class Enlarged:
    photo_id: str
    kind: PhotoKind
    taken_at: datetime
    data: bytes
