"""Typed dependencies shared by the routes: the store, the settings, the authenticated caller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from server.accounts import Caller, authenticate
from server.errors import ProtocolUnsupported, RateLimitedError
from server.rate_limit import DeviceRateLimiter, RateLimited
from server.settings import Settings
from server.store import Store
from sync.protocol import PROTOCOL_HEADER, PROTOCOL_VERSION


def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def require_protocol(rackside_protocol: Annotated[str | None, Header(alias=PROTOCOL_HEADER)] = None) -> None:
    if rackside_protocol != str(PROTOCOL_VERSION):
        raise ProtocolUnsupported(
            f"this server speaks {PROTOCOL_HEADER}: {PROTOCOL_VERSION}; update the app",
            details={"supported": [PROTOCOL_VERSION], "received": rackside_protocol},
        )


async def get_caller(
    store: Annotated[Store, Depends(get_store)],
    authorization: Annotated[str | None, Header()] = None,
) -> Caller:
    token = None
    if authorization and authorization.lower().startswith("bearer "):
        token = authorization[7:].strip()
    return await run_in_threadpool(authenticate, store.engine, token)


StoreDep = Annotated[Store, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
CallerDep = Annotated[Caller, Depends(get_caller)]
Protocol = Depends(require_protocol)


def _device_rate(kind: str) -> Callable[[Request, Caller], None]:
    def take(request: Request, caller: CallerDep) -> None:
        limiter: DeviceRateLimiter = request.app.state.rate_limiter
        try:
            limiter.take(caller.actor.device_id, kind)
        except RateLimited as exc:
            raise RateLimitedError(
                f"this device sends too many requests; try again in {exc.retry_after} seconds",
                details={"retry_after": exc.retry_after},
                headers={"Retry-After": str(exc.retry_after)},
            ) from None

    return take


PushRate = Depends(_device_rate("push"))
PullRate = Depends(_device_rate("pull"))
