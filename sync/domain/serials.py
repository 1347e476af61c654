"""Serial numbers as people and scanners type them, turned into the one form the records keep."""

from __future__ import annotations

import re

from sync.domain.errors import InvalidInput

# Label prefixes printed in front of serials. "S/N" is unmistakable; a bare "SN" or "SERIAL" only counts as a prefix
# when a separator follows, so a serial that merely starts with those letters ("SNAP0042") keeps them.
_LABEL_PREFIX = re.compile(
    r"^(?:S/N\s*[:#.]?|(?:SERIAL(?:\s*(?:NO|NUMBER)\.?)?|SER|SN)(?:\s*[:#.]\s*|\s+))\s*", re.IGNORECASE
)
_ALLOWED = re.compile(r"^[A-Z0-9][A-Z0-9\-_./]*$")
MAX_SERIAL_LENGTH = 64


def normalise_serial(raw: str) -> str:
    """Trim, drop a label prefix (``S/N:``, ``SN``, ``Serial No.``), upper-case; reject what cannot be a serial.

    A prefix is only stripped when something is left after it. Control characters (a scanner's GS or CR) go first.
    """
    text = _normalise_once(raw)
    # What is left can start with a prefix again ("S/N S/N1" -> "S/N1", "SE R.1" -> "SER.1"); settle it now, or the
    # stored serial would not find itself when typed in again. Each further pass only strips, so this ends.
    while (again := _normalise_once(text)) != text:
        text = again
    return text


def _normalise_once(raw: str) -> str:
    text = "".join(ch for ch in raw if ch.isprintable()).strip()
    stripped = _LABEL_PREFIX.sub("", text, count=1)
    if stripped:
        text = stripped
    text = re.sub(r"\s+", "", text).upper()
    if not text:
        raise InvalidInput("serial is empty")
    if len(text) > MAX_SERIAL_LENGTH:
        raise InvalidInput(f"serial is longer than {MAX_SERIAL_LENGTH} characters")
    if not _ALLOWED.match(text):
        raise InvalidInput(f"serial has characters a label never carries: {text!r}")
    return text
