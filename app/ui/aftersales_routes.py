"""The after-sales screens' routes and where Back leads from each (kept apart so app/ui/state.py can import it)."""

from __future__ import annotations

DESK = "/desk"
DESK_RMA = "/desk/rma"
LEDGER = "/desk/ledger"
DESK_FAILURES = "/desk/failures"
ASSET_RMA = "/asset/rma"
RMA_DRAFT = "/asset/rma-draft"
DEPOT = "/depot"
DEPOT_ORDER = "/depot/order"
DEPOT_STOCK = "/depot/stock"
DEPOT_RMA = "/depot/rma"
DEPOT_FAILURES = "/depot/failures"

PARENTS: dict[str, str] = {
    DESK: "/",
    DESK_RMA: DESK,
    LEDGER: DESK,
    DESK_FAILURES: DESK,
    ASSET_RMA: "/asset",
    RMA_DRAFT: "/asset",
    DEPOT: "/",
    DEPOT_ORDER: DEPOT,
    DEPOT_STOCK: DEPOT,
    DEPOT_RMA: DEPOT_ORDER,
    DEPOT_FAILURES: DEPOT,
}
ROUTES = frozenset(PARENTS)
