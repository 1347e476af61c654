"""Status colours meet WCAG AA (4.5:1 for normal text) with the text drawn on them, computed from the theme itself."""

from __future__ import annotations

import pytest

from app.ui import theme
from app.ui.sync_chip import Tone


@pytest.mark.parametrize(
    ("foreground", "background", "expected"),
    [
        ("#000000", "#FFFFFF", 21.0),
        ("#FFFFFF", "#FFFFFF", 1.0),
        # The two colours the issue measured: Flet's ORANGE_800 and GREEN_700 under white text.
        ("#FFFFFF", "#EF6C00", 3.08),
        ("#FFFFFF", "#388E3C", 4.12),
        ("#FFFFFF", "#777777", 4.48),
    ],
)
def test_contrast_ratio_matches_worked_examples(foreground: str, background: str, expected: float) -> None:
    assert theme.contrast_ratio(foreground, background) == pytest.approx(expected, abs=0.01)


def test_every_status_background_meets_aa_with_its_text() -> None:
    ratios = {name: theme.contrast_ratio(theme.ON_STATUS, bg) for name, bg in theme.STATUS_BACKGROUNDS.items()}
    failing = {name: round(ratio, 2) for name, ratio in ratios.items() if ratio < 4.5}
    assert failing == {}
    # Every chip tone has a colour, so no state falls back to an unchecked one.
    assert set(theme.TONE_COLORS) == set(Tone)


def test_a_colour_that_is_not_hex_is_refused() -> None:
    with pytest.raises(ValueError, match="RRGGBB"):
        theme.relative_luminance("orange800")
