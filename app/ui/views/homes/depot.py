"""The depot's home: the scan session, then the open orders by stage; on a laptop the picked order sits beside them."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import flet as ft

from app.services.home_models import OrderLine
from app.timefmt import local_text
from app.ui.state import AppState
from app.ui.views.common import big_button, heading
from app.ui.views.homes.parts import empty, entry_buttons, list_and_detail, row, section, words


def _detail(state: AppState, order: OrderLine | None, stage: str) -> list[ft.Control]:
    t = state.t
    if order is None:
        return [empty(t("Pick an order on the left to see it here."), key="empty-order-detail")]
    return [
        heading(f"{order.rma_number or t('no RMA')} · {order.serial}", key="order-detail-title"),
        ft.Text(t("Stage: {stage}", stage=stage)),
        ft.Text(t("Received {when}", when=local_text(order.received_at, order.zone))),  # the depot's clock
        big_button(
            t("Open order"),
            lambda: state.after.open_order(order.depot_order_id),
            key="order-detail-open",
            icon=ft.Icons.BUILD,
        ),
    ]


def order_rows(
    state: AppState, *, picked: str | None, open_order: Callable[[str], object], key: str
) -> list[ft.Control]:
    """Open orders under a heading per stage, the picked one marked."""
    t, page = state.t, state.home.page
    rows: list[ft.Control] = []
    for group in page.stages if page else ():
        rows.append(
            heading(f"{words(state, group.stage)} ({len(group.orders)})", key=f"{key}-stage-{group.stage.value}")
        )
        for order in group.orders:
            rows.append(
                row(
                    f"{order.rma_number or t('no RMA')} · {order.serial}",
                    t("received {when}", when=local_text(order.received_at, order.zone)),
                    icon=ft.Icons.BUILD,
                    on_click=partial(open_order, order.depot_order_id),
                    selected=order.depot_order_id == picked,
                    key=f"{key}-{order.depot_order_id}",
                )
            )
    return rows


def orders_pane(state: AppState) -> list[ft.Control]:
    """The orders beside an open order on a laptop (app/ui/views/panes.py)."""
    return [
        section(state.t("Open depot orders by stage"), key="pane-stages"),
        *order_rows(state, picked=state.after.order_id, open_order=state.after.open_order, key="pane-order"),
    ]


def depot_home(state: AppState) -> list[ft.Control]:
    t, home = state.t, state.home
    stages = home.page.stages if home.page else ()
    listing: list[ft.Control] = [section(t("Open depot orders by stage"), key="home-stages")]
    if not stages:
        listing.append(
            empty(t("No open orders. Open the scan session and scan a box label to receive it."), key="empty-orders")
        )
    listing += order_rows(state, picked=home.picked_order, open_order=home.open_order, key="home-order")
    picked: tuple[OrderLine | None, str] = next(
        ((o, words(state, g.stage)) for g in stages for o in g.orders if o.depot_order_id == home.picked_order),
        (None, ""),
    )
    return [entry_buttons(state), *list_and_detail(state, listing, _detail(state, *picked))]
