"""GS1 element strings: ``(01)09501101530003(21)AB12`` or the raw ``]C1 0109501101530003 21AB12 <GS> 240X``.

Only what labels use is checked strictly: known application identifiers, their lengths and character sets, and the
GTIN check digit. Anything else is a :class:`Gs1Error` with the reason, never a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

GS = "\x1d"
_IDENTIFIERS = ("]C1", "]d2", "]Q3", "]e0", "]J1")  # symbology identifiers that announce GS1 content

# AI -> (min length, max length, numeric only). Lengths are of the data after the AI.
_AIS: dict[str, tuple[int, int, bool]] = {
    "00": (18, 18, True),
    "01": (14, 14, True),
    "02": (14, 14, True),
    "10": (1, 20, False),
    "11": (6, 6, True),
    "12": (6, 6, True),
    "13": (6, 6, True),
    "15": (6, 6, True),
    "16": (6, 6, True),
    "17": (6, 6, True),
    "20": (2, 2, True),
    "21": (1, 20, False),
    "22": (1, 20, False),
    "240": (1, 30, False),
    "241": (1, 30, False),
    "250": (1, 30, False),
    "251": (1, 30, False),
    "30": (1, 8, True),
    "37": (1, 8, True),
    "400": (1, 30, False),
    "403": (1, 30, False),
    "410": (13, 13, True),
    "414": (13, 13, True),
    "420": (1, 20, False),
    "421": (3, 12, False),
    "422": (3, 3, True),
    "7003": (10, 10, True),
    "8004": (1, 30, False),
    "8006": (18, 18, True),
    "90": (1, 30, False),
    "91": (1, 90, False),
    "92": (1, 90, False),
    "93": (1, 90, False),
    "94": (1, 90, False),
    "95": (1, 90, False),
    "96": (1, 90, False),
    "97": (1, 90, False),
    "98": (1, 90, False),
    "99": (1, 90, False),
}
# Fixed-length AIs need no separator after them (GS1 General Specifications, figure 7.8.5-2).
_FIXED_PREFIXES = ("00", "01", "02", "03", "04", "11", "12", "13", "14", "15", "16", "17", "18", "19", "20", "31")
_CSET82 = re.compile(r"^[!\"%&'()*+,\-./0-9:;<=>?A-Z_a-z]+$")
NAMES = {"01": "GTIN", "21": "serial", "240": "additional product id", "10": "batch/lot", "241": "customer part"}


class Gs1Error(ValueError):
    """A GS1 element string that cannot be read as one; the message says where and why."""


@dataclass(frozen=True)
class Gs1Message:
    elements: tuple[tuple[str, str], ...]
    # What is wrong with a message that could still be read (a GTIN with a wrong check digit); empty when strict.
    flaws: tuple[str, ...] = ()

    def get(self, ai: str) -> str | None:
        return next((value for key, value in self.elements if key == ai), None)


def looks_like_gs1(text: str) -> bool:
    """Human-readable form, or raw form announced by a symbology identifier or a leading FNC1 (GS)."""
    return text.startswith(_IDENTIFIERS) or text.startswith(GS) or bool(re.match(r"^\(\d{2,4}\)", text))


def parse(text: str, *, lenient: bool = False) -> Gs1Message:
    """Parse either form; raises :class:`Gs1Error` for anything malformed.

    ``lenient``: a GTIN whose check digit is wrong is a flaw of the message instead of an error. Labels are printed
    with wrong check digits, and the symbol's own checksum says the other elements (the serial) were read right.
    """
    text = text.strip("\r\n")
    if text.startswith("("):
        elements = _parse_hri(text)
    else:
        for ident in _IDENTIFIERS:
            if text.startswith(ident):
                text = text[len(ident) :]
                break
        elements = _parse_raw(text.lstrip(GS))
    if not elements:
        raise Gs1Error("empty GS1 element string")
    flaws = []
    for ai, value in elements:
        _check(ai, value)
        if ai in ("01", "02") and not check_digit_ok(value):
            flaw = f"GTIN {value} has a wrong check digit"
            if not lenient:
                raise Gs1Error(f"malformed GS1: {flaw}")
            flaws.append(flaw)
    return Gs1Message(tuple(elements), tuple(flaws))


def parse_unmarked(text: str) -> Gs1Message | None:
    """GS1 digits printed as plain data, without FNC1 (``01…21…`` in an ordinary Code 128), common on real labels.

    Only a message that starts with a GTIN and carries a serial (AI 21) is taken: that shape is no accident. Without
    FNC1 a variable-length element runs to the end of the text, so the serial is only as sure as the label's layout.
    """
    if not re.match(r"^0[12]\d{14}\S*21", text):
        return None
    try:
        message = parse("]C1" + text, lenient=True)
    except Gs1Error:
        return None
    return message if message.get("21") else None


def _parse_hri(text: str) -> list[tuple[str, str]]:
    parts = re.findall(r"\((\d{2,4})\)([^(]*)", text)
    if "".join(f"({ai}){value}" for ai, value in parts) != text:
        raise Gs1Error("malformed GS1: text outside (AI)value pairs")
    return [(ai, value) for ai, value in parts]


def _parse_raw(text: str) -> list[tuple[str, str]]:
    elements: list[tuple[str, str]] = []
    position = 0
    while position < len(text):
        ai = _ai_at(text, position)
        position += len(ai)
        low, high, _ = _AIS[ai]
        if ai.startswith(_FIXED_PREFIXES):
            value = text[position : position + high]
            position += high
            if position < len(text) and text[position] == GS:
                position += 1  # tolerated: some printers put a separator after fixed-length fields too
        else:
            end = text.find(GS, position)
            end = len(text) if end < 0 else end
            value = text[position:end]
            position = end + 1
        elements.append((ai, value))
    return elements


def _ai_at(text: str, position: int) -> str:
    for length in (2, 3, 4):
        candidate = text[position : position + length]
        if candidate in _AIS:
            return candidate
    shown = text[position : position + 4]
    raise Gs1Error(f"malformed GS1: unknown application identifier at {shown!r}")


def _check(ai: str, value: str) -> None:
    if ai not in _AIS:
        raise Gs1Error(f"malformed GS1: unknown application identifier ({ai})")
    low, high, numeric = _AIS[ai]
    if not low <= len(value) <= high:
        raise Gs1Error(f"malformed GS1: ({ai}) needs {low}-{high} characters, got {len(value)}")
    if numeric and not value.isdigit():
        raise Gs1Error(f"malformed GS1: ({ai}) must be digits, got {value!r}")
    if not numeric and not _CSET82.match(value):
        raise Gs1Error(f"malformed GS1: ({ai}) has characters outside the GS1 set: {value!r}")


def check_digit_ok(digits: str) -> bool:
    """The GS1 mod-10 check digit (GTIN-8/12/13/14, SSCC)."""
    if not digits.isdigit() or len(digits) < 2:
        return False
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check
