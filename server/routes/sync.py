"""The two sync endpoints: push commands, pull changes."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from server.accounts import Caller, utcnow
from server.apply import push
from server.cursor import Cursor, decode_cursor
from server.errors import BatchTooLarge, InvalidCursor, InvalidRequest, PageTooLarge
from server.json_body import parse_json
from server.metrics import observe_pull, observe_push
from server.routes.deps import CallerDep, Protocol, PullRate, PushRate, SettingsDep, StoreDep
from server.store import Store, StoredRecord
from sync.domain.errors import DomainError
from sync.protocol import DEFAULT_PULL_PAGE, MAX_PULL_PAGE, MAX_PUSH_BATCH, PushRequest, PushResponse

router = APIRouter(prefix="/api/v1/sync", dependencies=[Protocol])
MAX_PUSH_BYTES = 8 * 1024 * 1024


@router.post("/push", dependencies=[PushRate])
async def push_commands(request: Request, caller: CallerDep, store: StoreDep, settings: SettingsDep) -> PushResponse:
    raw = await request.body()
    if len(raw) > MAX_PUSH_BYTES:
        raise BatchTooLarge(f"a push body may be at most {MAX_PUSH_BYTES} bytes")
    body: Any = parse_json(raw)
    if isinstance(body, dict) and isinstance(body.get("commands"), list) and len(body["commands"]) > MAX_PUSH_BATCH:
        raise BatchTooLarge(
            f"at most {MAX_PUSH_BATCH} commands per push",
            details={"max": MAX_PUSH_BATCH, "sent": len(body["commands"])},
        )
    try:
        parsed = PushRequest.model_validate(body)
    except ValidationError as exc:
        raise InvalidRequest("the push body does not match the protocol", details={"errors": _errors(exc)}) from None
    skew = timedelta(days=settings.max_clock_skew_days)
    try:
        results = await run_in_threadpool(lambda: push(store, caller, parsed.commands, now=utcnow(), max_skew=skew))
    except DomainError as err:
        raise InvalidRequest(err.message, details={"code": err.code, **err.details}) from None
    observe_push(results)
    return PushResponse(results=results)


def _errors(exc: ValidationError) -> list[dict[str, str]]:
    return [
        {"where": ".".join(str(p) for p in e["loc"]), "problem": e["msg"]}
        for e in exc.errors(include_url=False, include_input=False)[:5]
    ]


@router.get("/changes", dependencies=[PullRate])
def changes(
    caller: CallerDep,
    store: StoreDep,
    since: Annotated[str, Query(max_length=100)] = "",
    limit: Annotated[int, Query(ge=1)] = DEFAULT_PULL_PAGE,
) -> Response:
    if limit > MAX_PULL_PAGE:
        raise PageTooLarge(f"at most {MAX_PULL_PAGE} changes per page", details={"max": MAX_PULL_PAGE})
    fingerprint = caller.scope.fingerprint()
    cursor = decode_cursor(since)
    if cursor is not None and cursor.fingerprint != fingerprint:
        body = _page([], Cursor(version=0, fingerprint=fingerprint).encode(), has_more=True, reset=True, caller=caller)
        return Response(body, media_type="application/json")
    if cursor is not None and cursor.version > store.head_version():
        # Never issued by this database: a forged cursor, or a server restored from an older backup. Answering an
        # empty page would let the device skip every change up to that version, unseen.
        raise InvalidCursor("this cursor is ahead of the server's newest change: pull again from the start")
    start = cursor.version if cursor else 0
    rows = _changes(store, caller, start, limit)
    observe_pull(len(rows))
    last = rows[-1].version if rows else start
    body = _page(rows, Cursor(version=last, fingerprint=fingerprint).encode(), len(rows) == limit, False, caller)
    return Response(body, media_type="application/json")


def _changes(store: Store, caller: Caller, since: int, limit: int) -> list[StoredRecord]:
    return store.changes_since(since=since, scope=caller.scope, limit=limit)


def _page(rows: list[StoredRecord], cursor: str, has_more: bool, reset: bool, caller: Caller) -> bytes:
    """Serialise a page by splicing the stored JSON text of each record: pages hold thousands of rows, and parsing
    each record only to print it again would cost more than the query."""
    parts = []
    for row in rows:
        head = f'{{"collection":{json.dumps(row.collection)},"id":{json.dumps(row.id)},"version":{row.version}'
        if row.deleted or row.data is None or not caller.scope.sees(row.scope):
            parts.append(head + ',"deleted":true,"data":null}')
        else:
            parts.append(head + ',"deleted":false,"data":' + row.data + "}")
    tail = f'],"cursor":{json.dumps(cursor)},"has_more":{json.dumps(has_more)},"reset":{json.dumps(reset)}}}'
    return ('{"changes":[' + ",".join(parts) + tail).encode()
