"""The field engineer's home: open incidents first (the slot below), then today's work on the site's calendar day."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.timefmt import clock_text
from app.ui.state import AppState
from app.ui.views.homes.parts import empty, entry_buttons, row, section
from app.ui.views.incidents import home_incidents


def incidents_slot(state: AppState) -> list[ft.Control]:
    """The incidents on this engineer's sites with their clocks, at the top of the home (app/ui/views/incidents.py)."""
    return home_incidents(state)


def todays_work(state: AppState) -> list[ft.Control]:
    t, page, field = state.t, state.home.page, state.field
    visits = page.visits if page else ()
    body: list[ft.Control] = [section(t("Today's work"), key="home-today")]
    if not visits:
        body.append(empty(t("No visits today. On site, scan the chassis and press Start visit."), key="empty-today"))
    for v in visits:
        when = clock_text(v.arrived_at, v.timezone)
        where = f"{when} · {v.site_name}" + (f" · {t('engineer there now')}" if v.on_site else "")
        body.append(
            row(
                t("Visit {serial}", serial=v.serial),
                where,
                icon=ft.Icons.ENGINEERING,
                on_click=partial(field.open_asset, v.asset_id),
                key=f"today-{v.visit_id}",
            )
        )
    return body


def engineer_home(state: AppState) -> list[ft.Control]:
    return [entry_buttons(state), *incidents_slot(state), *todays_work(state)]
