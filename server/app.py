"""The FastAPI application, built by create_app(settings): no engine or state lives at module level."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect

from server import openapi
from server.blobs.config import open_blob_store
from server.blobs.store import BlobStore
from server.blobs.sweeper import staging_sweeper
from server.body_limit import PUSH_PATH, STREAMED_PREFIX, BodySizeLimit
from server.db import make_engine
from server.errors import ApiError, error_body
from server.json_body import JsonGuard
from server.metrics import observe_refusal
from server.observe import RequestObserver
from server.rate_limit import Rate, device_rate_limiter
from server.routes import assets, auth, blobs, health, metrics, reports, sync
from server.settings import Settings
from server.sla_sweeper import breach_sweeper
from server.store import Store
from server.throttle import sign_in_throttle

log = logging.getLogger("rackside.server")


def create_app(settings: Settings, *, store: Store | None = None, blob_store: BlobStore | None = None) -> FastAPI:
    app = FastAPI(
        title="Rackside",
        version="1",
        docs_url="/api/docs",
        openapi_url="/api/openapi.json",
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.store = store or Store(make_engine(settings.database_url))
    app.state.blobs = blob_store or open_blob_store(settings)
    app.state.sign_in_throttle = sign_in_throttle(app.state.store.engine, settings)
    app.state.rate_limiter = device_rate_limiter(
        app.state.store.engine,
        {
            "push": Rate(per_minute=settings.push_per_minute, burst=settings.push_burst),
            "pull": Rate(per_minute=settings.pull_per_minute, burst=settings.pull_burst),
        },
    )
    app.include_router(health.router)
    app.include_router(auth.router)
    app.include_router(sync.router)
    app.include_router(blobs.router)
    app.include_router(metrics.router)
    app.include_router(reports.router)
    app.include_router(assets.router)
    _install_error_handlers(app)
    openapi.install(app)
    # Outermost first to run: the size cap, then the JSON check (push parses its own body, blobs are bytes).
    app.add_middleware(JsonGuard, exempt_prefixes=(PUSH_PATH, STREAMED_PREFIX))
    app.add_middleware(BodySizeLimit)
    # Outermost: it times and logs every request, the body-size refusals included, under one request id.
    app.add_middleware(RequestObserver)
    return app


def create_app_from_env() -> FastAPI:
    """The app as each server process builds it (``rackside server``, any number of workers): settings from the
    environment, an engine of its own, and no state that another process would need to see."""
    return create_app(Settings.from_env())


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    async with (
        staging_sweeper(
            app.state.blobs,
            engine=app.state.store.engine,
            max_age_seconds=settings.blob_staging_max_age_seconds,
            interval_seconds=settings.blob_sweep_interval_seconds,
        ),
        breach_sweeper(app.state.store, interval_seconds=settings.sla_sweep_interval_seconds),
    ):
        yield


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        observe_refusal(exc.code)
        return JSONResponse(
            error_body(exc.code, exc.message, exc.details), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        if any(e.get("type") == "json_invalid" for e in exc.errors()):
            # FastAPI reports an unparsable body as a validation error; the documented code for it is invalid_json.
            return JSONResponse(error_body("invalid_json", "the body is not JSON"), status_code=400)
        errors = [
            {"where": ".".join(str(p) for p in e.get("loc", ())), "problem": str(e.get("msg", ""))}
            for e in exc.errors()[:5]
        ]
        return JSONResponse(
            error_body("invalid_request", "the request does not match the protocol", {"errors": errors}),
            status_code=422,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        # Keep the exception's headers: a 405 says which methods the path has (Allow).
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(ClientDisconnect)
    async def _gone(_: Request, exc: ClientDisconnect) -> Response:
        # A device went away mid-upload (app killed, signal lost): nothing was applied and nobody is listening.
        # Routine for field devices, so not an internal error; 499 is nginx's "client closed request".
        log.info("client disconnected before its request arrived")
        return Response(status_code=499)

    @app.exception_handler(Exception)
    async def _internal(_: Request, exc: Exception) -> JSONResponse:
        # Log the type only: request bodies may carry personal data and tokens.
        log.error("internal error: %s", type(exc).__name__, exc_info=exc)
        return JSONResponse(error_body("internal", "internal server error"), status_code=500)
