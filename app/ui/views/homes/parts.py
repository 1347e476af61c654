"""Pieces every role home shares: the role's buttons (from the permission table), a section heading, an empty state
that says what to do, and a list beside its detail on a wide screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum

import flet as ft

from app.services.home_models import Entry
from app.ui import theme
from app.ui.state import AppState
from app.ui.views.common import big_button, heading
from app.ui.views.incidents import incidents_entry
from app.vocabulary import label


def entry_buttons(state: AppState) -> ft.Control:
    """The buttons of the work areas this role may open: the home's page lists them (app/services/homes.py)."""
    t, after, page = state.t, state.after, state.home.page
    entries = page.entries if page else ()
    table: dict[Entry, tuple[str, Callable[[], object], ft.IconData] | None] = {
        Entry.DESK_QUEUE: (t("RMA queue"), after.open_desk, ft.Icons.INBOX),
        Entry.LEDGER: (t("Advance exchange ledger"), after.open_ledger, ft.Icons.SWAP_HORIZ),
        Entry.DEPOT_SESSION: (t("Depot scan session"), after.open_depot, ft.Icons.MOVE_TO_INBOX),
        Entry.STOCK: (t("Stock and pool"), after.open_stock, ft.Icons.INVENTORY_2),
        Entry.RACKS: (t("Racks"), state.rack.open_racks, ft.Icons.VIEW_COMFY),
    }
    # Every role sees the incidents its device holds (the board; app/ui/views/incidents.py).
    buttons: list[ft.Control] = [incidents_entry(state)]
    for entry in entries:
        found = table[entry]
        if found is not None:
            text, run, icon = found
            buttons.append(big_button(text, run, key=f"go-{entry.value.replace('_', '-')}", icon=icon))
    return ft.Row(buttons, wrap=True, spacing=8, run_spacing=8)


def words(state: AppState, value: StrEnum) -> str:
    """What a person reads for a status or a stage, translated: its label in the one table (app/vocabulary.py)."""
    return state.t(label(value))


def section(title: str, *, key: str) -> ft.Control:
    return ft.Container(heading(title, key=key), padding=ft.Padding.only(top=8))


def empty(text: str, *, key: str) -> ft.Control:
    """An empty list says what to do next, never just "nothing"."""
    return ft.Container(
        ft.Row(
            [ft.Icon(ft.Icons.INFO_OUTLINE, color=theme.NEUTRAL), ft.Text(text, expand=True, key=key)],
            vertical_alignment=ft.CrossAxisAlignment.START,
        ),
        padding=ft.Padding.symmetric(vertical=8),
    )


def row(
    title: str,
    subtitle: str,
    *,
    icon: ft.IconData,
    on_click: Callable[[], object] | None,
    key: str,
    color: str | None = None,
    selected: bool = False,
    trailing: ft.Control | None = None,
) -> ft.Control:
    """One record: at least a 48 px target, named by its title then its subtitle."""
    return ft.ListTile(
        title=ft.Text(title),
        subtitle=ft.Text(subtitle),
        leading=ft.Icon(icon, color=color),
        trailing=trailing,
        on_click=on_click,
        selected=selected,
        min_height=56,
        key=key,
    )


def list_and_detail(state: AppState, listing: Sequence[ft.Control], detail: Sequence[ft.Control]) -> list[ft.Control]:
    """A phone shows the list alone (a tap opens the record's screen); a laptop shows the picked record beside it."""
    if not state.home.wide:
        return list(listing)
    return [
        ft.Row(
            [
                ft.Container(ft.Column(list(listing), spacing=6), width=520),
                ft.VerticalDivider(width=1),
                ft.Container(ft.Column(list(detail), spacing=8), expand=True, padding=ft.Padding.only(left=12)),
            ],
            vertical_alignment=ft.CrossAxisAlignment.START,
            key="list-and-detail",
        )
    ]
