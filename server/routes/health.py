"""Health for load balancers and operators: is this process serving, and can it reach its database and blob store.
It says nothing about data, so it needs no token; a failure is named, never described (no hosts, no messages)."""

from __future__ import annotations

import logging
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from server.blobs.store import BlobStore
from server.store import Store
from sync.protocol import PROTOCOL_VERSION

router = APIRouter()
log = logging.getLogger("rackside.server.health")

Reach = Literal["ok", "unreachable"]


class HealthReport(BaseModel):
    status: Literal["ok", "unavailable"]
    protocol: int
    database: Reach
    blobs: Reach


@router.get(
    "/api/v1/health",
    response_model=HealthReport,
    responses={
        200: {"description": "serving: the database and the blob store answer"},
        503: {"model": HealthReport, "description": "the database or the blob store cannot be reached"},
    },
)
async def health(request: Request) -> JSONResponse:
    store: Store = request.app.state.store
    blobs: BlobStore = request.app.state.blobs
    database = await run_in_threadpool(_reach, "database", lambda: _ping(store))
    blob_store = await run_in_threadpool(_reach, "blob store", blobs.check)
    healthy = database == "ok" and blob_store == "ok"
    report = HealthReport(
        status="ok" if healthy else "unavailable", protocol=PROTOCOL_VERSION, database=database, blobs=blob_store
    )
    return JSONResponse(report.model_dump(), status_code=200 if healthy else 503)


def _ping(store: Store) -> None:
    with store.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def _reach(what: str, probe: object) -> Reach:
    try:
        probe()  # type: ignore[operator]
    except Exception as exc:
        log.warning("health: the %s cannot be reached: %s", what, type(exc).__name__)
        return "unreachable"
    return "ok"
