"""Errors of the sync client, one hierarchy; httpx errors become these in sync/transport.py and nowhere else.

SyncError
├── Offline             no answer: connection refused or dropped, timeout, or a 5xx. Retry later; nothing lost.
│   └── RateLimited     429 rate_limited: the server asks this device to wait ``retry_after`` seconds; nothing lost.
└── ServerRefused       the server answered 4xx with an error code
    ├── AuthError           401: token unknown or bad credentials: enroll again
    │   └── DeviceRevoked   401 device_revoked: wipe local data
    ├── ProtocolTooOld      426: update the app; the outbox is kept
    └── BadRequest          other 4xx: this request can never succeed as it is
"""

from __future__ import annotations

from typing import Any


class SyncError(Exception):
    pass


class Offline(SyncError):
    pass


# Codes the engine acts on (the full list: docs/sync-protocol.md, Errors).
INVALID_CURSOR = "invalid_cursor"
RATE_LIMITED = "rate_limited"


class RateLimited(Offline):
    def __init__(self, retry_after: float) -> None:
        super().__init__(f"the server asked to wait {retry_after:g} seconds")
        self.retry_after = retry_after


class ServerRefused(SyncError):
    def __init__(self, status: int, code: str, message: str, details: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.details = details or {}


class AuthError(ServerRefused):
    pass


class DeviceRevoked(AuthError):
    pass


class ProtocolTooOld(ServerRefused):
    pass


class BadRequest(ServerRefused):
    pass
