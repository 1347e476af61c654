"""Serial numbers as people and scanners type them, turned into the one form the records keep."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sync.domain.errors import InvalidInput
from sync.domain.words import words

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
        raise InvalidInput(words("serial is empty"))
    if len(text) > MAX_SERIAL_LENGTH:
        raise InvalidInput(words("serial is longer than {limit} characters", limit=MAX_SERIAL_LENGTH))
    if not _ALLOWED.match(text):
        raise InvalidInput(words("serial has characters a label never carries: {text}", text=repr(text)))
    return text


# A typed or misread serial is "near" a known one when at most this many single-character edits (a key lost, added
# or mistyped, or two neighbours swapped) turn one into the other; further apart it is more likely a new chassis.
NEAR_EDITS = 2


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, substitute, swap two neighbours) between two serials (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[len(b)]


def nearest_serial(serial: str, known: Iterable[str]) -> str | None:
    """The known serial closest to ``serial`` ("did you mean NBR22600011?"), or None when none is within
    ``NEAR_EDITS`` edits or ``serial`` is itself known. Ties go to the alphabetically first, so the answer is stable."""
    best: tuple[int, str] | None = None
    for candidate in known:
        if abs(len(candidate) - len(serial)) > NEAR_EDITS:
            continue
        distance = edit_distance(serial, candidate)
        if distance == 0:
            return None
        if distance <= NEAR_EDITS and (best is None or (distance, candidate) < best):
            best = (distance, candidate)
    return best[1] if best else None
