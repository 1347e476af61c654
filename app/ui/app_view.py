"""The root component: the view stack for the current route."""

from __future__ import annotations

import flet as ft

from app.ui.aftersales_routes import ROUTES as AFTER_SALES_ROUTES
from app.ui.state import AppState
from app.ui.views.aftersales import after_sales_views
from app.ui.views.asset import AssetView
from app.ui.views.home import HomeView
from app.ui.views.install import InstallView
from app.ui.views.register import RegisterView
from app.ui.views.report import ReportView
from app.ui.views.settings import SettingsView
from app.ui.views.swap import SwapView
from app.ui.views.sync_view import SyncView
from app.ui.views.visit import VisitView

ASSET_CHILDREN = {"/install": InstallView, "/swap": SwapView, "/visit": VisitView, "/report": ReportView}


@ft.component
def RacksideApp(state: AppState, default_server: str) -> list[ft.View]:
    ft.context.page.on_view_pop = lambda _: state.back()
    views: list[ft.View] = [HomeView(state)]
    route = state.route
    if route == "/settings":
        views.append(SettingsView(state, default_server))
    elif route == "/sync":
        views.append(SyncView(state))
    elif route == "/register":
        views.append(RegisterView(state))
    elif route in AFTER_SALES_ROUTES:
        views += after_sales_views(state, route)
    elif route == "/asset" or route in ASSET_CHILDREN:
        views.append(AssetView(state))
        child = ASSET_CHILDREN.get(route)
        if child is not None:
            views.append(child(state))
    return views
