"""Which depot receives returns, and so whose clock a depot order's times are on.

Northbeam runs one repair depot (a site of kind depot, synced to every OEM device). A depot order names no site, so
its times are shown on that depot's clock, with its zone. A second depot would need the RMA or the order to name its
depot; that is not modelled yet, and the first depot site stands for all.
"""

from __future__ import annotations

from app.adapters.local_store import LocalStore
from sync.domain.site import Site, SiteKind


def receiving_depot(store: LocalStore) -> Site | None:
    """The depot site this device knows, if any (a customer's device has none)."""
    return next((s for s in store.all(Site) if s.kind is SiteKind.DEPOT), None)


def depot_zone(store: LocalStore) -> str | None:
    """The depot's IANA zone; None (this device's own clock) where the device knows no depot."""
    depot = receiving_depot(store)
    return depot.timezone if depot else None
