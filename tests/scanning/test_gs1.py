"""GS1 element strings in both spellings; malformed ones are refused with a reason."""

from __future__ import annotations

import pytest

from app.scanning import gs1

GS = "\x1d"


@pytest.mark.parametrize(
    ("text", "elements"),
    [
        ("(01)09501101530003(21)AB12(240)X-1", [("01", "09501101530003"), ("21", "AB12"), ("240", "X-1")]),
        (f"]d2010950110153000321AB12{GS}240X-1", [("01", "09501101530003"), ("21", "AB12"), ("240", "X-1")]),
        (f"{GS}010950110153000310LOT7{GS}21S/1", [("01", "09501101530003"), ("10", "LOT7"), ("21", "S/1")]),
        # a separator after a fixed-length field is tolerated; a trailing CR from a scanner is not data
        (f"]C10109501101530003{GS}21X\r\n", [("01", "09501101530003"), ("21", "X")]),
        ("(00)106141412345678908", [("00", "106141412345678908")]),
    ],
)
def test_parse_reads_every_element(text: str, elements: list[tuple[str, str]]) -> None:
    message = gs1.parse(text)
    assert list(message.elements) == elements
    assert message.get("21") == dict(elements).get("21")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("(01)09501101530004", "check digit"),
        ("(01)0950110153000", "needs 14-14"),
        ("(21)", "needs 1-20"),
        ("(21)" + "A" * 21, "needs 1-20"),
        ("(21)AB CD", "outside the GS1 set"),
        ("(11)ABCDEF", "must be digits"),
        ("(99", "text outside"),
        ("xx(21)A", "unknown application identifier"),
        ("]C1", "empty"),
        ("]C1" + "05123", "unknown application identifier"),
        ("(0)1", "text outside"),
    ],
)
def test_malformed_gs1_is_refused_with_the_reason(text: str, why: str) -> None:
    with pytest.raises(gs1.Gs1Error, match=why):
        gs1.parse(text)


def test_check_digit() -> None:
    assert gs1.check_digit_ok("09501101530003")
    assert gs1.check_digit_ok("4006381333931")
    assert not gs1.check_digit_ok("4006381333932")
    assert not gs1.check_digit_ok("x")


def test_a_wrong_gtin_check_digit_is_a_flaw_when_lenient_and_the_other_elements_are_kept() -> None:
    message = gs1.parse("]C1010950110153000421AB12", lenient=True)
    assert message.get("21") == "AB12"
    assert message.flaws == ("GTIN 09501101530004 has a wrong check digit",)
    assert gs1.parse("]C1010950110153000321AB12", lenient=True).flaws == ()


@pytest.mark.parametrize(
    ("text", "serial"),
    [
        ("010950110153000321NB123456789", "NB123456789"),  # 01 + 21 printed as plain Code 128 data
        ("01095011015300031126010121X-42", "X-42"),  # a fixed-length date between them needs no separator
        ("010950110153000421NB1", "NB1"),  # wrong check digit: still read, flawed
        ("0109501101530003", None),  # no serial: not taken as GS1
        ("21NB123456789", None),  # no GTIN in front: an accident of digits
        ("0109501101530003" + "21" + "X" * 21, None),  # a serial over 20 characters is no AI 21
        ("NB123456789", None),
    ],
)
def test_gs1_digits_without_fnc1_are_read_when_a_gtin_leads_and_a_serial_follows(text: str, serial: str | None) -> None:
    message = gs1.parse_unmarked(text)
    assert (message.get("21") if message else None) == serial
