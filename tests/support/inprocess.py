"""Call an ASGI app in-process through a plain synchronous httpx.Client, as the sync engine does over the network.

Starlette's TestClient is deprecated in favour of another package; this bridge is all the tests need: one event loop
in a background thread (anyio's blocking portal) and httpx's own ASGITransport.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import anyio.from_thread
import httpx
from starlette.types import ASGIApp


class InProcessTransport(httpx.BaseTransport):
    def __init__(self, app: ASGIApp, portal: anyio.from_thread.BlockingPortal) -> None:
        self._asgi = httpx.ASGITransport(app=app)
        self._portal = portal

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()

        async def call() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
            forwarded = httpx.Request(request.method, request.url, headers=request.headers, content=body)
            response = await self._asgi.handle_async_request(forwarded)
            content = await response.aread()
            return response.status_code, response.headers.raw, content

        status, headers, content = self._portal.call(call)
        return httpx.Response(status, headers=headers, content=content, request=request)


@contextmanager
def inprocess_client(app: ASGIApp, *, base_url: str = "http://rackside.test") -> Iterator[httpx.Client]:
    with anyio.from_thread.start_blocking_portal() as portal:
        with httpx.Client(transport=InProcessTransport(app, portal), base_url=base_url) as client:
            yield client
