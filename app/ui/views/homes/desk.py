"""The service desk's home: the queue with search and filters (customer, site, status, owner); on a laptop the
picked case sits beside the queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from functools import partial

import flet as ft

from app.services.home_models import CaseLine
from app.timefmt import duration_phrase
from app.ui import theme
from app.ui.state import AppState
from app.ui.views.a11y import copyable, named
from app.ui.views.capture import LiveTextField
from app.ui.views.common import big_button, heading
from app.ui.views.homes.escalations import escalations
from app.ui.views.homes.parts import empty, entry_buttons, list_and_detail, row, section, words
from sync.domain.rma import RmaStatus

ANY = ""  # the filter option that keeps everything


def _filter(
    state: AppState, label: str, what: str, options: tuple[tuple[str, str], ...], value: str | None
) -> ft.Control:
    t, home = state.t, state.home
    choices = [ft.DropdownOption(key=ANY, text=t("Any"))] + [ft.DropdownOption(key=k, text=v) for k, v in options]
    return named(
        ft.Dropdown(
            label=label,
            value=value or ANY,
            options=choices,
            on_select=lambda e: home.filter_by(what, e.control.value),
            width=176,  # two side by side on a 400 px phone
            key=f"filter-{what}",
        )
    )


def _filters(state: AppState) -> ft.Control:
    t, home = state.t, state.home
    page, chosen = home.page, home.desk_filter
    statuses = tuple((s.value, words(state, s)) for s in RmaStatus)
    return ft.Column(
        [
            LiveTextField(
                label=t("Search serial, RMA number or symptom"),
                value=chosen.text,
                on_change=home.search,
                name="desk-search",
            ),
            ft.Row(
                [
                    _filter(state, t("Customer"), "customer", page.customers if page else (), chosen.customer_id),
                    _filter(state, t("Site"), "site", page.sites if page else (), chosen.site_id),
                    _filter(state, t("Status"), "status", statuses, chosen.status.value if chosen.status else None),
                    _filter(state, t("Raised by"), "owner", page.owners if page else (), chosen.owner_id),
                ],
                wrap=True,
                spacing=8,
                run_spacing=8,
            ),
        ],
        spacing=8,
    )


def _age(state: AppState, case: CaseLine) -> str:
    return state.t.phrase(duration_phrase(timedelta(hours=case.age_hours)))


def _detail(state: AppState, case: CaseLine | None) -> list[ft.Control]:
    t = state.t
    if case is None:
        return [empty(t("Pick a case on the left to see it here."), key="empty-case-detail")]
    return [
        heading(f"{case.number or t('no number yet')} · {case.serial}", key="case-detail-title"),
        ft.Text(t("Status: {status} for {age}", status=words(state, case.status), age=_age(state, case))),
        ft.Text(t("Customer: {name}", name=case.customer_name)),
        ft.Text(t("Site: {name}", name=case.site_name or "—")),
        ft.Text(t("Raised by: {name}", name=case.owner_name)),
        copyable(case.symptom or t("No symptom written yet.")),
        big_button(
            t("Open RMA"),
            lambda: state.home.open_case_page(case.rma_id),
            key="case-detail-open",
            icon=ft.Icons.OPEN_IN_NEW,
        ),
    ]


def case_rows(state: AppState, *, picked: str | None, open_case: Callable[[str], object], key: str) -> list[ft.Control]:
    """The queue's rows (after the desk's filter), the picked one marked."""
    t = state.t
    page = state.home.page
    rows: list[ft.Control] = []
    for case in page.cases if page else ():
        late = f" · {t('late')}" if case.late else ""
        rows.append(
            row(
                f"{case.number or t('no number yet')} · {case.serial}",
                f"{words(state, case.status)} {_age(state, case)}{late}"
                f" · {case.customer_name} · {case.site_name or '—'}",
                icon=ft.Icons.TIMER_OFF if case.late else ft.Icons.TIMER,
                color=theme.PROBLEM if case.late else theme.GOOD,
                on_click=partial(open_case, case.rma_id),
                selected=case.rma_id == picked,
                key=f"{key}-{case.rma_id}",
            )
        )
    return rows


def queue_pane(state: AppState) -> list[ft.Control]:
    """The queue beside an open RMA on a laptop (app/ui/views/panes.py): a tap opens that RMA in its place."""
    t, home = state.t, state.home
    page = home.page
    shown = len(page.cases) if page else 0
    total = page.case_total if page else 0
    return [
        section(t("Queue: {shown} of {total}", shown=shown, total=total), key="pane-queue"),
        *case_rows(state, picked=state.after.rma_id, open_case=home.open_case_page, key="pane-case"),
    ]


def desk_home(state: AppState) -> list[ft.Control]:
    t, home = state.t, state.home
    page = home.page
    cases = page.cases if page else ()
    total = page.case_total if page else 0
    listing: list[ft.Control] = [
        section(t("Queue: {shown} of {total}", shown=len(cases), total=total), key="home-queue"),
    ]
    if total == 0:
        listing.append(
            empty(t("The queue is empty. New returns appear here when they are submitted."), key="empty-queue")
        )
    elif not cases:
        listing.append(empty(t("Nothing matches these filters."), key="empty-filtered"))
        listing.append(
            ft.TextButton(t("Clear the filters"), on_click=home.clear_filters, height=theme.TOUCH, key="clear-filters")
        )
    listing += case_rows(state, picked=home.picked_case, open_case=home.open_case, key="case")
    picked = next((c for c in cases if c.rma_id == home.picked_case), None)
    return [
        entry_buttons(state),
        *escalations(state),
        _filters(state),
        *list_and_detail(state, listing, _detail(state, picked)),
    ]
