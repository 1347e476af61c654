"""Errors the API answers with. Every error body has one shape: {"error": {"code", "message", "details"}}.

    code                    status  meaning
    invalid_json            400     the body is not JSON, or past its limits: 32 levels, 4300-digit ints, UTF-8, no NUL
    invalid_request         422     the body or query does not match the protocol's types
    protocol_unsupported    426     missing or unknown Rackside-Protocol header; the client must update
    batch_too_large         413     more commands in one push than MAX_PUSH_BATCH, or a push body over MAX_PUSH_BYTES
    body_too_large          413     another JSON body over its cap (server/body_limit.py), refused before it is read
    page_too_large          422     limit above MAX_PULL_PAGE
    invalid_cursor          400     the cursor was not made by this server, or is ahead of its newest change
    unauthenticated         401     no bearer token, or an unknown one
    bad_credentials         401     username or password wrong at enrollment
    too_many_attempts       429     too many failed enrollments for this username or address; Retry-After says when
    rate_limited            429     this device pushes or pulls too fast; Retry-After says when (nothing was done)
    device_revoked          401     the device was revoked: wipe local data
    forbidden               403     the caller's role may not do this
    not_found               404     no such thing that the caller can see
    invalid_blob_name       400     a blob name is not a lowercase hex SHA-256 (docs/blobs.md)
    invalid_content_range   400     Content-Range is malformed, or neither it nor Content-Length was sent
    content_range_mismatch  400     the body holds more or fewer bytes than its Content-Range says
    upload_offset_mismatch  409     a chunk does not start where the server's copy ends; details.offset does
    blob_too_large          413     the blob, or one chunk, is over the size cap
    storage_quota_exceeded  413     the organization's photo storage is full (413, not 5xx: retrying cannot help)
    too_many_unfinished_uploads 429 the organization has too many unfinished uploads (count or declared bytes) to
                                    start another; Retry-After says when to try again
    blob_unsupported_type   415     by its bytes not a JPEG, PNG or WebP (HTML, SVG, ...); names and headers never count
    blob_hash_mismatch      422     the bytes' SHA-256 is not the name they were sent under
    blob_damaged            422     the image cannot be decoded (truncated, corrupt), or a gzip log not unpacked
    blob_not_text           422     a log with NUL bytes or not UTF-8 (a binary file)
    blob_unpacked_too_large 413     a gzip log that unpacks to more than the log text cap (a gzip bomb)
    blob_too_many_pixels    422     width x height over the pixel limit: refused before decoding
    method_not_allowed      405     a known path with another method (Allow lists the methods)
    http_error              4xx     any other refusal of the HTTP layer, before a route reads the request
    internal                500     a bug; the body never carries details

Per-command rejections inside a push (status "rejected") use the domain codes of sync/domain/errors.py.
"""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    status_code = 400
    code = "bad_request"

    def __init__(
        self, message: str, *, details: dict[str, Any] | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}
        self.headers = headers or {}


class InvalidJson(ApiError):
    status_code, code = 400, "invalid_json"


class InvalidRequest(ApiError):
    status_code, code = 422, "invalid_request"


class ProtocolUnsupported(ApiError):
    status_code, code = 426, "protocol_unsupported"


class BatchTooLarge(ApiError):
    status_code, code = 413, "batch_too_large"


class BodyTooLarge(ApiError):
    status_code, code = 413, "body_too_large"


class PageTooLarge(ApiError):
    status_code, code = 422, "page_too_large"


class InvalidCursor(ApiError):
    status_code, code = 400, "invalid_cursor"


class Unauthenticated(ApiError):
    status_code, code = 401, "unauthenticated"


class BadCredentials(ApiError):
    status_code, code = 401, "bad_credentials"


class TooManyAttempts(ApiError):
    status_code, code = 429, "too_many_attempts"


class RateLimitedError(ApiError):
    status_code, code = 429, "rate_limited"


class DeviceRevoked(ApiError):
    status_code, code = 401, "device_revoked"


class ForbiddenError(ApiError):
    status_code, code = 403, "forbidden"


class NotFoundError(ApiError):
    status_code, code = 404, "not_found"


class InvalidBlobName(ApiError):
    status_code, code = 400, "invalid_blob_name"


class InvalidContentRange(ApiError):
    status_code, code = 400, "invalid_content_range"


class ContentRangeMismatch(ApiError):
    status_code, code = 400, "content_range_mismatch"


class UploadOffsetMismatch(ApiError):
    status_code, code = 409, "upload_offset_mismatch"


class BlobTooLarge(ApiError):
    status_code, code = 413, "blob_too_large"


class StorageQuotaExceeded(ApiError):
    status_code, code = 413, "storage_quota_exceeded"


class TooManyUnfinishedUploads(ApiError):
    status_code, code = 429, "too_many_unfinished_uploads"


class BlobUnsupportedType(ApiError):
    status_code, code = 415, "blob_unsupported_type"


class BlobHashMismatch(ApiError):
    status_code, code = 422, "blob_hash_mismatch"


class BlobDamaged(ApiError):
    status_code, code = 422, "blob_damaged"


class BlobTooManyPixels(ApiError):
    status_code, code = 422, "blob_too_many_pixels"


class BlobNotText(ApiError):
    status_code, code = 422, "blob_not_text"


class BlobUnpackedTooLarge(ApiError):
    status_code, code = 413, "blob_unpacked_too_large"


def error_body(code: str, message: str, details: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or {}}}
