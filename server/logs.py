"""Structured logs: one JSON object per line, each carrying the request id of the request it belongs to.

What goes in is chosen, not dumped: the message, the logger, the level, the request id and the few fields the
request observer adds (method, route template, status, duration). Never bodies, headers, tokens, query strings, client
addresses or exception messages (a database error can quote a username or a serial); an exception is logged as its
type and the code locations of its traceback.
"""

from __future__ import annotations

import json
import logging
import traceback
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

# Set by the request observer for the duration of a request; copied into worker threads with the context.
REQUEST_ID: ContextVar[str | None] = ContextVar("rackside_request_id", default=None)
FIELDS = ("method", "route", "status", "duration_ms", "commands", "records")


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id is not None:
            entry["request_id"] = request_id
        for name in FIELDS:
            if name in record.__dict__:
                entry[name] = record.__dict__[name]
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["traceback"] = [
                f"{frame.filename}:{frame.lineno} in {frame.name}" for frame in traceback.extract_tb(record.exc_info[2])
            ]
        return json.dumps(entry, separators=(",", ":"))


def log_config(level: str = "info") -> dict[str, Any]:
    """A logging.config dict for uvicorn: everything as JSON on stderr; uvicorn's own access log is off (the
    request observer writes one line per request with its id and route template instead of the raw path)."""
    handler = {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": JsonFormatter}},
        "handlers": {"json": handler},
        "root": {"handlers": ["json"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.error": {"handlers": [], "level": level.upper(), "propagate": True},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }
