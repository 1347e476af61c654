"""Device enrollment and revocation, and who-am-I."""

from __future__ import annotations

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from server.accounts import authenticate, device_owner, enroll, revoke_device, utcnow
from server.errors import BadCredentials, ForbiddenError, NotFoundError, TooManyAttempts
from server.routes.deps import CallerDep, Protocol, StoreDep
from server.throttle import SignInThrottle, Throttled
from sync.domain.permissions import Action, may
from sync.protocol import EnrollRequest, EnrollResponse, UserInfo

router = APIRouter(prefix="/api/v1", dependencies=[Protocol])
# Never a username, password, token or address in these lines: logs travel further than the database.
log = logging.getLogger("rackside.server.auth")


def get_throttle(request: Request) -> SignInThrottle:
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    return throttle


ThrottleDep = Annotated[SignInThrottle, Depends(get_throttle)]


@router.post("/auth/enroll")
async def enroll_device(
    body: EnrollRequest, request: Request, store: StoreDep, throttle: ThrottleDep
) -> EnrollResponse:
    # Behind a reverse proxy this is the proxy's address unless the server trusts its X-Forwarded-For (uvicorn's
    # --forwarded-allow-ips); never read that header here, or any client could pick the address it is counted as.
    address = request.client.host if request.client else ""
    try:
        await run_in_threadpool(lambda: throttle.check(username=body.username, address=address))
    except Throttled as exc:
        log.warning("enrollment refused: too many failed attempts")
        raise TooManyAttempts(
            f"too many failed sign-ins; try again in {exc.retry_after} seconds",
            details={"retry_after": exc.retry_after},
            headers={"Retry-After": str(exc.retry_after)},
        ) from None
    try:
        device_id, token, _user_id = await run_in_threadpool(
            lambda: enroll(
                store.engine, username=body.username, password=body.password, device_name=body.device_name, now=utcnow()
            )
        )
    except BadCredentials:
        log.info("enrollment refused: wrong username or password")
        await run_in_threadpool(lambda: throttle.failed(username=body.username, address=address))
        raise
    await run_in_threadpool(lambda: throttle.succeeded(username=body.username, address=address))
    log.info("device enrolled")
    caller = await run_in_threadpool(authenticate, store.engine, token)
    user = UserInfo(id=caller.actor.user_id, org_id=caller.actor.org_id, name=caller.name, role=caller.actor.role.value)
    return EnrollResponse(device_id=device_id, device_token=token, user=user)


@router.get("/me")
def me(caller: CallerDep) -> UserInfo:
    return UserInfo(id=caller.actor.user_id, org_id=caller.actor.org_id, name=caller.name, role=caller.actor.role.value)


@router.post("/auth/devices/{device_id}/revoke")
def revoke(device_id: str, caller: CallerDep, store: StoreDep) -> dict[str, object]:
    owner = device_owner(store.engine, device_id)
    if owner is None:
        raise NotFoundError("no such device")
    if owner != caller.actor.user_id and not may(caller.actor.role, Action.REVOKE_ANY_DEVICE):
        raise ForbiddenError("only an admin may revoke another user's device")
    return {"device_id": device_id, "revoked": revoke_device(store.engine, device_id=device_id, now=utcnow())}
