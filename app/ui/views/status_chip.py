"""The sync status chip on every screen: one state in words (app/ui/sync_chip.py), coloured from the theme, with a
bar while a round moves records. It sits under the title, not beside it, so no title is cut on a phone."""

from __future__ import annotations

import flet as ft

from app.ui import routes, theme
from app.ui.state import AppState


@ft.component
def StatusChip(state: AppState) -> ft.Control:
    shown = state.sync.chip()
    color = theme.TONE_COLORS[shown.tone]
    button = ft.TextButton(
        content=ft.Text(state.t.phrase(shown.words), color=theme.ON_STATUS, size=14, key="status-chip-text"),
        style=ft.ButtonStyle(
            bgcolor=color,
            shape=ft.RoundedRectangleBorder(radius=24),
            padding=ft.Padding.symmetric(horizontal=16, vertical=8),
        ),
        height=theme.TOUCH,
        tooltip=state.t("Sync status: open the sync screen"),
        on_click=lambda: state.shell.go(routes.SYNC),
        key="status-chip",
    )
    bar: list[ft.Control] = []
    if shown.progress is not None or shown.busy:
        bar = [
            ft.ProgressBar(
                value=shown.progress,
                color=color,
                width=220,
                semantics_label=state.t("Sync progress"),  # a screen reader (and a test) can tell it is there
                key="status-chip-progress",
            )
        ]
    return ft.Column([button, *bar], spacing=4, horizontal_alignment=ft.CrossAxisAlignment.END)
