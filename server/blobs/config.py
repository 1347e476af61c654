"""Which blob store a server uses, from its settings: an S3-compatible bucket for ``s3://bucket/prefix``, else a
directory (the default, which ``make demo`` uses)."""

from __future__ import annotations

from pathlib import Path

from server.blobs.store import BlobStore, DirectoryBlobStore, default_blob_dir
from server.settings import Settings


def open_blob_store(settings: Settings) -> BlobStore:
    url = settings.blob_url
    if url and url.startswith("s3://"):
        from server.blobs.s3 import S3BlobStore  # boto3 loads only for servers that use it

        return S3BlobStore.from_url(url)
    if url:
        if "://" in url and not url.startswith("file://"):
            raise ValueError(f"a blob store URL is s3://bucket/prefix, file:///folder or a folder, not {url!r}")
        return DirectoryBlobStore(Path(url.removeprefix("file://")))
    return DirectoryBlobStore(default_blob_dir(settings.database_url, settings.blob_dir))
