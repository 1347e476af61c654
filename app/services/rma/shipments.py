"""The parcels of one RMA as its people see them (the customer too): carrier, tracking, where it is, when it left."""

from __future__ import annotations

from app.adapters.local_store import LocalStore, as_utc
from app.services.aftersales_models import ShipmentLine
from app.timefmt import local_text
from sync.domain.logistics import Shipment


def shipment_lines(store: LocalStore, rma_id: str, zone: str | None) -> tuple[ShipmentLine, ...]:
    """Oldest first (the store's children order); times in the RMA site's zone, as every other time on its page."""
    return tuple(
        ShipmentLine(
            shipment_id=s.id,
            direction=s.direction,
            serials=s.serials,
            carrier=s.carrier,
            tracking=s.tracking,
            status=s.status,
            shipped_at=local_text(as_utc(s.shipped_at), zone) if s.shipped_at else "",
        )
        for s in store.children(Shipment, rma_id)
    )
