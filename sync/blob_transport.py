"""The HTTP client of the blob endpoints (docs/blobs.md); httpx errors become sync.errors here, as in transport.py.

Blob transfer is separate from record sync: a photo's record can sync in one small push while its bytes follow, and
a slow upload never holds back the outbox.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from sync.errors import Offline
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION
from sync.transport import DEFAULT_TIMEOUT, _refusal

BLOBS_PATH = "/api/v1/blobs/"
OFFSET_HEADER = "Upload-Offset"
# A picture is uploaded as opaque bytes: the server finds its format from them (docs/blobs.md).
PICTURE_UPLOAD_TYPE = "application/octet-stream"


@dataclass(frozen=True, kw_only=True)
class BlobState:
    """``present``: stored and readable by this device's user. Otherwise ``offset`` bytes of an upload are kept."""

    present: bool
    offset: int
    size: int | None = None


@dataclass(frozen=True, kw_only=True)
class ChunkResult:
    offset: int
    complete: bool


class BlobTransport:
    def __init__(self, base_url: str, *, token: str | None, client: httpx.Client | None = None) -> None:
        self._owned = client is None
        self._client = client or httpx.Client(base_url=base_url, timeout=DEFAULT_TIMEOUT)
        self._base = httpx.URL(base_url)
        self.token = token

    def close(self) -> None:
        if self._owned:
            self._client.close()

    def __enter__(self) -> BlobTransport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _url(self, sha256: str) -> httpx.URL:
        # Keep a path prefix of the server URL (a reverse proxy's /rackside), as httpx's base_url merging does.
        return self._base.copy_with(path=self._base.path.rstrip("/") + BLOBS_PATH + sha256)

    def _headers(self) -> dict[str, str]:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _send(
        self, method: str, sha256: str, *, content: bytes | None = None, extra: dict[str, str] | None = None
    ) -> httpx.Response:
        try:
            response = self._client.request(
                method, self._url(sha256), content=content, headers={**self._headers(), **(extra or {})}
            )
            response.read()
        except httpx.TransportError as exc:
            raise Offline(f"no answer from the server: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise Offline(f"server error {response.status_code}")
        return response

    def state(self, sha256: str) -> BlobState:
        """HEAD: is the blob there, and if not, how much of an upload the server kept."""
        response = self._send("HEAD", sha256)
        offset = _int(response.headers.get(OFFSET_HEADER))
        if response.status_code == 200:
            size = _int(response.headers.get("Content-Length"))
            return BlobState(present=True, offset=size, size=size)
        if response.status_code == 404:
            return BlobState(present=False, offset=offset)
        raise _refusal(response)

    def put_chunk(
        self, sha256: str, chunk: bytes, *, start: int, total: int, media_type: str = PICTURE_UPLOAD_TYPE
    ) -> ChunkResult:
        """Send bytes ``start`` .. ``start + len(chunk) - 1`` of a ``total``-byte blob. ``media_type`` says the kind:
        a log's type (``text/plain; charset=utf-8``, ``application/gzip``), or PICTURE_UPLOAD_TYPE for a picture."""
        end = start + len(chunk) - 1
        extra = {"Content-Range": f"bytes {start}-{end}/{total}", "Content-Type": media_type}
        response = self._send("PUT", sha256, content=chunk, extra=extra)
        if response.status_code >= 400:
            raise _refusal(response)
        body = response.json()
        if body.get("complete"):
            return ChunkResult(offset=total, complete=True)
        return ChunkResult(offset=int(body["offset"]), complete=False)

    def get(self, sha256: str) -> bytes:
        response = self._send("GET", sha256)
        if response.status_code >= 400:
            raise _refusal(response)
        return response.content


def _int(text: str | None) -> int:
    return int(text) if text is not None and text.isdigit() else 0
