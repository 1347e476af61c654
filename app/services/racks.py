"""The installer's rack queries: a rack drawn U by U, the chassis waiting at its site, a rack found by its label, and
the live check of one placement (rail-kit fit and rack space) before it is saved.

The rules are the domain's (sync/domain/fit.py, sync/domain/rack.py); this module only reads the device's store and
shapes what the rack screens show. Saving goes through ``FieldService.record_installation`` like every installation.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.adapters.local_store import LocalStore
from app.i18n import Phrase, words
from sync.domain.asset import Asset
from sync.domain.catalog import RailKit, Sku
from sync.domain.errors import InvalidInput
from sync.domain.fit import check_fit
from sync.domain.installation import Installation
from sync.domain.rack import Occupant, clash_text, elevation, first_clash, occupants
from sync.domain.serials import normalise_serial
from sync.domain.site import Rack, Site


@dataclass(frozen=True, kw_only=True)
class ChassisInRack:
    asset_id: str
    serial: str
    model: str  # the SKU's code and name
    rail_kit: str  # the rail kit's code from its latest installation, or "" when none was recorded
    bottom_u: int
    top_u: int
    height_u: int
    span: Phrase  # "4U at U35–U38"; the view translates it


@dataclass(frozen=True, kw_only=True)
class Band:
    """One band of the drawing, top to bottom: an empty U, or a chassis as tall as it is (several when they clash)."""

    top_u: int
    bottom_u: int
    chassis: tuple[ChassisInRack, ...]

    @property
    def height_u(self) -> int:
        return self.top_u - self.bottom_u + 1

    @property
    def clash(self) -> bool:
        return len(self.chassis) > 1


@dataclass(frozen=True, kw_only=True)
class RackElevation:
    rack_id: str
    site_id: str
    title: str  # "Helix FRA1 colo / R02"
    height_u: int
    depth_mm: int
    bands: tuple[Band, ...]
    used_u: int


@dataclass(frozen=True, kw_only=True)
class WaitingChassis:
    """A chassis at the rack's site that is in no rack yet."""

    asset_id: str
    serial: str
    model: str
    height_u: int


@dataclass(frozen=True, kw_only=True)
class PlacementCheck:
    """What the batch form shows before saving one chassis: who it is, fit warnings, and whose Us it would take."""

    asset_id: str | None = None
    serial: str = ""
    problem: Phrase | str = ""  # why it cannot be checked yet (unknown serial, no U); a bad serial's message as is
    fit_warnings: tuple[str, ...] = ()
    taken: str = ""  # "U36 is taken by NBR22600003 (4U at U35–U38)", or ""

    @property
    def ready(self) -> bool:
        """Complete and not refused: a misfit only warns (it is recorded), taken Us refuse."""
        return self.asset_id is not None and not self.problem and not self.taken


