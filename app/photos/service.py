"""The photo intents the screens call: add a photo to a record, keep a signature, show thumbnails and full images,
and move bytes to and from the server.

Thumbnails come with sync: ``transfer`` (run after each sync round) downloads the thumbnail of every photo record
the device holds and does not have yet. Full images are fetched on demand (``full_image``), when a user opens one.
Photos of records no longer on the device (a scope left) are deleted by the same ``transfer``, except bytes that
have not reached the server yet.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from app.adapters.local_store import LocalStore, NotEnrolled
from app.ids import new_id
from app.photos.errors import LogRejected
from app.photos.pipeline import process
from app.photos.store import PhotoStore
from app.photos.uploads import Priority, ProgressListener, UploadQueue, UploadReport
from sync.blob_transport import BlobTransport
from sync.domain.commands import AttachPhoto
from sync.domain.errors import DomainError
from sync.domain.evidence import Photo, PhotoKind, base_name
from sync.domain.service import Visit
from sync.errors import Offline, ServerRefused
from sync.logtext import LOG_MAX_BYTES, LOG_MAX_TEXT_BYTES, LogRefusal, NotALog, inspect_log, read_log

# The folder signatures were kept in before photos came: one store for both, so older devices keep theirs.
PHOTOS_DIR = "blobs"
UPLOADS_DB = "uploads.db"


# The server's code for each refusal (docs/blobs.md), so a device says what the server would have said.
_LOG_CODES = {
    LogRefusal.MARKUP: "blob_unsupported_type",
    LogRefusal.NOT_TEXT: "blob_not_text",
    LogRefusal.DAMAGED: "blob_damaged",
    LogRefusal.UNPACKED_TOO_LARGE: "blob_unpacked_too_large",
}


@dataclass
class TransferReport:
    uploads: UploadReport
    thumbnails_fetched: int = 0
    thumbnails_missing: int = 0  # not on the server yet (their author has not uploaded them): next time
    deleted: list[str] = field(default_factory=list)


@dataclass
class PhotoService:
    store: LocalStore
    photos: PhotoStore
    uploads: UploadQueue
    make_id: Callable[[], str] = new_id
    # Adding (files, then queue entry, then record) and pruning must not interleave, or a new photo looks orphaned.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def open(cls, store: LocalStore, data_dir: Path) -> PhotoService:
        photos = PhotoStore(data_dir / PHOTOS_DIR)
        return cls(store=store, photos=photos, uploads=UploadQueue(photos, data_dir / PHOTOS_DIR / UPLOADS_DB))

    def add(
        self, *, subject_collection: str, subject_id: str, kind: PhotoKind, data: bytes, caption: str = ""
    ) -> Photo:
        """Re-encode a picture, store it, queue its upload, and attach it to the record (one unit of work).

        Raises PhotoRejected when ``data`` is not a usable picture, or the DomainError of the attachment; then no
        photo record exists and no file is left behind for it.
        """
        processed = process(data)
        command = AttachPhoto(
            photo_id=self.make_id(),
            subject_collection=subject_collection,
            subject_id=subject_id,
            sha256=processed.sha256,
            thumbnail_sha256=processed.thumbnail_sha256,
            kind=kind,
            caption=caption,
            width=processed.width,
            height=processed.height,
        )
        with self._lock:
            # Files before the record: a record never names missing bytes; a crash in between leaves an orphan
            # that the next transfer deletes.
            self.photos.put_verified(processed.thumbnail_sha256, processed.thumbnail)
            self.photos.put_verified(processed.sha256, processed.full)
            self.uploads.enqueue(processed.thumbnail_sha256, priority=Priority.THUMBNAIL)
            self.uploads.enqueue(processed.sha256, priority=Priority.FULL)
            try:
                entities = self.store.execute(command)
            except DomainError:
                self._drop_unreferenced((processed.sha256, processed.thumbnail_sha256))
                raise
        return next(e for e in entities if isinstance(e, Photo))

    def add_log(
        self, *, subject_collection: str, subject_id: str, data: bytes, file_name: str, caption: str = ""
    ) -> Photo:
        """Keep a controller log as picked (UTF-8 text, or gzip-compressed text), queue its upload, and record it as a
        photo of kind log with its media type, name and size (one unit of work).

        The file is checked as the server will check it (sync/logtext.py), so a binary, an HTML page or a gzip bomb
        is refused here with the server's code (LogRejected) instead of after a wasted upload; then nothing is kept.
        """
        if len(data) > LOG_MAX_BYTES:
            raise LogRejected(f"a log may be at most {LOG_MAX_BYTES // (1024 * 1024)} MiB", code="blob_too_large")
        try:
            info = inspect_log(data, max_text_bytes=LOG_MAX_TEXT_BYTES)
        except NotALog as refused:
            raise LogRejected(refused.message, code=_LOG_CODES[refused.reason]) from None
        digest = hashlib.sha256(data).hexdigest()
        command = AttachPhoto(
            photo_id=self.make_id(),
            subject_collection=subject_collection,
            subject_id=subject_id,
            sha256=digest,
            thumbnail_sha256=None,
            kind=PhotoKind.LOG,
            caption=caption,
            media_type=info.media_type,
            file_name=base_name(file_name),
            size=len(data),
        )
        with self._lock:
            self.photos.put_verified(digest, data)
            self.uploads.enqueue(digest, priority=Priority.FULL)
            try:
                entities = self.store.execute(command)
            except DomainError:
                self._drop_unreferenced((digest,))
                raise
        return next(e for e in entities if isinstance(e, Photo))

    def log_text(self, photo: Photo, transport: BlobTransport) -> str:
        """A log's text for reading on screen (unpacked when gzip), from the device or downloaded now and kept.
        Raises Offline or ServerRefused when it cannot be had, LogRejected when the bytes are not a readable log."""
        try:
            return read_log(self.full_image(photo, transport), max_text_bytes=LOG_MAX_TEXT_BYTES)
        except NotALog as refused:
            raise LogRejected(refused.message, code=_LOG_CODES[refused.reason]) from None

    def keep_signature(self, png: bytes) -> str:
        """Store a signature image and queue it; returns its digest (Visit.signature_sha256)."""
        with self._lock:
            digest = self.photos.put(png)
            self.uploads.enqueue(digest, priority=Priority.THUMBNAIL)
        return digest

    def thumbnail(self, photo: Photo) -> bytes | None:
        return self.photos.read(photo.thumbnail_sha256) if photo.thumbnail_sha256 else None

    def full_image(self, photo: Photo, transport: BlobTransport) -> bytes:
        """The full image (or a log's bytes as uploaded), from the device or downloaded now. Raises Offline or
        ServerRefused when it cannot be had."""
        local = self.photos.read(photo.sha256)
        if local is not None:
            return local
        data = transport.get(photo.sha256)
        try:
            self.photos.put_verified(photo.sha256, data)
        except ValueError as exc:
            raise Offline("the image arrived damaged; try again") from exc
        return data

    def transfer(self, transport: BlobTransport, *, progress: ProgressListener | None = None) -> TransferReport:
        """One round of photo traffic: uploads first, then missing thumbnails, then deletion of photos not needed."""
        report = TransferReport(uploads=self.uploads.run(transport, progress=progress))
        if report.uploads.stopped is None:
            self._fetch_thumbnails(transport, report)
        report.deleted = self.prune()
        return report

    def _fetch_thumbnails(self, transport: BlobTransport, report: TransferReport) -> None:
        for photo in self.store.all(Photo):
            digest = photo.thumbnail_sha256
            if digest is None or self.photos.has(digest):
                continue
            try:
                self.photos.put_verified(digest, transport.get(digest))
                report.thumbnails_fetched += 1
            except ServerRefused:
                report.thumbnails_missing += 1
            except (Offline, ValueError):
                return

    def referenced(self) -> set[str]:
        """Digests the device needs: photos and signatures of records it holds, and bytes not uploaded yet."""
        wanted: set[str] = set(self.uploads.queued())
        for photo in self.store.all(Photo):
            wanted.add(photo.sha256)
            if photo.thumbnail_sha256:
                wanted.add(photo.thumbnail_sha256)
        wanted.update(v.signature_sha256 for v in self.store.all(Visit) if v.signature_sha256)
        return wanted

    def prune(self) -> list[str]:
        """Delete photos of records no longer on this device (a scope the user left)."""
        with self._lock:
            return self.photos.keep_only(self.referenced())

    def _drop_unreferenced(self, digests: tuple[str, ...]) -> None:
        still = {p.sha256 for p in self.store.all(Photo)} | {
            p.thumbnail_sha256 for p in self.store.all(Photo) if p.thumbnail_sha256
        }
        for digest in digests:
            if digest not in still:
                self.uploads.forget(digest)
                self.photos.delete(digest)

    def close(self) -> None:
        self.uploads.close()


def blob_transport(store: LocalStore, *, http: httpx.Client | None = None) -> BlobTransport:
    """A blob client for the server and token this device enrolled with."""
    identity = store.identity()
    if identity is None:
        raise NotEnrolled("enroll this device first")
    return BlobTransport(identity.server_url, token=identity.token, client=http)
