"""Issue 11: "for a serial that is not on the device, ask the server (when online) before offering to register it".

The engineer's laptop registers a chassis and installs it in Helix FRA1 colo after the phone's last sync; the phone
syncs only once an hour here, so the chassis is not on it. Typed on the phone, the serial must open the chassis (the
server knows it, the phone fetches it), not offer to register it again. Offline, registration is offered with a
warning that the server could not be asked.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from app.bootstrap import Client
from app.services.field import FieldService
from server.seed import CUSTOMER_A, DEMO_PASSWORD, sid
from tests.e2e.browser import FletPage
from tests.e2e.processes import ServerProcess

SERIAL = "NBX9-LOOKUP-1"
HOURLY = 3600.0  # no background round during the test: only the lookup can bring the chassis


def test_a_chassis_registered_by_another_device_since_the_last_sync_opens_instead_of_offering_registration(
    field_app: Callable[..., FletPage], server: ServerProcess, tmp_path: Path
) -> None:
    phone = field_app("engineer", name="lookup", interval=HOURLY)
    phone.see("all sent at")  # the phone's own first round is over
    laptop = Client.open(tmp_path / "engineer-laptop")
    laptop.enroll(server_url=server.url, username="engineer", password=DEMO_PASSWORD, device_name="laptop")
    laptop.sync()
    field = FieldService(store=laptop.store)
    asset_id = field.register_asset(serial=SERIAL, sku_id=sid("sku", "R1"), revision="D", owner_org_id=CUSTOMER_A)
    field.record_installation(
        asset_id=asset_id, rack_id=sid("rack", "fra1", "R03"), u_position=45, measured_depth_mm=900, rail_kit_id=None
    )
    assert laptop.sync().rejected == 0
    phone.wedge_scan("s/n: nbx9-lookup-1")
    phone.see(f"Opened {SERIAL} from the server (Helix FRA1 colo, rack R03)", timeout=30_000)
    phone.see("Installed FRUs")
    assert phone.page.get_by_role("button", name="Register chassis").count() == 0
    phone.shot("opened")


def test_offline_a_serial_not_on_the_device_is_offered_for_registration_with_a_warning(
    field_app: Callable[..., FletPage], server: ServerProcess
) -> None:
    phone = field_app("engineer", name="lookup-offline")
    phone.see("all sent at")
    server.stop()
    phone.see("offline since", timeout=30_000)
    phone.wedge_scan("NBX9-LOOKUP-2")
    phone.see("NBX9-LOOKUP-2 is not known on this device, and the server could not be asked")
    phone.see("The server could not be asked whether this chassis is already registered.")
    phone.see("Register chassis")
    phone.shot("offline")
