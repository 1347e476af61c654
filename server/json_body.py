"""Request JSON the server accepts: parsed once, and refused as ``invalid_json`` when it is JSON only by a stretch.

Python's parser takes, or dies on, inputs no Rackside client ever sends, each of which used to end in a 500 further
down: arrays nested a thousand deep (RecursionError while parsing, or later while validating or storing), integers
past the 4,300-digit conversion limit (ValueError), lone UTF-16 surrogates (``"\\ud800"``: parsed into a str that
cannot be encoded as UTF-8, so the database refuses it), and the NUL character (``"\\u0000"``: PostgreSQL's text and
JSONB cannot hold it; schemathesis found an enrollment whose user name held one answering 500; refused in the small
bodies only, see ``parse_json``). All are refused here, before anything reads them.

Push bodies go through ``parse_json`` in their route (which parses them itself); every other JSON body is checked by
the ``JsonGuard`` middleware before FastAPI parses it (those bodies are small: server/body_limit.py).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.errors import InvalidJson, error_body

# Deeper than any request of the protocol (a push is about six levels), far below Python's recursion limit.
MAX_DEPTH = 32
# A surrogate escape, high (d800-dbff) or low (dc00-dfff); only a body holding one needs the walk for lone ones.
_SURROGATE_ESCAPES = (b"\\ud8", b"\\ud9", b"\\uda", b"\\udb", b"\\udc", b"\\udd", b"\\ude", b"\\udf")
# JSON text cannot hold a raw NUL byte, so a NUL in a parsed string came from this escape (any case of its digits).
_NUL_ESCAPE = b"\\u0000"


def parse_json(raw: bytes, *, refuse_nul: bool = False) -> Any:
    """The parsed body, or InvalidJson (400) for anything that is not plain JSON of at most MAX_DEPTH levels.

    ``refuse_nul``: also refuse a NUL character in any text. The small bodies (JsonGuard) go to text columns; a push
    does not (records are stored as JSON, where the escape is kept), and devices already hold notes with one.
    """
    try:
        body = json.loads(raw)
    except RecursionError:
        raise InvalidJson(f"the body is nested deeper than {MAX_DEPTH} levels") from None
    except json.JSONDecodeError as exc:
        raise InvalidJson(f"the body is not JSON: {exc.msg}") from None
    except ValueError:
        # Undecodable bytes (UnicodeDecodeError), or an integer past the digit limit of int().
        raise InvalidJson("the body is not JSON: bad text encoding, or a number too long") from None
    lowered = raw.lower()
    _check(
        body,
        surrogates=any(escape in lowered for escape in _SURROGATE_ESCAPES),
        nul=refuse_nul and _NUL_ESCAPE in lowered,
    )
    return body


def _check(body: Any, *, surrogates: bool, nul: bool = False) -> None:
    """Depth and (when the raw text had a surrogate or NUL escape) text a database can store, without recursing."""
    texts = surrogates or nul
    stack: list[tuple[Any, int]] = [(body, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            if depth > MAX_DEPTH:
                raise InvalidJson(f"the body is nested deeper than {MAX_DEPTH} levels")
            if texts:
                for key in value:
                    _text(key)
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            if depth > MAX_DEPTH:
                raise InvalidJson(f"the body is nested deeper than {MAX_DEPTH} levels")
            stack.extend((v, depth + 1) for v in value)
        elif texts and isinstance(value, str):
            _text(value)


def _text(value: str) -> None:
    if "\x00" in value:
        raise InvalidJson("the body holds a NUL character (\\u0000), which is not storable text") from None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidJson("the body holds a lone UTF-16 surrogate (\\ud800-\\udfff), which is not text") from None


class JsonGuard:
    """Checks JSON request bodies with ``parse_json`` before a route parses them; paths in ``exempt`` (those that
    parse with parse_json themselves, or stream bytes) are passed through untouched."""

    def __init__(self, app: ASGIApp, *, exempt_prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.exempt_prefixes = exempt_prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in ("GET", "HEAD", "OPTIONS")
            or scope["path"].startswith(self.exempt_prefixes)
            or b"json" not in dict(scope["headers"]).get(b"content-type", b"")
        ):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:
            message = await receive()
            if message["type"] != "http.request":
                await self.app(scope, _replay(b"".join(chunks), receive, gone=message), send)
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        if body:
            try:
                parse_json(body, refuse_nul=True)
            except InvalidJson as refused:
                response = JSONResponse(error_body(refused.code, refused.message), status_code=refused.status_code)
                await response(scope, receive, send)
                return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive, *, gone: Message | None = None) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        if gone is not None:
            return gone
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
