"""A small server world for photo tests (two organizations, three users, one chassis), and an in-process HTTP
transport that can drop a connection part-way through a request body, as a weak mobile link does.

The demo seed takes seconds (password hashing for every demo user); this world writes its users and devices
straight into the tables, so it is built in a fraction of that, once per backend per module.
"""

from __future__ import annotations

import asyncio
import json
import urllib.parse
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import anyio.from_thread
import httpx
from sqlalchemy import insert
from starlette.types import ASGIApp, Message

from server.accounts import hash_token
from server.app import create_app
from server.blobs.s3 import S3BlobStore
from server.blobs.store import BlobStore, DirectoryBlobStore
from server.db import make_engine
from server.migrate import upgrade
from server.settings import Settings
from server.store import RecordWrite, Store
from server.tables import devices, users
from sync import codec
from sync.domain.asset import Asset
from sync.domain.entity import Entity, keys_of
from sync.domain.org import Role

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
BASE_URL = "http://rackside.test"
PIECE = 16 * 1024  # body bytes per ASGI message, as a server reads them off a socket
ASSET_ID = "asset-photo-1"


class CuttingTransport(httpx.BaseTransport):
    """Calls the app in-process; ``cut_after(n)`` makes the next request with a body lose its connection after
    ``n`` body bytes reached the server. ``body_bytes`` counts what reached it, the bytes a link really carried."""

    def __init__(self, app: ASGIApp, portal: anyio.from_thread.BlockingPortal) -> None:
        self._app = app
        self._portal = portal
        self._cuts: list[int | None] = []
        self.body_bytes = 0
        self.cuts_done = 0

    def cut_after(self, *offsets: int | None) -> None:
        """One entry per coming request with a body: drop it after that many bytes, or None to let it through."""
        self._cuts.extend(offsets)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        cut = self._cuts.pop(0) if body and self._cuts else None
        status, headers, content, dropped = self._portal.call(self._call, request, body, cut)
        if dropped:
            self.cuts_done += 1
            raise httpx.RemoteProtocolError("connection dropped mid-request", request=request)
        return httpx.Response(status, headers=headers, content=content, request=request)

    async def _call(
        self, request: httpx.Request, body: bytes, cut: int | None
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes, bool]:
        limit = len(body) if cut is None else min(cut, len(body))
        sent = 0
        dropped = False
        answer: dict[str, Any] = {"status": 500, "headers": [], "body": b""}
        done = asyncio.Event()

        delivered = False  # the whole body (maybe empty) was handed over: like a server, wait for the answer

        async def receive() -> Message:
            nonlocal sent, dropped, delivered
            if cut is not None and sent >= limit:
                dropped = True
                return {"type": "http.disconnect"}
            if delivered:
                await done.wait()
                return {"type": "http.disconnect"}
            piece = body[sent : min(sent + PIECE, limit)]
            sent += len(piece)
            self.body_bytes += len(piece)
            delivered = sent >= len(body)
            return {"type": "http.request", "body": piece, "more_body": not delivered}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"], answer["headers"] = message["status"], list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                answer["body"] += message.get("body", b"")
                if not message.get("more_body"):
                    done.set()

        raw_path = request.url.raw_path.split(b"?", 1)[0]
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": request.method,
            "scheme": "http",
            "path": urllib.parse.unquote(raw_path.decode("ascii")),
            "raw_path": raw_path,
            "root_path": "",
            "query_string": request.url.query,
            "headers": [(k.lower(), v) for k, v in request.headers.raw],
            "client": ("127.0.0.1", 50000),
            "server": ("rackside.test", 80),
        }
        await self._app(scope, receive, send)
        return int(answer["status"]), answer["headers"], bytes(answer["body"]), dropped


