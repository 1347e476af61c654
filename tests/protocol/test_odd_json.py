"""Tiny bodies that are JSON only by a stretch (nested a thousand deep, an integer past Python's 4,300-digit limit, a
lone UTF-16 surrogate; a NUL character outside a push) answer 400 ``invalid_json`` on every route that reads JSON,
never a 500, and change nothing.
"""

from __future__ import annotations

import uuid

import httpx

from server.seed import DEMO_PASSWORD
from server.store import Store
from tests.protocol.test_bad_input import FRA1_ASSET, VERSION, enroll, refused, serving

DEEP = "[" * 1000 + "]" * 1000
HUGE_INT = "1" * 4301


def _note_body(text_json: str) -> bytes:
    payload = (
        f'{{"note_id":"{uuid.uuid4()}","subject_collection":"assets","subject_id":"{FRA1_ASSET}","text":{text_json}}}'
    )
    return f'{{"commands":[{{"command_id":"{uuid.uuid4()}","type":"AddNote","payload":{payload}}}]}}'.encode()


def test_odd_json_in_a_push_is_invalid_json_and_applies_nothing(api: httpx.Client, seeded_store: Store) -> None:
    headers, _ = enroll(api, "engineer")
    before = seeded_store.head_version()
    json_headers = {**headers, "Content-Type": "application/json"}
    for odd in (DEEP, HUGE_INT, '"\\ud800"', '"a\\udc00b"', '"\\ud800\\u0041"'):
        answer = api.post("/api/v1/sync/push", content=_note_body(odd), headers=json_headers)
        refused(answer, 400, "invalid_json")
    deep_payload = f'{{"commands":[{{"command_id":"{uuid.uuid4()}","type":"AddNote","payload":{DEEP}}}]}}'
    refused(api.post("/api/v1/sync/push", content=deep_payload, headers=json_headers), 400, "invalid_json")
    refused(api.post("/api/v1/sync/push", content=DEEP, headers=json_headers), 400, "invalid_json")
    assert seeded_store.head_version() == before
    serving(api, headers)


def test_a_surrogate_pair_that_is_whole_is_ordinary_text(api: httpx.Client) -> None:
    headers, _ = enroll(api, "engineer")
    json_headers = {**headers, "Content-Type": "application/json"}
    answer = api.post("/api/v1/sync/push", content=_note_body('"rack \\ud83d\\ude00 ok"'), headers=json_headers)
    assert answer.status_code == 200, answer.text
    assert answer.json()["results"][0]["status"] == "applied"


def test_odd_json_at_enrollment_is_invalid_json(api: httpx.Client) -> None:
    # A NUL in the user name answered 500 on PostgreSQL (its text cannot hold one): found by schemathesis.
    for odd in (DEEP, HUGE_INT, '"\\ud800"', '"eng\\u0000ineer"'):
        body = f'{{"username":{odd},"password":"{DEMO_PASSWORD}","device_name":"x"}}'
        answer = api.post("/api/v1/auth/enroll", content=body, headers={**VERSION, "Content-Type": "application/json"})
        refused(answer, 400, "invalid_json")
        answer = api.post("/api/v1/auth/enroll", content=odd, headers={**VERSION, "Content-Type": "application/json"})
        refused(answer, 400, "invalid_json")
