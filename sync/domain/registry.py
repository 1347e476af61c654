"""Every synced collection and the entity class that reads it."""

from __future__ import annotations

from sync.domain.asset import Asset, Part
from sync.domain.catalog import PartNumber, RailKit, Sku
from sync.domain.conflict import Conflict
from sync.domain.contract import Contract
from sync.domain.entity import Entity
from sync.domain.evidence import Note, Photo
from sync.domain.installation import Installation
from sync.domain.logistics import DepotOrder, ReturnObligation, Shipment
from sync.domain.org import Organization, UserProfile
from sync.domain.rma import Rma
from sync.domain.service import FruSwap, Visit
from sync.domain.site import Rack, Site
from sync.domain.stock import StockLevel, StockLocation
from sync.domain.ticket import Ticket

ENTITY_TYPES: dict[str, type[Entity]] = {
    cls.collection: cls
    for cls in (
        Organization,
        UserProfile,
        Site,
        Rack,
        Sku,
        RailKit,
        PartNumber,
        Asset,
        Part,
        Installation,
        Contract,
        Ticket,
        Visit,
        FruSwap,
        Photo,
        Note,
        Conflict,
        Rma,
        Shipment,
        ReturnObligation,
        DepotOrder,
        StockLocation,
        StockLevel,
    )
}
