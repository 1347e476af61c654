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
    ([code("S/N: ZZ1"), code("NB123456789")], PATTERNS, SerialStatus.AMBIGUOUS, None, "disagree"),
    ([code("S/N: ZZ1")], PATTERNS, SerialStatus.PROBABLE, "ZZ1", "none of the known serial patterns"),
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
    ([code("010950110153000421AB", "DataMatrix", gs1=True)], (), SerialStatus.UNRECOGNISED, None, "check digit"),
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
