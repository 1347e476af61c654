"""Which barcode is the serial: table-driven over real label layouts, including the ones that must not be guessed."""

from __future__ import annotations

import pytest

from app.scanning.decoders import NOWHERE, Barcode
from app.scanning.serial import SerialPattern, SerialStatus, choose_from_text, choose_serial

GS = "\x1d"
PATTERNS = (SerialPattern("NB chassis", r"NB\d{9}"), SerialPattern("RX storage", r"RX-\d{4}-[A-Z0-9]{6}"))


def code(text: str, fmt: str = "Code128", *, gs1: bool = False) -> Barcode:
    return Barcode(format=fmt, text=text, position=NOWHERE, gs1=gs1)


CASES = [
    # (label barcodes, patterns, status, serial, reason fragment)
    (
        [code(f"010950110153000321NB123456789{GS}240900-1", "DataMatrix", gs1=True), code("P/N: 900-1")],
        (),
        SerialStatus.FOUND,
        "NB123456789",
        "GS1 AI (21)",
    ),
    (
        [code("S/N: nb123456789"), code("P/N:900-12345"), code("MAC 00:1E:C9:47:D4:9B")],
        (),
        SerialStatus.FOUND,
        "NB123456789",
        "'S/N'",
    ),
    ([code("SERIAL NO: AB-77"), code("MODEL R740")], (), SerialStatus.FOUND, "AB-77", "SERIAL NO"),
    ([code("https://support.example.com/w?model=x&sn=Q1234")], (), SerialStatus.FOUND, "Q1234", "'sn' parameter"),
    ([code("SN:RX-0042-AB12CD\nPN:900-1\nMAC:001EC947D49B", "QRCode")], (), SerialStatus.FOUND, "RX-0042-AB12CD", "SN"),
    ([code(f"[)>\x1e06{GS}SJX42{GS}1P900-1\x1e\x04", "DataMatrix")], (), SerialStatus.FOUND, "JX42", "identifier S"),
    # bare values: only the patterns from the data can tell the serial from the part number
    (
        [code("NB123456789"), code("900-12345-01"), code("001EC947D49B")],
        PATTERNS,
        SerialStatus.FOUND,
        "NB123456789",
        "NB chassis",
    ),
    ([code("NB123456789"), code("900-12345-01")], (), SerialStatus.AMBIGUOUS, None, "ambiguous"),
    (
        [code("NB123456789"), code("001EC947D49B"), code("P/N 900-1")],
        (),
        SerialStatus.PROBABLE,
        "NB123456789",
        "unlabelled",
    ),
    # two different pattern matches, or a labelled serial that disagrees with the pattern match: never a guess
    ([code("NB123456789"), code("NB987654321")], PATTERNS, SerialStatus.AMBIGUOUS, None, "several"),
    ([code("S/N: ZZ123456789"), code("NB123456789")], PATTERNS, SerialStatus.AMBIGUOUS, None, "disagree"),
    ([code("S/N: ZZ123456789")], PATTERNS, SerialStatus.PROBABLE, "ZZ123456789", "none of the known serial patterns"),
    # the same serial in two barcodes (GS1-128 and plain Code 39) is one candidate, not two
    (
        [code("010950110153000321NB123456789", gs1=True), code("NB123456789", "Code39")],
        PATTERNS,
        SerialStatus.FOUND,
        "NB123456789",
        "NB chassis",
    ),
    # nothing that can be a serial
    ([code("001EC947D49B", "Code39")], (), SerialStatus.UNRECOGNISED, None, "MAC address"),
    ([code("4006381333931")], (), SerialStatus.UNRECOGNISED, None, "GTIN"),
    ([code("P/N: 900-1"), code("https://example.com/manual")], (), SerialStatus.UNRECOGNISED, None, "not recognised"),
    ([code("AB\x00CD")], (), SerialStatus.UNRECOGNISED, None, "control characters"),
    ([code("S/N: ab%cd")], (), SerialStatus.UNRECOGNISED, None, "characters a label never carries"),
    ([code(f"]C1{'21'}{'X' * 25}")], (), SerialStatus.UNRECOGNISED, None, "needs 1-20"),
    ([], (), SerialStatus.NO_BARCODE, None, "no barcode"),
]


@pytest.mark.parametrize(("barcodes", "patterns", "status", "serial", "why"), CASES)
def test_serial_choice_names_the_serial_and_the_reason_or_refuses_to_guess(
    barcodes: list[Barcode], patterns: tuple[SerialPattern, ...], status: SerialStatus, serial: str | None, why: str
) -> None:
    choice = choose_serial(barcodes, patterns)
    assert (choice.status, choice.serial) == (status, serial), choice.reason
    assert why in choice.reason
    assert choice.certain == (status is SerialStatus.FOUND)
    if choice.certain:
        assert choice.barcode is not None and choice.barcode in barcodes


