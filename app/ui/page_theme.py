"""The page's Material theme: every button, row and check box a finger can hit is at least 48 px (app/ui/theme.py).

Flutter on the web picks "compact" density (as on a desktop with a mouse), which made text buttons 32 px high and
rows 40: too small for gloves and for WCAG 2.5.5. Standard density, and padding that brings a one-line button to
48 px, apply to every screen at once, so no view has to remember it.
"""

from __future__ import annotations

import flet as ft

from app.ui import theme

# A button's label line is 20 px: 14 px above and below make 48.
_BUTTON = ft.ButtonStyle(
    padding=ft.Padding.symmetric(horizontal=16, vertical=14),
    visual_density=ft.VisualDensity.STANDARD,
)


def page_theme() -> ft.Theme:
    return ft.Theme(
        visual_density=ft.VisualDensity.STANDARD,
        text_button_theme=ft.TextButtonTheme(style=_BUTTON),
        outlined_button_theme=ft.OutlinedButtonTheme(style=_BUTTON),
        filled_button_theme=ft.FilledButtonTheme(style=_BUTTON),
        button_theme=ft.ButtonTheme(style=_BUTTON),
        icon_button_theme=ft.IconButtonTheme(
            style=ft.ButtonStyle(padding=ft.Padding.all(12), visual_density=ft.VisualDensity.STANDARD)
        ),
        list_tile_theme=ft.ListTileTheme(min_height=theme.TOUCH + 8, visual_density=ft.VisualDensity.STANDARD),
        checkbox_theme=ft.CheckboxTheme(visual_density=ft.VisualDensity.STANDARD),
    )
