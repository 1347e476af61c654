"""Raw ASGI for tests that drive the app message by message: an HTTP scope (held bodies, disconnects mid-body) and
the lifespan protocol (background sweeps that start and stop with the server)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.types import Message


def http_scope(method: str, path: str, headers: dict[str, str]) -> dict[str, Any]:
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("rackside.test", 80),
    }


async def run_lifespan(app: object, body: Callable[[], Awaitable[None]]) -> list[str]:
    """Drive the ASGI lifespan protocol as a server does: startup, run ``body``, shutdown; the events sent back."""
    events: asyncio.Queue[Message] = asyncio.Queue()
    sent: list[str] = []
    await events.put({"type": "lifespan.startup"})

    async def receive() -> Message:
        return await events.get()

    async def send(message: Message) -> None:
        sent.append(str(message["type"]))
        if message["type"] == "lifespan.startup.complete":
            await body()
            await events.put({"type": "lifespan.shutdown"})

    await app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send)  # type: ignore[operator]
    return sent
