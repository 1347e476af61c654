"""List beside detail on a laptop: a detail screen (an RMA, a depot order) shows the list it came from at its left
from theme.WIDE px on, instead of one stretched phone column. On a phone the detail stands alone, as before.

The lists register themselves here (app/ui/views/homes/__init__.py): ``screen`` (views/common.py) asks only whether
its route has one, so the detail views need not know.
"""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.ui.state import AppState

Pane = Callable[[AppState], list[ft.Control]]
SIDE_PANES: dict[str, Pane] = {}
PANE_WIDTH = 460


def beside(state: AppState, route: str, detail: ft.Control) -> ft.Control:
    """``detail`` with its route's list at its left on a wide screen; ``detail`` alone otherwise."""
    pane = SIDE_PANES.get(route)
    if pane is None or not state.home.wide:
        return detail
    return ft.Row(
        [
            ft.Container(
                ft.Column(pane(state), spacing=6, scroll=ft.ScrollMode.AUTO, expand=True),
                width=PANE_WIDTH,
                key="side-pane",
            ),
            ft.VerticalDivider(width=1),
            ft.Container(detail, expand=True, padding=ft.Padding.only(left=12)),
        ],
        vertical_alignment=ft.CrossAxisAlignment.START,
        expand=True,
    )
