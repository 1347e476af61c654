"""One home for each kind of work; ``role_home`` picks the signed-in user's (app/services/homes.py decides which)."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.services.home_models import HomeKind
from app.ui import routes
from app.ui.state import AppState
from app.ui.views.homes.customer import customer_home
from app.ui.views.homes.depot import depot_home, orders_pane
from app.ui.views.homes.desk import desk_home, queue_pane
from app.ui.views.homes.engineer import engineer_home
from app.ui.views.homes.installer import installer_home
from app.ui.views.homes.partner import partner_home
from app.ui.views.panes import SIDE_PANES

HOMES: dict[HomeKind, Callable[[AppState], list[ft.Control]]] = {
    HomeKind.ENGINEER: engineer_home,
    HomeKind.PARTNER: partner_home,
    HomeKind.INSTALLER: installer_home,
    HomeKind.DEPOT: depot_home,
    HomeKind.DESK: desk_home,
    HomeKind.CUSTOMER: customer_home,
}


# On a laptop an open RMA shows the desk's queue beside it, and an open depot order the orders by stage.
SIDE_PANES[routes.DESK_RMA] = queue_pane
SIDE_PANES[routes.DEPOT_ORDER] = orders_pane


def role_home(state: AppState) -> list[ft.Control]:
    """The signed-in role's sections, in the order that role works; nothing before sign-in."""
    page = state.home.page
    return HOMES[page.kind](state) if page is not None else []
