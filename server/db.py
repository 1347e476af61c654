"""Database engines: SQLite (embedded default) or PostgreSQL (production)."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, Table, create_engine
from sqlalchemy.dialects import postgresql, sqlite

from sync.sqlite import READ_ONLY, sqlite_engine

__all__ = ["READ_ONLY", "make_engine", "upsert_insert"]


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return sqlite_engine(url)
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


def upsert_insert(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into ``table`` that can say ``ON CONFLICT`` on this connection's database (both dialects spell it
    the same; SQLAlchemy's generic ``insert`` cannot)."""
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)
