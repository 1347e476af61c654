"""``GET /api/v1/reports/sla-attainment.csv`` over HTTP (in-process ASGI), on SQLite and PostgreSQL.

Incidents are written through the push path at fixed instants in September 2026, long before the request, so their
clocks as of the request are settled (and apart from the seed's own incidents, of late October and November). At
Helix FRA1 (Europe/Berlin, CEST: September runs from 2026-08-31T22:00Z to 2026-09-30T22:00Z) under SC-A-PLAT-2026
(ProSupport Plus Mission Critical: a major incident gets 2 h response and 4 h restore, round the clock):

    A  received Mon 14 Sep 12:00Z, the engineer arrives 13:00Z (responds, one visit), restored 15:00Z: met, met
    B  received Mon 14 Sep 12:10Z, nothing since: both clocks missed

and one incident of Quarry Edge Networks (another customer) under SC-B-SILV-2026, which Helix's users must not see.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import httpx

from server.accounts import Caller, authenticate, enroll
from server.apply import push
from server.seed import CUSTOMER_A, DEMO_PASSWORD, sid
from server.store import Store
from sync import codec
from sync.domain.commands import Command, MoveIncident, OpenTicket, StartVisit
from sync.domain.incident import IncidentStatus
from sync.domain.service import Severity
from sync.protocol import CommandEnvelope, ResultStatus

T0 = datetime(2026, 9, 14, 12, 0, tzinfo=UTC)
SEPTEMBER = {"from": "2026-09", "to": "2026-09"}
URL = "/api/v1/reports/sla-attainment.csv"
HEADER = [
    "contract_id",
    "contract_number",
    "customer_id",
    "customer",
    "site_id",
    "site",
    "month",
    "month_start_utc",
    "month_end_utc",
    "incidents",
    "response_met",
    "response_missed",
    "response_open",
    "response_attainment_pct",
    "restore_met",
    "restore_missed",
    "restore_open",
    "restore_attainment_pct",
    "visited_fixes",
    "first_time_fixes",
    "first_time_fix_pct",
    "as_of_utc",
]


def caller_of(store: Store, username: str) -> Caller:
    _device, token, _user = enroll(store.engine, username=username, password=DEMO_PASSWORD, device_name="t", now=T0)
    return authenticate(store.engine, token)


def token_of(api: httpx.Client, username: str) -> dict[str, str]:
    body = {"username": username, "password": DEMO_PASSWORD, "device_name": "report-test"}
    enrolled = api.post("/api/v1/auth/enroll", json=body, headers={"Rackside-Protocol": "1"})
    assert enrolled.status_code == 200, enrolled.text
    return {"Authorization": f"Bearer {enrolled.json()['device_token']}", "Rackside-Protocol": "1"}


def send(store: Store, caller: Caller, command: Command, at: datetime) -> None:
    envelope = CommandEnvelope(command_id=str(uuid.uuid4()), type=command.type_name, payload=codec.dump(command))
    [result] = push(store, caller, [envelope], now=at, max_skew=timedelta(days=1))
    assert result.status is ResultStatus.APPLIED, result.error


def covered_asset(store: Store, contract_key: str, site_key: str | None) -> str:
    contract = json.loads(
        next(r.data for r in store.live_records("contracts") if r.id == sid("contract", contract_key))
    )
    assets = {r.id: json.loads(r.data) for r in store.live_records("assets") if r.data}
    return next(
        a for a in contract["asset_ids"] if site_key is None or assets[a].get("site_id") == sid("site", site_key)
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
    nordwind = covered_asset(store, "B-SILV", None)
    send(store, desk, OpenTicket(ticket_id=other, asset_id=nordwind, symptom="dead", severity=Severity.MINOR), T0)


def rows(answer: httpx.Response) -> list[list[str]]:
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"].startswith('attachment; filename="sla-attainment-')
    return list(csv.reader(io.StringIO(answer.text)))


HELIX_ROW = [
    sid("contract", "A-PLAT"),
    "SC-A-PLAT-2026",
    CUSTOMER_A,
    "Helix Cloud",
    sid("site", "fra1"),
    "Helix FRA1 colo",
    "2026-09",
    "2026-08-31T22:00:00Z",
    "2026-09-30T22:00:00Z",
    "2",
    "1",
    "1",
    "0",
    "50.0",
    "1",
    "1",
    "0",
    "50.0",
    "1",
    "1",
    "100.0",
]


def test_the_desk_gets_one_row_per_contract_site_and_month_of_every_customer(
    seeded_store: Store, api: httpx.Client
) -> None:
    world(seeded_store)
    got = rows(api.get(URL, params=SEPTEMBER, headers=token_of(api, "desk")))
    assert got[0] == HEADER
    helix = [r for r in got[1:] if r[0] == sid("contract", "A-PLAT")]
    assert [r[:-1] for r in helix] == [HELIX_ROW]
    as_of = datetime.fromisoformat(helix[0][-1])
    assert as_of.utcoffset() == timedelta(0) and helix[0][-1].endswith("Z")
    assert sorted(r[0] for r in got[1:]) == sorted([sid("contract", "A-PLAT"), sid("contract", "B-SILV")])


def test_a_customer_gets_only_its_own_organizations_rows(seeded_store: Store, api: httpx.Client) -> None:
    world(seeded_store)
    got = rows(api.get(URL, params=SEPTEMBER, headers=token_of(api, "customer")))
    assert [r[:-1] for r in got[1:]] == [HELIX_ROW]


def test_a_field_engineer_is_refused_with_the_error_shape(seeded_store: Store, api: httpx.Client) -> None:
    answer = api.get(URL, headers=token_of(api, "engineer"))
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "forbidden"


def test_months_are_chosen_by_from_and_to_and_bad_months_are_refused(seeded_store: Store, api: httpx.Client) -> None:
    world(seeded_store)
    desk = token_of(api, "desk")
    assert rows(api.get(URL, params={"from": "2027-01"}, headers=desk)) == [HEADER]
    assert rows(api.get(URL, params={"to": "2026-08"}, headers=desk)) == [HEADER]
    assert len(rows(api.get(URL, params=SEPTEMBER, headers=desk))) == 3
    for params in ({"from": "2026-13"}, {"to": "November"}, {"from": "2026-11", "to": "2026-10"}):
        answer = api.get(URL, params=params, headers=desk)
        assert answer.status_code == 422, params
        assert answer.json()["error"]["code"] == "invalid_request"


def test_without_a_token_or_the_protocol_header_the_report_is_refused(api: httpx.Client) -> None:
    assert api.get(URL, headers={"Rackside-Protocol": "1"}).status_code == 401
    assert api.get(URL).status_code == 426
