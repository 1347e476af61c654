"""Pieces every screen shares: the app bar with the sync status chip, the feedback line, list rows and form helpers."""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

import flet as ft

from app.i18n import Translator
from app.services.aftersales_models import RmaRow
from app.services.read_models import Choice
from app.ui import theme
from app.ui.state import AppState
from app.ui.views.a11y import named, named_arrows
from app.ui.views.drafts import guard_back, leave_prompt
from app.ui.views.panes import beside
from app.ui.views.status_chip import StatusChip
from app.vocabulary import label as words


def flash_line(state: AppState) -> ft.Control:
    shell = state.shell
    if not shell.flash:
        return ft.Container(height=0)
    return ft.Container(
        content=ft.Text(shell.flash, color=theme.ON_STATUS, size=15, key="flash-text"),
        bgcolor=theme.PROBLEM if shell.flash_is_error else theme.INFO,
        padding=ft.Padding.symmetric(horizontal=12, vertical=8),
        border_radius=6,
    )


def screen(state: AppState, *, route: str, title: str, controls: Sequence[ft.Control]) -> ft.View:
    """A full screen: app bar (the title, whole), the status chip, the feedback line and a leave prompt, then the
    body, scrollable.

    The chip has its own line under the title: beside it, it cut titles short on a phone."""
    view = ft.View(
        route=route,
        appbar=ft.AppBar(title=ft.Text(title, max_lines=2), bgcolor=ft.Colors.BLUE_GREY_50),
        controls=[
            ft.SafeArea(
                content=ft.Column(
                    controls=[
                        ft.Row([StatusChip(state)], alignment=ft.MainAxisAlignment.END),
                        flash_line(state),
                        leave_prompt(state, route),
                        # The top spacer keeps a focused field's floating label inside the scrolling area (it was cut).
                        # On a laptop a detail screen has its list beside it (app/ui/views/panes.py).
                        beside(
                            state,
                            route,
                            ft.Column(
                                controls=[ft.Container(height=4), *controls],
                                spacing=12,
                                scroll=ft.ScrollMode.AUTO,
                                expand=True,
                            ),
                        ),
                    ],
                    spacing=8,
                    expand=True,
                ),
                expand=True,
            )
        ],
        padding=12,
    )
    return guard_back(state, view, route)


def picker(
    t: Translator,
    label: str,
    choices: Sequence[Choice],
    value: str | None,
    on_pick: Callable[[str | None], None],
    *,
    key: str,
) -> ft.Dropdown:
    """A drop-down of records (sites, racks, SKUs…) that can be filtered by typing; its arrow button is named."""
    options = [(c.id, c.label) for c in choices]
    arrows = named_arrows(t("Show the choices for {field}", field=label))
    # Keyed by its choices too: Flutter does not refill a menu that is open, so a picker opened during a first sync
    # kept an empty menu after the catalogue arrived. New choices build a new picker (an open menu closes; tap again).
    key = f"{key}:{zlib.crc32(repr(options).encode()):08x}"
    return _dropdown(label, options, value, on_pick, key=key, enable_filter=True, editable=True, expand=True, **arrows)


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
    """A drop-down of fixed codes people know by their code (error codes such as ``E-FAN``)."""
    return named(_dropdown(label, [(code, spaced(code)) for code in codes], value, on_pick, key=key))


def enum_field(
    t: Translator,
    label: str,
    values: Sequence[StrEnum],
    value: str | None,
    on_pick: Callable[[str | None], None],
    *,
    key: str,
) -> ft.Control:
    """A drop-down of an enum's values: the code is what is picked, its label (app/vocabulary.py) what is shown."""
    return named(_dropdown(label, [(v.value, t(words(v))) for v in values], value, on_pick, key=key))


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


def rma_row_title(t: Translator, row: RmaRow) -> str:
    """An RMA's line title: its number, or until approval issues one, what it waits for (in the user's words)."""
    placeholder = t("draft") if row.is_draft else t("no RMA number yet")
    return f"{row.number or placeholder} · {row.serial}"
