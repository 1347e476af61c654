"""Wire types of sync protocol v1 (docs/sync-protocol.md is their prose twin: change both together)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

PROTOCOL_VERSION = 1
PROTOCOL_HEADER = "Rackside-Protocol"
MAX_PUSH_BATCH = 500
MAX_PULL_PAGE = 10_000
DEFAULT_PULL_PAGE = 5_000


class Wire(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EnrollRequest(Wire):
    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)
    device_name: str = Field(min_length=1, max_length=200)


class UserInfo(Wire):
    id: str
    org_id: str
    name: str
    role: str


class EnrollResponse(Wire):
    device_id: str
    device_token: str
    user: UserInfo


class CommandEnvelope(Wire):
    command_id: str = Field(min_length=8, max_length=64)
    type: str = Field(min_length=1, max_length=64)
    payload: dict[str, Any]
    device_time: datetime | None = None


class PushRequest(Wire):
    commands: list[CommandEnvelope] = Field(max_length=MAX_PUSH_BATCH)


class ResultStatus(StrEnum):
    APPLIED = "applied"
    DUPLICATE = "duplicate"
    REJECTED = "rejected"


class ErrorInfo(Wire):
    code: str
    message: str
    details: dict[str, Any] = Field(default_factory=dict)


class WireRecord(Wire):
    collection: str
    id: str
    version: int
    deleted: bool = False
    data: dict[str, Any] | None = None


class CommandResult(Wire):
    command_id: str
    status: ResultStatus
    # For a duplicate: what happened the first time ("applied" or "rejected").
    first_status: ResultStatus | None = None
    error: ErrorInfo | None = None
    records: list[WireRecord] = Field(default_factory=list)

    @property
    def rejected(self) -> bool:
        """Rejected now, or a duplicate of a command that was rejected the first time."""
        return self.status is ResultStatus.REJECTED or self.first_status is ResultStatus.REJECTED


class PushResponse(Wire):
    results: list[CommandResult]


class ChangesResponse(Wire):
    changes: list[WireRecord]
    cursor: str
    has_more: bool
    # True when the caller's scope changed since the cursor was issued: drop local server data and pull from "".
    reset: bool = False


class AssetLookup(Wire):
    """``GET /api/v1/assets/lookup``: a chassis the server holds under that serial and the caller may see, and where
    it is (the fields a duplicate registration's refusal names). Site and rack are named only when the caller may
    see them too (null otherwise, or when the chassis is not installed)."""

    asset_id: str
    serial: str
    site_name: str | None = None
    rack_name: str | None = None
    u_position: int | None = None


class ErrorResponse(Wire):
    error: ErrorInfo
