"""Blob transfer: resumable chunked upload, existence and offset checks, and serving (docs/blobs.md).

    HEAD /api/v1/blobs/{sha256}   200 stored and readable by the caller; 404 otherwise, with Upload-Offset: bytes of
                                  this organization's unfinished upload
    PUT  /api/v1/blobs/{sha256}   one chunk, Content-Range: bytes START-END/TOTAL (or the whole blob with only
                                  Content-Length); 202 more expected, 201 stored, 200 already stored for this org.
                                  Content-Type text/plain or application/gzip: a controller log, else a picture.
                                  429 when a new upload would pass the organization's unfinished-upload caps
    GET  /api/v1/blobs/{sha256}   the bytes, with the media type found at upload and nosniff (logs as attachments)

Chunks are streamed into the blob store as they arrive, so a connection that drops mid-chunk keeps what reached the
server and the client resumes from the offset HEAD reports. Nothing is stored as a blob before the whole upload is
hashed and validated; a refused upload is discarded whole.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Callable
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect

from server.accounts import Caller, utcnow
from server.blobs.catalog import BlobCatalog, StoredBlob
from server.blobs.store import BlobStore, OffsetMismatch
from server.blobs.uploads import UploadCaps, UploadLedger
from server.blobs.validate import SNIFF_BYTES, BlobInfo, declares_log, inspect, inspect_text_log, sniff
from server.errors import (
    ApiError,
    BlobHashMismatch,
    BlobTooLarge,
    BlobUnsupportedType,
    ContentRangeMismatch,
    InvalidBlobName,
    InvalidContentRange,
    NotFoundError,
    StorageQuotaExceeded,
    UploadOffsetMismatch,
)
from server.routes.deps import CallerDep, Protocol, SettingsDep, StoreDep
from server.store import Store

router = APIRouter(prefix="/api/v1/blobs", dependencies=[Protocol])

OFFSET_HEADER = "Upload-Offset"
SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
CONTENT_RANGE = re.compile(r"^bytes (\d{1,15})-(\d{1,15})/(\d{1,15})$")
# Received bytes go to the store in pieces of this size: little lost on a drop, few writes per chunk.
FLUSH_BYTES = 256 * 1024
# Served blobs are images and nothing else: no script runs even if a browser opened one directly.
SERVE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, max-age=31536000, immutable",
}
# Logs are text for people to read or save, never a page: a browser offers to save them instead of showing them.
LOG_FILE_SUFFIX = {"text/plain; charset=utf-8": ".log", "application/gzip": ".log.gz"}


def get_blobs(request: Request) -> BlobStore:
    blobs: BlobStore = request.app.state.blobs
    return blobs


BlobsDep = Annotated[BlobStore, Depends(get_blobs)]


def checked_name(name: str) -> str:
    if not SHA256_HEX.match(name):
        raise InvalidBlobName("a blob is named by the lowercase hex SHA-256 of its bytes")
    return name


def staging_key(caller: Caller, sha256: str) -> str:
    """Uploads are kept apart per organization: one org's half-sent bytes never complete another's upload."""
    return hashlib.sha256(f"{caller.actor.org_id}\n{sha256}".encode()).hexdigest()


def _described(blob: StoredBlob) -> dict[str, Any]:
    return {
        "sha256": blob.sha256,
        "size": blob.size,
        "media_type": blob.media_type,
        "width": blob.width,
        "height": blob.height,
    }


@router.head("/{name}")
async def blob_state(name: str, caller: CallerDep, store: StoreDep, blobs: BlobsDep) -> Response:
    checked_name(name)
    found = await run_in_threadpool(_readable, store, caller, name)
    if found is not None:
        headers = {"Content-Length": str(found.size), "Content-Type": found.media_type, OFFSET_HEADER: str(found.size)}
        return Response(status_code=200, headers=headers)
    staged = await run_in_threadpool(blobs.staged_size, staging_key(caller, name))
    return Response(status_code=404, headers={OFFSET_HEADER: str(staged), "Content-Length": "0"})


@router.get("/{name}")
async def download(name: str, caller: CallerDep, store: StoreDep, blobs: BlobsDep) -> Response:
    checked_name(name)
    found = await run_in_threadpool(_readable, store, caller, name)
    if found is None:
        raise NotFoundError("no such blob that you can see")
    # Streamed from the store in pieces: a server holds no whole blob in memory to serve it.
    pieces = await run_in_threadpool(blobs.stream, found.storage_name)
    headers = {**SERVE_HEADERS, "ETag": f'"{found.sha256}"', "Content-Length": str(found.size)}
    suffix = LOG_FILE_SUFFIX.get(found.media_type)
    if suffix is not None:
        headers["Content-Disposition"] = f'attachment; filename="{found.sha256[:16]}{suffix}"'
    return StreamingResponse(pieces, media_type=found.media_type, headers=headers)


def _readable(store: Store, caller: Caller, name: str) -> StoredBlob | None:
    return BlobCatalog(store.engine).readable(name, org_id=caller.actor.org_id, scope=caller.scope)


def parse_range(content_range: str | None, content_length: str | None) -> tuple[int, int, int]:
    """(start, end inclusive, total) of this request's bytes."""
    if content_range is None:
        if content_length is None or not content_length.isdigit() or int(content_length) < 1:
            raise InvalidContentRange("send Content-Range: bytes START-END/TOTAL, or a whole blob with Content-Length")
        total = int(content_length)
        return 0, total - 1, total
    match = CONTENT_RANGE.match(content_range.strip())
    if match is None:
        raise InvalidContentRange("Content-Range must read: bytes START-END/TOTAL")
    start, end, total = (int(g) for g in match.groups())
    if not start <= end < total:
        raise InvalidContentRange("Content-Range needs START <= END < TOTAL")
    return start, end, total


