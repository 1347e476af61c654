"""Bad input, on SQLite and PostgreSQL: each gets a 4xx with the code docs/sync-protocol.md gives it, nothing of it
is applied, and the server goes on serving.

"Nothing applied" is checked on the server's own counter: every write takes versions from it, so a request that
wrote nothing leaves it where it was.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from server.routes.sync import MAX_PUSH_BYTES
from server.seed import CUSTOMER_A, CUSTOMER_B, DEMO_PASSWORD, sid
from server.store import Store
from sync.protocol import MAX_PULL_PAGE, MAX_PUSH_BATCH, PROTOCOL_HEADER

VERSION = {PROTOCOL_HEADER: "1"}
FRA1_ASSET = sid("asset", "NBG82600000")  # Helix Cloud (customer A), site fra1
TYO1_ASSET = sid("asset", "NBW12600003")  # Quarry Edge (customer B), site tyo1


def enroll(api: httpx.Client, username: str) -> tuple[dict[str, str], str]:
    body = {"username": username, "password": DEMO_PASSWORD, "device_name": "bad-input test"}
    answer = api.post("/api/v1/auth/enroll", json=body, headers=VERSION)
    assert answer.status_code == 200, answer.text
    return {**VERSION, "Authorization": f"Bearer {answer.json()['device_token']}"}, answer.json()["device_id"]


def note(subject_id: str, text: str = "checked") -> dict[str, Any]:
    payload = {"note_id": str(uuid.uuid4()), "subject_collection": "assets", "subject_id": subject_id, "text": text}
    return {"command_id": str(uuid.uuid4()), "type": "AddNote", "payload": payload}


def refused(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    error: dict[str, Any] = body["error"]
    assert error["code"] == code and error["message"]
    return error


def serving(api: httpx.Client, headers: dict[str, str]) -> None:
    assert api.get("/api/v1/me", headers=headers).status_code == 200
    assert api.get("/api/v1/sync/changes", params={"limit": 1}, headers=headers).status_code == 200


def push(api: httpx.Client, headers: dict[str, str], *commands: dict[str, Any]) -> list[dict[str, Any]]:
    answer = api.post("/api/v1/sync/push", json={"commands": list(commands)}, headers=headers)
    assert answer.status_code == 200, answer.text
    results: list[dict[str, Any]] = answer.json()["results"]
    return results


def test_malformed_bodies_and_commands_refuse_the_whole_batch(api: httpx.Client, seeded_store: Store) -> None:
    headers, _ = enroll(api, "engineer")
    head = seeded_store.head_version()
    good = note(FRA1_ASSET)
    json_headers = {**headers, "Content-Type": "application/json"}
    for body in (b"{not json", b'{"commands": [', b"\xff\xfe\x00", json.dumps({"commands": [good]}).encode()[:-2]):
        refused(api.post("/api/v1/sync/push", content=body, headers=json_headers), 400, "invalid_json")
    enroll_body = b'{"username": "engineer",'
    refused(
        api.post("/api/v1/auth/enroll", content=enroll_body, headers={**VERSION, **json_headers}), 400, "invalid_json"
    )

    unknown = {"command_id": str(uuid.uuid4()), "type": "TeleportChassis", "payload": {"asset_id": FRA1_ASSET}}
    error = refused(
        api.post("/api/v1/sync/push", json={"commands": [good, unknown]}, headers=headers), 422, "invalid_request"
    )
    assert error["details"] == {"code": "unknown_type", "index": 1, "command_id": unknown["command_id"]}
    broken = {**note(FRA1_ASSET), "payload": {"note_id": "n1", "text": "no subject"}}
    error = refused(
        api.post("/api/v1/sync/push", json={"commands": [good, broken]}, headers=headers), 422, "invalid_request"
    )
    assert error["details"] == {"code": "invalid_input", "index": 1, "command_id": broken["command_id"]}
    for shape in ([good], {"commands": [good], "extra": 1}, {"commands": [{**good, "command_id": "short"}]}):
        error = refused(api.post("/api/v1/sync/push", json=shape, headers=headers), 422, "invalid_request")
        assert error["details"]["errors"]

    assert seeded_store.head_version() == head, "nothing of a refused batch was applied"
    serving(api, headers)
    # The valid command of the refused batches was never recorded: sent now, it applies for the first time.
    [result] = push(api, headers, good)
    assert result["status"] == "applied"


def test_an_unknown_protocol_version_is_refused_before_anything_else(api: httpx.Client, seeded_store: Store) -> None:
    headers, _ = enroll(api, "engineer")
    head = seeded_store.head_version()
    good = note(FRA1_ASSET)
    for version in ({PROTOCOL_HEADER: "2"}, {PROTOCOL_HEADER: "1.0"}, {PROTOCOL_HEADER: ""}, {}):
        sent = {**{k: v for k, v in headers.items() if k != PROTOCOL_HEADER}, **version}
        for response in (
            api.post("/api/v1/sync/push", json={"commands": [good]}, headers=sent),
            api.get("/api/v1/sync/changes", headers=sent),
            api.get("/api/v1/me", headers=sent),
            api.post(
                "/api/v1/auth/enroll", json={"username": "x", "password": "y", "device_name": "z"}, headers=version
            ),
        ):
            error = refused(response, 426, "protocol_unsupported")
            assert error["details"] == {"supported": [1], "received": version.get(PROTOCOL_HEADER)}
    # Checked before the token, too: an old client learns it must update, not that it must enroll again.
    refused(api.get("/api/v1/me", headers={PROTOCOL_HEADER: "2"}), 426, "protocol_unsupported")
    assert seeded_store.head_version() == head
    assert api.get("/api/v1/health").json() == {"status": "ok", "protocol": 1, "database": "ok", "blobs": "ok"}
    [result] = push(api, headers, good)
    assert result["status"] == "applied"


def test_oversize_batches_and_pages_are_refused_whole(api: httpx.Client, seeded_store: Store) -> None:
    headers, _ = enroll(api, "engineer")
    head = seeded_store.head_version()
    batch = [note(FRA1_ASSET) for _ in range(MAX_PUSH_BATCH + 1)]
    error = refused(api.post("/api/v1/sync/push", json={"commands": batch}, headers=headers), 413, "batch_too_large")
    assert error["details"] == {"max": MAX_PUSH_BATCH, "sent": MAX_PUSH_BATCH + 1}
    huge = note(FRA1_ASSET, text="x" * MAX_PUSH_BYTES)
    refused(api.post("/api/v1/sync/push", json={"commands": [huge]}, headers=headers), 413, "batch_too_large")
    assert seeded_store.head_version() == head

    pages = "/api/v1/sync/changes"
    error = refused(api.get(pages, params={"limit": MAX_PULL_PAGE + 1}, headers=headers), 422, "page_too_large")
    assert error["details"] == {"max": MAX_PULL_PAGE}
    for limit in ("0", "-5", "many"):
        refused(api.get(pages, params={"limit": limit}, headers=headers), 422, "invalid_request")
    refused(api.get(pages, params={"since": "x" * 101}, headers=headers), 422, "invalid_request")
    for cursor in ("garbage", "12", ".abc", "-1.abc"):
        refused(api.get(pages, params={"since": cursor}, headers=headers), 400, "invalid_cursor")
    # A well-formed cursor issued for another scope asks the client to start over.
    other = api.get(pages, params={"since": "5.0123456789abcdef"}, headers=headers).json()
    assert (other["changes"], other["has_more"], other["reset"]) == ([], True, True)

    full = api.get(pages, params={"limit": MAX_PULL_PAGE}, headers=headers)
    assert full.status_code == 200 and full.json()["changes"]
    [result] = push(api, headers, batch[0])
    assert result["status"] == "applied"


def test_commands_touching_another_organizations_records_are_rejected_alone_and_leak_nothing(
    api: httpx.Client, seeded_store: Store
) -> None:
    with seeded_store.transaction() as txn:
        mine, theirs = txn.get("assets", FRA1_ASSET), txn.get("assets", TYO1_ASSET)
    assert mine is not None and mine.org_id == CUSTOMER_A
    assert theirs is not None and theirs.org_id == CUSTOMER_B
    # A service partner engineer: Rhein Field Services services Helix Cloud (customer A) at fra1, not Quarry Edge.
    headers, _ = enroll(api, "partner")
    head = seeded_store.head_version()
    allowed = note(FRA1_ASSET, "fan wall replaced")
    foreign_note = note(TYO1_ASSET, "peeking")
    foreign_asset = {
        "command_id": str(uuid.uuid4()),
        "type": "RegisterAsset",
        "payload": {
            "asset_id": str(uuid.uuid4()),
            "serial": "NBR29990001",
            "sku_id": sid("sku", "R2"),
            "revision": "B",
            "owner_org_id": CUSTOMER_B,
        },
    }
    results = push(api, headers, foreign_note, allowed, foreign_asset)

    assert [r["status"] for r in results] == ["rejected", "applied", "rejected"]
    assert results[0]["error"]["code"] == "not_found" and results[0]["records"] == []
    assert results[2]["error"]["code"] == "forbidden" and results[2]["records"] == []
    assert TYO1_ASSET not in json.dumps(results[0]["error"]["details"])
    assert seeded_store.head_version() == head + 1, "only the allowed note was written"
    with seeded_store.transaction() as txn:
        assert txn.find("assets", "NBR29990001") is None
        assert txn.get("notes", foreign_note["payload"]["note_id"]) is None
    # A rejection is final for its command id.
    again = push(api, headers, foreign_note)
    assert (again[0]["status"], again[0]["first_status"]) == ("duplicate", "rejected")
    assert again[0]["error"] == results[0]["error"]
    serving(api, headers)


def test_missing_unknown_and_revoked_tokens_are_locked_out(api: httpx.Client, seeded_store: Store) -> None:
    phone, phone_id = enroll(api, "engineer")
    laptop, _ = enroll(api, "engineer")
    head = seeded_store.head_version()
    for headers in (
        VERSION,
        {**VERSION, "Authorization": "Bearer not-a-token"},
        {**VERSION, "Authorization": "Basic x"},
    ):
        refused(api.get("/api/v1/me", headers=headers), 401, "unauthenticated")
        refused(api.get("/api/v1/sync/changes", headers=headers), 401, "unauthenticated")
        refused(
            api.post("/api/v1/sync/push", json={"commands": [note(FRA1_ASSET)]}, headers=headers),
            401,
            "unauthenticated",
        )
    wrong = {"username": "engineer", "password": "not-the-password", "device_name": "thief"}
    refused(api.post("/api/v1/auth/enroll", json=wrong, headers=VERSION), 401, "bad_credentials")

    desk, _ = enroll(api, "desk")
    refused(api.post(f"/api/v1/auth/devices/{phone_id}/revoke", headers=desk), 403, "forbidden")
    refused(api.post(f"/api/v1/auth/devices/{uuid.uuid4()}/revoke", headers=laptop), 404, "not_found")
    revoked = api.post(f"/api/v1/auth/devices/{phone_id}/revoke", headers=laptop)
    assert revoked.status_code == 200 and revoked.json() == {"device_id": phone_id, "revoked": True}

    refused(api.get("/api/v1/me", headers=phone), 401, "device_revoked")
    refused(api.get("/api/v1/sync/changes", headers=phone), 401, "device_revoked")
    refused(api.post("/api/v1/sync/push", json={"commands": [note(FRA1_ASSET)]}, headers=phone), 401, "device_revoked")
    assert seeded_store.head_version() == head
    admin, _ = enroll(api, "admin")
    again = api.post(f"/api/v1/auth/devices/{phone_id}/revoke", headers=admin)
    assert again.status_code == 200 and again.json() == {"device_id": phone_id, "revoked": False}
    # The same user's other device is untouched.
    serving(api, laptop)
    assert push(api, laptop, note(FRA1_ASSET))[0]["status"] == "applied"
