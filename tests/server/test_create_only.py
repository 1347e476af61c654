"""Issue 9's reproductions, over HTTP on SQLite and PostgreSQL: a create naming another organization's record by id
used to replace it. Now it is refused (``already_exists``), the record is untouched, and nobody gets a tombstone."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from server.accounts import enroll
from server.seed import CUSTOMER_B, DEMO_PASSWORD, sid
from server.store import Store
from sync.protocol import PROTOCOL_HEADER

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def headers(store: Store, username: str) -> dict[str, str]:
    _device, token, _user = enroll(store.engine, username=username, password=DEMO_PASSWORD, device_name="t", now=NOW)
    return {PROTOCOL_HEADER: "1", "Authorization": f"Bearer {token}"}


def push(api: httpx.Client, auth: dict[str, str], type_name: str, payload: dict[str, Any]) -> dict[str, Any]:
    command = {"command_id": str(uuid.uuid4()), "type": type_name, "payload": payload}
    answer = api.post("/api/v1/sync/push", json={"commands": [command]}, headers=auth)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()["results"][0]
    return result


def stored(store: Store, collection: str, record_id: str) -> tuple[int, dict[str, Any]]:
    with store.transaction() as txn:
        found = txn.get(collection, record_id)
    assert found is not None and found.data is not None
    return found.version, json.loads(found.data)


def pulled(api: httpx.Client, auth: dict[str, str]) -> list[dict[str, Any]]:
    answer = api.get("/api/v1/sync/changes", params={"limit": 10000}, headers=auth)
    assert answer.status_code == 200, answer.text
    changes: list[dict[str, Any]] = answer.json()["changes"]
    return changes


def quarrys_numbered_rma(store: Store) -> str:
    with store.transaction() as txn:
        for number in range(1, 50):
            found = txn.find("rmas", f"RMA-2026-{number:06d}")
            if found is not None and found.data is not None and json.loads(found.data)["org_id"] == CUSTOMER_B:
                return found.id
    raise AssertionError("the seeded world has no numbered RMA of Quarry's")


def test_a_partner_cannot_overwrite_another_organizations_rma_by_drafting_one_with_its_id(
    api: httpx.Client, seeded_store: Store
) -> None:
    installer = headers(seeded_store, "installer")  # Quarry's Tokyo site: sees the RMA
    cursor_before = {c["id"] for c in pulled(api, installer) if c["collection"] == "rmas"}
    rma_id = quarrys_numbered_rma(seeded_store)
    assert rma_id in cursor_before
    version, before = stored(seeded_store, "rmas", rma_id)
    partner = headers(seeded_store, "partner")
    fra1_asset = next(c["id"] for c in pulled(api, partner) if c["collection"] == "assets")

    result = push(
        api, partner, "DraftRma", {"rma_id": rma_id, "asset_id": fra1_asset, "model": "standard", "symptom": "x"}
    )

    assert result["status"] == "rejected"
    assert result["error"]["code"] == "already_exists"
    # The server copy sent back is the partner's own chassis only: nothing of the RMA.
    assert [(r["collection"], r["id"]) for r in result["records"]] == [("assets", fra1_asset)]
    assert CUSTOMER_B not in json.dumps(result) and before["number"] not in json.dumps(result)
    assert stored(seeded_store, "rmas", rma_id) == (version, before)
    assert not [c for c in pulled(api, installer) if c["id"] == rma_id and c.get("deleted")]


def test_a_swap_cannot_rewrite_an_existing_return_obligation(api: httpx.Client, seeded_store: Store) -> None:
    engineer = headers(seeded_store, "engineer")
    changes = pulled(api, engineer)
    obligations = [c for c in changes if c["collection"] == "return_obligations" and not c.get("deleted")]
    assert obligations, "the engineer sees no return obligation in the seeded world"
    obligation_id = obligations[0]["id"]
    version, before = stored(seeded_store, "return_obligations", obligation_id)
    asset = next(c for c in changes if c["collection"] == "assets" and c["data"].get("site_id"))

    result = push(
        api,
        engineer,
        "SwapFru",
        {
            "swap_id": str(uuid.uuid4()),
            "asset_id": asset["id"],
            "visit_id": None,
            "slot": "fan",
            "removed_serial": "OLD-SERIAL",
            "installed_serial": "NEW-SERIAL",
            "from_location_id": sid("loc", "van-engineer"),
            "error_code": "",
            "reason": "x",
            "obligation_id": obligation_id,
        },
    )

    assert (result["status"], result["error"]["code"]) == ("rejected", "already_exists")
    assert stored(seeded_store, "return_obligations", obligation_id) == (version, before)


def test_registering_a_chassis_cannot_take_over_another_organizations_chassis_by_id(
    api: httpx.Client, seeded_store: Store
) -> None:
    engineer = headers(seeded_store, "engineer")
    tyo1 = sid("site", "tyo1")
    quarry_asset = next(
        c["id"]
        for c in pulled(api, headers(seeded_store, "installer"))
        if c["collection"] == "assets" and c["data"].get("site_id") == tyo1
    )
    version, before = stored(seeded_store, "assets", quarry_asset)

    result = push(
        api,
        engineer,
        "RegisterAsset",
        {
            "asset_id": quarry_asset,
            "serial": "NBZ99999999",
            "sku_id": sid("sku", "R2"),
            "revision": "A",
            "owner_org_id": before["org_id"],
        },
    )

    assert (result["status"], result["error"]["code"]) == ("rejected", "already_exists")
    assert stored(seeded_store, "assets", quarry_asset) == (version, before)
