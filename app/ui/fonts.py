"""The UI's one font, shipped in assets/fonts, so every screen renders offline.

Flutter's web renderer draws with the fonts it has and fetches a fallback font for any glyph they lack; offline that
fetch fails and the glyph is a box ("→" in a swap's "A → B", "─" in failure reports). DejaVu Sans (Debian's
fonts-dejavu-core, Bitstream Vera licence in assets/fonts/DejaVuSans-LICENSE.txt) covers every glyph the UI and its
translations use, so nothing is fetched. Scripts it lacks (CJK) would still need a bundled font of their own.
"""

from __future__ import annotations

import flet as ft

FAMILY = "DejaVu Sans"
FILE = "fonts/DejaVuSans.ttf"  # relative to assets/


def use_bundled_font(page: ft.Page) -> None:
    """Register the font and make it the theme's, keeping whatever else the page's theme already sets."""
    page.fonts = {**(page.fonts or {}), FAMILY: FILE}
    theme = page.theme or ft.Theme()
    theme.font_family = FAMILY
    page.theme = theme
