"""Pieces every screen shares: the app bar with the sync status chip, the feedback line, list rows and form helpers."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import flet as ft

from app.i18n import Translator
from app.services.read_models import Choice
from app.services.sync_status import SyncPhase, SyncStatus
from app.timefmt import clock_text
from app.ui import routes
from app.ui.state import AppState
from app.ui.views.a11y import named
from app.ui.views.drafts import guard_back, leave_prompt

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
    # The last sync belongs to this device, not to a site: shown on the device's own clock.
    last = f" · {clock_text(status.last_sync, None)}" if status.last_sync and status.phase is SyncPhase.SYNCED else ""
    return f"{status.phase.value}{pending}{rejected}{last}"


@ft.component
def StatusChip(state: AppState) -> ft.Control:
    status = state.sync.status
    color = PHASE_COLORS.get(status.phase, ft.Colors.GREY_700) if status else ft.Colors.GREY_700
    return ft.TextButton(
        content=ft.Text(status_text(status), color=ft.Colors.WHITE, size=13),
        style=ft.ButtonStyle(bgcolor=color, shape=ft.RoundedRectangleBorder(radius=16)),
        tooltip="Sync status: open the sync screen",
        on_click=lambda: state.shell.go(routes.SYNC),
        key="status-chip",
    )


def flash_line(state: AppState) -> ft.Control:
    shell = state.shell
    if not shell.flash:
        return ft.Container(height=0)
    return ft.Container(
        content=ft.Text(shell.flash, color=ft.Colors.WHITE, size=15, key="flash-text"),
        bgcolor=ft.Colors.RED_700 if shell.flash_is_error else ft.Colors.BLUE_GREY_700,
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        border_radius=6,
    )


def screen(state: AppState, *, route: str, title: str, controls: Sequence[ft.Control]) -> ft.View:
    """A full screen: app bar (title + status chip), the feedback line, then the body, scrollable."""
    view = ft.View(
        route=route,
        appbar=ft.AppBar(title=ft.Text(title), actions=[StatusChip(state)], bgcolor=ft.Colors.BLUE_GREY_50),
        controls=[
            ft.SafeArea(
                content=ft.Column(
                    controls=[flash_line(state), leave_prompt(state, route), *controls],
                    spacing=12,
                    scroll=ft.ScrollMode.AUTO,
                    expand=True,
                ),
                expand=True,
            )
        ],
        padding=12,
    )
    return guard_back(state, view, route)


def picker(
    label: str, choices: Sequence[Choice], value: str | None, on_pick: Callable[[str | None], None], *, key: str
) -> ft.Dropdown:
    """A drop-down of records (sites, racks, SKUs…) that can be filtered by typing."""
    options = [(c.id, c.label) for c in choices]
    return _dropdown(label, options, value, on_pick, key=key, enable_filter=True, editable=True, expand=True)


def parse_int(text: str) -> int | None:
    try:
        return int(text.strip())
    except ValueError:
        return None


def big_button(text: str, on_click: Callable[[], object], *, key: str, icon: ft.IconData | None = None) -> ft.Control:
    # Large targets: people use this with gloves on.
    return ft.FilledButton(content=text, icon=icon, on_click=on_click, height=52, key=key)


def heading(text: str, *, key: str | None = None) -> ft.Text:
    return ft.Text(text, weight=ft.FontWeight.BOLD, key=key)


def small_lines(title: str, lines: Sequence[str], *, bullet: str = "") -> list[ft.Control]:
    """A heading with small lines under it: a record's history, or the explanation of a computed decision."""
    return [heading(title), *[ft.Text(f"{bullet}{line}", size=12) for line in lines]]


def record_row(
    title: str,
    subtitle: str | None = None,
    *,
    icon: ft.IconData,
    color: str | None = None,
    on_click: Callable[[], None] | None = None,
    trailing: ft.Control | None = None,
    key: str | None = None,
) -> ft.ListTile:
    """One record in a list: a dense tile whose accessible name is its title (then its subtitle)."""
    return ft.ListTile(
        title=ft.Text(title),
        subtitle=ft.Text(subtitle) if subtitle is not None else None,
        leading=ft.Icon(icon, color=color),
        trailing=trailing,
        on_click=on_click,
        dense=True,
        key=key,
    )


def spaced(code: str) -> str:
    return code.replace("_", " ")


def choice_field(
    label: str, codes: Sequence[str], value: str | None, on_pick: Callable[[str | None], None], *, key: str
) -> ft.Control:
    """A drop-down of fixed codes (an enum's values, error codes), shown with spaces for underscores."""
    return named(_dropdown(label, [(code, spaced(code)) for code in codes], value, on_pick, key=key))


def _dropdown(
    label: str,
    options: Sequence[tuple[str, str]],
    value: str | None,
    on_pick: Callable[[str | None], None],
    *,
    key: str,
    **style: Any,
) -> ft.Dropdown:
    return ft.Dropdown(
        label=label,
        value=value,
        options=[ft.DropdownOption(key=option, text=text) for option, text in options],
        on_select=lambda e: on_pick(e.control.value),
        key=key,
        **style,
    )


PERIODS_DAYS: tuple[int | None, ...] = (30, 90, 365, None)  # None: everything on this device


def period_field(t: Translator, days: int | None, on_pick: Callable[[int | None], None], *, key: str) -> ft.Control:
    """How far back a report looks: the last 30, 90 or 365 days, or everything on this device."""
    return named(
        ft.Dropdown(
            label=t("Period"),
            value=str(days or 0),
            options=[
                ft.DropdownOption(
                    key=str(d or 0), text=t("Last {days} days", days=d) if d else t("Everything on this device")
                )
                for d in PERIODS_DAYS
            ],
            on_select=lambda e: on_pick(int(e.control.value or 0) or None),
            width=240,
            key=key,
        )
    )


def check_field(label: str, value: bool, on_toggle: Callable[[bool], None], *, key: str | None = None) -> ft.Checkbox:
    return ft.Checkbox(label=label, value=value, on_change=lambda e: on_toggle(bool(e.control.value)), key=key)
