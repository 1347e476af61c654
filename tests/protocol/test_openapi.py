"""schemathesis against a live server (a real uvicorn process over a seeded database, SQLite and PostgreSQL) with a
real device token and the server's own /api/openapi.json: zero 5xx, and every answer's status code, content type,
headers and body as the document says. Bounded in ``make test`` (a few examples per operation, a time cap); longer
under ``make stress``. The run's figures (operations, test cases, failures) are printed and kept in the test's log."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from server.seed import DEMO_PASSWORD
from tests.conftest import database_url
from tests.e2e.processes import ROOT, free_port, rackside, stop, wait_http

CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
        "response_headers_conformance",
    )
)


@pytest.fixture
def live_server(backend: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """(base URL, device token) of a seeded server process."""
    url = database_url(backend, tmp_path)
    env = {"RACKSIDE_DATABASE_URL": url, "RACKSIDE_BLOB_DIR": str(tmp_path / "blobs")}
    seeding = subprocess.run(
        [sys.executable, "-m", "rackside.cli", "seed", "--assets", "5"],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeding.returncode == 0, seeding.stderr
    port = free_port()
    proc = rackside("server", "--port", str(port), env=env, log=tmp_path / "server.log")
    try:
        base = f"http://127.0.0.1:{port}"
        wait_http(base + "/api/v1/health")
        body = {"username": "engineer", "password": DEMO_PASSWORD, "device_name": "schemathesis"}
        enrolled = httpx.post(base + "/api/v1/auth/enroll", json=body, headers={"Rackside-Protocol": "1"}, timeout=30)
        assert enrolled.status_code == 200, enrolled.text
        yield base, enrolled.json()["device_token"]
    finally:
        stop(proc)


def test_the_live_server_answers_as_its_openapi_document_says(
    live_server: tuple[str, str], stress: bool, tmp_path: Path
) -> None:
    base, token = live_server
    examples, seconds = (100, 600) if stress else (3, 40)
    run = subprocess.run(
        [
            str(Path(sys.executable).with_name("schemathesis")),
            "--no-color",
            "run",
            f"{base}/api/openapi.json",
            "--header",
            f"Authorization: Bearer {token}",
            "--checks",
            CHECKS,
            "--max-examples",
            str(examples),
            "--max-time",
            str(seconds),
            "--workers",
            "1",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    summary = run.stdout[run.stdout.find("SUMMARY") :]
    print(summary)  # the figures for the record: operations, test cases, failures
    assert run.returncode == 0, run.stdout[-6000:] + run.stderr[-2000:]
    tested = re.search(r"Tested: (\d+)", summary)
    cases = re.search(r"(\d+) generated, (\d+) passed", summary)
    assert tested is not None and int(tested.group(1)) == 11  # every operation of the API
    assert cases is not None and int(cases.group(1)) == int(cases.group(2)) > 0


def test_the_document_requires_the_headers_and_describes_bodies_and_errors(api: httpx.Client) -> None:
    document = api.get("/api/openapi.json").json()
    operations = {(m, p): op for p, ops in document["paths"].items() for m, op in ops.items()}
    assert sorted(operations) == [
        ("get", "/api/v1/assets/lookup"),
        ("get", "/api/v1/blobs/{name}"),
        ("get", "/api/v1/health"),
        ("get", "/api/v1/me"),
        ("get", "/api/v1/reports/sla-attainment.csv"),
        ("get", "/api/v1/sync/changes"),
        ("head", "/api/v1/blobs/{name}"),
        ("post", "/api/v1/auth/devices/{device_id}/revoke"),
        ("post", "/api/v1/auth/enroll"),
        ("post", "/api/v1/sync/push"),
        ("put", "/api/v1/blobs/{name}"),
    ]
    assert document["components"]["securitySchemes"]["device"] == {
        "type": "http",
        "scheme": "bearer",
        "description": "the device token from enrollment",
    }
    for (method, path), op in operations.items():
        if path == "/api/v1/health":
            continue
        [protocol] = [p for p in op["parameters"] if p["in"] == "header" and p["name"] == "Rackside-Protocol"]
        assert protocol["required"] is True and protocol["schema"]["enum"] == ["1"]
        assert op.get("security") == (None if path == "/api/v1/auth/enroll" else [{"device": []}])
        assert "426" in op["responses"] and "500" in op["responses"]
        for status, answer in op["responses"].items():
            if status.startswith(("4", "5")) and method != "head":
                assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
    push = operations[("post", "/api/v1/sync/push")]
    assert push["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PushRequest"}
    assert sorted(push["responses"]) == ["200", "400", "401", "413", "422", "426", "429", "500"]
    put = operations[("put", "/api/v1/blobs/{name}")]
    assert put["requestBody"]["required"] is True
    assert sorted(put["responses"]) == [
        "200",
        "201",
        "202",
        "400",
        "401",
        "409",
        "413",
        "415",
        "422",
        "426",
        "429",
        "500",
    ]
    [name] = [p for p in put["parameters"] if p["name"] == "name"]
    assert name["schema"]["pattern"] == "^[0-9a-f]{64}$"
    changes = operations[("get", "/api/v1/sync/changes")]
    [since] = [p for p in changes["parameters"] if p["name"] == "since"]
    assert since["schema"]["pattern"] == r"^$|^[0-9]{1,18}\.[0-9a-z]{1,64}$"
    assert sorted(changes["responses"]) == ["200", "400", "401", "422", "426", "429", "500"]
    assert "HTTPValidationError" not in document["components"]["schemas"]
    report = operations[("get", "/api/v1/reports/sla-attainment.csv")]
    assert sorted(report["responses"]) == ["200", "401", "403", "422", "426", "500"]
    assert report["responses"]["200"]["content"] == {"text/csv": {"schema": {"type": "string"}}}
    assert sorted(p["name"] for p in report["parameters"] if p["in"] == "query") == ["from", "to"]
    lookup = operations[("get", "/api/v1/assets/lookup")]
    assert sorted(lookup["responses"]) == ["200", "401", "404", "422", "426", "429", "500"]
    assert lookup["responses"]["200"]["content"] == {
        "application/json": {"schema": {"$ref": "#/components/schemas/AssetLookup"}}
    }
    assert sorted(document["components"]["schemas"]["AssetLookup"]["required"]) == ["asset_id", "serial"]
    [serial] = [p for p in lookup["parameters"] if p["in"] == "query"]
    assert (serial["name"], serial["required"]) == ("serial", True)
    assert (serial["schema"]["minLength"], serial["schema"]["maxLength"]) == (1, 128)
