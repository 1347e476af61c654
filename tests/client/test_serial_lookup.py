"""A serial this device does not hold: the device asks the server (app/services/serial_lookup.py) before it offers to
register it. Against the real server in-process (tests/support/inprocess.py), over a seeded world of 30 chassis.

The engineer's other device (a laptop) registers NBX-LOOKUP-1 for Helix and installs it in Helix FRA1 colo, rack R03
(48U), at U45, after this device's last sync. NBW12600003 is Quarry's chassis at Quarry TYO1, a site the engineer is
not assigned to: for the engineer it does not exist.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from app.bootstrap import Client
from app.services.field import FieldService
from app.services.serial_lookup import SerialLookup, SerialLookupService, ServerAnswer
from app.services.sync_status import SyncPhase, SyncRunner
from app.ui import routes
from server.seed import CUSTOMER_A, sid
from sync.domain.asset import Asset
from sync.transport import HttpTransport
from tests.client.conftest import Device
from tests.e2e.processes import free_port

NEW_SERIAL = "NBX-LOOKUP-1"
QUARRY_SERIAL = "NBW12600003"


def register_on_the_laptop(enrolled: Callable[[str], Client]) -> str:
    """The engineer's other device registers and installs a chassis, and syncs it to the server."""
    laptop = enrolled("engineer")
    laptop.sync()
    field = FieldService(store=laptop.store)
    asset_id = field.register_asset(serial=NEW_SERIAL, sku_id=sid("sku", "R1"), revision="D", owner_org_id=CUSTOMER_A)
    field.record_installation(
        asset_id=asset_id, rack_id=sid("rack", "fra1", "R03"), u_position=45, measured_depth_mm=900, rail_kit_id=None
    )
    report = laptop.sync()
    assert (report.pushed, report.rejected) == (2, 0)
    return asset_id


def test_a_chassis_registered_elsewhere_since_the_last_sync_is_known_and_a_sync_round_brings_it(
    enrolled: Callable[[str], Client], tmp_path: Path
) -> None:
    here = enrolled("engineer")
    here.sync()
    asset_id = register_on_the_laptop(enrolled)
    lookup = here.services(tmp_path / "here").lookup
    assert here.store.find(Asset, NEW_SERIAL) is None
    assert lookup.ask(NEW_SERIAL) == SerialLookup(
        answer=ServerAnswer.KNOWN, serial=NEW_SERIAL, site_name="Helix FRA1 colo", rack_name="R03"
    )
    assert lookup.fetch(NEW_SERIAL) == asset_id
    found = here.store.find(Asset, NEW_SERIAL)
    assert found is not None and (found.id, found.u_position) == (asset_id, 45)


def test_a_serial_nobody_has_and_a_chassis_out_of_sight_are_both_not_known(
    enrolled: Callable[[str], Client], tmp_path: Path
) -> None:
    here = enrolled("engineer")
    here.sync()
    lookup = here.services(tmp_path / "here").lookup
    assert lookup.ask("NBX-NOBODY-1") == SerialLookup(answer=ServerAnswer.NOT_KNOWN, serial="NBX-NOBODY-1")
    assert lookup.ask(QUARRY_SERIAL) == SerialLookup(answer=ServerAnswer.NOT_KNOWN, serial=QUARRY_SERIAL)
    assert lookup.fetch("NBX-NOBODY-1") is None


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that takes the connection and never answers (a dead proxy, a link that drops every reply)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_no_answer_means_not_asked_within_the_lookup_timeout(
    enrolled: Callable[[str], Client], tmp_path: Path, silent_server: str
) -> None:
    here = enrolled("engineer")
    here.sync()
    identity = here.store.identity()
    assert identity is not None
    runner = here.services(tmp_path / "here").sync
    for url in (f"http://127.0.0.1:{free_port()}", silent_server):  # connection refused; taken and never answered

        def unreachable(url: str = url) -> HttpTransport:
            return HttpTransport(url, token=identity.token)

        lookup = SerialLookupService(store=here.store, transport=unreachable, runner=runner)
        started = time.monotonic()
        assert lookup.ask(NEW_SERIAL) == SerialLookup(answer=ServerAnswer.UNASKED, serial=NEW_SERIAL), url
        assert time.monotonic() - started < 10, "the lookup's own timeout (2.5 s), not the sync's 30 s"


def test_an_offline_device_does_not_ask_at_all(enrolled: Callable[[str], Client], tmp_path: Path) -> None:
    here = enrolled("engineer")
    here.sync()
    register_on_the_laptop(enrolled)
    identity = here.store.identity()
    assert identity is not None
    dead = f"http://127.0.0.1:{free_port()}"
    runner = SyncRunner(here.store, lambda: HttpTransport(dead, token=identity.token))
    assert runner.probe() is False and runner.status.phase is SyncPhase.OFFLINE
    # The server would know it (the live transport), but a device that knows it is offline does not wait to find out.
    lookup = SerialLookupService(store=here.store, transport=here.transport, runner=runner)
    assert lookup.ask(NEW_SERIAL) == SerialLookup(answer=ServerAnswer.UNASKED, serial=NEW_SERIAL)


def test_a_scan_opens_a_chassis_the_server_knows_and_offers_registration_for_one_it_does_not(
    device: Callable[[str], Device], enrolled: Callable[[str], Client]
) -> None:
    d = device("engineer")
    asset_id = register_on_the_laptop(enrolled)
    d.state.field.scan("nbx-lookup-1")
    assert d.state.shell.route == routes.ASSET and d.state.field.asset_id == asset_id
    assert d.state.shell.flash == "Opened NBX-LOOKUP-1 from the server (Helix FRA1 colo, rack R03)"
    assert not d.state.shell.flash_is_error
    d.state.field.scan(QUARRY_SERIAL)
    assert d.state.shell.route == routes.REGISTER and d.state.field.unknown_serial == QUARRY_SERIAL
    # The server does not know it for this user: registration is offered, with the nearest serial on the device.
    assert d.state.shell.flash == f"{QUARRY_SERIAL} is not known on this device. Did you mean NBR12600002?"
    assert d.state.field.nearest_serial == "NBR12600002"
    assert not d.state.field.server_not_asked
