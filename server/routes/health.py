"""Liveness for load balancers: says nothing about data, so it needs no token."""

from __future__ import annotations

from fastapi import APIRouter

from sync.protocol import PROTOCOL_VERSION

router = APIRouter()


@router.get("/api/v1/health")
def health() -> dict[str, object]:
    return {"status": "ok", "protocol": PROTOCOL_VERSION}