def test_an_ambiguous_choice_lists_every_candidate_for_the_user_to_pick() -> None:
    choice = choose_serial([code("NB123456789"), code("NB987654321")], PATTERNS)
    assert set(choice.candidates) == {"NB123456789", "NB987654321"}


@pytest.mark.parametrize(
    ("typed", "patterns", "status", "serial"),
    [
        ("nbr22600001\r", (), SerialStatus.FOUND, "NBR22600001"),  # a hand scanner is aimed at one barcode
        ("S/N: NB123456789", PATTERNS, SerialStatus.FOUND, "NB123456789"),
        ("900-12345-01", PATTERNS, SerialStatus.PROBABLE, "900-12345-01"),  # patterns known, none matches: confirm
        (f"]C10109501101530003{'21'}NB123456789", PATTERNS, SerialStatus.FOUND, "NB123456789"),
        ("   ", (), SerialStatus.UNRECOGNISED, None),
    ],
)
def test_text_from_a_hand_scanner(
    typed: str, patterns: tuple[SerialPattern, ...], status: SerialStatus, serial: str | None
) -> None:
    choice = choose_from_text(typed, patterns)
    assert (choice.status, choice.serial) == (status, serial), choice.reason


SV = (SerialPattern("SV blade", r"SV\d{8}"),)
# Real-world labels: ANSI MH10.8.2 data identifiers outside an ISO/IEC 15434 envelope, 'SN' + serial with no separator,
# too-short reads, and GS1 strings with a wrong check digit or without FNC1.
REAL_WORLD = [
    # (label barcodes, patterns, status, serial, candidates offered, reason fragments)
    # data identifier S in Code 39 beside an unprefixed part number: the catalogue knows the rest
    (
        [code("SNB123456789", "Code39"), code("900-12345-01", "Code39")],
        PATTERNS,
        SerialStatus.FOUND,
        "NB123456789",
        ("NB123456789",),
        ("NB chassis", "data identifier S"),
    ),
    # the label's other barcodes carry data identifiers (1P, Q): the convention decides without any pattern
    (
        [code("SX12345678", "Code39"), code("1P900-12345-01", "Code39"), code("Q1", "Code39")],
        (),
        SerialStatus.FOUND,
        "X12345678",
        ("X12345678",),
        ("data identifier S", "'1P' in Code39"),
    ),
    (
        [code("1SJ7Q4KD2X9A", "Code128"), code("1P900-12345-01", "Code128")],
        (),
        SerialStatus.FOUND,
        "J7Q4KD2X9A",
        ("J7Q4KD2X9A",),
        ("data identifier 1S",),
    ),
    (
        [code("SNB123456789", "DataMatrix"), code("1T2026W07", "DataMatrix")],
        (),
        SerialStatus.FOUND,
        "NB123456789",
        ("NB123456789",),
        ("data identifier S", "'1T'"),
    ),
    # S + serial with nothing else to go on: preferred over the unprefixed value, but the user confirms
    (
        [code("S12345678", "Code39"), code("900-12345-01", "Code39")],
        (),
        SerialStatus.PROBABLE,
        "12345678",
        ("12345678", "S12345678"),
        ("data identifier S", "may be part of the serial", "confirm"),
    ),
    # a serial that really starts with S: the catalogue knows the whole value, whatever the label's convention
    (
        [code("SV12345678", "Code39"), code("1P900-12345-01", "Code39")],
        SV,
        SerialStatus.FOUND,
        "SV12345678",
        ("SV12345678",),
        ("SV blade",),
    ),
    # 'SN' + serial without a separator: the catalogue decides, or the label's 'PN' + part number
    (
        [code("SNNB123456789", "Code39"), code("900-12345-01", "Code39")],
        PATTERNS,
        SerialStatus.FOUND,
        "NB123456789",
        ("NB123456789",),
        ("NB chassis", "'SN' written before the serial"),
    ),
    (
        [code("SNX1234567", "Code128"), code("PN900-12345", "Code128")],
        (),
        SerialStatus.FOUND,
        "X1234567",
        ("X1234567",),
        ("'SN' written before the serial", "SN / PN prefixes", "'PN' in Code128"),
    ),
    # genuinely ambiguous: 'SN…' could be S + 'N…', SN + '…' or the whole; two S-fields; S-field vs a pattern match
    (
        [code("SNX1234567", "Code128"), code("900-12345-01", "Code128")],
        (),
        SerialStatus.AMBIGUOUS,
        None,
        ("X1234567", "SNX1234567", "NX1234567"),
        ("may be part of the serial",),
    ),
    (
        [code("SX12345678", "Code39"), code("SY87654321", "Code39")],
        (),
        SerialStatus.AMBIGUOUS,
        None,
        ("X12345678", "SX12345678", "Y87654321", "SY87654321"),
        ("ambiguous",),
    ),
    (
        [code("SNB123456789", "Code39"), code("NB987654321")],
        PATTERNS,
        SerialStatus.AMBIGUOUS,
        None,
        ("NB123456789", "NB987654321"),
        ("several barcodes match",),
    ),
    # a strong data identifier says what a value is: 1P is a part number, not a serial candidate
    (
        [code("1P900-12345-01", "Code39"), code("X1234567", "Code39")],
        (),
        SerialStatus.PROBABLE,
        "X1234567",
        ("X1234567",),
        ("unlabelled",),
    ),
    # too short to be a serial: never a candidate (a one-character Code 39 "read" in a photo of no barcode)
    ([code("7", "Code39")], (), SerialStatus.UNRECOGNISED, None, (), ("too short",)),
    ([code("AB1", "Code39")], (), SerialStatus.UNRECOGNISED, None, (), ("too short", "at least 4")),
    ([code("S12", "Code39")], (), SerialStatus.UNRECOGNISED, None, (), ("too short",)),
    ([code("S/N: X1234")], PATTERNS, SerialStatus.UNRECOGNISED, None, (), ("too short", "at least 11")),
    (
        [code("7", "Code39"), code("NB123456789")],
        PATTERNS,
        SerialStatus.FOUND,
        "NB123456789",
        ("NB123456789",),
        ("NB chassis",),
    ),
    # GS1 with a wrong GTIN check digit: the serial (AI 21) is offered, the reason said, patterns or not
    (
        [code(f"010950110153000421NB123456789{GS}240900-1", "DataMatrix", gs1=True)],
        (),
        SerialStatus.PROBABLE,
        "NB123456789",
        ("NB123456789",),
        ("GTIN 09501101530004 has a wrong check digit", "confirm"),
    ),
    (
        [code("010950110153000421NB123456789", "Code128", gs1=True)],
        PATTERNS,
        SerialStatus.PROBABLE,
        "NB123456789",
        ("NB123456789",),
        ("wrong check digit", "NB chassis", "confirm"),
    ),
    # GS1 digits without FNC1 in a plain Code 128: the serial parsed from them, not the digit string
    (
        [code("010950110153000321NB123456789", "Code128"), code("900-12345-01", "Code128")],
        (),
        SerialStatus.PROBABLE,
        "NB123456789",
        ("NB123456789",),
        ("without FNC1", "AI 21", "confirm"),
    ),
    (
        [code("010950110153000321NB123456789", "Code128"), code("900-12345-01", "Code128")],
        PATTERNS,
        SerialStatus.FOUND,
        "NB123456789",
        ("NB123456789",),
        ("NB chassis", "without FNC1"),
    ),
    (
        [code("010950110153000421NB123456789", "Code128")],
        PATTERNS,
        SerialStatus.PROBABLE,
        "NB123456789",
        ("NB123456789",),
        ("wrong check digit", "confirm"),
    ),
    # a labelled serial is not contradicted by a value that merely starts with S
    (
        [code("S/N: NB123456789"), code("SX7654321", "Code39")],
        (),
        SerialStatus.FOUND,
        "NB123456789",
        ("NB123456789",),
        ("'S/N'",),
    ),
]


