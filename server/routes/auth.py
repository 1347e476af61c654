"""Device enrollment and revocation, and who-am-I."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from server.accounts import authenticate, device_owner, enroll, revoke_device, utcnow
from server.errors import ForbiddenError, NotFoundError
from server.routes.deps import CallerDep, Protocol, StoreDep
from sync.domain.org import Role
from sync.protocol import EnrollRequest, EnrollResponse, UserInfo

router = APIRouter(prefix="/api/v1", dependencies=[Protocol])


@router.post("/auth/enroll")
async def enroll_device(body: EnrollRequest, store: StoreDep) -> EnrollResponse:
    device_id, token, _user_id = await run_in_threadpool(
        lambda: enroll(
            store.engine, username=body.username, password=body.password, device_name=body.device_name, now=utcnow()
        )
    )
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
    if owner != caller.actor.user_id and caller.actor.role is not Role.ADMIN:
        raise ForbiddenError("only an admin may revoke another user's device")
    return {"device_id": device_id, "revoked": revoke_device(store.engine, device_id=device_id, now=utcnow())}
