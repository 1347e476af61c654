"""Blob bytes in an S3-compatible bucket (AWS S3, MinIO, Ceph RGW, ...), through boto3: nothing kept in a process,
so any number of server processes behind a load balancer share uploads in progress and stored blobs.

Layout under ``s3://<bucket>/<prefix>/``:

    staging/<key>/<offset, 16 digits>   one object per piece of an upload in progress (a "segment")
    blobs/<2 hex>/<name>                a stored blob

Why segments and not one multipart upload per resumable upload: S3 parts must be at least 5 MiB (all but the last),
while devices on weak links send 256 KiB chunks and the server keeps whatever part of a chunk arrived. So every
piece the server receives is its own small object, written with ``If-None-Match: *`` (two servers writing the same
offset of one upload: exactly one wins, the other answers OffsetMismatch) and its SHA-256 for S3 to verify. The
upload's offset is where the contiguous run of segments from 0 ends, read with one LIST (strongly consistent in
S3), never a number held in memory. Completing an upload writes the blob once: a single PUT carrying the blob's
SHA-256 (S3 refuses bytes that do not hash to it), or a multipart upload of ``part_size`` parts each with its own
SHA-256 when the blob is larger; then the segments are deleted.
"""

from __future__ import annotations

import base64
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from server.blobs.store import OffsetMismatch, safe_name

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_s3.type_defs import CompletedPartTypeDef

OFFSET_DIGITS = 16
# S3's smallest part but the last; parts of 8 MiB keep a 16 MiB blob to two parts.
MIN_PART_SIZE = 5 * 1024 * 1024
DEFAULT_PART_SIZE = 8 * 1024 * 1024
READ_PIECE = 256 * 1024
# The codes S3 and its imitations answer when a conditional write lost to another writer.
_LOST_RACE = {"PreconditionFailed", "ConditionalRequestConflict", "412", "409"}
_MISSING = {"NoSuchKey", "404", "NotFound"}


@dataclass(frozen=True)
class S3Location:
    bucket: str
    prefix: str


def parse_s3_url(url: str) -> S3Location:
    """``s3://bucket`` or ``s3://bucket/some/prefix`` (no trailing slash needed)."""
    parsed = urlparse(url)
    if parsed.scheme != "s3" or not parsed.netloc or parsed.query or parsed.fragment:
        raise ValueError(f"a blob store URL reads s3://bucket/prefix, not {url!r}")
    return S3Location(bucket=parsed.netloc, prefix=parsed.path.strip("/"))


def client_from_environment(*, retries: int = 3, timeout_seconds: float = 20.0) -> S3Client:
    """An S3 client configured the usual AWS way: AWS_ENDPOINT_URL (for MinIO, Ceph, ...), AWS_ACCESS_KEY_ID,
    AWS_SECRET_ACCESS_KEY, AWS_REGION, or any other source boto3 reads (instance roles, profiles)."""
    config = Config(
        connect_timeout=min(5.0, timeout_seconds),
        read_timeout=timeout_seconds,
        retries={"max_attempts": retries, "mode": "standard"},
        # Path-style requests work with every S3-compatible server; virtual hosts need DNS for each bucket.
        s3={"addressing_style": "path"},
    )
    # boto3 itself reads AWS_DEFAULT_REGION; AWS_REGION is the name the AWS SDKs and containers mostly use now.
    region = os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION") or None
    return boto3.session.Session().client("s3", region_name=region, config=config)


def _b64_sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode("ascii")


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))


@dataclass(frozen=True)
class _Segment:
    key: str
    offset: int
    size: int
    modified: float


