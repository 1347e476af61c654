"""A serial registered twice, refused by the real server: the rejection says where the chassis is when the caller may
see it (so the app offers to open it), and nothing but the serial when it belongs out of the caller's sight (issue 9:
answer only what the caller may see). The app's words for both come from app/refusals.py."""

from __future__ import annotations

from collections.abc import Callable

from app.bootstrap import Client
from app.i18n import Translator
from app.refusals import explain_rejection
from app.services.field import FieldService
from server.seed import CUSTOMER_A, sid
from sync.domain.asset import Asset
from sync.domain.site import Rack, Site

EN = Translator()


def test_a_serial_taken_out_of_sight_is_refused_with_the_serial_alone(enrolled: Callable[[str], Client]) -> None:
    installer = enrolled("installer")  # works in Tokyo; NBR22600001 is in Helix's Frankfurt colo
    installer.sync()
    assert installer.store.find(Asset, "NBR22600001") is None
    FieldService(store=installer.store).register_asset(
        serial="NBR22600001", sku_id=sid("sku", "R2"), revision="D", owner_org_id=CUSTOMER_A
    )
    assert installer.sync().rejected == 1
    (rejection,) = installer.store.rejections()
    assert (rejection.code, rejection.details) == ("duplicate", {"collection": "assets", "natural_key": "NBR22600001"})
    refusal = explain_rejection(EN, rejection)
    assert refusal.what == "Registering chassis NBR22600001"
    assert refusal.why == "NBR22600001 is already registered, to a customer or site this account cannot see."
    assert refusal.open_asset_id is None


def test_a_serial_the_caller_sees_is_refused_with_where_the_chassis_is(enrolled: Callable[[str], Client]) -> None:
    first, second = enrolled("engineer"), enrolled("engineer")
    first.sync()
    second.sync()  # and not again: the second device never hears of the first one's chassis
    rack = next(r for r in first.store.all(Rack) if r.name == "R02")
    site = first.store.get(Site, rack.site_id)
    assert site is not None
    customer = next(a.org_id for a in first.store.all(Asset) if a.site_id == rack.site_id)
    field = FieldService(store=first.store)
    asset_id = field.register_asset(serial="NBX-TWICE-01", sku_id=sid("sku", "R1"), revision="A", owner_org_id=customer)
    field.record_installation(
        asset_id=asset_id, rack_id=rack.id, u_position=41, measured_depth_mm=1000, rail_kit_id=None
    )
    assert first.sync().rejected == 0

    FieldService(store=second.store).register_asset(
        serial="nbx-twice-01", sku_id=sid("sku", "R1"), revision="A", owner_org_id=customer
    )
    assert second.sync().rejected == 1
    (rejection,) = second.store.rejections()
    assert rejection.code == "duplicate"
    assert rejection.details == {
        "serial": "NBX-TWICE-01",
        "asset_id": asset_id,
        "site_name": site.name,
        "rack_name": "R02",
        "u_position": 41,
        "words": {"template": "chassis {serial} is already registered", "values": {"serial": "NBX-TWICE-01"}},
    }
    refusal = explain_rejection(EN, rejection)
    assert refusal.why == f"NBX-TWICE-01 is already registered ({site.name}, rack R02)."
    assert (refusal.next_step, refusal.open_asset_id) == ("Open it?", asset_id)
