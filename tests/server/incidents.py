"""Incidents written through the push path at chosen instants, for the SLA report's tests (server and device).

``world`` writes, at Helix FRA1 (Europe/Berlin) under SC-A-PLAT-2026 (ProSupport Plus Mission Critical: a major
incident gets 2 h response and 4 h restore, round the clock), from T0 = Mon 14 Sep 2026 12:00Z:

    A  received T0, the engineer arrives T0 + 1 h (responds, one visit), restored T0 + 3 h: met, met
    B  received T0 + 10 min, nothing since: both clocks missed once their due times pass

and one incident of Quarry Edge Networks (another customer) under SC-B-SILV-2026 at T0. September is apart from the
seed's own incidents (late October and November).
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from server.accounts import Caller, authenticate, enroll
from server.apply import push
from server.seed import DEMO_PASSWORD, sid
from server.store import Store
from sync import codec
from sync.domain.commands import Command, MoveIncident, OpenTicket, StartVisit
from sync.domain.incident import IncidentStatus
from sync.domain.service import Severity
from sync.protocol import CommandEnvelope, ResultStatus

T0 = datetime(2026, 9, 14, 12, 0, tzinfo=UTC)


def caller_of(store: Store, username: str) -> Caller:
    _device, token, _user = enroll(store.engine, username=username, password=DEMO_PASSWORD, device_name="t", now=T0)
    return authenticate(store.engine, token)


def send(store: Store, caller: Caller, command: Command, at: datetime) -> None:
    envelope = CommandEnvelope(command_id=str(uuid.uuid4()), type=command.type_name, payload=codec.dump(command))
    [result] = push(store, caller, [envelope], now=at, max_skew=timedelta(days=1))
    assert result.status is ResultStatus.APPLIED, result.error


def covered_asset(store: Store, contract_key: str, site_key: str | None) -> str:
    contract = next(r for r in store.live_records("contracts") if r.id == sid("contract", contract_key))
    assert contract.data is not None
    assets = {r.id: json.loads(r.data) for r in store.live_records("assets") if r.data}
    return next(
        a
        for a in json.loads(contract.data)["asset_ids"]
        if site_key is None or assets[a].get("site_id") == sid("site", site_key)
    )


def world(store: Store) -> None:
    desk, engineer = caller_of(store, "desk"), caller_of(store, "engineer")
    helix = covered_asset(store, "A-PLAT", "fra1")
    a, b, other = (str(uuid.uuid4()) for _ in range(3))
    send(store, desk, OpenTicket(ticket_id=a, asset_id=helix, symptom="PSU fault", severity=Severity.MAJOR), T0)
    send(
        store,
        desk,
        OpenTicket(ticket_id=b, asset_id=helix, symptom="fan noise", severity=Severity.MAJOR),
        T0 + timedelta(minutes=10),
    )
    send(store, engineer, StartVisit(visit_id=str(uuid.uuid4()), asset_id=helix, ticket_id=a), T0 + timedelta(hours=1))
    send(store, desk, MoveIncident(ticket_id=a, to_status=IncidentStatus.RESTORED), T0 + timedelta(hours=3))
    quarry = covered_asset(store, "B-SILV", None)
    send(store, desk, OpenTicket(ticket_id=other, asset_id=quarry, symptom="dead", severity=Severity.MINOR), T0)
