"""Which of the barcodes on a label is the serial, and why.

A chassis label carries several barcodes: the serial, a part or model number, MAC addresses, a GTIN, a support URL.
``fields.py`` reads each barcode's fields and gives each a role: a *labelled* serial (GS1 AI 21, ``S/N:``, data
identifier ``S``, ``?sn=`` in a URL), something that is surely not the serial (part number, GTIN, MAC address, another
labelled field), or an *unlabelled* value that could be. A value printed with a prefix and no separator (``S`` +
serial, ``1P`` + part, ``SN`` + serial) is settled here first: a serial pattern that only one reading matches, else the
label's own convention (its other barcodes carry data identifiers too), else it stays a question for the user.
Serial patterns from the data (per organization or SKU family) then decide between candidates.

The outcome is never a silent guess: :attr:`SerialStatus.FOUND` only when the evidence is unambiguous, otherwise
``PROBABLE`` (one plausible candidate, please confirm), ``AMBIGUOUS`` (several) or ``UNRECOGNISED`` (none). A serial
shorter than the shortest known serial pattern (or than a sane minimum) is never a candidate.
"""

from __future__ import annotations

import enum
import re

# The regex's minimum width: how short a serial of the catalogue can be. The parser is private and has no stub;
# the public sre_parse alias warns of its removal on import.
import re._parser as sre_parse  # type: ignore[import-not-found]
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from app.scanning.decoders import NOWHERE, Barcode
from app.scanning.fields import MAC_SHAPE, SANE_MIN_SERIAL, Field, Reading, Role, read_barcode
from app.scanning.identifiers import Convention

__all__ = ["Reading", "Role", "SerialChoice", "SerialPattern", "SerialStatus", "choose_from_text", "choose_serial"]


class SerialStatus(enum.Enum):
    FOUND = "found"  # certain: labelled as the serial, or the one match of a known serial pattern
    PROBABLE = "probable"  # one plausible candidate, but nothing proves it is the serial: ask the user to confirm
    AMBIGUOUS = "ambiguous"  # several different candidates: the user picks
    UNRECOGNISED = "unrecognised"  # barcodes, but none can be the serial
    NO_BARCODE = "no_barcode"


@dataclass(frozen=True)
class SerialPattern:
    """A serial shape from the data, e.g. ``SerialPattern("NB chassis", r"NB\\d{9}")``; matched against the normalised
    serial in full."""

    name: str
    regex: str

    def matches(self, serial: str) -> bool:
        return re.fullmatch(self.regex, serial) is not None

    @property
    def min_length(self) -> int:
        try:
            return int(sre_parse.parse(self.regex).getwidth()[0])
        except (re.error, OverflowError):
            return 0


def shortest_serial(patterns: Sequence[SerialPattern]) -> int:
    """The shortest serial a label can carry: the catalogue's shortest pattern, never under a sane minimum."""
    return max([SANE_MIN_SERIAL, *([min(p.min_length for p in patterns)] if patterns else [])])


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


def choose_serial(barcodes: Sequence[Barcode], patterns: Sequence[SerialPattern] = ()) -> SerialChoice:
    """Pick the serial among the barcodes of one label (or one wedge scan), saying why."""
    if not barcodes:
        return SerialChoice(SerialStatus.NO_BARCODE, None, None, "no barcode found")
    minimum = shortest_serial(patterns)
    fields = [f for barcode in barcodes for f in read_barcode(barcode, minimum)]
    settled = _settle(fields, patterns)
    ctx = _Context(tuple(r for f in settled for r in f), settled)
    return _by_pattern(ctx, patterns) if patterns else _by_labels(ctx)


def choose_from_text(raw: str, patterns: Sequence[SerialPattern] = ()) -> SerialChoice:
    """A hand scanner's (or a person's) text. A hand scanner is aimed at one barcode, so a lone unlabelled value is
    taken as meant, unless serial patterns are known and it matches none of them."""
    barcode = Barcode(format="Keyboard", text=raw, position=NOWHERE, decoder="keyboard")
    choice = choose_serial([barcode], patterns)
    if choice.status is SerialStatus.PROBABLE and not patterns and len(choice.readings) == 1:
        if choice.readings[0].role is Role.UNLABELLED:
            return replace(choice, status=SerialStatus.FOUND, reason="the one value scanned")
    return choice


# -- prefixes printed without a separator ------------------------------------------------------------------------------


