"""The upload queue: photo and log bytes go to the server on their own queue, apart from record sync.

Order: thumbnails (and signatures) first, so colleagues see something soon even on a weak link; then full images
and controller logs, oldest first; a log is declared as one by its Content-Type. Each blob is sent in chunks with
``Content-Range``; before sending, a HEAD asks the server what it has: a blob already there is skipped, and an
upload cut off earlier continues from the offset the server kept. One refused blob (hash mismatch, not an image,
not a text log) is set aside with its reason and the queue goes on; a lost connection is retried from the server's
offset a few times, then the run stops and waits for the next one.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, delete, func, insert, select, update

from app.photos.store import PhotoStore, check_digest
from sync.blob_transport import PICTURE_UPLOAD_TYPE, BlobTransport
from sync.errors import AuthError, BadRequest, Offline, ProtocolTooOld, ServerRefused
from sync.logtext import media_type_of
from sync.sqlite import READ_ONLY, sqlite_engine

DEFAULT_CHUNK = 256 * 1024
RETRY_DELAYS = (0.0, 0.5, 2.0)
# Refusals that say "not now" rather than "never": the run stops and the blob stays queued for the next round.
WAIT_CODES = frozenset({"too_many_unfinished_uploads"})
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")

_meta = MetaData()
uploads = Table(
    "uploads",
    _meta,
    Column("sha256", String(64), primary_key=True),
    Column("priority", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("failed_code", String(64), nullable=True),
    Column("failed_message", String(500), nullable=True),
)


class Priority(IntEnum):
    THUMBNAIL = 0
    FULL = 1


@dataclass(frozen=True, kw_only=True)
class UploadItem:
    sha256: str
    priority: Priority
    failed_code: str | None = None
    failed_message: str | None = None


@dataclass(frozen=True, kw_only=True)
class UploadProgress:
    """For a progress bar: ``done`` of ``total`` blobs finished; the current one has ``offset`` of ``size`` bytes."""

    sha256: str
    offset: int
    size: int
    done: int
    total: int
    bytes_sent: int


@dataclass
class UploadReport:
    uploaded: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[tuple[str, str, str]] = field(default_factory=list)
    bytes_sent: int = 0
    bytes_stored: int = 0
    resumes: int = 0
    stopped: str | None = None  # why the run ended early: "offline", or the server's code (unauthenticated, ...)
    started: set[str] = field(default_factory=set, repr=False)

    @property
    def bytes_resent(self) -> int:
        """Bytes sent beyond each uploaded blob's size: the cost of cut connections."""
        return max(0, self.bytes_sent - self.bytes_stored)


ProgressListener = Callable[[UploadProgress], None]


