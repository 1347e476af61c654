"""Which of the barcodes on a label is the serial, and why.

A chassis label carries several barcodes: the serial, a part or model number, MAC addresses, a GTIN, a support URL.
Each barcode's text is read as fields (a 2D code can hold ``SN:…;PN:…`` or an ISO/IEC 15434 envelope) and every field
gets a role: a *labelled* serial (GS1 AI 21, ``S/N:``, data identifier ``S``, ``?sn=`` in a URL), something that is
surely not the serial (part number, GTIN, MAC address, another labelled field), or an *unlabelled* value that could be.
Serial patterns from the data (per organization or SKU family) then decide between candidates.

The outcome is never a silent guess: :attr:`SerialStatus.FOUND` only when the evidence is unambiguous, otherwise
``PROBABLE`` (one plausible candidate, please confirm), ``AMBIGUOUS`` (several) or ``UNRECOGNISED`` (none).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlsplit

from app.scanning import gs1
from app.scanning.decoders import NOWHERE, Barcode
from sync.domain.errors import InvalidInput
from sync.domain.serials import normalise_serial


class SerialStatus(enum.Enum):
    FOUND = "found"  # certain: labelled as the serial, or the one match of a known serial pattern
    PROBABLE = "probable"  # one plausible candidate, but nothing proves it is the serial: ask the user to confirm
    AMBIGUOUS = "ambiguous"  # several different candidates: the user picks
    UNRECOGNISED = "unrecognised"  # barcodes, but none can be the serial
    NO_BARCODE = "no_barcode"


class Role(enum.Enum):
    SERIAL = "labelled serial"
    UNLABELLED = "unlabelled value"
    PART = "part or model number"
    GTIN = "GTIN"
    MAC = "MAC address"
    OTHER = "other labelled field"
    INVALID = "unreadable"


@dataclass(frozen=True)
class SerialPattern:
    """A serial shape from the data, e.g. ``SerialPattern("NB chassis", r"NB\\d{9}")``; matched against the normalised
    serial in full."""

    name: str
    regex: str

    def matches(self, serial: str) -> bool:
        return re.fullmatch(self.regex, serial) is not None


@dataclass(frozen=True)
class Reading:
    """One field of one barcode and what it was taken for."""

    barcode: Barcode
    role: Role
    value: str  # the normalised serial for SERIAL / UNLABELLED, else the raw field
    why: str


@dataclass(frozen=True)
class SerialChoice:
    status: SerialStatus
    serial: str | None
    barcode: Barcode | None
    reason: str
    candidates: tuple[str, ...] = ()
    readings: tuple[Reading, ...] = field(default=(), repr=False)

    @property
    def certain(self) -> bool:
        return self.status is SerialStatus.FOUND


_SERIAL_LABEL = r"S/N|SN|SER|SERIAL(?:\s*(?:NO|NUMBER|NUM)\.?)?|SVC\s*TAG|SERVICE\s*TAG"
_PART_LABEL = r"P/N|PN|PART(?:\s*(?:NO|NUMBER|NUM)\.?)?|MPN|MODEL(?:\s*(?:NO|NUMBER)\.?)?|SKU|FRU|M/N|MN|REV|1P|30P"
_MAC_LABEL = r"(?:[A-Z0-9]+\s*)?MAC(?:\s*ADDR(?:ESS)?)?|HW\s*ADDR"
# A label needs a separator (':' or '#' or a space) before the value, as the domain's normaliser requires, so a serial
# that merely starts with those letters ("SNAP0042", "PN7") is not cut.
_COLON_LABELLED = re.compile(r"^\s*(?P<label>[A-Z][A-Z0-9 /.]{0,24}?)\s*[:#=]\s*(?P<value>\S.*?)\s*$", re.I)
_SPACE_LABELLED = re.compile(rf"^\s*(?P<label>{_SERIAL_LABEL}|{_PART_LABEL}|{_MAC_LABEL})\s+(?P<value>\S.*?)\s*$", re.I)
_MAC = re.compile(r"^[0-9A-F]{2}([:-]?)[0-9A-F]{2}(?:\1[0-9A-F]{2}){4}$", re.I)
_MAC_SHAPE = "looks like a MAC address"
_URL_SERIAL_KEYS = {"sn", "s/n", "serial", "serialnumber", "serial_number", "servicetag", "svctag", "st"}
_ISO15434 = "[)>\x1e"
_FIELD_SPLIT = re.compile(r"[\r\n\t;|]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def choose_serial(barcodes: Sequence[Barcode], patterns: Sequence[SerialPattern] = ()) -> SerialChoice:
    """Pick the serial among the barcodes of one label (or one wedge scan), saying why."""
    if not barcodes:
        return SerialChoice(SerialStatus.NO_BARCODE, None, None, "no barcode found")
    readings = tuple(r for barcode in barcodes for r in read_fields(barcode))
    labelled = [r for r in readings if r.role is Role.SERIAL]
    plausible = labelled + [r for r in readings if r.role is Role.UNLABELLED]
    if patterns:
        return _by_pattern(readings, labelled, plausible, patterns)
    values = _distinct(labelled)
    if len(values) == 1:
        return _pick(SerialStatus.FOUND, labelled[0], readings, f"{labelled[0].why} in {_where(labelled[0])}")
    if len(values) > 1:
        return _ambiguous(values, readings, "several barcodes are labelled as a serial")
    unlabelled = _distinct(plausible)
    if len(unlabelled) == 1:
        first = plausible[0]
        return _pick(
            SerialStatus.PROBABLE, first, readings, f"the only plausible value, in {_where(first)}; unlabelled"
        )
    if len(unlabelled) > 1:
        return _ambiguous(unlabelled, readings, "several unlabelled barcodes could be the serial")
    return _unrecognised(readings)


def choose_from_text(raw: str, patterns: Sequence[SerialPattern] = ()) -> SerialChoice:
    """A hand scanner's (or a person's) text. A hand scanner is aimed at one barcode, so a lone unlabelled value is
    taken as meant, unless serial patterns are known and it matches none of them."""
    barcode = Barcode(format="Keyboard", text=raw, position=NOWHERE, decoder="keyboard")
    choice = choose_serial([barcode], patterns)
    if choice.status is SerialStatus.PROBABLE and not patterns and len(choice.readings) == 1:
        return replace(choice, status=SerialStatus.FOUND, reason="the one value scanned")
    return choice


def _by_pattern(
    readings: tuple[Reading, ...],
    labelled: list[Reading],
    plausible: list[Reading],
    patterns: Sequence[SerialPattern],
) -> SerialChoice:
    # A bare 12-hex-digit value reads as a MAC address, but an organization whose serials look like that says so in
    # its patterns; then it competes like any other candidate (and a real MAC beside it makes the choice ambiguous).
    hex_like = [r for r in readings if r.role is Role.MAC and r.why == _MAC_SHAPE and r.value.isalnum()]
    matching = [r for r in plausible + hex_like if any(p.matches(r.value.upper()) for p in patterns)]
    values = _distinct(matching)
    labelled_elsewhere = _distinct(r for r in labelled if r.value not in values)
    if len(values) == 1 and not labelled_elsewhere:
        chosen = next((r for r in matching if r.role is Role.SERIAL), matching[0])
        chosen = Reading(chosen.barcode, chosen.role, chosen.value.upper(), chosen.why)
        pattern = next(p for p in patterns if p.matches(chosen.value))
        return _pick(SerialStatus.FOUND, chosen, readings, f"matches the {pattern.name} serial pattern; {chosen.why}")
    if len(values) == 1:
        return _ambiguous(
            values + labelled_elsewhere, readings, "a pattern match and a differently labelled serial disagree"
        )
    if len(values) > 1:
        return _ambiguous(values, readings, "several barcodes match the serial patterns")
    labelled_values = _distinct(labelled)
    if len(labelled_values) == 1:
        reason = f"{labelled[0].why}, but it matches none of the known serial patterns"
        return _pick(SerialStatus.PROBABLE, labelled[0], readings, reason)
    if len(labelled_values) > 1:
        return _ambiguous(labelled_values, readings, "several barcodes are labelled as a serial")
    loose = _distinct(plausible)
    if len(loose) == 1:
        reason = "the only plausible value, but it matches none of the known serial patterns"
        return _pick(SerialStatus.PROBABLE, plausible[0], readings, reason)
    if loose:
        return _ambiguous(loose, readings, "no barcode matches the known serial patterns")
    return _unrecognised(readings)


def read_fields(barcode: Barcode) -> list[Reading]:
    """Every field of one barcode with its role."""
    text = barcode.text.strip("\r\n ")
    if not text:
        return [Reading(barcode, Role.INVALID, "", "empty barcode")]
    if text.startswith(_ISO15434):
        return _read_iso15434(barcode, text)
    if barcode.gs1 or gs1.looks_like_gs1(text) or (gs1.GS in text and text[:2].isdigit()):
        return _read_gs1(barcode, text)
    if re.match(r"^https?://", text, re.I):
        return [_read_url(barcode, text)]
    fields = [f for f in _FIELD_SPLIT.split(text) if f.strip()]
    return [_read_field(barcode, f) for f in fields] if fields else [Reading(barcode, Role.INVALID, "", "empty")]


def _read_gs1(barcode: Barcode, text: str) -> list[Reading]:
    try:
        message = gs1.parse(text)
    except gs1.Gs1Error as err:
        return [Reading(barcode, Role.INVALID, text, str(err))]
    out = []
    for ai, value in message.elements:
        if ai == "21":
            out.append(_serial(barcode, value, "GS1 AI (21) serial"))
        elif ai in ("01", "02"):
            out.append(Reading(barcode, Role.GTIN, value, f"GS1 AI ({ai}) GTIN"))
        elif ai in ("240", "241"):
            out.append(Reading(barcode, Role.PART, value, f"GS1 AI ({ai}) product id"))
        else:
            out.append(Reading(barcode, Role.OTHER, value, f"GS1 AI ({ai})"))
    return out


def _read_iso15434(barcode: Barcode, text: str) -> list[Reading]:
    """ISO/IEC 15434 envelope ``[)>RS06 GS S<serial> GS 1P<part> RS EOT``: ANSI MH10.8.2 data identifiers."""
    out = []
    for record in text[len(_ISO15434) :].split("\x1e"):
        head, *fields = record.rstrip("\x04").split(gs1.GS)
        if head == "05":
            out += _read_gs1(barcode, "]d2" + gs1.GS.join(fields))
            continue
        for item in fields if head == "06" else []:
            if re.match(r"^S[^\x00-\x1f]", item):
                out.append(_serial(barcode, item[1:], "data identifier S (serial)"))
            elif re.match(r"^\d*P", item):
                out.append(Reading(barcode, Role.PART, item, "data identifier P (part)"))
            elif item:
                out.append(Reading(barcode, Role.OTHER, item, "another data identifier"))
    return out or [Reading(barcode, Role.INVALID, text, "ISO/IEC 15434 envelope without fields")]


def _read_url(barcode: Barcode, text: str) -> Reading:
    try:
        query = parse_qsl(urlsplit(text).query)
    except ValueError:
        query = []
    for key, value in query:
        if key.lower() in _URL_SERIAL_KEYS and value:
            return _serial(barcode, value, f"the {key!r} parameter of a URL")
    return Reading(barcode, Role.OTHER, text, "a URL without a serial parameter")


def _read_field(barcode: Barcode, text: str) -> Reading:
    if _CONTROL.search(text):
        return Reading(barcode, Role.INVALID, text, f"serial not recognised: control characters in {text!r}")
    compact = text.strip()
    if _MAC.match(compact) and (not compact.isdigit() or any(c in compact for c in ":-")):
        return Reading(barcode, Role.MAC, compact, _MAC_SHAPE)
    labelled = _COLON_LABELLED.match(text) or _SPACE_LABELLED.match(text)
    if labelled:
        label, value = re.sub(r"\s+", " ", labelled["label"].strip().upper()), labelled["value"]
        if re.fullmatch(_SERIAL_LABEL, label, re.I):
            return _serial(barcode, value, f"labelled {label!r}")
        if re.fullmatch(_MAC_LABEL, label, re.I):
            return Reading(barcode, Role.MAC, value, f"labelled {label!r}")
        if re.fullmatch(_PART_LABEL, label, re.I):
            return Reading(barcode, Role.PART, value, f"labelled {label!r}")
        return Reading(barcode, Role.OTHER, value, f"labelled {label!r}")
    if compact.isdigit() and len(compact) in (8, 12, 13, 14) and gs1.check_digit_ok(compact):
        return Reading(barcode, Role.GTIN, compact, "looks like a GTIN / EAN (valid check digit)")
    return _unlabelled(barcode, compact)


def _serial(barcode: Barcode, raw: str, why: str) -> Reading:
    try:
        return Reading(barcode, Role.SERIAL, normalise_serial(raw), why)
    except InvalidInput as err:
        return Reading(barcode, Role.INVALID, raw, f"serial not recognised: {err.message}")


def _unlabelled(barcode: Barcode, raw: str) -> Reading:
    try:
        return Reading(barcode, Role.UNLABELLED, normalise_serial(raw), "unlabelled")
    except InvalidInput as err:
        return Reading(barcode, Role.INVALID, raw, f"serial not recognised: {err.message}")


def _distinct(readings: Iterable[Reading]) -> list[str]:
    return list(dict.fromkeys(r.value.upper() for r in readings))


def _where(reading: Reading) -> str:
    return f"{reading.barcode.format} {reading.barcode.text!r}"


def _pick(status: SerialStatus, reading: Reading, readings: tuple[Reading, ...], reason: str) -> SerialChoice:
    return SerialChoice(status, reading.value, reading.barcode, reason, (reading.value,), readings)


def _ambiguous(values: list[str], readings: tuple[Reading, ...], why: str) -> SerialChoice:
    reason = f"ambiguous: {why} ({', '.join(values)})"
    return SerialChoice(SerialStatus.AMBIGUOUS, None, None, reason, tuple(values), readings)


def _unrecognised(readings: tuple[Reading, ...]) -> SerialChoice:
    details = "; ".join(f"{r.barcode.format} {r.value or r.barcode.text!r}: {r.why}" for r in readings)
    return SerialChoice(SerialStatus.UNRECOGNISED, None, None, f"serial not recognised: {details}", (), readings)
