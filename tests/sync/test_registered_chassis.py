"""A field engineer registers a customer's chassis, syncs, and installs it: it must not vanish in between."""

from __future__ import annotations

from collections.abc import Callable

from app.bootstrap import Client
from app.services.field import FieldService
from server.seed import sid
from sync.domain.asset import Asset
from sync.domain.installation import Installation
from sync.domain.site import Rack


def test_a_chassis_registered_for_a_customer_stays_with_its_engineer_and_can_be_installed_later(
    enrolled: Callable[[str], Client],
) -> None:
    engineer = enrolled("engineer")
    engineer.sync()
    field = FieldService(store=engineer.store)
    rack = engineer.store.all(Rack)[0]
    customer = next(a.org_id for a in engineer.store.all(Asset) if a.site_id == rack.site_id)
    asset_id = field.register_asset(serial="nbx-reg-0001", sku_id=sid("sku", "R1"), revision="A", owner_org_id=customer)

    assert engineer.sync().rejected == 0
    registered = engineer.store.get(Asset, asset_id)
    assert registered is not None and registered.site_id is None  # not placed yet, and still on the device
    another_device = enrolled("engineer")
    another_device.sync()
    assert another_device.store.get(Asset, asset_id) is not None  # a fresh pull brings it too

    field.record_installation(
        asset_id=asset_id, rack_id=rack.id, u_position=10, measured_depth_mm=1000, rail_kit_id=None
    )
    report = engineer.sync()
    assert (report.rejected, engineer.store.rejections()) == (0, [])
    placed = engineer.store.get(Asset, asset_id)
    assert placed is not None and placed.rack_id == rack.id
    assert [i.asset_id for i in engineer.store.all(Installation) if i.asset_id == asset_id] == [asset_id]


def test_another_engineer_does_not_see_a_chassis_they_did_not_register_and_cannot_reach(
    enrolled: Callable[[str], Client],
) -> None:
    engineer = enrolled("engineer")
    engineer.sync()
    customer = engineer.store.all(Asset)[0].org_id
    asset_id = FieldService(store=engineer.store).register_asset(
        serial="nbx-reg-0002", sku_id=sid("sku", "R1"), revision="A", owner_org_id=customer
    )
    assert engineer.sync().rejected == 0
    partner = enrolled("partner")
    partner.sync()
    assert partner.store.get(Asset, asset_id) is None
