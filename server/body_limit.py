"""Request bodies over their size cap are refused before they are read, let alone parsed.

A declared ``Content-Length`` over the cap is answered at once (413) without reading a byte; a body without one
(chunked) is taken in up to the cap and refused as soon as it passes it, so the server never holds more than the
cap plus one network read. Push bodies have the push cap and answer ``batch_too_large`` (the client's cue
to send fewer commands); other JSON bodies (enrollment, revocation) are small and answer ``body_too_large``. Blob
uploads are left to their route, which streams chunks to disk under its own cap.
"""

from __future__ import annotations

import logging

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import ApiError, BatchTooLarge, BodyTooLarge, error_body
from server.routes.sync import MAX_PUSH_BYTES

log = logging.getLogger("rackside.server")

CLIENT_CLOSED_REQUEST = 499  # nginx's "client closed request"
MAX_JSON_BODY_BYTES = 64 * 1024
PUSH_PATH = "/api/v1/sync/push"
STREAMED_PREFIX = "/api/v1/blobs/"
BODILESS = frozenset({"GET", "HEAD", "OPTIONS"})


def _refusal(path: str) -> tuple[int, type[ApiError]] | None:
    if path.startswith(STREAMED_PREFIX):
        return None
    if path == PUSH_PATH:
        return MAX_PUSH_BYTES, BatchTooLarge
    return MAX_JSON_BODY_BYTES, BodyTooLarge


class BodySizeLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        rule = _refusal(scope["path"]) if scope["type"] == "http" else None
        if rule is None:
            await self.app(scope, receive, send)
            return
        limit, error = rule
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit():
            # The HTTP server holds a body to its Content-Length, so a declared size within the cap is enough.
            if int(declared) > limit:
                await _refuse(limit, error, scope, receive, send)
            else:
                await self.app(scope, receive, send)
            return
        if scope["method"] in BODILESS:
            await self.app(scope, receive, send)  # no route of these reads a body
            return
        # No declared size (chunked): take the body in, but never more than the cap, then hand it on whole.
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":
                # The client left mid-body: answered as the app answers it (server/app.py), so access logs agree.
                log.info("client disconnected before its request arrived")
                await Response(status_code=CLIENT_CLOSED_REQUEST)(scope, receive, send)
                return
            body.extend(message.get("body", b""))
            if len(body) > limit:
                await _refuse(limit, error, scope, receive, send)
                return
            if not message.get("more_body", False):
                break
        await self.app(scope, _replay(bytes(body), receive), send)


async def _refuse(limit: int, error: type[ApiError], scope: Scope, receive: Receive, send: Send) -> None:
    refused = error(f"a request body here may be at most {limit} bytes", details={"max_bytes": limit})
    response = JSONResponse(error_body(refused.code, refused.message, refused.details), refused.status_code)
    await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()  # after the body: the disconnect, when it comes
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
