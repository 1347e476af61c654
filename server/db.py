"""Database engines: SQLite (embedded default) or PostgreSQL (production)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine

from sync.sqlite import READ_ONLY, sqlite_engine

__all__ = ["READ_ONLY", "make_engine"]


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
