"""Why a picture was refused on the device. Each is an ``InvalidInput``, so screens show ``message`` like any other
refusal; ``code`` matches the server's code for the same problem (docs/blobs.md).

    PhotoRejected           code                    meaning
    ├── UnsupportedImage    blob_unsupported_type   not a JPEG, PNG or WebP (HTML, SVG, a PDF, ...)
    ├── DamagedImage        blob_damaged            the file claims a format but cannot be decoded (truncated, ...)
    ├── TooManyPixels       blob_too_many_pixels    width x height above the limit: a decompression bomb or a panorama
    ├── PhotoTooLarge       blob_too_large          more bytes than the limit, before any decoding
    └── LogRejected         (the server's code)     a file picked as a controller log that the server would refuse
                                                    (markup, binary, a gzip bomb, over the log cap: sync/logtext.py)
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


class LogRejected(PhotoRejected):
    """``code`` is the one the server answers for the same file (blob_not_text, blob_unsupported_type, ...)."""

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code
