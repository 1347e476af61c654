"""Operations: /metrics (Prometheus, token only), request ids, JSON logs that keep secrets out, and a server
process that finishes a push in flight when told to stop."""

from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from server.app import create_app
from server.db import make_engine
from server.logs import REQUEST_ID, JsonFormatter
from server.migrate import upgrade
from server.seed import DEMO_PASSWORD, seed
from server.settings import Settings
from server.store import Store
from sync.protocol import PROTOCOL_HEADER
from tests.conftest import database_url
from tests.e2e.processes import free_port, rackside, stop, wait_http
from tests.support.inprocess import inprocess_client

PROTOCOL = {PROTOCOL_HEADER: "1"}


def enroll(http: httpx.Client) -> dict[str, str]:
    answer = http.post(
        "/api/v1/auth/enroll",
        json={"username": "engineer", "password": DEMO_PASSWORD, "device_name": "ops-test"},
        headers=PROTOCOL,
    )
    assert answer.status_code == 200, answer.text
    return {**PROTOCOL, "Authorization": f"Bearer {answer.json()['device_token']}"}


def note_batch(http: httpx.Client, auth: dict[str, str], count: int) -> dict[str, object]:
    page = http.get("/api/v1/sync/changes", params={"limit": 1000}, headers=auth).json()
    asset = next(c for c in page["changes"] if c["collection"] == "assets" and c["data"])
    return {
        "commands": [
            {
                "command_id": str(uuid.uuid4()),
                "type": "AddNote",
                "payload": {
                    "note_id": str(uuid.uuid4()),
                    "subject_collection": "assets",
                    "subject_id": asset["id"],
                    "text": f"note {n}",
                },
                "device_time": datetime.now(UTC).isoformat(),
            }
            for n in range(count)
        ]
    }


@pytest.fixture
def ops_app(seeded_store: Store, db_url: str) -> Iterator[httpx.Client]:
    app = create_app(Settings(database_url=db_url, metrics_token="scrape-token-1"), store=seeded_store)
    with inprocess_client(app) as client:
        yield client


def test_metrics_need_the_scrape_token_and_count_pushes_pulls_and_refusals(ops_app: httpx.Client) -> None:
    auth = enroll(ops_app)
    assert ops_app.post("/api/v1/sync/push", json=note_batch(ops_app, auth, 3), headers=auth).status_code == 200
    assert ops_app.get("/api/v1/sync/changes", params={"since": "x"}, headers=auth).status_code == 400

    assert ops_app.get("/metrics").status_code == 401
    assert ops_app.get("/metrics", headers={"Authorization": "Bearer wrong"}).json()["error"]["code"] == (
        "unauthenticated"
    )
    scraped = ops_app.get("/metrics", headers={"Authorization": "Bearer scrape-token-1"})
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    samples = {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in scraped.text.splitlines()
        if line and not line.startswith("#")
    }
    # The metric objects are per process and other tests push too: the figures are at least this test's.
    assert samples['rackside_push_commands_total{status="applied"}'] >= 3
    assert samples['rackside_rejections_total{code="invalid_cursor",kind="request"}'] >= 1
    assert samples['rackside_http_requests_total{method="POST",route="/api/v1/sync/push",status="200"}'] >= 1
    assert samples['rackside_http_request_duration_seconds_count{method="GET",route="/api/v1/sync/changes"}'] >= 2
    assert samples["rackside_push_batch_commands_count"] >= 1 and samples["rackside_pull_page_records_count"] >= 1


@pytest.mark.parametrize("backend", ["sqlite"])
def test_metrics_are_off_without_a_token(api: httpx.Client) -> None:
    answer = api.get("/metrics", headers={"Authorization": "Bearer anything"})
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("backend", ["sqlite"])
def test_every_answer_carries_a_request_id_kept_from_the_proxy_when_it_looks_like_one(api: httpx.Client) -> None:
    assert api.get("/api/v1/health", headers={"X-Request-ID": "lb-7f3a.2"}).headers["x-request-id"] == "lb-7f3a.2"
    made = api.get("/api/v1/health", headers={"X-Request-ID": "no spaces\nor newlines"}).headers["x-request-id"]
    assert len(made) == 32 and made != api.get("/api/v1/health").headers["x-request-id"]
    assert api.get("/nowhere").headers["x-request-id"]


def test_a_json_log_line_has_the_request_id_and_no_exception_message() -> None:
    token = REQUEST_ID.set("req-1")
    try:
        raise ValueError("password=hunter2 for alice@example.com")
    except ValueError:
        record = logging.LogRecord("rackside.server", logging.ERROR, __file__, 1, "internal error: %s", ("X",), None)
        record.exc_info = sys.exc_info()
        record.route = "/api/v1/sync/push"
    finally:
        REQUEST_ID.reset(token)
    token = REQUEST_ID.set("req-1")
    line = JsonFormatter().format(record)
    REQUEST_ID.reset(token)
    entry = json.loads(line)
    assert entry["request_id"] == "req-1" and entry["message"] == "internal error: X"
    assert entry["route"] == "/api/v1/sync/push" and entry["exception"] == "ValueError"
    assert "hunter2" not in line and "alice" not in line


@pytest.mark.postgres
def test_a_server_told_to_stop_finishes_the_push_in_flight_then_exits(tmp_path: Path) -> None:
    url = database_url("postgres", tmp_path)
    upgrade(url)
    store = Store(make_engine(url))
    seed(store, assets=5)
    port = free_port()
    blobs = {"RACKSIDE_BLOB_DIR": str(tmp_path / "blobs")}
    args = ("server", "--db", url, "--port", str(port), "--workers", "2")
    server = rackside(*args, env=blobs, log=tmp_path / "server.log")
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v1/health")
        http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        auth = enroll(http)
        body = note_batch(http, auth, 5)
        answers: list[httpx.Response] = []
        with store.engine.connect() as holder:
            # Hold the version counter: the push decides, then waits to write, in flight for as long as this lasts.
            holder.execute(text("SELECT value FROM counters WHERE name = 'version' FOR UPDATE"))
            pusher = threading.Thread(
                target=lambda: answers.append(http.post("/api/v1/sync/push", json=body, headers=auth))
            )
            pusher.start()
            waiting_for_lock(store)
            os.killpg(server.pid, signal.SIGTERM)
            time.sleep(1.0)
            assert server.poll() is None, "the server exited with a push in flight"
            with pytest.raises(httpx.TransportError):
                httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2)  # no new requests once stopping
            holder.rollback()
        pusher.join(30)
        assert [a.status_code for a in answers] == [200]
        assert [r["status"] for r in answers[0].json()["results"]] == ["applied"] * 5
        assert server.wait(timeout=30) == 0
    finally:
        stop(server)
        store.engine.dispose()


HERE = "datname = current_database()"


def waiting_for_lock(store: Store) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with store.engine.connect() as conn:
            waiting = conn.execute(
                text(f"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND {HERE}")
            ).scalar_one()
        if waiting:
            return
        time.sleep(0.1)
    raise AssertionError("the push never reached the version counter")
