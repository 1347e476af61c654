"""Why a picture was refused on the device. Each is an ``InvalidInput``, so screens show ``message`` like any other
refusal; ``code`` matches the server's code for the same problem (docs/blobs.md).

    PhotoRejected           code                    meaning
    ├── UnsupportedImage    blob_unsupported_type   not a JPEG, PNG or WebP (HTML, SVG, a PDF, ...)
    ├── DamagedImage        blob_damaged            the file claims a format but cannot be decoded (truncated, ...)
    ├── TooManyPixels       blob_too_many_pixels    width x height above the limit: a decompression bomb or a panorama
    └── PhotoTooLarge       blob_too_large          more bytes than the limit, before any decoding
"""

from __future__ import annotations

from sync.domain.errors import InvalidInput


class PhotoRejected(InvalidInput):
    code = "photo_rejected"


class UnsupportedImage(PhotoRejected):
    code = "blob_unsupported_type"


class DamagedImage(PhotoRejected):
    code = "blob_damaged"


class TooManyPixels(PhotoRejected):
    code = "blob_too_many_pixels"


class PhotoTooLarge(PhotoRejected):
    code = "blob_too_large"
