"""The root component: the view stack for the current route, built from the one route table (app/ui/routes.py)."""

from __future__ import annotations

from collections.abc import Callable

import flet as ft

from app.ui import routes
from app.ui.state import AppState
from app.ui.views.asset import AssetView
from app.ui.views.depot import DepotOrderView, DepotView, StockView
from app.ui.views.desk import DeskView, LedgerView
from app.ui.views.failures import FailuresView
from app.ui.views.home import HomeView
from app.ui.views.incidents import AssetNewIncidentView, BoardView, IncidentView, NewIncidentView
from app.ui.views.install import InstallView
from app.ui.views.rack import BatchInstallView, RackView
from app.ui.views.register import RegisterView
from app.ui.views.report import ReportView
from app.ui.views.rma import RmaDraftView, RmaView
from app.ui.views.settings import SettingsView
from app.ui.views.swap import SwapView
from app.ui.views.sync_view import SyncView
from app.ui.views.visit import VisitView

Screen = Callable[[AppState, str], ft.View]

SCREENS: dict[str, Screen] = {
    routes.HOME: lambda state, _: HomeView(state),
    routes.SETTINGS: lambda state, _: SettingsView(state),
    routes.SYNC: lambda state, _: SyncView(state),
    routes.REGISTER: lambda state, _: RegisterView(state),
    routes.ASSET: lambda state, _: AssetView(state),
    routes.INSTALL: lambda state, _: InstallView(state),
    routes.SWAP: lambda state, _: SwapView(state),
    routes.VISIT: lambda state, _: VisitView(state),
    routes.REPORT: lambda state, _: ReportView(state),
    routes.ASSET_RMA: RmaView,
    routes.RMA_DRAFT: lambda state, _: RmaDraftView(state),
    routes.DESK: lambda state, _: DeskView(state),
    routes.DESK_RMA: RmaView,
    routes.LEDGER: lambda state, _: LedgerView(state),
    routes.DESK_FAILURES: FailuresView,
    routes.DEPOT: lambda state, _: DepotView(state),
    routes.DEPOT_ORDER: lambda state, _: DepotOrderView(state),
    routes.DEPOT_STOCK: lambda state, _: StockView(state),
    routes.DEPOT_RMA: RmaView,
    routes.DEPOT_FAILURES: FailuresView,
    routes.INCIDENTS: lambda state, _: BoardView(state),
    routes.INCIDENT: lambda state, _: IncidentView(state),
    routes.NEW_INCIDENT: lambda state, _: NewIncidentView(state),
    routes.ASSET_NEW_INCIDENT: lambda state, _: AssetNewIncidentView(state),
    routes.RACK: lambda state, _: RackView(state),
    routes.RACK_BATCH: lambda state, _: BatchInstallView(state),
}


@ft.component
def RacksideApp(state: AppState) -> list[ft.View]:
    return [SCREENS[route](state, route) for route in routes.stack(state.shell.route)]
