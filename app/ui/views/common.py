"""Pieces every screen shares: the app bar with the sync status chip, the feedback line, form helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import flet as ft

from app.services.read_models import Choice
from app.services.sync_status import SyncPhase, SyncStatus
from app.ui.state import AppState

PHASE_COLORS = {
    SyncPhase.SYNCED: ft.Colors.GREEN_700,
    SyncPhase.SYNCING: ft.Colors.BLUE_700,
    SyncPhase.OFFLINE: ft.Colors.ORANGE_800,
    SyncPhase.SIGNED_OUT: ft.Colors.GREY_700,
    SyncPhase.NEEDS_UPDATE: ft.Colors.RED_700,
    SyncPhase.REVOKED: ft.Colors.RED_700,
    SyncPhase.ERROR: ft.Colors.RED_700,
}


def status_text(status: SyncStatus | None) -> str:
    if status is None:
        return "…"
    pending = f" · {status.pending} pending" if status.pending else ""
    rejected = f" · {status.rejected} rejected" if status.rejected else ""
    last = f" · {status.last_sync:%H:%M}" if status.last_sync and status.phase is SyncPhase.SYNCED else ""
    return f"{status.phase.value}{pending}{rejected}{last}"


@ft.component
def StatusChip(state: AppState) -> ft.Control:
    status = state.status
    color = PHASE_COLORS.get(status.phase, ft.Colors.GREY_700) if status else ft.Colors.GREY_700
    return ft.TextButton(
        content=ft.Text(status_text(status), color=ft.Colors.WHITE, size=13),
        style=ft.ButtonStyle(bgcolor=color, shape=ft.RoundedRectangleBorder(radius=16)),
        tooltip="Sync status: open the sync screen",
        on_click=lambda: state.go("/sync"),
        key="status-chip",
    )


def flash_line(state: AppState) -> ft.Control:
    if not state.flash:
        return ft.Container(height=0)
    return ft.Container(
        content=ft.Text(state.flash, color=ft.Colors.WHITE, size=15, key="flash-text"),
        bgcolor=ft.Colors.RED_700 if state.flash_is_error else ft.Colors.BLUE_GREY_700,
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        border_radius=6,
    )


def screen(state: AppState, *, route: str, title: str, controls: Sequence[ft.Control]) -> ft.View:
    """A full screen: app bar (title + status chip), the feedback line, then the body, scrollable."""
    return ft.View(
        route=route,
        appbar=ft.AppBar(title=ft.Text(title), actions=[StatusChip(state)], bgcolor=ft.Colors.BLUE_GREY_50),
        controls=[
            ft.SafeArea(
                content=ft.Column(
                    controls=[flash_line(state), *controls],
                    spacing=12,
                    scroll=ft.ScrollMode.AUTO,
                    expand=True,
                ),
                expand=True,
            )
        ],
        padding=12,
    )


def picker(
    label: str, choices: Sequence[Choice], value: str | None, on_pick: Callable[[str | None], None], *, key: str
) -> ft.Dropdown:
    return ft.Dropdown(
        label=label,
        value=value,
        options=[ft.DropdownOption(key=c.id, text=c.label) for c in choices],
        on_select=lambda e: on_pick(e.control.value),
        enable_filter=True,
        editable=True,
        expand=True,
        key=key,
    )


def parse_int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def big_button(text: str, on_click: Callable[[], None], *, key: str, icon: ft.IconData | None = None) -> ft.Control:
    # Large targets: people use this with gloves on.
    return ft.FilledButton(content=text, icon=icon, on_click=on_click, height=52, key=key)
