"""The HTTP client of the sync protocol. The one place httpx errors become sync.errors.

The httpx client is injectable: tests pass one bound to the app in-process, or a fault-injecting transport.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, ValidationError

from sync.errors import (
    RATE_LIMITED,
    AuthError,
    BadRequest,
    DeviceRevoked,
    Offline,
    ProtocolTooOld,
    RateLimited,
    ServerRefused,
)
from sync.pages import PageError, PulledPage, decode_page
from sync.protocol import (
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    AssetLookup,
    CommandEnvelope,
    EnrollRequest,
    EnrollResponse,
    PushRequest,
    PushResponse,
)

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
# A reachability probe must answer within a few seconds, so a lost connection shows within seconds, not a round later.
PROBE_TIMEOUT = httpx.Timeout(2.0)
NOT_FOUND = "not_found"


class HttpTransport:
    def __init__(self, base_url: str, *, token: str | None = None, client: httpx.Client | None = None) -> None:
        # An injected client belongs to the caller (tests share one); one made here is closed by close().
        self._owned = client is None
        self._client = client or httpx.Client(base_url=base_url, timeout=DEFAULT_TIMEOUT)
        if client is not None:
            self._client.base_url = httpx.URL(base_url)
        self.token = token

    def close(self) -> None:
        if self._owned:
            self._client.close()

    def __enter__(self) -> HttpTransport:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _headers(self) -> dict[str, str]:
        headers = {PROTOCOL_HEADER: str(PROTOCOL_VERSION)}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    def _send(
        self,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        params: dict[str, Any] | None = None,
        timeout: httpx.Timeout | None = None,
    ) -> bytes:
        # httpx reads timeout=None as "no timeout": without one of its own, the call keeps the client's.
        limit = timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT
        try:
            response = self._client.request(
                method, path, json=json_body, params=params, headers=self._headers(), timeout=limit
            )
            content = response.read()
        except httpx.TransportError as exc:
            raise Offline(f"no answer from the server: {type(exc).__name__}") from exc
        if response.status_code >= 500:
            raise Offline(f"server error {response.status_code}")
        if response.status_code >= 400:
            refusal = _refusal(response)
            if refusal.code == RATE_LIMITED:
                # Pushes and pulls too fast for the server: like no answer, retried later; never a rejected command.
                raise RateLimited(_retry_after(response))
            raise refusal
        return content

    def reachable(self) -> bool:
        """True when the server answers its health check (``GET /api/v1/health``, no token) within PROBE_TIMEOUT.

        A cheap question asked between sync rounds: no answer, or a 5xx (the server cannot reach its database), is
        the same "offline" a round would find."""
        try:
            response = self._client.get("/api/v1/health", timeout=PROBE_TIMEOUT)
        except httpx.TransportError:
            return False
        return response.status_code < 500

    def enroll(self, *, username: str, password: str, device_name: str) -> EnrollResponse:
        body = EnrollRequest(username=username, password=password, device_name=device_name).model_dump()
        return _parse(EnrollResponse, self._send("POST", "/api/v1/auth/enroll", json_body=body))

    def push(self, commands: Sequence[CommandEnvelope]) -> PushResponse:
        body = PushRequest(commands=list(commands)).model_dump(mode="json")
        return _parse(PushResponse, self._send("POST", "/api/v1/sync/push", json_body=body))

    def changes(self, *, since: str, limit: int) -> PulledPage:
        """A page of ``ChangesResponse`` with each record's data left as the server's JSON text (sync/pages.py)."""
        content = self._send("GET", "/api/v1/sync/changes", params={"since": since, "limit": limit})
        try:
            return decode_page(content)
        except PageError as exc:
            # A proxy's HTML error page, or a truncated body: treat like no answer, the request is retried.
            raise Offline("the server's answer was not a ChangesResponse") from exc

    def lookup_asset(self, serial: str, *, timeout: httpx.Timeout | None = None) -> AssetLookup | None:
        """The chassis the server holds under ``serial`` for this caller, or None (``404 not_found``: none, or none
        this caller may see). Raises Offline with no answer in ``timeout``, ServerRefused for a bad serial."""
        try:
            content = self._send("GET", "/api/v1/assets/lookup", params={"serial": serial}, timeout=timeout)
        except BadRequest as refusal:
            if refusal.status == 404 and refusal.code == NOT_FOUND:
                return None
            raise
        return _parse(AssetLookup, content)


M = TypeVar("M", bound=BaseModel)


def _parse(model: type[M], content: bytes) -> M:
    try:
        return model.model_validate_json(content)
    except ValidationError as exc:
        # A proxy's HTML error page, or a truncated body: treat like no answer, the request is retried.
        raise Offline(f"the server's answer was not a {model.__name__}") from exc


def _retry_after(response: httpx.Response) -> float:
    value = response.headers.get("Retry-After", "")
    return float(value) if value.isdigit() else 1.0


def _refusal(response: httpx.Response) -> ServerRefused:
    try:
        error = response.json()["error"]
        code, message, details = str(error["code"]), str(error["message"]), dict(error.get("details") or {})
    except (ValueError, KeyError, TypeError):
        code, message, details = "http_error", response.text[:200], {}
    status = response.status_code
    if code == "device_revoked":
        return DeviceRevoked(status, code, message, details)
    if status == 401:
        return AuthError(status, code, message, details)
    if status == 426:
        return ProtocolTooOld(status, code, message, details)
    return BadRequest(status, code, message, details)
