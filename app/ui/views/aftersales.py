"""The view stack for each after-sales route (Home itself is the app's)."""

from __future__ import annotations

import flet as ft

from app.ui import aftersales_routes as routes
from app.ui.aftersales_state import AfterSalesState
from app.ui.state import AppState
from app.ui.views.asset import AssetView
from app.ui.views.depot import DepotOrderView, DepotView, StockView
from app.ui.views.desk import DeskView, LedgerView
from app.ui.views.failures import FailuresView
from app.ui.views.rma import RmaDraftView, RmaView


def after_sales_views(state: AppState, route: str) -> list[ft.View]:
    """The views above Home for an after-sales route (Home itself is the app's)."""
    after = AfterSalesState.of(state)
    if route in (routes.ASSET_RMA, routes.RMA_DRAFT):
        top = RmaView(state, after, route) if route == routes.ASSET_RMA else RmaDraftView(state, after)
        return [AssetView(state), top]
    if route in (routes.DESK_FAILURES, routes.DEPOT_FAILURES):
        parent = DeskView(state, after) if route == routes.DESK_FAILURES else DepotView(state, after)
        return [parent, FailuresView(state, route)]
    if route in (routes.DESK, routes.DESK_RMA, routes.LEDGER):
        views = [DeskView(state, after)]
        if route == routes.DESK_RMA:
            views.append(RmaView(state, after, route))
        if route == routes.LEDGER:
            views.append(LedgerView(state, after))
        return views
    views = [DepotView(state, after)]
    if route in (routes.DEPOT_ORDER, routes.DEPOT_RMA):
        views.append(DepotOrderView(state, after))
    if route == routes.DEPOT_RMA:
        views.append(RmaView(state, after, route))
    if route == routes.DEPOT_STOCK:
        views.append(StockView(state, after))
    return views
