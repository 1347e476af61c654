from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from rackside.cli import app
from server.db import make_engine
from server.store import Store
from server.tables import assignments, users
from tests.conftest import database_url
from tests.e2e.processes import free_port, rackside, stop, wait_http


def test_user_add_hashes_the_password_and_assign_adds_scope_keys_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["user", "add", "alice", "--role", "installer", "--org", "org-1", "--db", db],
        env={"RACKSIDE_NEW_PASSWORD": "correct horse battery"},
    )
    assert added.exit_code == 0, added.output
    for _ in range(2):
        assigned = runner.invoke(app, ["user", "assign", "alice", "site:s1", "site:s2", "--db", db])
        assert assigned.exit_code == 0, assigned.output
    engine = make_engine(db)
    with engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash, users.c.role)).one()
        keys = sorted(conn.execute(select(assignments.c.scope_key)).scalars())
    engine.dispose()
    assert stored.role == "installer" and stored.password_hash.startswith("$argon2id$")
    assert "correct horse" not in stored.password_hash and "correct horse" not in added.output
    assert keys == ["site:s1", "site:s2"]


def test_user_add_refuses_an_unknown_role_and_a_short_password(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    wizard = runner.invoke(
        app,
        ["user", "add", "bob", "--role", "wizard", "--org", "o", "--db", db],
        env={"RACKSIDE_NEW_PASSWORD": "long enough pw"},
    )
    short = runner.invoke(
        app, ["user", "add", "bob", "--role", "depot", "--org", "o", "--db", db], env={"RACKSIDE_NEW_PASSWORD": "short"}
    )
    assert (wizard.exit_code, short.exit_code) == (2, 2)


def test_seed_builds_the_demo_around_the_real_now_so_its_incidents_show_their_planned_clocks(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    before = datetime.now(UTC)
    seeded = CliRunner().invoke(app, ["seed", "--assets", "20", "--db", db])
    assert seeded.exit_code == 0, seeded.output
    store = Store(make_engine(db))
    opened = sorted(
        datetime.fromisoformat(json.loads(r.data or "{}")["opened_at"]) for r in store.live_records("tickets")
    )
    store.engine.dispose()
    assert opened, "the demo has incidents"
    # The newest incident came in minutes before the seed ran, not weeks before (a fixed seed date read "breached
    # 34 days ago" on every demo incident).
    assert before - timedelta(hours=12) < opened[-1] <= datetime.now(UTC)


def _served(args: list[str], log: Path) -> tuple[list[str], list[dict[str, object]]]:
    """Start `rackside server ...` as a real process, ask it one health question, stop it; its printed lines and
    its JSON log entries."""
    port = free_port()
    proc = rackside("server", *args, "--port", str(port), log=log)
    try:
        wait_http(f"http://127.0.0.1:{port}/api/v1/health")
        assert httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200
    finally:
        stop(proc)
    lines = log.read_text().splitlines()
    printed = [line for line in lines if not line.startswith("{")]
    logged = [json.loads(line) for line in lines if line.startswith("{")]
    return [line.replace(str(port), "PORT") for line in printed], logged


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_server_prints_one_start_up_line_with_url_database_password_masked_and_blob_store_then_logs_requests(
    backend: str, tmp_path: Path
) -> None:
    url = database_url(backend, tmp_path)
    printed, logged = _served(["--db", url, "--blobs", str(tmp_path / "photos")], tmp_path / "server.log")
    shown = url if backend == "sqlite" else url.replace(":rackside@", ":***@")
    assert backend == "sqlite" or shown != url  # the test database has a password to hide
    assert printed == [
        f"Rackside server on http://127.0.0.1:PORT · database {shown} · blobs {tmp_path}/photos (folder)"
    ]
    assert ":rackside@" not in "".join(printed)
    requests = [e for e in logged if e["message"] == "request"]
    assert {(e["method"], e["route"], e["status"]) for e in requests} >= {("GET", "/api/v1/health", 200)}


def test_server_without_blobs_names_the_folder_beside_its_sqlite_file(tmp_path: Path) -> None:
    printed, _ = _served(["--db", f"sqlite:///{tmp_path / 'a.db'}"], tmp_path / "server.log")
    assert printed == [
        f"Rackside server on http://127.0.0.1:PORT · database sqlite:///{tmp_path}/a.db · blobs {tmp_path}/a.db.blobs"
        " (folder)"
    ]


def test_the_demo_says_where_its_database_lives_and_its_server_stops_and_starts_alone_while_the_ui_runs(
    tmp_path: Path,
) -> None:
    """The README's offline walkthrough, minus the browser: stop only the server, the UI keeps answering, start
    the server again; stopping the demo stops whichever server runs then."""
    data = tmp_path / "demo"
    port, ui_port = free_port(), free_port()
    log = tmp_path / "demo.log"
    demo = rackside(
        "demo", "--data", str(data), "--assets", "30", "--port", str(port), "--ui-port", str(ui_port), log=log
    )
    health, ui = f"http://127.0.0.1:{port}/api/v1/health", f"http://127.0.0.1:{ui_port}/"
    runner = CliRunner()
    try:
        wait_http(ui, timeout=120)
        printed = log.read_text()
        assert (
            f"database: {(data / 'server.db').resolve()} (SQLite; server log: {(data / 'server.log').resolve()})"
            in (printed)
        )
        assert f"`rackside demo-server stop --data {data}`" in printed
        assert httpx.get(health).status_code == 200
        stopped = runner.invoke(app, ["demo-server", "stop", "--data", str(data)])
        assert stopped.exit_code == 0 and "demo server stopped" in stopped.output
        with pytest.raises(httpx.TransportError):
            httpx.get(health, timeout=2)
        # Only the server stopped: the demo (and its client UI) runs on.
        assert demo.poll() is None and httpx.get(ui, timeout=5).status_code == 200
        # As a shell runs it: the command returns, the server it started runs on in the background.
        started = rackside("demo-server", "start", "--data", str(data), "--port", str(port), log=tmp_path / "start.log")
        assert started.wait(timeout=90) == 0, (tmp_path / "start.log").read_text()
        assert httpx.get(health).status_code == 200
        server_log = (data / "server.log").read_text()
        assert '"route":"/api/v1/health"' in server_log  # the demo's server logs its requests
    finally:
        stop(demo)
    with pytest.raises(httpx.TransportError):
        httpx.get(health, timeout=2)
    assert not (data / "server.pid").exists()
