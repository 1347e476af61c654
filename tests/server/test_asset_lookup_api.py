"""``GET /api/v1/assets/lookup`` over HTTP (in-process ASGI), on SQLite and PostgreSQL.

The seeded world (server/seed.py, 30 chassis): chassis n is NB + its SKU's model letters + 2600000+n, at site n mod 5
(fra1, ash1, sfo-edge, tyo1, syd-edge). NBG82600000 (n=0) is a GPU chassis in Helix FRA1 colo, rack R01, U1: the
demo engineer is assigned to FRA1, and Helix's customer user owns it. NBW12600003 (n=3) is a wall-mount chassis at
Quarry TYO1: another customer's, at a site the engineer is not assigned to.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from server.app import create_app
from server.seed import DEMO_PASSWORD, sid
from server.settings import Settings
from server.store import Store
from tests.support.inprocess import inprocess_client

URL = "/api/v1/assets/lookup"
FRA1_SERIAL = "NBG82600000"
TYO1_SERIAL = "NBW12600003"
NOT_FOUND = {"error": {"code": "not_found", "message": "no chassis with this serial that you may see", "details": {}}}


def headers_of(api: httpx.Client, username: str) -> dict[str, str]:
    body = {"username": username, "password": DEMO_PASSWORD, "device_name": "lookup-test"}
    enrolled = api.post("/api/v1/auth/enroll", json=body, headers={"Rackside-Protocol": "1"})
    assert enrolled.status_code == 200, enrolled.text
    return {"Authorization": f"Bearer {enrolled.json()['device_token']}", "Rackside-Protocol": "1"}


def test_a_chassis_the_caller_may_see_is_named_with_its_place(api: httpx.Client) -> None:
    expected = {
        "asset_id": sid("asset", FRA1_SERIAL),
        "serial": FRA1_SERIAL,
        "site_name": "Helix FRA1 colo",
        "rack_name": "R01",
        "u_position": 1,
    }
    for username in ("engineer", "customer", "desk"):
        headers = headers_of(api, username)
        answer = api.get(URL, params={"serial": FRA1_SERIAL}, headers=headers)
        assert answer.status_code == 200, (username, answer.text)
        assert answer.json() == expected, username
        # As typed or scanned: a label prefix, lower case and spaces are the same serial.
        typed = api.get(URL, params={"serial": " s/n: nbg82600000 "}, headers=headers)
        assert typed.status_code == 200 and typed.json() == expected, username


def test_another_organizations_chassis_answers_exactly_like_a_serial_nobody_has(api: httpx.Client) -> None:
    for username in ("customer", "engineer", "partner"):
        headers = headers_of(api, username)
        hidden = api.get(URL, params={"serial": TYO1_SERIAL}, headers=headers)
        missing = api.get(URL, params={"serial": "NBW19999999"}, headers=headers)
        assert (hidden.status_code, hidden.json()) == (404, NOT_FOUND), username
        assert (missing.status_code, missing.json()) == (404, NOT_FOUND), username
        assert hidden.headers["content-type"] == missing.headers["content-type"] == "application/json"
    # Whoever may see it gets it: the installer is assigned to Quarry TYO1.
    installer = api.get(URL, params={"serial": TYO1_SERIAL}, headers=headers_of(api, "installer"))
    assert installer.status_code == 200 and installer.json()["site_name"] == "Quarry TYO1"


@pytest.mark.parametrize(
    ("serial", "problem"),
    [
        ("<<>>", "serial has characters a label never carries: '<<>>'"),
        ("   ", "serial is empty"),
        ("S/N:", "serial has characters a label never carries: 'S/N:'"),
        ("A" * 65, "serial is longer than 64 characters"),
    ],
)
def test_a_serial_no_label_carries_is_refused_with_the_error_shape(
    api: httpx.Client, serial: str, problem: str
) -> None:
    answer = api.get(URL, params={"serial": serial}, headers=headers_of(api, "engineer"))
    assert answer.status_code == 422
    assert answer.json() == {
        "error": {
            "code": "invalid_request",
            "message": problem,
            "details": {"errors": [{"where": "query.serial", "problem": problem}]},
        }
    }


def test_a_missing_or_overlong_serial_parameter_is_an_invalid_request(api: httpx.Client) -> None:
    headers = headers_of(api, "engineer")
    for params in ({}, {"serial": ""}, {"serial": "A" * 129}):
        answer = api.get(URL, params=params, headers=headers)
        assert answer.status_code == 422, params
        assert answer.json()["error"]["code"] == "invalid_request", params


def test_without_a_token_nothing_is_answered(api: httpx.Client) -> None:
    for headers in ({"Rackside-Protocol": "1"}, {"Rackside-Protocol": "1", "Authorization": "Bearer not-a-token"}):
        answer = api.get(URL, params={"serial": FRA1_SERIAL}, headers=headers)
        assert answer.status_code == 401
        assert answer.json()["error"]["code"] == "unauthenticated"
    no_protocol = api.get(URL, params={"serial": FRA1_SERIAL})
    assert no_protocol.status_code == 426


@pytest.fixture
def tight(seeded_store: Store, db_url: str) -> Iterator[httpx.Client]:
    settings = Settings(database_url=db_url, pull_per_minute=1, pull_burst=3)
    with inprocess_client(create_app(settings, store=seeded_store)) as client:
        yield client


def test_lookups_share_the_pull_rate_of_the_device(tight: httpx.Client) -> None:
    headers = headers_of(tight, "engineer")
    answers = [
        tight.get("/api/v1/sync/changes", params={"limit": 1}, headers=headers),
        tight.get(URL, params={"serial": FRA1_SERIAL}, headers=headers),
        tight.get(URL, params={"serial": TYO1_SERIAL}, headers=headers),
        tight.get(URL, params={"serial": FRA1_SERIAL}, headers=headers),
    ]
    assert [a.status_code for a in answers] == [200, 200, 404, 429]
    assert answers[3].headers["retry-after"] == "60"
    assert answers[3].json()["error"]["code"] == "rate_limited"
    other = tight.get(URL, params={"serial": FRA1_SERIAL}, headers=headers_of(tight, "engineer"))
    assert other.status_code == 200
