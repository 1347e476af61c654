"""The colours and sizes screens share, as values a test can check (tests/client/test_theme.py).

Colours are hex, not Flet's colour names, so their contrast can be computed: every status colour carries white text
and meets WCAG AA for normal text (4.5:1). Flet's ORANGE_800 (3.1:1) and GREEN_700 (4.1:1) did not.
"""

from __future__ import annotations

from app.ui.sync_chip import Tone

ON_STATUS = "#FFFFFF"  # the text colour on every status colour below

GOOD = "#2E7D32"  # green 800: 5.1:1
BUSY = "#1565C0"  # blue 800: 5.8:1
WAITING = "#6D4C41"  # brown 600: changes kept on the device, 7.6:1
OFFLINE = "#A84300"  # deep orange: 6.1:1
WARNING = OFFLINE  # warning banners (fit warnings, the desk's question): the same deep orange
PROBLEM = "#C62828"  # red 800: 5.6:1
NEUTRAL = "#616161"  # grey 700: 6.2:1
INFO = "#455A64"  # blue grey 700: the feedback line, 7.2:1

TONE_COLORS: dict[Tone, str] = {
    Tone.GOOD: GOOD,
    Tone.BUSY: BUSY,
    Tone.WAITING: WAITING,
    Tone.OFFLINE: OFFLINE,
    Tone.PROBLEM: PROBLEM,
    Tone.NEUTRAL: NEUTRAL,
}

# Every background that carries ON_STATUS text somewhere in the app: the contrast test walks this list.
STATUS_BACKGROUNDS: dict[str, str] = {
    **{f"chip {tone}": color for tone, color in TONE_COLORS.items()},
    "feedback line": INFO,
    "feedback line (error)": PROBLEM,
    "warning banner": WARNING,
    "covered badge / depot received": GOOD,
}

# Smallest touch target (Material and WCAG 2.5.5 guidance: 48 dp), for buttons, rows and chips.
TOUCH = 48
# From this width on a screen shows list and detail side by side instead of one phone column.
WIDE = 1000


def relative_luminance(hex_color: str) -> float:
    """WCAG 2.x relative luminance of an sRGB colour written ``#RRGGBB``."""
    digits = hex_color.lstrip("#")
    if len(digits) != 6:
        raise ValueError(f"not a #RRGGBB colour: {hex_color!r}")
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio, 1..21."""
    light, dark = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
