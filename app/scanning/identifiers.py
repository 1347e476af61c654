"""Prefixes that may say what a barcode's value is, when nothing separates them from it.

ANSI MH10.8.2 data identifiers (``S`` + serial, ``1P`` + part number, ``Q`` + quantity …) are printed straight in front
of the value, in Code 39, Code 128 or DataMatrix, with or without an ISO/IEC 15434 envelope; some labels write ``SN`` +
serial and ``PN`` + part number the same way. A serial can itself start with those letters ("SX1234567"), so a prefix
is only ever one reading of the value: :func:`prefix_readings` lists the readings, and the serial choice decides
between them with the serial patterns and the label's own convention (see ``fields.py`` and ``serial.py``).
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class Kind(enum.Enum):
    SERIAL = "serial"
    PART = "part"
    QUANTITY = "quantity"
    LOT = "lot"


class Convention(enum.Enum):
    MH10 = "ANSI MH10.8.2 data identifiers"
    SN_PN = "SN / PN prefixes"


@dataclass(frozen=True)
class Identifier:
    code: str
    kind: Kind
    meaning: str
    # Strong: a bare value rarely starts like this ("1P…", "Q12"), so the prefix alone says what the value is, and the
    # label is taken to follow the convention. Weak ("S", "P", "SN"): a serial may start with these letters.
    strong: bool


# The data identifiers chassis, FRU and box labels carry (ANSI MH10.8.2 / ISO/IEC 15418).
IDENTIFIERS = {
    i.code: i
    for i in (
        Identifier("S", Kind.SERIAL, "serial number assigned by the supplier", strong=False),
        Identifier("1S", Kind.SERIAL, "additional serial number assigned by the supplier", strong=False),
        Identifier("P", Kind.PART, "part number assigned by the customer", strong=False),
        Identifier("1P", Kind.PART, "part number assigned by the supplier", strong=True),
        Identifier("2P", Kind.PART, "revision level of the part", strong=True),
        Identifier("Q", Kind.QUANTITY, "quantity", strong=True),
        Identifier("1T", Kind.LOT, "lot or batch number assigned by the supplier", strong=True),
    )
}
SN = Identifier("SN", Kind.SERIAL, "'SN' written before the serial", strong=False)
PN = Identifier("PN", Kind.PART, "'PN' written before the part number", strong=False)
_DI = re.compile(r"^(?P<code>\d{0,2}[A-Z])(?P<rest>[A-Z0-9].*)$")
_SN_PN = re.compile(r"^(?P<code>SN|PN)(?P<rest>[A-Z0-9].*)$")


@dataclass(frozen=True)
class Prefixed:
    """One reading of a value as prefix + rest."""

    identifier: Identifier
    convention: Convention
    rest: str

    @property
    def label(self) -> str:
        if self.convention is Convention.MH10:
            return f"data identifier {self.identifier.code} ({self.identifier.meaning})"
        return self.identifier.meaning


def prefix_readings(text: str) -> list[Prefixed]:
    """Every way ``text`` reads as a known prefix and a non-empty rest, most specific first (``SN`` before ``S``).

    A quantity must be digits; other rests are checked by the caller (a serial's rest must be a plausible serial).
    """
    out = []
    if match := _SN_PN.match(text):
        out.append(Prefixed(SN if match["code"] == "SN" else PN, Convention.SN_PN, match["rest"]))
    if (match := _DI.match(text)) and (identifier := IDENTIFIERS.get(match["code"])):
        rest = match["rest"]
        if identifier.kind is not Kind.QUANTITY or (rest.isdigit() and len(rest) <= 9):
            out.append(Prefixed(identifier, Convention.MH10, rest))
    return out
