"""The home screen's way into the after-sales screens, per role."""

from __future__ import annotations

import flet as ft

from app.ui.aftersales_state import AfterSalesState
from app.ui.state import AppState
from app.ui.views.common import big_button
from sync.domain.org import Role

DESK_ROLES = frozenset({Role.SERVICE_DESK, Role.ADMIN})
DEPOT_ROLES = frozenset({Role.DEPOT, Role.ADMIN})


@ft.component
def AfterSalesEntry(state: AppState) -> ft.Control:
    """Desk users start at the RMA queue, depot users at the scan session; engineers draft RMAs from a chassis."""
    t = state.t
    after = AfterSalesState.of(state)
    identity = state.services.field.store.identity()
    role = identity.role if identity else None
    buttons: list[ft.Control] = []
    if role in DESK_ROLES:
        buttons.append(big_button(t("RMA queue"), after.open_desk, key="go-desk", icon=ft.Icons.INBOX))
    if role in DEPOT_ROLES:
        buttons.append(
            big_button(t("Depot scan session"), after.open_depot, key="go-depot", icon=ft.Icons.MOVE_TO_INBOX)
        )
    return ft.Row(buttons, wrap=True)
