"""What an empty list says instead of an empty control: what is missing and what to do about it."""

from __future__ import annotations

import flet as ft


def empty_note(text: str, *, key: str) -> ft.Control:
    # A visible box with the next step, never a drop-down that opens a zero-height menu.
    return ft.Container(
        content=ft.Row([ft.Icon(ft.Icons.INFO_OUTLINE), ft.Text(text, expand=True, key=f"{key}-text")]),
        padding=10,
        border=ft.Border.all(1, ft.Colors.BLUE_GREY_300),
        border_radius=6,
        key=key,
    )
