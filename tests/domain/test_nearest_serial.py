"""The nearest known serial to one that is not on the device: "did you mean NBR22600011?"."""

from __future__ import annotations

import pytest

from sync.domain.serials import edit_distance, nearest_serial

KNOWN = ["NBR22600001", "NBR22600011", "NBR22600021", "NBS22600011", "HX9000"]


@pytest.mark.parametrize(
    ("a", "b", "edits"),
    [
        ("NBR22600011", "NBR22600011", 0),
        ("BR22600011", "NBR22600011", 1),  # the first key lost
        ("NBR226000111", "NBR22600011", 1),  # a key doubled
        ("NBR22600O11", "NBR22600011", 1),  # O for 0
        ("NBR22600101", "NBR22600011", 1),  # two neighbours swapped
        ("NRB22600101", "NBR22600011", 2),
        ("", "ABC", 3),
        ("ABC", "XYZ", 3),
    ],
)
def test_edit_distance_counts_lost_added_wrong_and_swapped_keys(a: str, b: str, edits: int) -> None:
    assert edit_distance(a, b) == edits
    assert edit_distance(b, a) == edits


@pytest.mark.parametrize(
    ("typed", "suggested"),
    [
        ("BR22600011", "NBR22600011"),  # one edit from NBR22600011 only
        ("NBR2260001", "NBR22600001"),  # one edit from ...001 and from ...011: the alphabetically first wins
        ("NBR22600O11", "NBR22600011"),
        ("HX9001", "HX9000"),
        ("NBR22600011", None),  # known: nothing to suggest
        ("ZZZ12345678", None),  # nothing within two edits: a new chassis, offer to register it
        ("HX90", "HX9000"),
        ("H", None),
    ],
)
def test_nearest_serial_suggests_a_known_serial_within_two_edits(typed: str, suggested: str | None) -> None:
    assert nearest_serial(typed, KNOWN) == suggested


def test_nearest_serial_prefers_fewer_edits_over_the_alphabet() -> None:
    assert nearest_serial("NBS22600012", ["NBR22600011", "NBS22600011"]) == "NBS22600011"


def test_nothing_known_suggests_nothing() -> None:
    assert nearest_serial("NBR22600011", []) is None
