"""Named leases in the database: one server process at a time does a job (the abandoned-upload sweep), however many
processes run, on however many machines.

A lease is taken with one conditional UPDATE: it succeeds when the lease has expired or its holder is the caller, so
two processes never both hold it (PostgreSQL re-checks the WHERE on a row another transaction changed; SQLite
writers are serialized). A holder that dies stops renewing and its lease expires: another process takes over then.
Times are the servers' UTC clocks; a lease lasts minutes or hours, so clock differences of seconds do not matter.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, or_, update

from server.db import upsert_insert
from server.tables import leases

_NEVER_HELD = datetime(1970, 1, 1, tzinfo=UTC)


def acquire(engine: Engine, name: str, *, holder: str, now: datetime, seconds: float) -> bool:
    """Take (or renew) the lease ``name`` for ``holder`` until ``now + seconds``; False when another holds it."""
    with engine.begin() as conn:
        conn.execute(
            upsert_insert(conn, leases).values(name=name, holder="", expires_at=_NEVER_HELD).on_conflict_do_nothing()
        )
        taken = conn.execute(
            update(leases)
            .where(leases.c.name == name, or_(leases.c.expires_at <= now, leases.c.holder == holder))
            .values(holder=holder, expires_at=now + timedelta(seconds=seconds))
        )
        return taken.rowcount == 1


def release(engine: Engine, name: str, *, holder: str) -> None:
    """Give the lease up at once (a process shutting down), if ``holder`` still holds it."""
    with engine.begin() as conn:
        conn.execute(
            update(leases).where(leases.c.name == name, leases.c.holder == holder).values(expires_at=_NEVER_HELD)
        )
