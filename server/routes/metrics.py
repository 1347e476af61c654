"""``GET /metrics`` for Prometheus: off unless RACKSIDE_METRICS_TOKEN is set, and then only with that token.

Metrics tell no record's content, but they do tell traffic, error rates and route names to whoever reads them, and a
server behind a reverse proxy cannot tell a scraper on the next machine from the internet by its address (both come
through the proxy). So the scraper sends ``Authorization: Bearer <token>`` (Prometheus: ``authorization`` in the scrape
config); without a configured token the endpoint answers 404 as if it did not exist (docs/operations.md).
"""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Header, Response

from server.errors import NotFoundError, Unauthenticated
from server.metrics import exposition
from server.routes.deps import SettingsDep

router = APIRouter()


@router.get("/metrics", include_in_schema=False)
def metrics(settings: SettingsDep, authorization: Annotated[str | None, Header()] = None) -> Response:
    expected = settings.metrics_token
    if not expected:
        raise NotFoundError("metrics are off on this server (set RACKSIDE_METRICS_TOKEN to turn them on)")
    given = authorization[7:].strip() if authorization and authorization.lower().startswith("bearer ") else ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise Unauthenticated("metrics need the scrape token: Authorization: Bearer <RACKSIDE_METRICS_TOKEN>")
    body, content_type = exposition()
    return Response(body, media_type=content_type)
