"""The OpenAPI document, made to tell the truth so fuzzers and client generators can rely on it.

FastAPI's own document lists what the route signatures say: optional headers, a generic 422, no push body (the push
route parses its own) and no blob bytes. Here every operation gets, written out once in OPERATIONS: the required
``Rackside-Protocol`` header, bearer authentication where a device token is needed, its request body, every status
code it can answer (errors with the one error schema, server/errors.py), and patterns for blob names and cursors.
tests/protocol/test_openapi.py runs schemathesis against a live server with this document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic.json_schema import models_json_schema

from sync.protocol import (
    MAX_PULL_PAGE,
    PROTOCOL_HEADER,
    PROTOCOL_VERSION,
    AssetLookup,
    ChangesResponse,
    ErrorResponse,
    PushRequest,
)

SHA256_PATTERN = "^[0-9a-f]{64}$"
# "" (from the beginning) or "<version>.<scope fingerprint>" (server/cursor.py); anything else is invalid_cursor.
CURSOR_PATTERN = r"^$|^[0-9]{1,18}\.[0-9a-z]{1,64}$"
CONTENT_RANGE_PATTERN = r"^bytes [0-9]{1,15}-[0-9]{1,15}/[0-9]{1,15}$"
_REF = "#/components/schemas/{model}"

# Status codes every operation of the protocol (all but health) may answer, and those a device token adds.
_PROTOCOL = {426: "protocol_unsupported: missing or unknown Rackside-Protocol header", 500: "internal"}
_AUTHENTICATED = {401: "unauthenticated (no or unknown token), device_revoked"}
_JSON_BODY = {
    400: "invalid_json: not JSON, nested deeper than 32 levels, a number too long, or a lone surrogate",
    422: "invalid_request: does not match the protocol's types",
}


@dataclass(frozen=True)
class Operation:
    errors: dict[int, str]
    authenticated: bool = True
    body: dict[str, Any] | None = None  # the requestBody object, when the route reads its own body
    ok: dict[int, dict[str, Any]] | None = None  # success responses replacing FastAPI's


def _error_content() -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": _REF.format(model="ErrorResponse")}}}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


_BLOB_STORED = {
    "type": "object",
    "required": ["sha256", "size", "media_type", "width", "height", "complete"],
    "properties": {
        "sha256": {"type": "string", "pattern": SHA256_PATTERN},
        "size": {"type": "integer", "minimum": 1},
        "media_type": {"type": "string"},
        "width": {"type": "integer", "minimum": 0},
        "height": {"type": "integer", "minimum": 0},
        "complete": {"const": True},
    },
}
_BLOB_PARTIAL = {
    "type": "object",
    "required": ["sha256", "offset", "complete"],
    "properties": {
        "sha256": {"type": "string", "pattern": SHA256_PATTERN},
        "offset": {"type": "integer", "minimum": 0},
        "complete": {"const": False},
    },
}
_BYTES = {"schema": {"type": "string", "format": "binary"}}
_LOG_TYPES = ("text/plain", "application/gzip")

OPERATIONS: dict[tuple[str, str], Operation] = {
    ("/api/v1/auth/enroll", "post"): Operation(
        authenticated=False,
        errors={
            **_JSON_BODY,
            401: "bad_credentials: username or password wrong",
            413: "body_too_large",
            429: "too_many_attempts: too many failed enrollments; Retry-After says when",
        },
    ),
    ("/api/v1/me", "get"): Operation(errors={}),
    ("/api/v1/auth/devices/{device_id}/revoke", "post"): Operation(
        errors={
            403: "forbidden: only an admin may revoke another user's device",
            404: "not_found: no such device",
            413: "body_too_large",
        }
    ),
    ("/api/v1/sync/push", "post"): Operation(
        errors={
            **_JSON_BODY,
            413: "batch_too_large: more than 500 commands, or a body over 8 MiB",
            429: "rate_limited: this device pushes too fast; Retry-After says when",
        },
        body={
            "required": True,
            "content": {"application/json": {"schema": {"$ref": _REF.format(model="PushRequest")}}},
        },
    ),
    ("/api/v1/sync/changes", "get"): Operation(
        errors={
            400: "invalid_cursor: not a cursor of this server, or ahead of its newest change",
            422: "invalid_request (a malformed limit or since), page_too_large (limit over 10000)",
            429: "rate_limited: this device pulls too fast; Retry-After says when",
        },
        ok={
            200: {
                "description": "A page of changes",
                "content": {"application/json": {"schema": {"$ref": _REF.format(model="ChangesResponse")}}},
            }
        },
    ),
    ("/api/v1/blobs/{name}", "head"): Operation(
        errors={
            400: "invalid_blob_name",
            404: "not stored, or not readable by the caller; Upload-Offset: bytes of this organization's upload",
        },
        ok={200: {"description": "Stored and readable by the caller"}},
    ),
    ("/api/v1/blobs/{name}", "get"): Operation(
        errors={400: "invalid_blob_name", 404: "not_found: no such blob that the caller can see"},
        ok={
            200: {
                "description": "The bytes, with the media type found at upload",
                "content": {t: _BYTES for t in ("image/jpeg", "image/png", "image/webp", *_LOG_TYPES)},
            }
        },
    ),
    ("/api/v1/blobs/{name}", "put"): Operation(
        errors={
            400: "invalid_blob_name, invalid_content_range, content_range_mismatch",
            409: "upload_offset_mismatch: details.offset says where to continue",
            413: "blob_too_large, storage_quota_exceeded, blob_unpacked_too_large",
            415: "blob_unsupported_type: not a JPEG, PNG or WebP (nor a text log)",
            422: "blob_hash_mismatch, blob_damaged, blob_not_text, blob_too_many_pixels",
            429: "too_many_unfinished_uploads: the organization's unfinished-upload caps; Retry-After says when",
        },
        body={
            "required": True,
            "description": "The blob's bytes, or one chunk of them (Content-Range); text/plain or application/gzip "
            "for a controller log, else a picture",
            "content": {t: _BYTES for t in ("application/octet-stream", "image/jpeg", *_LOG_TYPES)},
        },
        ok={
            200: {"description": "Already stored for this organization", "content": _json(_BLOB_STORED)},
            201: {"description": "Stored", "content": _json(_BLOB_STORED)},
            202: {"description": "Chunk kept; more expected", "content": _json(_BLOB_PARTIAL)},
        },
    ),
    ("/api/v1/assets/lookup", "get"): Operation(
        errors={
            404: "not_found: no chassis with this serial that the caller may see (the same answer for both)",
            422: "invalid_request: serial missing, empty, too long, or with characters a label never carries",
            429: "rate_limited: this device reads too fast (the pull's bucket); Retry-After says when",
        },
        ok={
            200: {
                "description": "The chassis with this serial, which the caller may see",
                "content": {"application/json": {"schema": {"$ref": _REF.format(model="AssetLookup")}}},
            }
        },
    ),
    ("/api/v1/reports/sla-attainment.csv", "get"): Operation(
        errors={
            403: "forbidden: the caller's role may not read SLA attainment (service desk, admin and customer may)",
            422: "invalid_request: from or to is not a month (YYYY-MM), or to is before from",
        },
        ok={
            200: {
                "description": "SLA attainment as CSV, one row per contract, site and site month, over the records "
                "the caller may see; instants in UTC (ISO 8601), no money (docs/sla.md, Attainment)",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        },
    ),
}


def install(app: FastAPI) -> None:
    """Serve the document below as the app's /api/openapi.json (built once, on first request)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def document(app: FastAPI) -> dict[str, Any]:
    schema = get_openapi(title=app.title, version=app.version, routes=app.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    _, defs = models_json_schema(
        [
            (PushRequest, "validation"),
            (ChangesResponse, "validation"),
            (AssetLookup, "validation"),
            (ErrorResponse, "validation"),
        ],
        ref_template=_REF,
    )
    schemas.update(defs["$defs"])
    components["securitySchemes"] = {
        "device": {"type": "http", "scheme": "bearer", "description": "the device token from enrollment"}
    }
    for (path, method), operation in OPERATIONS.items():
        _rewrite(schema["paths"][path][method], operation, bodiless=method == "head")
    return schema


def _rewrite(op: dict[str, Any], spec: Operation, *, bodiless: bool) -> None:
    kept = [p for p in op.get("parameters", []) if p["in"] != "header"]
    for parameter in kept:
        if parameter["name"] == "name":
            parameter["schema"] = {"type": "string", "pattern": SHA256_PATTERN}
        elif parameter["name"] == "since":
            parameter["schema"] = {"type": "string", "pattern": CURSOR_PATTERN, "maxLength": 100, "default": ""}
        elif parameter["name"] == "limit":
            parameter["schema"] = {**parameter["schema"], "maximum": MAX_PULL_PAGE}
        elif parameter["name"] == "serial":
            parameter["description"] = "the serial as typed or scanned (a label prefix such as S/N: is dropped)"
        elif parameter["name"] == "device_id":
            parameter["schema"] = {"type": "string", "minLength": 1, "maxLength": 64}
    protocol = {
        "name": PROTOCOL_HEADER,
        "in": "header",
        "required": True,
        "schema": {"type": "string", "enum": [str(PROTOCOL_VERSION)]},
        "description": "the protocol version the client speaks; any other value answers 426",
    }
    op["parameters"] = [*kept, protocol]
    if spec.body is not None:
        op["requestBody"] = spec.body
        if "Content-Range" in spec.body.get("description", ""):
            op["parameters"].append(
                {
                    "name": "Content-Range",
                    "in": "header",
                    "required": False,
                    "schema": {"type": "string", "pattern": CONTENT_RANGE_PATTERN},
                }
            )
    if spec.authenticated:
        op["security"] = [{"device": []}]
    responses: dict[str, Any] = {k: v for k, v in op["responses"].items() if k.startswith("2")}
    for status, answer in (spec.ok or {}).items():
        responses[str(status)] = answer
    errors = {**_PROTOCOL, **(_AUTHENTICATED if spec.authenticated else {}), **spec.errors}
    for status, meaning in sorted(errors.items()):
        error: dict[str, Any] = {"description": meaning}
        if not bodiless:  # a HEAD answer never has a body
            error["content"] = _error_content()
        responses[str(status)] = error
    op["responses"] = responses
