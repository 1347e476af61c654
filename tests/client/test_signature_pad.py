"""The signature pad fits the screen it is drawn on, and what is drawn on a small pad is stored at the one size."""

from __future__ import annotations

import pytest

from app.services.signature import pad_size, to_stored_size


@pytest.mark.parametrize(
    ("screen", "pad"),
    [
        (400, (352, 117)),  # a phone: the whole pad on screen, 3:1
        (360, (312, 104)),
        (648, (600, 200)),
        (1280, (600, 200)),  # a laptop: never larger than the stored size
        (100, (120, 40)),  # absurdly narrow: still something to sign on
    ],
)
def test_the_pad_is_never_wider_than_the_screen_and_keeps_its_shape(screen: int, pad: tuple[int, int]) -> None:
    assert pad_size(screen) == pad


def test_strokes_from_a_small_pad_are_scaled_to_the_stored_size() -> None:
    drawn = [[(0.0, 0.0), (150.0, 50.0)], [(300.0, 100.0)]]
    assert to_stored_size(drawn, 300) == [[(0.0, 0.0), (300.0, 100.0)], [(600.0, 200.0)]]
    assert to_stored_size(drawn, 600) == drawn