def _settle(fields: list[Field], patterns: Sequence[SerialPattern]) -> list[Field]:
    """Each field with several readings down to the ones that stand; a question stays several."""
    return [f if len(f) == 1 else _settle_field(f, patterns, _conventions(fields, f[0].barcode)) for f in fields]


def _conventions(fields: list[Field], barcode: Barcode) -> dict[Convention, str]:
    """The prefix conventions the label's *other* barcodes show beyond doubt (a strong data identifier such as
    ``1P`` or ``Q``, a ``PN`` part number, an ISO/IEC 15434 envelope), each with the evidence."""
    out: dict[Convention, str] = {}
    for f in fields:
        for reading in f:
            other = reading.barcode
            if other is barcode or other.key == barcode.key:
                continue
            if other.text.startswith("[)>\x1e"):
                out.setdefault(Convention.MH10, f"an ISO/IEC 15434 envelope in {other.format}")
            prefix = reading.prefix
            if prefix is not None and (prefix.identifier.strong or prefix.identifier.code == "PN"):
                out.setdefault(prefix.convention, f"{prefix.identifier.code!r} in {other.format} {other.text!r}")
    return out


def _settle_field(options: Field, patterns: Sequence[SerialPattern], conventions: dict[Convention, str]) -> Field:
    whole = options[-1]
    prefixed = [o for o in options if o.prefix is not None]
    candidates = [o for o in options if o.role in (Role.SERIAL, Role.UNLABELLED)]
    hits = [o for o in candidates if _pattern_for(o.value, patterns) is not None]
    if hits:  # the catalogue decides: only a reading it knows can be the serial
        return tuple(replace(o, unsure="") for o in hits)
    for option in prefixed:
        assert option.prefix is not None
        if (evidence := conventions.get(option.prefix.convention)) is not None:
            why = f"{option.why}, as the label uses {option.prefix.convention.value} ({evidence})"
            return (replace(option, why=why, unsure=""),)
    strong = [o for o in prefixed if o.prefix is not None and o.prefix.identifier.strong]
    if strong:
        return (strong[0],)
    serials = [o for o in prefixed if o.role is Role.SERIAL]
    # A hand scanner is aimed at one barcode and has no label around it: its text is taken as meant ("SSD0042" is a
    # serial, not S + "SD0042") unless the catalogue or a convention said otherwise above.
    if not serials or whole.barcode.format == "Keyboard":
        return (whole,)
    return (*serials, whole)


# -- the choice --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    readings: tuple[Reading, ...]
    fields: list[Field]

    @property
    def labelled(self) -> list[Reading]:
        return [r for r in self.readings if r.role is Role.SERIAL]

    @property
    def plausible(self) -> list[Reading]:
        return self.labelled + [r for r in self.readings if r.role is Role.UNLABELLED]

    def alternatives(self, reading: Reading) -> list[str]:
        """The other readings of the field a reading came from (the whole value beside ``S`` + rest)."""
        for f in self.fields:
            if reading in f:
                return _distinct(o for o in f if o.role in (Role.SERIAL, Role.UNLABELLED))
        return [reading.value]


def _doubt(reading: Reading) -> str:
    return reading.flaw or reading.unsure


def _by_labels(ctx: _Context) -> SerialChoice:
    labelled = ctx.labelled
    sure = [r for r in labelled if not _doubt(r)]
    # A labelled serial is not contradicted by a prefix that may be part of a value; a GS1 serial is a serial.
    asks = [r for r in labelled if _doubt(r)]
    against = [r for r in asks if r.prefix is None]
    values = _distinct(sure)
    if len(values) == 1 and set(_distinct(against)) <= set(values):
        return _pick(SerialStatus.FOUND, sure[0], ctx, f"{sure[0].why} in {_where(sure[0])}")
    if values:
        return _ambiguous(_distinct([*sure, *against]), ctx, "several barcodes are labelled as a serial")
    if asks:
        return _ask(asks, ctx, "")
    plausible = ctx.plausible
    unlabelled = _distinct(plausible)
    if len(unlabelled) == 1:
        first = plausible[0]
        return _pick(SerialStatus.PROBABLE, first, ctx, f"the only plausible value, in {_where(first)}; unlabelled")
    if len(unlabelled) > 1:
        return _ambiguous(unlabelled, ctx, "several unlabelled barcodes could be the serial")
    return _unrecognised(ctx)