class UploadQueue:
    def __init__(
        self,
        photos: PhotoStore,
        db_path: Path,
        *,
        chunk_size: int = DEFAULT_CHUNK,
        retry_delays: tuple[float, ...] = RETRY_DELAYS,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        db_path.parent.mkdir(parents=True, exist_ok=True)
        self.photos = photos
        self.engine = sqlite_engine(f"sqlite:///{db_path}")
        _meta.create_all(self.engine)
        self.chunk_size = chunk_size
        self.retry_delays = retry_delays
        self.sleep = sleep

    def close(self) -> None:
        self.engine.dispose()

    def enqueue(self, sha256: str, *, priority: Priority) -> None:
        check_digest(sha256)
        with self.engine.begin() as conn:
            seq = int(conn.execute(select(func.coalesce(func.max(uploads.c.seq), 0))).scalar() or 0) + 1
            conn.execute(
                insert(uploads).prefix_with("OR IGNORE").values(sha256=sha256, priority=int(priority), seq=seq)
            )

    def forget(self, sha256: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(delete(uploads).where(uploads.c.sha256 == sha256))

    def _items(self, *, failed: bool) -> list[UploadItem]:
        condition = uploads.c.failed_code.is_not(None) if failed else uploads.c.failed_code.is_(None)
        query = select(uploads).where(condition).order_by(uploads.c.priority, uploads.c.seq)
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            rows = conn.execute(query).all()
        return [
            UploadItem(
                sha256=r.sha256,
                priority=Priority(r.priority),
                failed_code=r.failed_code,
                failed_message=r.failed_message,
            )
            for r in rows
        ]

    def pending(self) -> list[UploadItem]:
        return self._items(failed=False)

    def failed(self) -> list[UploadItem]:
        """Blobs the server refused, with its reason; kept so the user can see them, never retried by themselves."""
        return self._items(failed=True)

    def queued(self) -> set[str]:
        """Every blob still waiting or refused: the photo store must not delete these."""
        with self.engine.connect().execution_options(**{READ_ONLY: True}) as conn:
            return set(conn.execute(select(uploads.c.sha256)).scalars())

    def retry_failed(self) -> None:
        with self.engine.begin() as conn:
            conn.execute(update(uploads).values(failed_code=None, failed_message=None))

    def _set_failed(self, sha256: str, code: str, message: str) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                update(uploads)
                .where(uploads.c.sha256 == sha256)
                .values(failed_code=code[:64], failed_message=message[:500])
            )

    def run(self, transport: BlobTransport, *, progress: ProgressListener | None = None) -> UploadReport:
        """Upload what is pending, in order, until done or the connection is gone for good."""
        report = UploadReport()
        items = self.pending()
        for done, item in enumerate(items):
            data = self.photos.read(item.sha256)
            if data is None:
                self.forget(item.sha256)  # deleted on purpose (scope left before upload): nothing to send
                continue
            try:
                self._upload(
                    transport, _Upload(sha256=item.sha256, data=data, done=done, total=len(items)), report, progress
                )
            except (AuthError, ProtocolTooOld) as err:
                report.stopped = err.code  # every later blob would be refused the same way
                return report
            except ServerRefused as err:
                if err.code in WAIT_CODES:
                    report.stopped = err.code  # the organization's other uploads must finish first: next round
                    return report
                self._set_failed(item.sha256, err.code, err.message)
                report.failed.append((item.sha256, err.code, err.message))
                continue
            except Offline:
                report.stopped = "offline"
                return report
            self.forget(item.sha256)
        return report

    def _upload(
        self, transport: BlobTransport, upload: _Upload, report: UploadReport, progress: ProgressListener | None
    ) -> None:
        """Send one blob: ask the server what it has, then chunks from there. A lost connection is asked again and
        resumed from the server's offset, after each of ``retry_delays``; then Offline goes up."""
        sha256, data, size = upload.sha256, upload.data, len(upload.data)
        media_type = upload_type(data)
        offset: int | None = None  # None: ask the server where to continue
        losses = 0
        # Each round moves the offset forward or learns the server's; the bound only stops a confused server.
        for _ in range(4 * (size // self.chunk_size) + 16 + len(self.retry_delays)):
            try:
                if offset is None:
                    offset = self._resume_point(transport, sha256, size, report)
                    if offset is None:
                        return
                chunk = data[offset : offset + self.chunk_size]
                report.bytes_sent += len(chunk)
                result = transport.put_chunk(sha256, chunk, start=offset, total=size, media_type=media_type)
            except Offline:
                losses += 1
                if losses >= len(self.retry_delays):
                    raise
                report.resumes += 1
                self.sleep(self.retry_delays[losses])
                offset = None
                continue
            except BadRequest as err:
                if err.code != "upload_offset_mismatch":
                    raise
                server_offset = err.details.get("offset")
                offset = server_offset if isinstance(server_offset, int) and 0 <= server_offset < size else 0
                continue
            offset = result.offset
            if progress is not None:
                progress(
                    UploadProgress(
                        sha256=sha256,
                        offset=offset,
                        size=size,
                        done=upload.done,
                        total=upload.total,
                        bytes_sent=report.bytes_sent,
                    )
                )
            if result.complete:
                report.uploaded.append(sha256)
                report.bytes_stored += size
                return
        raise Offline("the server kept answering with offsets that do not move forward")

    @staticmethod
    def _resume_point(transport: BlobTransport, sha256: str, size: int, report: UploadReport) -> int | None:
        """Where to send from, by the server's HEAD; None when the blob is there already (reported so)."""
        state = transport.state(sha256)
        if state.present:
            if sha256 in report.started:
                # The last chunk arrived but its answer was lost with the connection.
                report.uploaded.append(sha256)
                report.bytes_stored += size
            else:
                report.skipped.append(sha256)
            return None
        report.started.add(sha256)
        return state.offset if state.offset < size else 0


@dataclass(frozen=True, kw_only=True)
class _Upload:
    sha256: str
    data: bytes
    done: int  # blobs finished before this one in the run, and the run's total: for progress
    total: int


def upload_type(data: bytes) -> str:
    """What an upload says it is: a picture (opaque bytes, the server finds the format), else a log by its bytes."""
    if data.startswith(IMAGE_SIGNATURES) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return PICTURE_UPLOAD_TYPE
    return media_type_of(data)