@router.put("/{name}")
async def upload(
    name: str, request: Request, caller: CallerDep, store: StoreDep, blobs: BlobsDep, settings: SettingsDep
) -> Response:
    checked_name(name)
    start, end, total = parse_range(request.headers.get("content-range"), request.headers.get("content-length"))
    # Each request says what it carries; the last one's word is what the whole upload is checked as.
    log = declares_log(request.headers.get("content-type"))
    limit = settings.blob_log_max_bytes if log else settings.blob_max_bytes
    if total > limit:
        what = "a log" if log else "a blob"
        raise BlobTooLarge(f"{what} may be at most {limit} bytes", details={"max": limit, "size": total})
    check: Callable[[bytes], BlobInfo] = (
        partial(inspect_text_log, max_text_bytes=settings.blob_log_max_text_bytes)
        if log
        else partial(inspect, max_pixels=settings.blob_max_pixels)
    )
    catalog = BlobCatalog(store.engine)
    org_id = caller.actor.org_id
    owned = await run_in_threadpool(catalog.owned, name, org_id)
    if owned is not None:
        return JSONResponse({**_described(owned), "complete": True}, headers={OFFSET_HEADER: str(owned.size)})
    used = await run_in_threadpool(catalog.usage, org_id)
    if used + total > settings.blob_quota_bytes:
        raise StorageQuotaExceeded(
            "your organization's photo storage is full",
            details={"quota": settings.blob_quota_bytes, "used": used, "size": total},
        )
    key = staging_key(caller, name)
    ledger = UploadLedger(store.engine)
    caps = UploadCaps(max_uploads=settings.blob_unfinished_uploads_max, max_bytes=settings.blob_unfinished_bytes_max)
    await run_in_threadpool(
        partial(ledger.reserve, key=key, org_id=org_id, sha256=name, total=total, now=utcnow(), caps=caps)
    )
    try:
        staged = await run_in_threadpool(blobs.staged_size, key)
        if start != 0 and start != staged:
            raise _offset_mismatch(staged)
        offset = await _receive(request, blobs, key, start=start, end=end, image=not log)
        if offset is None:
            return Response(status_code=400)  # the client is gone; nobody reads this answer
        if offset < total:
            return JSONResponse(
                {"sha256": name, "offset": offset, "complete": False},
                status_code=202,
                headers={OFFSET_HEADER: str(offset)},
            )
        if offset > total:
            await run_in_threadpool(blobs.discard, key)
            raise ContentRangeMismatch("more bytes arrived than the declared total; the upload starts over")
        blob = await run_in_threadpool(_finish, catalog, blobs, key, name, org_id, check, settings.blob_quota_bytes)
    except ApiError:
        # A refused upload that left nothing staged is no longer unfinished: it stops counting against the caps.
        if await run_in_threadpool(blobs.staged_size, key) == 0:
            await run_in_threadpool(ledger.release, key)
        raise
    await run_in_threadpool(ledger.release, key)
    return JSONResponse({**_described(blob), "complete": True}, status_code=201, headers={OFFSET_HEADER: str(total)})


