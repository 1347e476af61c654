"""``GET /api/v1/assets/lookup?serial=…``: does the server hold a chassis with this serial that the caller may see?

A device asks before it offers to register a serial it does not hold: the chassis may have been registered by
another device since this one last synced. The server reads as the caller (``ServerContext``: the pull's own rule,
``Scope.sees``), so whatever a lookup reveals the next pull delivers, and the answer names the chassis's place as a
duplicate registration's refusal would (``registered_where``). A serial no chassis has and one held out of the
caller's sight get the same ``404 not_found``: nothing leaks across organizations. Rate-limited with the pull (the
same per-device bucket): it reads the same records.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.concurrency import run_in_threadpool

from server.accounts import Caller, utcnow
from server.apply import ServerContext
from server.errors import InvalidRequest, NotFoundError
from server.routes.deps import CallerDep, Protocol, PullRate, StoreDep
from server.store import Store
from sync.domain.asset import Asset
from sync.domain.errors import InvalidInput
from sync.domain.handlers.field import registered_where
from sync.domain.serials import normalise_serial
from sync.protocol import AssetLookup

router = APIRouter(prefix="/api/v1/assets", dependencies=[Protocol])
# Raw text as typed or scanned: room for a label prefix ("S/N: ") and spaces around the longest serial.
MAX_RAW_SERIAL = 128
NOT_FOUND = "no chassis with this serial that you may see"


@router.get("/lookup", dependencies=[PullRate])
async def lookup_asset(
    caller: CallerDep,
    store: StoreDep,
    serial: Annotated[str, Query(min_length=1, max_length=MAX_RAW_SERIAL)],
) -> AssetLookup:
    try:
        wanted = normalise_serial(serial)
    except InvalidInput as err:
        problem = {"where": "query.serial", "problem": err.message}
        raise InvalidRequest(err.message, details={"errors": [problem]}) from None
    found = await run_in_threadpool(visible_asset, store, caller, wanted)
    if found is None:
        raise NotFoundError(NOT_FOUND)
    return found


def visible_asset(store: Store, caller: Caller, serial: str) -> AssetLookup | None:
    """The chassis under ``serial`` if the caller may see it, with its site and rack where they may see those."""
    with store.reading() as txn:
        reader = ServerContext(txn, caller, utcnow())
        asset = reader.find(Asset, serial)
        return AssetLookup.model_validate(registered_where(reader, asset)) if asset else None
