"""Alembic environment: the URL comes from the caller (server.migrate), never from a config file."""

from __future__ import annotations

from alembic import context

from server.db import make_engine
from server.tables import metadata

_url = context.config.get_main_option("sqlalchemy.url")
if not _url:
    raise RuntimeError("server.migrate passes the database URL")
url: str = _url


def run() -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()


if context.is_offline_mode():
    context.configure(url=url, target_metadata=metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run()
