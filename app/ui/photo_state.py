"""Photos taken in the flows: kept on the device with the record they belong to, a bad picture refused by name."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from app.photos.service import PhotoService
from app.ui.shell import Shell
from sync.domain.errors import DomainError
from sync.domain.evidence import Photo, PhotoKind


@dataclass(frozen=True)
class PendingPhoto:
    """A picture taken for a record that does not exist yet (an installation or swap being filled in)."""

    kind: PhotoKind
    data: bytes


@dataclass
class PhotoKeeper:
    """Keeps pictures for the feature states and says how it went; holds no screen state of its own."""

    shell: Shell
    photos: PhotoService

    def add(
        self, *, subject_collection: str, subject_id: str, kind: PhotoKind, images: Sequence[bytes], caption: str = ""
    ) -> int:
        kept, refused = self._keep(subject_collection, subject_id, kind, images, caption)
        self.shell.changed()
        self._say(kept, refused, after="")
        return kept

    def attach_pending(self, subject_collection: str, subject_id: str, photos: Sequence[PendingPhoto]) -> None:
        """Photos taken while a form was open go onto the record the form just created, after its message."""
        if not photos:
            return
        kept, refused = 0, list[str]()
        for kind in dict.fromkeys(p.kind for p in photos):
            images = [p.data for p in photos if p.kind is kind]
            k, r = self._keep(subject_collection, subject_id, kind, images, "")
            kept, refused = kept + k, refused + r
        self.shell.changed()
        self._say(kept, refused, after=self.shell.flash)

    def thumbnails(self, photos: Sequence[Photo]) -> list[bytes]:
        """Thumbnail bytes of these photo records that are on this device, in order (a log has none)."""
        found = (self.photos.thumbnail(photo) for photo in photos)
        return [thumb for thumb in found if thumb is not None]

    def _keep(
        self, subject_collection: str, subject_id: str, kind: PhotoKind, images: Sequence[bytes], caption: str
    ) -> tuple[int, list[str]]:
        kept, refused = 0, list[str]()
        for data in images:
            try:
                self.photos.add(
                    subject_collection=subject_collection, subject_id=subject_id, kind=kind, data=data, caption=caption
                )
                kept += 1
            except DomainError as err:
                refused.append(err.message)
        return kept, refused

    def _say(self, kept: int, refused: list[str], *, after: str) -> None:
        t = self.shell.t
        prefix = f"{after} · " if after else ""
        if refused:
            reasons = "; ".join(refused)
            self.shell.say(
                prefix + t("{kept} photo(s) kept; refused: {reasons}", kept=kept, reasons=reasons), error=True
            )
        elif kept:
            self.shell.say(prefix + t("{kept} photo(s) saved on this device; they upload when online", kept=kept))