class S3BlobStore:
    """The BlobStore interface (server/blobs/store.py) on one bucket and prefix."""

    def __init__(
        self,
        client: S3Client,
        location: S3Location,
        *,
        part_size: int = DEFAULT_PART_SIZE,
        probe: S3Client | None = None,
    ) -> None:
        if part_size < MIN_PART_SIZE:
            raise ValueError(f"S3 parts are at least {MIN_PART_SIZE} bytes")
        self.client = client
        self.bucket = location.bucket
        self.prefix = f"{location.prefix}/" if location.prefix else ""
        self.part_size = part_size
        # Health checks must answer fast: a client without retries and with short timeouts.
        self._probe = probe or client

    @classmethod
    def from_url(cls, url: str) -> S3BlobStore:
        return cls(
            client_from_environment(),
            parse_s3_url(url),
            probe=client_from_environment(retries=1, timeout_seconds=3.0),
        )

    def __repr__(self) -> str:
        return f"S3BlobStore(s3://{self.bucket}/{self.prefix})"

    # -- keys

    def _staging_prefix(self, key: str) -> str:
        return f"{self.prefix}staging/{safe_name(key)}/"

    def _segment_key(self, key: str, offset: int) -> str:
        return f"{self._staging_prefix(key)}{offset:0{OFFSET_DIGITS}d}"

    def blob_key(self, name: str) -> str:
        return f"{self.prefix}blobs/{safe_name(name)[:2]}/{name}"

    # -- listing

    def _list(self, prefix: str) -> Iterator[dict[str, Any]]:
        paginator = self.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                yield dict(item)

    def _segments(self, key: str) -> list[_Segment]:
        """Every segment of the upload ``key``, by offset (zero-padded, so S3's key order is offset order)."""
        found = []
        prefix = self._staging_prefix(key)
        for item in self._list(prefix):
            tail = str(item["Key"])[len(prefix) :]
            if len(tail) == OFFSET_DIGITS and tail.isdigit():
                found.append(_Segment(str(item["Key"]), int(tail), int(item["Size"]), item["LastModified"].timestamp()))
        return sorted(found, key=lambda s: s.offset)

    @staticmethod
    def _contiguous(segments: list[_Segment]) -> list[_Segment]:
        """The run of segments from offset 0 without a gap: the upload's bytes. Anything after a gap is a leftover
        of an upload that was started over, or swept mid-write; it is never counted."""
        run: list[_Segment] = []
        end = 0
        for segment in segments:
            if segment.offset != end or segment.size == 0:
                break
            run.append(segment)
            end += segment.size
        return run

    def _delete_keys(self, keys: list[str]) -> None:
        for start in range(0, len(keys), 1000):  # DeleteObjects takes at most 1000 keys
            batch = [{"Key": k} for k in keys[start : start + 1000]]
            self.client.delete_objects(Bucket=self.bucket, Delete={"Objects": batch, "Quiet": True})  # type: ignore[typeddict-item]

    # -- the BlobStore interface

    def staged_size(self, key: str) -> int:
        return sum(s.size for s in self._contiguous(self._segments(key)))

    def append(self, key: str, *, offset: int, data: bytes, restart: bool = False) -> int:
        if restart and offset == 0:
            self.discard(key)
        staged = self.staged_size(key)
        if staged != offset:
            raise OffsetMismatch(staged)
        if not data:
            return staged
        try:
            self.client.put_object(
                Bucket=self.bucket,
                Key=self._segment_key(key, offset),
                Body=data,
                IfNoneMatch="*",
                ChecksumSHA256=_b64_sha256(data),
            )
        except ClientError as exc:
            if _code(exc) in _LOST_RACE:
                raise OffsetMismatch(self.staged_size(key)) from None
            raise
        return offset + len(data)

    def _staged_pieces(self, key: str) -> Iterator[bytes]:
        for segment in self._contiguous(self._segments(key)):
            yield self.client.get_object(Bucket=self.bucket, Key=segment.key)["Body"].read()

    def read_staged(self, key: str) -> bytes:
        return b"".join(self._staged_pieces(key))

    def discard(self, key: str) -> None:
        self._delete_keys([s.key for s in self._segments(key)])

    def commit(self, key: str, name: str, *, sha256: str | None = None) -> None:
        target = self.blob_key(name)
        segments = self._segments(key)
        total = sum(s.size for s in self._contiguous(segments))
        digest = hashlib.sha256()
        if total <= self.part_size:
            data = self.read_staged(key)
            digest.update(data)
            _check_digest(digest, sha256)
            extra = {"ChecksumSHA256": base64.b64encode(bytes.fromhex(sha256)).decode()} if sha256 else {}
            self.client.put_object(Bucket=self.bucket, Key=target, Body=data, **extra)  # type: ignore[arg-type]
        else:
            self._multipart(key, target, digest, sha256)
        self._delete_keys([s.key for s in segments])

    def _multipart(self, key: str, target: str, digest: Any, sha256: str | None) -> None:
        """Write the staged bytes as parts of ``part_size`` (the last one smaller), each with a SHA-256 S3 checks;
        abort on any failure so no half-written upload lingers (the sweep aborts what a crash leaves)."""
        upload_id = self.client.create_multipart_upload(Bucket=self.bucket, Key=target, ChecksumAlgorithm="SHA256")[
            "UploadId"
        ]
        parts: list[CompletedPartTypeDef] = []
        pending = bytearray()

        def send(data: bytes) -> None:
            checksum = _b64_sha256(data)
            answer = self.client.upload_part(
                Bucket=self.bucket,
                Key=target,
                UploadId=upload_id,
                PartNumber=len(parts) + 1,
                Body=data,
                ChecksumSHA256=checksum,
            )
            parts.append({"PartNumber": len(parts) + 1, "ETag": answer["ETag"], "ChecksumSHA256": checksum})

        try:
            for piece in self._staged_pieces(key):
                digest.update(piece)
                pending.extend(piece)
                while len(pending) >= self.part_size:
                    send(bytes(pending[: self.part_size]))
                    del pending[: self.part_size]
            if pending:
                send(bytes(pending))
            _check_digest(digest, sha256)
            self.client.complete_multipart_upload(
                Bucket=self.bucket, Key=target, UploadId=upload_id, MultipartUpload={"Parts": parts}
            )
        except BaseException:
            self.client.abort_multipart_upload(Bucket=self.bucket, Key=target, UploadId=upload_id)
            raise

    def _get(self, name: str) -> Any:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self.blob_key(name))["Body"]
        except ClientError as exc:
            if _code(exc) in _MISSING:
                raise FileNotFoundError(name) from None
            raise

    def read(self, name: str) -> bytes:
        return bytes(self._get(name).read())

    def stream(self, name: str) -> Iterator[bytes]:
        body = self._get(name)  # raises FileNotFoundError now, before a response has started

        def pieces() -> Iterator[bytes]:
            try:
                yield from body.iter_chunks(READ_PIECE)
            finally:
                body.close()

        return pieces()

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self.blob_key(name))

    def sweep_staging(self, *, older_than_seconds: float) -> int:
        """Drop uploads whose newest segment is older than the limit, and multipart uploads of blobs left by a
        process that died while completing one. Decided from S3's own LastModified times, so any process may
        sweep (the sweeper's database lease makes it one at a time)."""
        limit = time.time() - older_than_seconds
        uploads: dict[str, list[tuple[str, float]]] = {}
        staging = f"{self.prefix}staging/"
        for item in self._list(staging):
            upload = str(item["Key"])[len(staging) :].split("/", 1)[0]
            uploads.setdefault(upload, []).append((str(item["Key"]), item["LastModified"].timestamp()))
        swept = 0
        for items in uploads.values():
            if max(modified for _, modified in items) < limit:
                self._delete_keys([k for k, _ in items])
                swept += 1
        paginator = self.client.get_paginator("list_multipart_uploads")
        for page in paginator.paginate(Bucket=self.bucket, Prefix=f"{self.prefix}blobs/"):
            for leftover in page.get("Uploads", []):
                if leftover["Initiated"].timestamp() < limit:
                    self.client.abort_multipart_upload(
                        Bucket=self.bucket, Key=leftover["Key"], UploadId=leftover["UploadId"]
                    )
        return swept

    def check(self) -> None:
        try:
            self._probe.head_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as exc:
            raise ConnectionError(f"the bucket {self.bucket} cannot be reached: {type(exc).__name__}") from None


def _check_digest(digest: Any, sha256: str | None) -> None:
    # The route checked these bytes already; this catches staging that changed between that check and now.
    if sha256 is not None and digest.hexdigest() != sha256:
        raise ValueError("the staged bytes changed after they were checked")
