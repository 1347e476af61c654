"""What each field of a barcode is: a labelled serial, a part number, a GTIN, a MAC address, or an unlabelled value.

A barcode's text is split into fields (a 2D code can hold ``SN:…;PN:…`` or an ISO/IEC 15434 envelope). Each field
comes back as its *options*: usually one reading, but a value with a prefix and no separator (``S`` + serial,
``1P`` + part, ``SN`` + serial) has two or three, since the letters may also belong to the value; the serial choice
settles those (``serial.py``). A value shorter than a serial can be is never a candidate.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from urllib.parse import parse_qsl, urlsplit

from app.scanning import gs1
from app.scanning.decoders import Barcode
from app.scanning.gs1 import Gs1Message
from app.scanning.identifiers import Kind, Prefixed, prefix_readings
from sync.domain.errors import InvalidInput
from sync.domain.serials import normalise_serial

# No real serial is shorter; a 1-3 character read is a decoder's fragment (a Code 39 guess in a photo of no barcode).
SANE_MIN_SERIAL = 4


class Role(enum.Enum):
    SERIAL = "labelled serial"
    UNLABELLED = "unlabelled value"
    PART = "part or model number"
    GTIN = "GTIN"
    MAC = "MAC address"
    OTHER = "other labelled field"
    INVALID = "unreadable"


@dataclass(frozen=True)
class Reading:
    """One reading of one field of one barcode, and what it was taken for."""

    barcode: Barcode
    role: Role
    value: str  # the normalised serial for SERIAL / UNLABELLED, else the raw field
    why: str
    prefix: Prefixed | None = None  # read through a prefix printed with no separator (S…, 1P…, SN…)
    unsure: str = ""  # why it may not be the serial after all: a serial pattern or the label's convention settles it
    flaw: str = ""  # what is wrong with the label itself: the user confirms, whatever the patterns say


Field = tuple[Reading, ...]  # the readings of one field, alternatives of one another (prefixed ones first)

_SERIAL_LABEL = r"S/N|SN|SER|SERIAL(?:\s*(?:NO|NUMBER|NUM)\.?)?|SVC\s*TAG|SERVICE\s*TAG"
_PART_LABEL = r"P/N|PN|PART(?:\s*(?:NO|NUMBER|NUM)\.?)?|MPN|MODEL(?:\s*(?:NO|NUMBER)\.?)?|SKU|FRU|M/N|MN|REV|1P|30P"
_MAC_LABEL = r"(?:[A-Z0-9]+\s*)?MAC(?:\s*ADDR(?:ESS)?)?|HW\s*ADDR"
# A label with a separator (':' or '#' or a space) before the value, as the domain's normaliser requires; a value that
# merely starts with those letters ("SNAP0042", "PN7") is a prefix question, settled by the choice.
_COLON_LABELLED = re.compile(r"^\s*(?P<label>[A-Z][A-Z0-9 /.]{0,24}?)\s*[:#=]\s*(?P<value>\S.*?)\s*$", re.I)
_SPACE_LABELLED = re.compile(rf"^\s*(?P<label>{_SERIAL_LABEL}|{_PART_LABEL}|{_MAC_LABEL})\s+(?P<value>\S.*?)\s*$", re.I)
_MAC = re.compile(r"^[0-9A-F]{2}([:-]?)[0-9A-F]{2}(?:\1[0-9A-F]{2}){4}$", re.I)
MAC_SHAPE = "looks like a MAC address"
_URL_SERIAL_KEYS = {"sn", "s/n", "serial", "serialnumber", "serial_number", "servicetag", "svctag", "st"}
_ISO15434 = "[)>\x1e"
_FIELD_SPLIT = re.compile(r"[\r\n\t;|]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Where prefixes without a separator are read: the linear and matrix codes labels print data identifiers in, and a
# hand scanner's text (it reads the same Code 39). A QR code carries words, URLs and key/value lines instead.
_PREFIX_FORMATS = frozenset({"Code39", "Code128", "DataMatrix", "Keyboard"})
_ROLE_OF_KIND = {Kind.SERIAL: Role.SERIAL, Kind.PART: Role.PART, Kind.QUANTITY: Role.OTHER, Kind.LOT: Role.OTHER}


def read_barcode(barcode: Barcode, min_length: int = SANE_MIN_SERIAL) -> list[Field]:
    """Every field of one barcode with its readings; a serial shorter than ``min_length`` is never a candidate."""
    reader = _Reader(barcode, max(min_length, 1))
    text = barcode.text.strip("\r\n ")
    if not text:
        return [(reader.invalid("", "empty barcode"),)]
    if text.startswith(_ISO15434):
        return [(r,) for r in reader.iso15434(text)]
    if barcode.gs1 or gs1.looks_like_gs1(text) or (gs1.GS in text and text[:2].isdigit()):
        return [(r,) for r in reader.gs1(text)]
    if re.match(r"^https?://", text, re.I):
        return [(reader.url(text),)]
    if (unmarked := gs1.parse_unmarked(text)) is not None:
        why = f"GS1 digits printed without FNC1 in a plain {barcode.format}: the serial (AI 21) was parsed from them"
        return [(r,) for r in reader.gs1_elements(unmarked, unsure=why)]
    fields = [f for f in _FIELD_SPLIT.split(text) if f.strip()]
    return [reader.field(f) for f in fields] if fields else [(reader.invalid("", "empty"),)]


@dataclass(frozen=True)
class _Reader:
    barcode: Barcode
    min_length: int

    def gs1(self, text: str) -> list[Reading]:
        try:
            message = gs1.parse(text, lenient=True)
        except gs1.Gs1Error as err:
            return [self.invalid(text, str(err))]
        return self.gs1_elements(message)

    def gs1_elements(self, message: Gs1Message, *, unsure: str = "") -> list[Reading]:
        flaw = "; ".join(message.flaws)
        out = []
        for ai, value in message.elements:
            if ai == "21":
                why = "GS1 AI (21) serial" + (f", though the {flaw}" if flaw else "")
                out.append(replace(self.serial(value, why), unsure=unsure, flaw=flaw))
            elif ai in ("01", "02"):
                out.append(Reading(self.barcode, Role.GTIN, value, f"GS1 AI ({ai}) GTIN"))
            elif ai in ("240", "241"):
                out.append(Reading(self.barcode, Role.PART, value, f"GS1 AI ({ai}) product id"))
            else:
                out.append(Reading(self.barcode, Role.OTHER, value, f"GS1 AI ({ai})"))
        return out

    def iso15434(self, text: str) -> list[Reading]:
        """ISO/IEC 15434 envelope ``[)>RS06 GS S<serial> GS 1P<part> RS EOT``: ANSI MH10.8.2 data identifiers."""
        out = []
        for record in text[len(_ISO15434) :].split("\x1e"):
            head, *fields = record.rstrip("\x04").split(gs1.GS)
            if head == "05":
                out += self.gs1("]d2" + gs1.GS.join(fields))
                continue
            for item in fields if head == "06" else []:
                if re.match(r"^S[^\x00-\x1f]", item):
                    out.append(self.serial(item[1:], "data identifier S (serial)"))
                elif re.match(r"^\d*P", item):
                    out.append(Reading(self.barcode, Role.PART, item, "data identifier P (part)"))
                elif item:
                    out.append(Reading(self.barcode, Role.OTHER, item, "another data identifier"))
        return out or [self.invalid(text, "ISO/IEC 15434 envelope without fields")]

    def url(self, text: str) -> Reading:
        try:
            query = parse_qsl(urlsplit(text).query)
        except ValueError:
            query = []
        for key, value in query:
            if key.lower() in _URL_SERIAL_KEYS and value:
                return self.serial(value, f"the {key!r} parameter of a URL")
        return Reading(self.barcode, Role.OTHER, text, "a URL without a serial parameter")

    def field(self, text: str) -> Field:
        if _CONTROL.search(text):
            return (self.invalid(text, f"serial not recognised: control characters in {text!r}"),)
        compact = text.strip()
        if _MAC.match(compact) and (not compact.isdigit() or any(c in compact for c in ":-")):
            return (Reading(self.barcode, Role.MAC, compact, MAC_SHAPE),)
        labelled = _COLON_LABELLED.match(text) or _SPACE_LABELLED.match(text)
        if labelled:
            return (self.labelled(re.sub(r"\s+", " ", labelled["label"].strip().upper()), labelled["value"]),)
        if compact.isdigit() and len(compact) in (8, 12, 13, 14) and gs1.check_digit_ok(compact):
            return (Reading(self.barcode, Role.GTIN, compact, "looks like a GTIN / EAN (valid check digit)"),)
        whole = self.serial(compact, "unlabelled", role=Role.UNLABELLED)
        if self.barcode.format not in _PREFIX_FORMATS:
            return (whole,)
        return (*self.prefixed(compact), whole)

    def labelled(self, label: str, value: str) -> Reading:
        if re.fullmatch(_SERIAL_LABEL, label, re.I):
            return self.serial(value, f"labelled {label!r}")
        if re.fullmatch(_MAC_LABEL, label, re.I):
            return Reading(self.barcode, Role.MAC, value, f"labelled {label!r}")
        if re.fullmatch(_PART_LABEL, label, re.I):
            return Reading(self.barcode, Role.PART, value, f"labelled {label!r}")
        return Reading(self.barcode, Role.OTHER, value, f"labelled {label!r}")

    def prefixed(self, text: str) -> list[Reading]:
        """The value read through each prefix it could carry, when the rest is plausible for that prefix."""
        out = []
        for reading in prefix_readings(text):
            role = _ROLE_OF_KIND[reading.identifier.kind]
            where = f"{reading.label} in {self.barcode.format} {self.barcode.text!r}"
            if role is Role.SERIAL:
                serial = self.serial(reading.rest, reading.label)
                if serial.role is Role.SERIAL:
                    unsure = f"{where}, though {reading.identifier.code!r} may be part of the serial"
                    out.append(replace(serial, prefix=reading, unsure=unsure))
            else:
                out.append(Reading(self.barcode, role, reading.rest, reading.label, prefix=reading))
        return out

    def serial(self, raw: str, why: str, role: Role = Role.SERIAL) -> Reading:
        try:
            value = normalise_serial(raw)
        except InvalidInput as err:
            return self.invalid(raw, f"serial not recognised: {err.message}")
        if len(value) < self.min_length:
            return self.invalid(raw, f"too short for a serial ({len(value)} characters, at least {self.min_length})")
        return Reading(self.barcode, role, value, why)

    def invalid(self, raw: str, why: str) -> Reading:
        return Reading(self.barcode, Role.INVALID, raw, why)