def _offset_mismatch(staged: int) -> ApiError:
    return UploadOffsetMismatch(
        f"the server has {staged} bytes of this upload; continue from there", details={"offset": staged}
    )


async def _receive(request: Request, blobs: BlobStore, key: str, *, start: int, end: int, image: bool) -> int | None:
    """Stream the body into the store; the new staged size, or None when the client disconnected. A picture's first
    bytes must be an image signature; a log is checked whole once complete (a gzip one cannot be judged by its head)."""
    expected = end - start + 1
    received = 0
    offset = start
    pending = bytearray()
    first = True
    sniffed = start > 0 or not image

    async def flush() -> None:
        nonlocal offset, first
        if not pending:
            return
        try:
            offset = await run_in_threadpool(blobs.append, key, offset=offset, data=bytes(pending), restart=first)
        except OffsetMismatch as exc:
            raise _offset_mismatch(exc.staged) from None
        first = False
        pending.clear()

    try:
        async for piece in request.stream():
            received += len(piece)
            if received > expected:
                raise ContentRangeMismatch(f"the body is longer than the {expected} bytes of its Content-Range")
            pending.extend(piece)
            if not sniffed and len(pending) >= SNIFF_BYTES:
                _refuse_unless_image(bytes(pending[:SNIFF_BYTES]))
                sniffed = True
            if len(pending) >= FLUSH_BYTES:
                await flush()
    except ClientDisconnect:
        await flush()
        return None
    if not sniffed:
        _refuse_unless_image(bytes(pending))
    await flush()
    if received < expected:
        raise ContentRangeMismatch(
            f"the body has {received} of the {expected} bytes its Content-Range declares", details={"offset": offset}
        )
    return offset


def _refuse_unless_image(head: bytes) -> None:
    # Checked on the first bytes, so an HTML page or an SVG is refused before the rest of it is even received.
    if sniff(head) is None:
        raise BlobUnsupportedType("only JPEG, PNG and WebP images are accepted")


def _finish(
    catalog: BlobCatalog,
    blobs: BlobStore,
    key: str,
    name: str,
    org_id: str,
    check: Callable[[bytes], BlobInfo],
    quota_bytes: int,
) -> StoredBlob:
    data = blobs.read_staged(key)
    try:
        if hashlib.sha256(data).hexdigest() != name:
            raise BlobHashMismatch("the bytes do not hash to the blob's name; the upload was discarded")
        info = check(data)
    except ApiError:
        blobs.discard(key)
        raise
    now = utcnow()
    existing = catalog.stored(name)
    if existing is not None:
        # Another organization stored these bytes already: this upload proved possession, keep one copy.
        blobs.discard(key)
        catalog.add_owner(name, size=existing.size, org_id=org_id, now=now, quota_bytes=quota_bytes)
        return existing
    storage_name = uuid.uuid4().hex
    blobs.commit(key, storage_name, sha256=name)
    blob = StoredBlob(
        sha256=name,
        storage_name=storage_name,
        size=len(data),
        media_type=info.media_type,
        width=info.width,
        height=info.height,
    )
    try:
        kept = catalog.add(blob, org_id=org_id, now=now, quota_bytes=quota_bytes)
    except StorageQuotaExceeded:
        # Another upload of this organization filled the quota while this one was on its way.
        blobs.delete(storage_name)
        raise
    if kept.storage_name != storage_name:
        blobs.delete(storage_name)
    return kept
