"""Reports computed from the records, as files: ``GET /api/v1/reports/sla-attainment.csv``.

The SLA attainment report (sync/domain/sla_report.py) over the incidents and visits the caller may see: the service
desk and admins every customer's, a customer's users their own organization's; other roles are refused (403). Clocks
are recomputed as of the request. ``from`` and ``to`` (``YYYY-MM``, both included) pick site months.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Response
from starlette.concurrency import run_in_threadpool

from server.accounts import Caller, utcnow
from server.apply import ServerContext
from server.errors import ForbiddenError, InvalidRequest
from server.routes.deps import CallerDep, Protocol, StoreDep
from server.staged import StagedBatch
from server.store import Store
from sync import codec
from sync.domain.permissions import Action, may
from sync.domain.service import Visit
from sync.domain.sla_report import attainment_csv, attainment_report
from sync.domain.ticket import Ticket

router = APIRouter(prefix="/api/v1/reports", dependencies=[Protocol])
MONTH_PATTERN = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
CSV_TYPE = "text/csv; charset=utf-8"
E = TypeVar("E", Ticket, Visit)


def _visible(store: Store, kind: type[E], caller: Caller) -> list[E]:
    return [
        codec.load(kind, json.loads(r.data))
        for r in store.live_records(kind.collection)
        if r.data is not None and caller.scope.sees(r.scope)
    ]


def sla_attainment_csv(store: Store, caller: Caller, *, now: datetime, first: str | None, last: str | None) -> str:
    tickets, visits = _visible(store, Ticket, caller), _visible(store, Visit, caller)
    with store.reading() as txn:
        batch = StagedBatch(txn)
        reader = ServerContext(batch, caller, now, batch.decoded)
        rows = attainment_report(reader, tickets=tickets, visits=visits, now=now)
        chosen = [r for r in rows if (first is None or r.month >= first) and (last is None or r.month <= last)]
        return attainment_csv(reader, chosen, now=now)


@router.get("/sla-attainment.csv", response_class=Response)
async def sla_attainment(
    caller: CallerDep,
    store: StoreDep,
    first: Annotated[str | None, Query(alias="from", pattern=MONTH_PATTERN)] = None,
    last: Annotated[str | None, Query(alias="to", pattern=MONTH_PATTERN)] = None,
) -> Response:
    if not may(caller.actor.role, Action.READ_SLA_ATTAINMENT):
        raise ForbiddenError(f"a {caller.actor.role} may not read SLA attainment")
    if first is not None and last is not None and last < first:
        raise InvalidRequest("'to' is before 'from'", details={"from": first, "to": last})
    now = utcnow()
    text = await run_in_threadpool(sla_attainment_csv, store, caller, now=now, first=first, last=last)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    return Response(
        text.encode(),
        media_type=CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="sla-attainment-{stamp}.csv"'},
    )
