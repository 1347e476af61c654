"""Every screen's route and the one it sits on: the view stack and Back both follow this table.

A route's stack is its chain of parents down to Home, so "/depot/rma" shows Home, the scan session, the order and the
RMA, and Back from any screen leads to its parent. A route that is not in the table is not a screen.
"""

from __future__ import annotations

HOME = "/"
SETTINGS = "/settings"
SYNC = "/sync"
REGISTER = "/register"
ASSET = "/asset"
INSTALL = "/asset/install"
SWAP = "/asset/swap"
VISIT = "/asset/visit"
REPORT = "/asset/report"
ASSET_RMA = "/asset/rma"
RMA_DRAFT = "/asset/rma-draft"
DESK = "/desk"
DESK_RMA = "/desk/rma"
LEDGER = "/desk/ledger"
DESK_FAILURES = "/desk/failures"
DEPOT = "/depot"
DEPOT_ORDER = "/depot/order"
DEPOT_STOCK = "/depot/stock"
DEPOT_RMA = "/depot/order/rma"
DEPOT_FAILURES = "/depot/failures"
INCIDENTS = "/incidents"
INCIDENT = "/incidents/incident"
NEW_INCIDENT = "/incidents/new"
ASSET_NEW_INCIDENT = "/asset/new-incident"
RACK = "/rack"
RACK_BATCH = "/rack/batch"

PARENT: dict[str, str | None] = {
    HOME: None,
    SETTINGS: HOME,
    SYNC: HOME,
    REGISTER: HOME,
    ASSET: HOME,
    INSTALL: ASSET,
    SWAP: ASSET,
    VISIT: ASSET,
    REPORT: ASSET,
    ASSET_RMA: ASSET,
    RMA_DRAFT: ASSET,
    DESK: HOME,
    DESK_RMA: DESK,
    LEDGER: DESK,
    DESK_FAILURES: DESK,
    DEPOT: HOME,
    DEPOT_ORDER: DEPOT,
    DEPOT_STOCK: DEPOT,
    DEPOT_RMA: DEPOT_ORDER,
    DEPOT_FAILURES: DEPOT,
    INCIDENTS: HOME,
    INCIDENT: INCIDENTS,
    NEW_INCIDENT: INCIDENTS,
    ASSET_NEW_INCIDENT: ASSET,
    RACK: HOME,
    RACK_BATCH: RACK,
}


def parent(route: str) -> str:
    """Where Back leads: the route's parent (Home's is Home; an unknown route leads Home)."""
    return PARENT.get(route) or HOME


def stack(route: str) -> list[str]:
    """The routes on screen for ``route``, Home first; an unknown route shows Home alone."""
    if route not in PARENT:
        return [HOME]
    chain: list[str] = []
    at: str | None = route
    while at is not None:
        chain.append(at)
        at = PARENT[at]
    return chain[::-1]


def within(route: str, ancestor: str) -> bool:
    """True when ``ancestor`` is on ``route``'s stack (the route itself included)."""
    return ancestor in stack(route)
