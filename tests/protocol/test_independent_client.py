"""A client written from docs/sync-protocol.md alone, against a real server process.

It knows only httpx, plain dicts and what the document says: nothing here comes from sync/, app/ or server/. The
server is the real thing (``rackside server``: uvicorn on a free loopback port) over a SQLite file filled by
``rackside seed``.
"""

from __future__ import annotations

import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.processes import ROOT, ServerProcess

PASSWORD = "rackside-demo"  # the demo users' password, from the README
PAGE = 100  # small pages, so the walk to the end takes several


class DocClient:
    """Section 9 of the document, step by step."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30.0)
        self.headers = {"Rackside-Protocol": "1"}
        self.cursor = ""
        self.records: dict[tuple[str, str], dict[str, Any]] = {}
        self.pages: list[dict[str, Any]] = []

    def __enter__(self) -> DocClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.http.close()

    def enroll(self, username: str) -> dict[str, Any]:
        body = {"username": username, "password": PASSWORD, "device_name": f"independent {username}"}
        answer: dict[str, Any] = self.ok(self.http.post("/api/v1/auth/enroll", json=body, headers=self.headers))
        self.headers["Authorization"] = f"Bearer {answer['device_token']}"
        return answer

    def ok(self, response: httpx.Response) -> Any:
        assert response.status_code == 200, response.text
        return response.json()

    def push(self, *commands: dict[str, Any]) -> list[dict[str, Any]]:
        answer = self.ok(self.http.post("/api/v1/sync/push", json={"commands": list(commands)}, headers=self.headers))
        results: list[dict[str, Any]] = answer["results"]
        assert [r["command_id"] for r in results] == [c["command_id"] for c in commands]
        return results

    def pull(self) -> list[dict[str, Any]]:
        """Pages until has_more is false; returns every change seen, in the order received."""
        seen: list[dict[str, Any]] = []
        while True:
            params: dict[str, str | int] = {"since": self.cursor, "limit": PAGE}
            page = self.ok(self.http.get("/api/v1/sync/changes", params=params, headers=self.headers))
            assert set(page) == {"changes", "cursor", "has_more", "reset"}
            assert not page["reset"]
            self.pages.append(page)
            for change in page["changes"]:
                key = (change["collection"], change["id"])
                if change["deleted"]:
                    assert change["data"] is None
                    self.records.pop(key, None)
                else:
                    self.records[key] = change
            seen.extend(page["changes"])
            self.cursor = page["cursor"]
            if not page["has_more"]:
                return seen

    def live(self, collection: str) -> list[dict[str, Any]]:
        return [r["data"] for (c, _), r in sorted(self.records.items()) if c == collection]


def command(type_name: str, **payload: Any) -> dict[str, Any]:
    return {
        "command_id": str(uuid.uuid4()),
        "type": type_name,
        "payload": payload,
        "device_time": "2026-11-02T10:00:00+01:00",
    }


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    folder = tmp_path_factory.mktemp("independent")
    db_url = f"sqlite:///{folder / 'server.db'}"
    seeding = subprocess.run(
        [sys.executable, "-m", "rackside.cli", "seed", "--db", db_url, "--assets", "30"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert seeding.returncode == 0, seeding.stderr
    process = ServerProcess(db_url=db_url, log=folder / "server.log")
    process.start()
    yield process
    process.stop()


def test_a_client_written_from_the_document_alone_syncs_with_a_real_server(server: ServerProcess) -> None:
    health = httpx.get(server.url + "/api/v1/health").json()
    assert health == {"status": "ok", "protocol": 1, "database": "ok", "blobs": "ok"}

    with DocClient(server.url) as engineer, DocClient(server.url) as desk:
        _walk_through(server, engineer, desk)


def _walk_through(server: ServerProcess, engineer: DocClient, desk: DocClient) -> None:
    enrolled = engineer.enroll("engineer")
    assert enrolled["user"]["role"] == "field_engineer"
    assert engineer.ok(engineer.http.get("/api/v1/me", headers=engineer.headers)) == enrolled["user"]

    # The whole scope, page by page: versions ascend across pages and nothing comes twice.
    first = engineer.pull()
    versions = [c["version"] for c in first]
    assert versions == sorted(versions) and len(set(versions)) == len(versions)
    assert len(engineer.pages) > 2 and all(len(p["changes"]) == PAGE for p in engineer.pages[:-1])
    my_sites = {s["id"] for s in engineer.live("sites")}
    assert my_sites and all(a["site_id"] in my_sites for a in engineer.live("assets"))
    assert engineer.live("skus"), "the catalog is in every scope"

    # Push a note: applied, with the server's copy of what it wrote.
    asset = engineer.live("assets")[0]
    note_id = str(uuid.uuid4())
    note = command("AddNote", note_id=note_id, subject_collection="assets", subject_id=asset["id"], text=" fan loud ")
    [applied] = engineer.push(note)
    assert (applied["status"], applied["first_status"], applied["error"]) == ("applied", None, None)
    [written] = applied["records"]
    assert (written["collection"], written["id"], written["deleted"]) == ("notes", note_id, False)
    assert written["data"]["text"] == "fan loud" and written["version"] > max(versions)

    # The same command again: a duplicate carrying the first result, and nothing new on the server.
    [again] = engineer.push(note)
    assert (again["status"], again["first_status"], again["error"]) == ("duplicate", "applied", None)
    assert again["records"] == applied["records"]

    # An illegal transition: rejected with a code and the server's copy of the RMA.
    rma = next(r for r in engineer.live("rmas") if r["status"] not in ("draft", "needs_info"))
    illegal = command("AdvanceRma", rma_id=rma["id"], to_status="submitted")
    [rejected] = engineer.push(illegal)
    assert rejected["status"] == "rejected" and rejected["error"]["code"] == "illegal_transition"
    assert rejected["error"]["details"] == {
        "from": rma["status"],
        "to": "submitted",
        "words": {
            "template": "an RMA cannot go from “{current}” to “{target}”",
            "values": {
                "current": {"kind": "RmaStatus", "code": rma["status"]},
                "target": {"kind": "RmaStatus", "code": "submitted"},
            },
        },
    }
    [copy] = rejected["records"]
    assert (copy["collection"], copy["id"], copy["data"]["status"]) == ("rmas", rma["id"], rma["status"])
    [rejected_again] = engineer.push(illegal)
    assert (rejected_again["status"], rejected_again["first_status"]) == ("duplicate", "rejected")
    assert rejected_again["error"] == rejected["error"]

    # The service desk moves that chassis to a site the engineer is not assigned to.
    parts_inside = [r["id"] for r in engineer.live("parts") if r["location_id"] == asset["id"]]
    assert parts_inside, "the chassis has installed parts the engineer sees"
    desk.enroll("desk")
    desk.pull()
    elsewhere = next(r for r in desk.live("racks") if r["site_id"] not in my_sites)
    move = command(
        "RecordInstallation",
        installation_id=str(uuid.uuid4()),
        asset_id=asset["id"],
        rack_id=elsewhere["id"],
        u_position=1,
        measured_depth_mm=elsewhere["mounting_depth_mm"],
        rail_kit_id=None,
    )
    assert desk.push(move)[0]["status"] == "applied"

    # The engineer's next pull: exactly the note, then the chassis and the parts installed in it as tombstones (they
    # left the scope together: parts travel with their chassis).
    changes = engineer.pull()
    assert [(c["collection"], c["id"], c["deleted"]) for c in changes[:2]] == [
        ("notes", note_id, False),
        ("assets", asset["id"], True),
    ]
    assert sorted((c["collection"], c["id"], c["deleted"]) for c in changes[2:]) == sorted(
        ("parts", part_id, True) for part_id in parts_inside
    )
    assert changes[0] == written
    assert ("assets", asset["id"]) not in engineer.records
    # Section 5.7: out of the engineer's sight, the serial is as unknown to the engineer as one nobody has; the desk
    # sees where the chassis went (the serial as typed, in lower case, is the same serial).
    lookup = "/api/v1/assets/lookup"
    gone = engineer.http.get(lookup, params={"serial": asset["serial"]}, headers=engineer.headers)
    nobody = engineer.http.get(lookup, params={"serial": "NBZZ9999999"}, headers=engineer.headers)
    assert gone.status_code == nobody.status_code == 404 and gone.json() == nobody.json()
    assert gone.json()["error"]["code"] == "not_found"
    found = desk.ok(desk.http.get(lookup, params={"serial": asset["serial"].lower()}, headers=desk.headers))
    site = next(s for s in desk.live("sites") if s["id"] == elsewhere["site_id"])
    assert found == {
        "asset_id": asset["id"],
        "serial": asset["serial"],
        "site_name": site["name"],
        "rack_name": elsewhere["name"],
        "u_position": 1,
    }

    # Caught up: one more pull brings nothing and keeps the cursor.
    cursor = engineer.cursor
    assert engineer.pull() == [] and engineer.cursor == cursor

    # A client speaking another version is refused before anything happens.
    future = {**engineer.headers, "Rackside-Protocol": "2"}
    refused = engineer.http.post("/api/v1/sync/push", json={"commands": [command("AddNote")]}, headers=future)
    assert refused.status_code == 426 and refused.json()["error"]["code"] == "protocol_unsupported"


def test_the_document_example_client_needs_no_rackside_package() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    imports = [line for line in source.splitlines() if line.startswith(("import ", "from "))]
    assert not [line for line in imports if line.split()[1].split(".")[0] in {"sync", "app", "server"}]