@dataclass
class RackService:
    store: LocalStore

    def rack_by_label(self, scanned: str) -> str | None:
        """The rack a scanned or typed label names: its id (a QR code on the rack), "site / rack" as the rack list
        shows it, or the rack's name alone when only one rack on this device has it. Case and spacing are ignored."""

        def plain(text: str) -> str:
            return "".join(text.split()).upper()

        wanted = plain(scanned)
        if not wanted:
            return None
        racks = self.store.all(Rack)
        sites = {s.id: s.name for s in self.store.all(Site)}
        for rack in racks:
            if plain(rack.id) == wanted or plain(f"{sites.get(rack.site_id, '')}/{rack.name}") == wanted:
                return rack.id
        named = [r.id for r in racks if plain(r.name) == wanted]
        return named[0] if len(named) == 1 else None

    def rack_of(self, asset_id: str) -> str | None:
        asset = self.store.get(Asset, asset_id)
        return asset.rack_id if asset else None

    def elevation(self, rack_id: str) -> RackElevation | None:
        rack = self.store.get(Rack, rack_id)
        if rack is None:
            return None
        site = self.store.get(Site, rack.site_id)
        placed = occupants(self.store, rack_id)
        shown = {o.asset_id: self._chassis(o) for o in placed}
        bands = tuple(
            Band(top_u=b.top_u, bottom_u=b.bottom_u, chassis=tuple(shown[o.asset_id] for o in b.occupants))
            for b in elevation(rack.height_u, placed)
        )
        return RackElevation(
            rack_id=rack.id,
            site_id=rack.site_id,
            title=f"{site.name if site else '?'} / {rack.name}",
            height_u=rack.height_u,
            depth_mm=rack.mounting_depth_mm,
            bands=bands,
            used_u=sum(o.height_u for o in placed),
        )

    def _chassis(self, occupant: Occupant) -> ChassisInRack:
        installs = self.store.children(Installation, occupant.asset_id)
        kit_id = installs[-1].rail_kit_id if installs else None
        kit = self.store.get(RailKit, kit_id) if kit_id else None
        return ChassisInRack(
            asset_id=occupant.asset_id,
            serial=occupant.serial,
            model=self._model(occupant.sku_id),
            rail_kit=kit.code if kit else "",
            bottom_u=occupant.bottom_u,
            top_u=occupant.top_u,
            height_u=occupant.height_u,
            span=occupant.span_phrase(),  # the domain's own words for its refusals, in the reader's language here
        )

    def _model(self, sku_id: str) -> str:
        sku = self.store.get(Sku, sku_id)
        return f"{sku.code} — {sku.name}" if sku else "unknown model"

    def waiting(self, rack_id: str) -> list[WaitingChassis]:
        """Chassis at the rack's site that are in no rack: delivered there and not installed yet.

        Nothing in the records says "delivered" (no delivery record exists): a chassis registered to the site with
        no rack position is what the installer has to place.
        """
        rack = self.store.get(Rack, rack_id)
        if rack is None:
            return []
        out = []
        for asset in self.store.all(Asset):
            if asset.site_id != rack.site_id or asset.rack_id is not None:
                continue
            sku = self.store.get(Sku, asset.sku_id)
            out.append(
                WaitingChassis(
                    asset_id=asset.id,
                    serial=asset.serial,
                    model=self._model(asset.sku_id),
                    height_u=sku.height_u if sku else 1,
                )
            )
        return sorted(out, key=lambda w: w.serial)

    def check(
        self, *, rack_id: str, serial: str, u_position: int | None, depth_mm: int | None, rail_kit_id: str | None
    ) -> PlacementCheck:
        """The live check of one chassis in the batch: fit warnings from the rail kit and rack depth, and the Us it
        would share with another chassis (which the save would refuse), as the domain decides them."""
        try:
            wanted = normalise_serial(serial) if serial.strip() else ""
        except InvalidInput as err:
            return PlacementCheck(serial=serial, problem=err.message)
        if not wanted:
            return PlacementCheck()
        asset = self.store.find(Asset, wanted)
        if asset is None:
            return PlacementCheck(serial=wanted, problem=words("{serial} is not known on this device", serial=wanted))
        rack = self.store.get(Rack, rack_id)
        sku = self.store.get(Sku, asset.sku_id)
        if rack is None or sku is None:
            return PlacementCheck(
                asset_id=asset.id, serial=wanted, problem=words("this rack or model is not on this device")
            )
        if u_position is None or not 1 <= u_position <= rack.height_u:
            return PlacementCheck(
                asset_id=asset.id, serial=wanted, problem=words("enter a U from 1 to {top}", top=rack.height_u)
            )
        kit = self.store.get(RailKit, rail_kit_id) if rail_kit_id else None
        fit = check_fit(
            sku=sku,
            rail_kit=kit,
            rack_depth_mm=depth_mm if depth_mm is not None else rack.mounting_depth_mm,
            rack_height_u=rack.height_u,
            u_position=u_position,
        )
        clash = first_clash(
            occupants(self.store, rack_id), asset_id=asset.id, bottom_u=u_position, height_u=sku.height_u
        )
        return PlacementCheck(
            asset_id=asset.id,
            serial=wanted,
            fit_warnings=tuple(fit.explain()),
            taken=clash_text(*clash) if clash else "",
        )