@dataclass
class World:
    backend: str
    db_url: str
    store: Store
    blobs: BlobStore
    tokens: dict[str, str] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)

    def stored_names(self) -> list[str]:
        """Everything the blob store holds, staging included: file paths below the folder, or object keys below
        the bucket's prefix. A test compares these before and after a request, whichever store runs."""
        if isinstance(self.blobs, S3BlobStore):
            s3 = self.blobs
            pages = s3.client.get_paginator("list_objects_v2").paginate(Bucket=s3.bucket, Prefix=s3.prefix)
            return sorted(str(o["Key"])[len(s3.prefix) :] for page in pages for o in page.get("Contents", []))
        assert isinstance(self.blobs, DirectoryBlobStore)
        root = self.blobs.root
        return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())

    def stored_copies(self, data: bytes) -> int:
        """How many stored blobs (not uploads in progress) hold exactly ``data``."""
        names = [n for n in self.stored_names() if n.startswith("blobs/")]
        return sum(1 for n in names if self.blobs.read(n.rsplit("/", 1)[1]) == data)

    def put_record(self, entity: Entity, *, scope: frozenset[str] | None = None, deleted: bool = False) -> None:
        data = codec.dump(entity)
        natural, parent = keys_of(type(entity), data)
        write = RecordWrite(
            collection=entity.collection,
            id=entity.id,
            org_id=entity.org_id,
            natural_key=natural,
            parent_key=parent,
            scope=scope if scope is not None else entity.scope_keys(),
            data=codec.dumps(data),
            blobs=entity.blob_names(),
        )
        with self.store.transaction() as txn:
            txn.write([write])
            if deleted:
                txn.delete(entity.collection, entity.id)

    def enroll_device(self, username: str) -> tuple[str, str]:
        """A new device of ``username``: (device id, token), written directly: password hashing is not under test."""
        device_id, token = f"device-{uuid.uuid4().hex[:12]}", uuid.uuid4().hex + uuid.uuid4().hex
        with self.store.engine.begin() as conn:
            conn.execute(
                insert(devices).values(
                    id=device_id, user_id=f"user-{username}", name="t", token_hash=hash_token(token), created_at=NOW
                )
            )
        return device_id, token

    def settings(self, **limits: Any) -> Settings:
        return Settings(database_url=self.db_url, **limits)

    @contextmanager
    def server(self, **limits: Any) -> Iterator[tuple[httpx.Client, CuttingTransport]]:
        """An HTTP client bound to a fresh app over this world (``limits``: blob_max_bytes, ...)."""
        app = create_app(self.settings(**limits), store=self.store, blob_store=self.blobs)
        with anyio.from_thread.start_blocking_portal() as portal:
            transport = CuttingTransport(app, portal)
            with httpx.Client(transport=transport, base_url=BASE_URL) as client:
                yield client, transport


USERS = (
    ("alice", "org-a", Role.FIELD_ENGINEER),
    ("amir", "org-a", Role.FIELD_ENGINEER),
    ("bob", "org-b", Role.FIELD_ENGINEER),
)


def build_world(backend: str, db_url: str, folder: Path, *, blobs: BlobStore | None = None) -> World:
    """The world on ``backend``, its bytes in ``blobs`` (default: a folder below ``folder``)."""
    upgrade(db_url)
    world = World(
        backend=backend,
        db_url=db_url,
        store=Store(make_engine(db_url)),
        blobs=blobs if blobs is not None else DirectoryBlobStore(folder / "blobs"),
    )
    with world.store.engine.begin() as conn:
        for username, org_id, role in USERS:
            conn.execute(
                insert(users).values(
                    id=f"user-{username}",
                    org_id=org_id,
                    username=username,
                    display_name=username.title(),
                    role=role.value,
                    password_hash="not-used",
                    active=True,
                )
            )
    for username, org_id, _role in USERS:
        world.tokens[username] = world.enroll_device(username)[1]
        world.orgs[username] = org_id
    world.put_record(Asset(id=ASSET_ID, org_id="org-a", serial="NBPHOTO0001", sku_id="sku-x", revision="A"))
    return world


def auth(world: World, username: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens[username]}", "Rackside-Protocol": "1"}


def json_error(response: httpx.Response) -> str:
    return str(json.loads(response.content)["error"]["code"])