@pytest.mark.parametrize(("barcodes", "patterns", "status", "serial", "candidates", "why"), REAL_WORLD)
def test_data_identifiers_short_reads_and_imperfect_gs1_on_real_labels(
    barcodes: list[Barcode],
    patterns: tuple[SerialPattern, ...],
    status: SerialStatus,
    serial: str | None,
    candidates: tuple[str, ...],
    why: tuple[str, ...],
) -> None:
    choice = choose_serial(barcodes, patterns)
    assert (choice.status, choice.serial) == (status, serial), choice.reason
    assert set(choice.candidates) == set(candidates), choice.reason
    if serial is not None:
        assert choice.candidates[0] == serial  # the proposal comes first
    for fragment in why:
        assert fragment in choice.reason


@pytest.mark.parametrize(
    ("typed", "patterns", "status", "serial"),
    [
        ("SNB123456789", PATTERNS, SerialStatus.FOUND, "NB123456789"),  # data identifier S from a hand scanner
        ("SSD00421234", (), SerialStatus.FOUND, "SSD00421234"),  # aimed at one barcode: taken as meant
        ("SSD00421234", PATTERNS, SerialStatus.PROBABLE, "SSD00421234"),  # no pattern matches either reading
        ("1P900-12345-01", (), SerialStatus.UNRECOGNISED, None),  # a part number
        ("7", (), SerialStatus.UNRECOGNISED, None),
        ("010950110153000321NB123456789", (), SerialStatus.PROBABLE, "NB123456789"),
    ],
)
def test_hand_scanner_text_with_prefixes_and_short_reads(
    typed: str, patterns: tuple[SerialPattern, ...], status: SerialStatus, serial: str | None
) -> None:
    choice = choose_from_text(typed, patterns)
    assert (choice.status, choice.serial) == (status, serial), choice.reason