def _ask(asks: list[Reading], ctx: _Context, tail: str) -> SerialChoice:
    """Labelled serials with a doubt: the first is proposed, the user confirms (with every reading to pick from)."""
    values = _distinct(asks)
    first = asks[0]
    choices = list(dict.fromkeys(v for r in asks for v in [r.value.upper(), *ctx.alternatives(r)]))
    if len(values) == 1:
        reason = f"{_doubt(first)}{tail}; please confirm"
        return _pick(SerialStatus.PROBABLE, first, ctx, reason, tuple(choices))
    return _ambiguous(choices, ctx, f"{_doubt(first)}{tail}")


def _by_pattern(ctx: _Context, patterns: Sequence[SerialPattern]) -> SerialChoice:
    # A bare 12-hex-digit value reads as a MAC address, but an organization whose serials look like that says so in
    # its patterns; then it competes like any other candidate (and a real MAC beside it makes the choice ambiguous).
    hex_like = [r for r in ctx.readings if r.role is Role.MAC and r.why == MAC_SHAPE and r.value.isalnum()]
    matching = [r for r in ctx.plausible + hex_like if _pattern_for(r.value, patterns) is not None]
    values = _distinct(matching)
    # A prefix that may belong to its value does not contradict a pattern match; a labelled serial does.
    labelled = [r for r in ctx.labelled if r.prefix is None or not r.unsure]
    labelled_elsewhere = _distinct(r for r in labelled if r.value.upper() not in values)
    if len(values) == 1 and not labelled_elsewhere:
        chosen = next((r for r in matching if r.role is Role.SERIAL and not r.flaw), matching[0])
        chosen = replace(chosen, value=chosen.value.upper())
        pattern = _pattern_for(chosen.value, patterns)
        assert pattern is not None
        reason = f"matches the {pattern.name} serial pattern; {chosen.why}" + (
            f" ({chosen.unsure})" if chosen.unsure else ""
        )
        if chosen.flaw:  # the label itself is wrong somewhere: never certain
            return _pick(SerialStatus.PROBABLE, chosen, ctx, f"{reason}; please confirm")
        return _pick(SerialStatus.FOUND, chosen, ctx, reason)
    if len(values) == 1:
        why = "a pattern match and a differently labelled serial disagree"
        return _ambiguous(values + labelled_elsewhere, ctx, why)
    if len(values) > 1:
        return _ambiguous(values, ctx, "several barcodes match the serial patterns")
    sure = [r for r in ctx.labelled if not _doubt(r)]
    if len(_distinct(sure)) == 1:
        reason = f"{sure[0].why}, but it matches none of the known serial patterns"
        return _pick(SerialStatus.PROBABLE, sure[0], ctx, reason)
    if len(_distinct(ctx.labelled)) > 1 and sure:
        return _ambiguous(_distinct(ctx.labelled), ctx, "several barcodes are labelled as a serial")
    if ctx.labelled:
        return _ask(ctx.labelled, ctx, ", and it matches none of the known serial patterns")
    loose = _distinct(ctx.plausible)
    if len(loose) == 1:
        reason = "the only plausible value, but it matches none of the known serial patterns"
        return _pick(SerialStatus.PROBABLE, ctx.plausible[0], ctx, reason)
    if loose:
        return _ambiguous(loose, ctx, "no barcode matches the known serial patterns")
    return _unrecognised(ctx)


def _pattern_for(value: str, patterns: Sequence[SerialPattern]) -> SerialPattern | None:
    return next((p for p in patterns if p.matches(value.upper())), None)


def _distinct(readings: Iterable[Reading]) -> list[str]:
    return list(dict.fromkeys(r.value.upper() for r in readings))


def _where(reading: Reading) -> str:
    return f"{reading.barcode.format} {reading.barcode.text!r}"


def _pick(
    status: SerialStatus, reading: Reading, ctx: _Context, reason: str, candidates: tuple[str, ...] = ()
) -> SerialChoice:
    return SerialChoice(status, reading.value, reading.barcode, reason, candidates or (reading.value,), ctx.readings)


def _ambiguous(values: list[str], ctx: _Context, why: str) -> SerialChoice:
    reason = f"ambiguous: {why} ({', '.join(values)})"
    return SerialChoice(SerialStatus.AMBIGUOUS, None, None, reason, tuple(values), ctx.readings)


def _unrecognised(ctx: _Context) -> SerialChoice:
    details = "; ".join(f"{r.barcode.format} {r.value or r.barcode.text!r}: {r.why}" for r in ctx.readings)
    return SerialChoice(SerialStatus.UNRECOGNISED, None, None, f"serial not recognised: {details}", (), ctx.readings)
