"""``GET /api/v1/reports/sla-attainment.csv`` over HTTP (in-process ASGI), on SQLite and PostgreSQL.

The incidents are tests/server/incidents.py's ``world``, written in September 2026, long before the request, so
their clocks as of the request are settled. Helix FRA1 is in Europe/Berlin: in CEST, September runs from
2026-08-31T22:00Z to 2026-09-30T22:00Z. Helix's users must not see Quarry Edge Networks' incident.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

import httpx

from server.seed import CUSTOMER_A, DEMO_PASSWORD, sid
from server.store import Store
from tests.server.incidents import world

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


def token_of(api: httpx.Client, username: str) -> dict[str, str]:
    body = {"username": username, "password": DEMO_PASSWORD, "device_name": "report-test"}
    enrolled = api.post("/api/v1/auth/enroll", json=body, headers={"Rackside-Protocol": "1"})
    assert enrolled.status_code == 200, enrolled.text
    return {"Authorization": f"Bearer {enrolled.json()['device_token']}", "Rackside-Protocol": "1"}


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
