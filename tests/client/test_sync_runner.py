from __future__ import annotations

import random
from collections.abc import Callable

import httpx
from sqlalchemy import text

from app.services.sync_status import SyncPhase, SyncRunner
from sync.domain.errors import InvalidInput
from sync.engine import Backoff
from sync.transport import HttpTransport
from tests.client.conftest import Device


def _unreachable() -> HttpTransport:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    return HttpTransport("http://offline.test", token="t", client=httpx.Client(transport=httpx.MockTransport(refuse)))


def test_no_connection_is_reported_as_offline_with_growing_backoff(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    runner = SyncRunner(d.client.store, _unreachable, backoff=Backoff(base=2, cap=60, rng=random.Random(1)))
    status = runner.run_once()
    assert status.phase is SyncPhase.OFFLINE and "kept on this device" in str(status.message)
    delays = [runner.next_delay(30) for _ in range(6)]
    assert all(1 <= d <= 60 for d in delays)
    assert runner.backoff.failures == 6


def test_a_healthy_round_reports_synced_and_resets_backoff(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.runner.backoff.failures = 4
    status = d.runner.run_once()
    assert status.phase is SyncPhase.SYNCED
    assert d.runner.backoff.failures == 0
    assert d.runner.next_delay(30) == 30


def test_listeners_see_progress_while_a_round_pushes(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.field.scan("NBR22600001")
    d.state.field.start_visit()
    seen = []
    d.runner.listen(seen.append)
    d.runner.run_once()
    phases = [s.phase for s in seen]
    assert phases[0] is SyncPhase.SYNCING and phases[-1] is SyncPhase.SYNCED
    assert any(s.pushed == 1 for s in seen)


def _answering(status: int, code: str) -> Callable[[], HttpTransport]:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json={"error": {"code": code, "message": code, "details": {}}})

    return lambda: HttpTransport(
        "http://old.test", token="t", client=httpx.Client(transport=httpx.MockTransport(answer))
    )


def test_an_app_too_old_for_the_server_keeps_its_outbox_until_updated(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    d.state.field.scan("NBR22600001")
    d.state.field.start_visit()
    runner = SyncRunner(d.client.store, _answering(426, "protocol_unsupported"))
    status = runner.run_once()
    assert status.phase is SyncPhase.NEEDS_UPDATE
    assert d.client.store.pending_count() == 1 and d.client.store.identity() is not None


def test_a_revoked_device_is_locked_out_and_wipes_its_local_data(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    identity = d.client.store.identity()
    assert identity is not None and d.client.store.count("assets") > 0
    admin = device("admin")
    admin_identity = admin.client.store.identity()
    assert admin_identity is not None
    assert d.client.http is not None
    answer = d.client.http.post(
        f"/api/v1/auth/devices/{identity.device_id}/revoke",
        headers={"Rackside-Protocol": "1", "Authorization": f"Bearer {admin_identity.token}"},
    )
    assert answer.status_code == 200
    status = d.runner.run_once()
    assert status.phase is SyncPhase.REVOKED
    assert d.client.store.identity() is None and d.client.store.count("assets") == 0


def test_a_probe_between_rounds_finds_a_lost_connection_at_once(device: Callable[[str], Device]) -> None:
    d = device("engineer")
    assert d.runner.run_once().phase is SyncPhase.SYNCED
    assert d.runner.probe() is True
    assert d.runner.status.phase is SyncPhase.SYNCED
    cut = SyncRunner(d.client.store, _unreachable)
    assert cut.status.phase is SyncPhase.SYNCED
    assert cut.probe() is False
    assert cut.status.phase is SyncPhase.OFFLINE and "kept on this device" in str(cut.status.message)


def test_a_round_keeps_the_board_places_of_every_incident_before_the_screens_hear_it_synced(
    device: Callable[[str], Device],
) -> None:
    d = device("desk")
    store = d.client.store
    seen: list[set[str]] = []

    def kept_places() -> set[str]:
        with store.engine.connect() as conn:
            return set(conn.execute(text("SELECT ticket_id FROM board_index")).scalars())

    with store.engine.begin() as conn:  # as on a device just updated to a version that keeps them
        conn.execute(text("DELETE FROM board_index"))
    d.runner.listen(lambda status: seen.append(kept_places()) if status.phase is SyncPhase.SYNCED else None)
    d.runner.run_once()
    incidents = set(store.stamps("tickets"))
    assert incidents and seen == [incidents]


def test_a_round_whose_derived_data_cannot_be_brought_up_to_date_still_reports_synced(
    device: Callable[[str], Device],
) -> None:
    d = device("engineer")

    def unknown_tier() -> None:
        raise InvalidInput("no tier named 'Gold': choose a tier template or the contract's own tier")

    runner = SyncRunner(d.client.store, d.client.transport, after_round=unknown_tier)
    assert runner.run_once().phase is SyncPhase.SYNCED
