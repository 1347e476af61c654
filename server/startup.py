"""The one line `rackside server` prints when it starts: where it listens, which database, which blob store.

An operator reads it to check that a server came up against the right database and bucket; it is printed, so it
never carries a password (the database URL's password is masked, an S3 store names only its bucket and endpoint).
"""

from __future__ import annotations

import os

from sqlalchemy.engine import make_url

from server.blobs.store import default_blob_dir
from server.settings import Settings


def masked_database_url(url: str) -> str:
    """The URL with its password (if any) shown as ***."""
    return make_url(url).render_as_string(hide_password=True)


def blob_store_text(settings: Settings) -> str:
    url = settings.blob_url
    if url and url.startswith("s3://"):
        endpoint = os.environ.get("AWS_ENDPOINT_URL")
        return f"{url} (S3{' at ' + endpoint if endpoint else ''})"
    if url:
        return f"{os.path.abspath(url.removeprefix('file://'))} (folder)"
    return f"{default_blob_dir(settings.database_url, settings.blob_dir).resolve()} (folder)"


def startup_line(settings: Settings, *, host: str, port: int, workers: int) -> str:
    processes = f" · {workers} workers" if workers > 1 else ""
    return (
        f"Rackside server on http://{host}:{port} · database {masked_database_url(settings.database_url)}"
        f" · blobs {blob_store_text(settings)}{processes}"
    )
