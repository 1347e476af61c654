"""Oversized request bodies are refused with 413 and a stable code before the server reads them (a declared
Content-Length) or as soon as they pass the cap (chunked), so a huge push never fills the server's memory."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.types import ASGIApp, Message

from server.app import create_app
from server.body_limit import MAX_JSON_BODY_BYTES
from server.routes.sync import MAX_PUSH_BYTES
from tests.photos.world import World, auth, build_world
from tests.protocol import doc
from tests.support.asgi import http_scope

MIB = 1024 * 1024


class Sent:
    def __init__(self) -> None:
        self.status = 0
        self.body = b""
        self.pulled = 0  # body bytes the server asked for


def call(app: ASGIApp, method: str, path: str, headers: dict[str, str], pieces: Iterator[bytes]) -> Sent:
    """One request straight into the ASGI app; the body comes from ``pieces`` only as fast as the server reads."""
    sent = Sent()

    async def run() -> None:
        done = asyncio.Event()

        upcoming = next(pieces, None)

        async def receive() -> Message:
            nonlocal upcoming
            piece, upcoming = upcoming, next(pieces, None) if upcoming is not None else None
            if piece is None:
                await done.wait()
                return {"type": "http.disconnect"}
            sent.pulled += len(piece)
            return {"type": "http.request", "body": piece, "more_body": upcoming is not None}

        async def send(message: Message) -> None:
            if message["type"] == "http.response.start":
                sent.status = int(message["status"])
            elif message["type"] == "http.response.body":
                sent.body += bytes(message.get("body", b""))
                if not message.get("more_body"):
                    done.set()

        scope = http_scope(method, path, headers)
        await app(scope, receive, send)

    asyncio.run(run())
    return sent


def endless(piece: bytes) -> Iterator[bytes]:
    while True:
        yield piece


def in_pieces(body: bytes) -> Iterator[bytes]:
    """A body sent in pieces of 1000 bytes, without a declared length."""
    yield from (body[i : i + 1000] for i in range(0, len(body), 1000))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("body-limits")
    built = build_world("sqlite", f"sqlite:///{folder / 'server.db'}", folder)
    yield built
    built.store.engine.dispose()


@pytest.fixture
def app(world: World) -> ASGIApp:
    return create_app(world.settings(), store=world.store)


def error(sent: Sent) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(sent.body)["error"]
    return parsed


def test_a_push_declaring_a_huge_body_is_refused_before_a_byte_is_read(app: ASGIApp, world: World) -> None:
    headers = {**auth(world, "alice"), "Content-Type": "application/json", "Content-Length": str(10 * 1024 * MIB)}
    sent = call(app, "POST", "/api/v1/sync/push", headers, endless(b"x" * MIB))
    assert sent.status == 413 and sent.pulled == 0
    assert error(sent) == {
        "code": "batch_too_large",
        "message": f"a request body here may be at most {MAX_PUSH_BYTES} bytes",
        "details": {"max_bytes": MAX_PUSH_BYTES},
    }


def test_a_chunked_push_is_refused_as_soon_as_it_passes_the_cap(app: ASGIApp, world: World) -> None:
    headers = {**auth(world, "alice"), "Content-Type": "application/json", "Transfer-Encoding": "chunked"}
    sent = call(app, "POST", "/api/v1/sync/push", headers, endless(b" " * MIB))
    assert (sent.status, error(sent)["code"]) == (413, "batch_too_large")
    assert MAX_PUSH_BYTES < sent.pulled <= MAX_PUSH_BYTES + MIB


def test_an_oversized_enrollment_is_refused_with_body_too_large(app: ASGIApp) -> None:
    headers = {"Rackside-Protocol": "1", "Content-Type": "application/json"}
    declared = call(
        app,
        "POST",
        "/api/v1/auth/enroll",
        {**headers, "Content-Length": str(MAX_JSON_BODY_BYTES + 1)},
        endless(b" " * 1024),
    )
    chunked = call(app, "POST", "/api/v1/auth/enroll", headers, endless(b" " * 1024))
    assert (declared.status, error(declared)["code"], declared.pulled) == (413, "body_too_large", 0)
    assert (chunked.status, error(chunked)["code"]) == (413, "body_too_large")
    assert error(chunked)["details"] == {"max_bytes": MAX_JSON_BODY_BYTES}


def test_a_chunked_body_within_the_cap_reaches_its_route_whole(app: ASGIApp, world: World) -> None:
    headers = {**auth(world, "alice"), "Content-Type": "application/json"}
    body = json.dumps({"commands": []}).encode() + b" " * 5000  # spread over several pieces
    sent = call(app, "POST", "/api/v1/sync/push", headers, in_pieces(body))
    assert (sent.status, json.loads(sent.body)) == (200, {"results": []})
    refused = call(app, "POST", "/api/v1/sync/push", headers, in_pieces(b'{"commands": [' + b" " * 5000))
    assert (refused.status, error(refused)["code"]) == (400, "invalid_json")  # parsed, and found wanting


def test_the_documented_body_caps_are_the_servers() -> None:
    rows = {row[0]: row[1] for row in doc.table_after(doc.section("2. Conventions"), "| name | value |")}
    assert rows["bytes per other JSON body (enrollment, revocation)"] == str(MAX_JSON_BODY_BYTES)
    assert rows["bytes per push body"] == str(MAX_PUSH_BYTES)
