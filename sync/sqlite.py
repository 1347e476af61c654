"""SQLite engines as both ends want them: WAL, fsync on commit, and BEGIN IMMEDIATE for every writer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import NullPool

READ_ONLY = "rackside_read_only"


def sqlite_engine(url: str) -> Engine:
    """An engine whose write transactions take the write lock at BEGIN, so concurrent writers queue instead of
    failing at commit; readers (``execution_options(rackside_read_only=True)``) read a WAL snapshot without a lock."""
    # NullPool: each unit of work opens its own connection, so none is shared across threads.
    engine = create_engine(url, poolclass=NullPool, connect_args={"check_same_thread": False, "timeout": 30})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Stop the sqlite3 module from issuing its own BEGIN: the "begin" listener below does it.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit survives power loss, not only a killed process. Field data exists nowhere else.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = "DEFERRED" if conn.get_execution_options().get(READ_ONLY) else "IMMEDIATE"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
