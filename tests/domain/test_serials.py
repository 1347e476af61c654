from __future__ import annotations

import pytest

from sync.domain.errors import InvalidInput
from sync.domain.serials import normalise_serial


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nb2602600001", "NB2602600001"),
        ("  NB26 0260 0001 ", "NB2602600001"),
        ("S/N: NB2602600001", "NB2602600001"),
        ("s/n nb2602600001", "NB2602600001"),
        ("SN:NB2602600001", "NB2602600001"),
        ("SN NB2602600001", "NB2602600001"),
        ("Serial No. ab-12/3", "AB-12/3"),
        ("SER#X1", "X1"),
        ("NB2602600001\r\n", "NB2602600001"),
        ("\x1dNB26\x1d", "NB26"),
        ("SNAP0042", "SNAP0042"),
        ("sernb1", "SERNB1"),
    ],
)
def test_serials_are_trimmed_stripped_of_label_prefixes_and_upper_cased(raw: str, expected: str) -> None:
    assert normalise_serial(raw) == expected


@pytest.mark.parametrize("raw", ["", "   ", "S/N:", "NB 26<script>", "x" * 65, "!!!"])
def test_what_cannot_be_a_serial_is_refused_with_a_reason(raw: str) -> None:
    with pytest.raises(InvalidInput):
        normalise_serial(raw)


def test_normalising_twice_changes_nothing() -> None:
    once = normalise_serial("S/N: ab-12/3")
    assert normalise_serial(once) == once
