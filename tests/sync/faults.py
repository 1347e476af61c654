"""A network that misbehaves on purpose, between real clients and the real app running in-process.

Each client talks through its own ``FaultyTransport``. A fault queued on it hits the next request, one fault per
request, in the order queued; with the queue empty, requests pass untouched. The server behind it can be restarted
(a new app and a new engine over the same database), as a deploy or a crash would.
"""

from __future__ import annotations

from collections import deque
from enum import StrEnum
from typing import Protocol

import anyio.from_thread
import httpx

from server.app import create_app
from server.db import make_engine
from server.settings import Settings
from server.store import Store
from tests.support.inprocess import InProcessTransport


class Fault(StrEnum):
    DROP_REQUEST = "drop_request"  # lost on the way: the server never sees it
    DROP_RESPONSE = "drop_response"  # the server applied it; the connection died before the answer arrived
    DUPLICATE = "duplicate"  # a retrying proxy sent it twice; the client sees the second answer
    DELAY = "delay"  # stuck in a queue: the client gives up, the server gets it later (deliver_delayed)
    UNAVAILABLE = "unavailable"  # a proxy's 503 page; the server never saw the request
    ERROR_AFTER = "error_after"  # the server applied it, then a 502 came back instead of its answer
    TIMEOUT = "timeout"  # the server applied it; the client stopped waiting
    TRUNCATED = "truncated"  # the server applied it; half of its answer arrived


class Server(Protocol):
    """What the devices talk to: a store over its database (for the checks), a transport, restarts."""

    @property
    def store(self) -> Store: ...

    @property
    def transport(self) -> httpx.BaseTransport: ...

    def restart(self) -> None: ...

    def close(self) -> None: ...


class InProcessServer:
    """The app over one database URL. ``restart`` drops the engine (and its pool) and builds everything anew."""

    def __init__(self, database_url: str, portal: anyio.from_thread.BlockingPortal) -> None:
        self.database_url = database_url
        self._portal = portal
        self.restarts = 0
        self.store, self.transport = self._start()

    def _start(self) -> tuple[Store, InProcessTransport]:
        store = Store(make_engine(self.database_url))
        # No SLA sweep: the proofs tally what the devices' commands wrote (the sweep has its own tests).
        app = create_app(Settings(database_url=self.database_url, sla_sweep_interval_seconds=0), store=store)
        return store, InProcessTransport(app, self._portal)

    def restart(self) -> None:
        self.store.engine.dispose()
        self.store, self.transport = self._start()
        self.restarts += 1

    def close(self) -> None:
        self.store.engine.dispose()


class FaultyTransport(httpx.BaseTransport):
    def __init__(self, server: Server) -> None:
        self.server = server
        self.faults: deque[Fault] = deque()
        # Requests held by DELAY, in the order they were sent: the server has not seen them yet.
        self.delayed: list[httpx.Request] = []
        self.injected: dict[Fault, int] = {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if not self.faults:
            return self._serve(request)
        fault = self.faults.popleft()
        self.injected[fault] = self.injected.get(fault, 0) + 1
        if fault is Fault.DROP_REQUEST:
            raise httpx.ConnectError("injected: request lost", request=request)
        if fault is Fault.UNAVAILABLE:
            return httpx.Response(503, content=b"<html>upstream unavailable</html>", request=request)
        if fault is Fault.DELAY:
            self.delayed.append(request)
            raise httpx.ReadTimeout("injected: request stuck in a queue", request=request)
        response = self._serve(request)
        if fault is Fault.DUPLICATE:
            return self._serve(request)
        if fault is Fault.DROP_RESPONSE:
            raise httpx.ReadError("injected: connection reset after the server answered", request=request)
        if fault is Fault.ERROR_AFTER:
            return httpx.Response(502, content=b"<html>bad gateway</html>", request=request)
        if fault is Fault.TIMEOUT:
            raise httpx.ReadTimeout("injected: the answer came too late", request=request)
        content = response.content
        return httpx.Response(200, headers={"content-type": "application/json"}, content=content[: len(content) // 2])

    def deliver_delayed(self, index: int | None = None) -> int:
        """Let held requests reach the server now (the client has long stopped listening). Returns how many."""
        if index is None:
            chosen, self.delayed = self.delayed, []
        elif self.delayed:
            chosen = [self.delayed.pop(index % len(self.delayed))]
        else:
            chosen = []
        for request in chosen:
            self._serve(request)
        return len(chosen)

    def _serve(self, request: httpx.Request) -> httpx.Response:
        response = self.server.transport.handle_request(request)
        # Only this class makes 5xx answers; one from the server itself is a bug the client would merely retry.
        assert response.status_code < 500, f"the server failed: {response.status_code} {response.content[:300]!r}"
        return response
