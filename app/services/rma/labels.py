"""The printable return label of an approved RMA: ship-to from the governing contract (or the depot), packing rules,
the due date the RMA carries.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.i18n import words
from app.labels.return_label import ReturnLabel, render_return_label
from app.services.depot_site import receiving_depot
from app.services.rma.base import RmaBase
from sync.domain.asset import Asset, Part
from sync.domain.catalog import PartNumber, Sku
from sync.domain.contract import DEFAULT_PACKAGING_RULES
from sync.domain.coverage import governing_contract_of
from sync.domain.errors import InvalidInput, NotFound
from sync.domain.org import Organization
from sync.domain.site import Site


@dataclass
class ReturnLabels(RmaBase):
    def return_label(self, rma_id: str) -> bytes:
        rma = self._rma(rma_id)
        if rma.number is None:
            raise InvalidInput(words("no RMA number yet: the label can be printed once the approval has synced"))
        asset = self.store.get(Asset, rma.asset_id)
        if asset is None:
            raise NotFound(words("the chassis of this RMA is not on this device"))
        contract = governing_contract_of(self.store, asset, self._site_today(rma.site_id))
        depot = receiving_depot(self.store)
        ship_to = (
            tuple(line for line in contract.return_address.splitlines() if line.strip())
            if contract and contract.return_address
            else (depot.name if depot else "Depot", "Returns receiving", depot.region if depot else "")
        )
        site = self.store.get(Site, rma.site_id) if rma.site_id else None
        owner = self.store.get(Organization, asset.org_id)
        item = ""
        if rma.part_serial:
            part = self.store.find(Part, rma.part_serial)
            number = self.store.get(PartNumber, part.part_number_id) if part else None
            item = number.code if number else ""
        else:
            sku = self.store.get(Sku, asset.sku_id)
            item = sku.code if sku else ""
        label = ReturnLabel(
            rma_number=rma.number,
            serial=rma.part_serial or asset.serial,
            ship_to=tuple(line for line in ship_to if line),
            ship_from=tuple(x for x in (owner.name if owner else "", site.name if site else "") if x),
            packaging_rules=contract.packaging_rules if contract else DEFAULT_PACKAGING_RULES,
            item=item,
            return_due=rma.return_due,
        )
        return render_return_label(label)
