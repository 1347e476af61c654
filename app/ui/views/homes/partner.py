"""A service partner's engineer: its work today on the sites it serves, and the stock in its van."""

from __future__ import annotations

import flet as ft

from app.ui import theme
from app.ui.state import AppState
from app.ui.views.homes.engineer import incidents_slot, todays_work
from app.ui.views.homes.parts import empty, entry_buttons, row, section


def van_stock(state: AppState) -> list[ft.Control]:
    t, page = state.t, state.home.page
    stock = page.van_stock if page else ()
    body: list[ft.Control] = [section(t("Van stock"), key="home-van")]
    if not stock:
        body.append(
            empty(t("No stock in your van on this device. Sync, or ask the depot to load it."), key="empty-van")
        )
    for i, line in enumerate(stock):
        low = f" · {t('low: reorder')}" if line.low else ""
        body.append(
            row(
                f"{line.part_code} × {line.quantity}",
                f"{line.description} · {line.location}{low}",
                icon=ft.Icons.WARNING if line.low else ft.Icons.INVENTORY_2,
                color=theme.OFFLINE if line.low else None,
                on_click=None,
                key=f"van-{i}",
            )
        )
    return body


def partner_home(state: AppState) -> list[ft.Control]:
    return [entry_buttons(state), *incidents_slot(state), *todays_work(state), *van_stock(state)]
