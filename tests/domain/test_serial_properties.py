from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from sync.domain.errors import InvalidInput
from sync.domain.serials import MAX_SERIAL_LENGTH, normalise_serial

# Label prefixes, separators and serial characters glued together: the inputs where prefix stripping gets subtle.
fragments = st.sampled_from(
    ["S/N", "SN", "SER", "SERIAL NO", "s/n", "sn", " ", ":", ".", "#", "-", "/", "NB1", "X", "\x1d"]
)
label_like = st.lists(fragments, max_size=8).map("".join)


@given(raw=st.one_of(label_like, st.text(max_size=40)))
def test_a_normalised_serial_normalises_to_itself(raw: str) -> None:
    try:
        once = normalise_serial(raw)
    except InvalidInput:
        assume(False)
        return
    assert normalise_serial(once) == once
    assert once == once.upper() and " " not in once
    assert 0 < len(once) <= MAX_SERIAL_LENGTH


def test_a_prefix_left_in_front_after_the_first_one_is_stripped_too() -> None:
    # A label scanned with its caption twice: once normalised, typing the stored serial again must find it.
    assert normalise_serial("S/N: S/N NB26") == "NB26"
    assert normalise_serial("SN SN.X7") == "X7"
