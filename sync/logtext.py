"""What counts as a log file (a BMC or RAID controller dump attached as RMA evidence), checked the same way on the
device before it is recorded and on the server before it is stored.

A log is UTF-8 text (ASCII is UTF-8), optionally gzip-compressed. Gzip is unpacked with a cap on the unpacked
size, so a small file that expands to gigabytes (a gzip bomb) is refused after reading at most the cap. Text with a
NUL byte, or that is not valid UTF-8, is binary and refused.

Text alone would let an HTML page, an SVG or a script through, so text that starts like markup (``<`` and a letter,
``<!``, ``<?``, ``</``, after an optional BOM and whitespace), or like a script (``#!``), or that has one of the tags
browsers sniffed as HTML (``<html``, ``<script``, ...) in its first bytes, is refused. Kernel and syslog lines such
as ``<6>[0.000] ...`` start with ``<`` and a digit and stay accepted. Whatever passes is only ever served as
``text/plain; charset=utf-8``, as an attachment, with ``nosniff``: a browser neither renders nor runs it.

    NotALog                 a file refused as a log; ``reason`` says why
        reason MARKUP               starts like HTML/SVG/XML or a script
        reason NOT_TEXT             a NUL byte, or not UTF-8
        reason DAMAGED              gzip that does not unpack (truncated, corrupt, trailing garbage)
        reason UNPACKED_TOO_LARGE   gzip that unpacks to more than the cap
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from enum import StrEnum

from sync.domain.evidence import GZIP_LOG_MEDIA_TYPE as GZIP_MEDIA_TYPE
from sync.domain.evidence import LOG_MEDIA_TYPES as LOG_MEDIA_TYPES
from sync.domain.evidence import TEXT_LOG_MEDIA_TYPE as TEXT_MEDIA_TYPE

GZIP_MAGIC = b"\x1f\x8b"
# The server's default caps (Settings.blob_log_max_bytes, blob_log_max_text_bytes): a device refuses at once what the
# server would refuse after the upload.
LOG_MAX_BYTES = 4 * 1024 * 1024
LOG_MAX_TEXT_BYTES = 32 * 1024 * 1024
UTF8_BOM = b"\xef\xbb\xbf"
# How far into the text the markup check looks: what legacy browsers sniffed for HTML.
MARKUP_WINDOW = 1024
_MARKUP_START = re.compile(r"^(?:<[a-z!?/]|#!)", re.IGNORECASE)
_SNIFFED_TAGS = re.compile(r"<(?:html|head|body|script|iframe|svg|!doctype|\?xml)[\s>/]", re.IGNORECASE)
_UNPACK_STEP = 1024 * 1024
_GZIP_WBITS = 16 + zlib.MAX_WBITS


class LogRefusal(StrEnum):
    MARKUP = "markup"
    NOT_TEXT = "not_text"
    DAMAGED = "damaged"
    UNPACKED_TOO_LARGE = "unpacked_too_large"


class NotALog(Exception):
    def __init__(self, reason: LogRefusal, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True, kw_only=True)
class LogInfo:
    media_type: str  # TEXT_MEDIA_TYPE, or GZIP_MEDIA_TYPE for a compressed log
    text_bytes: int  # the size of the text (unpacked)


def media_type_of(data: bytes) -> str:
    """The media type a log with these bytes is uploaded and served as: gzip by its magic number, else text."""
    return GZIP_MEDIA_TYPE if data.startswith(GZIP_MAGIC) else TEXT_MEDIA_TYPE


def inspect_log(data: bytes, *, max_text_bytes: int) -> LogInfo:
    """Check ``data`` is an acceptable log; raises NotALog saying why not."""
    text = read_log(data, max_text_bytes=max_text_bytes)
    return LogInfo(media_type=media_type_of(data), text_bytes=len(text.encode()))


def read_log(data: bytes, *, max_text_bytes: int) -> str:
    """The text of a log (unpacked when gzip, BOM dropped); raises NotALog when it is not an acceptable log."""
    raw = unpack(data, max_bytes=max_text_bytes) if data.startswith(GZIP_MAGIC) else data
    if b"\x00" in raw:
        raise NotALog(LogRefusal.NOT_TEXT, "a log is text: this file has NUL bytes (a binary file)")
    try:
        text = raw.removeprefix(UTF8_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise NotALog(LogRefusal.NOT_TEXT, f"a log is UTF-8 text: byte {exc.start} is not") from None
    head = text[:MARKUP_WINDOW]
    if _MARKUP_START.match(head.lstrip()) or _SNIFFED_TAGS.search(head):
        raise NotALog(LogRefusal.MARKUP, "a log is plain text: this starts like HTML, SVG, XML or a script")
    return text


def unpack(data: bytes, *, max_bytes: int) -> bytes:
    """Gunzip ``data`` (every member of a multi-member file), refusing more than ``max_bytes`` of output as soon as
    it is produced: memory stays at about the cap, whatever the compression ratio."""
    out = bytearray()
    pending = data
    while pending:
        unpacker = zlib.decompressobj(_GZIP_WBITS)
        try:
            while not unpacker.eof:
                piece = unpacker.decompress(pending, min(_UNPACK_STEP, max_bytes + 1 - len(out)))
                out += piece
                if len(out) > max_bytes:
                    raise NotALog(LogRefusal.UNPACKED_TOO_LARGE, f"the log unpacks to more than {max_bytes} bytes")
                pending = unpacker.unconsumed_tail
                if not pending and not piece:
                    break  # all input read, nothing more comes out: the end is missing
        except zlib.error:
            raise NotALog(LogRefusal.DAMAGED, "the gzip file is corrupt") from None
        if not unpacker.eof:
            raise NotALog(LogRefusal.DAMAGED, "the gzip file is truncated")
        pending = unpacker.unused_data
        if pending and not pending.startswith(GZIP_MAGIC):
            raise NotALog(LogRefusal.DAMAGED, "the gzip file has bytes after its end")
    return bytes(out)
