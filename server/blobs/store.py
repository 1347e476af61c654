"""Where blob bytes live, behind a small interface: a directory by default, an S3-compatible bucket in a deployment
with several server processes (server/blobs/s3.py; ``open_blob_store`` picks one from the settings).

Every key and name handed to a store is made by the server (lowercase hex), never taken from a request, and the
directory store checks that again before it touches a path.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, Protocol

SAFE_NAME = re.compile(r"^[0-9a-f]{32,64}$")
STREAM_PIECE = 256 * 1024


class BlobStoreError(Exception):
    """Base of blob store errors."""


class OffsetMismatch(BlobStoreError):
    """An append did not start where the staged bytes end (another request wrote meanwhile, or a stale client)."""

    def __init__(self, staged: int) -> None:
        super().__init__(f"the upload has {staged} bytes")
        self.staged = staged


class BlobStore(Protocol):
    def staged_size(self, key: str) -> int:
        """Bytes received so far for the upload ``key``; 0 when none."""
        ...

    def append(self, key: str, *, offset: int, data: bytes, restart: bool = False) -> int:
        """Add ``data`` at ``offset`` of the upload ``key`` and return its new size. ``restart`` with offset 0 drops
        what was staged before; otherwise raises OffsetMismatch unless ``offset`` equals the staged size."""
        ...

    def read_staged(self, key: str) -> bytes:
        """All bytes staged for ``key`` (at most the blob size cap, checked before any byte is staged)."""
        ...

    def discard(self, key: str) -> None:
        """Forget the upload ``key``; harmless when there is none."""
        ...

    def commit(self, key: str, name: str, *, sha256: str | None = None) -> None:
        """Make the staged bytes of ``key`` the blob ``name``, durably and at once: readers see all or nothing.
        ``sha256``: the digest the caller checked; a store that can have it verified where the bytes land does."""
        ...

    def read(self, name: str) -> bytes:
        """The bytes of blob ``name``; raises FileNotFoundError when it is not there."""
        ...

    def stream(self, name: str) -> Iterator[bytes]:
        """The bytes of blob ``name`` in pieces, for serving without holding a blob in memory; raises
        FileNotFoundError at once (not when iterated) when it is not there."""
        ...

    def check(self) -> None:
        """Raise (ConnectionError, OSError) unless the store can be reached: for the health check."""
        ...

    def delete(self, name: str) -> None:
        """Remove blob ``name``; harmless when it is not there."""
        ...

    def sweep_staging(self, *, older_than_seconds: float) -> int:
        """Drop uploads untouched for that long (abandoned by their device); returns how many."""
        ...


def safe_name(name: str) -> str:
    if not SAFE_NAME.match(name):
        raise ValueError("blob store names are server-made lowercase hex")
    return name


class DirectoryBlobStore:
    """``<root>/staging/<key>`` for uploads in progress, ``<root>/blobs/<2 hex>/<name>`` for stored blobs.
    The folders are made on first write, so building a server never creates directories."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _staging(self, key: str) -> Path:
        return self.root / "staging" / safe_name(key)

    def _blob(self, name: str) -> Path:
        return self.root / "blobs" / safe_name(name)[:2] / name

    def staged_size(self, key: str) -> int:
        try:
            return self._staging(key).stat().st_size
        except FileNotFoundError:
            return 0

    def append(self, key: str, *, offset: int, data: bytes, restart: bool = False) -> int:
        path = self._staging(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        with _locked_for_append(path) as handle:
            size = os.fstat(handle.fileno()).st_size
            if restart and offset == 0 and size:
                handle.truncate(0)
                size = 0
            if size != offset:
                raise OffsetMismatch(size)
            handle.write(data)
            handle.flush()
            return size + len(data)

    def read_staged(self, key: str) -> bytes:
        return self._staging(key).read_bytes()

    def discard(self, key: str) -> None:
        self._staging(key).unlink(missing_ok=True)

    def commit(self, key: str, name: str, *, sha256: str | None = None) -> None:
        source, target = self._staging(key), self._blob(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        with open(source, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(source, target)
        _fsync_dir(target.parent)

    def read(self, name: str) -> bytes:
        return self._blob(name).read_bytes()

    def stream(self, name: str) -> Iterator[bytes]:
        path = self._blob(name)
        path.stat()  # raises FileNotFoundError now, before a response has started

        def pieces() -> Iterator[bytes]:
            # Opened when the response starts, so a response never sent leaves no file open.
            with open(path, "rb") as handle:
                while piece := handle.read(STREAM_PIECE):
                    yield piece

        return pieces()

    def check(self) -> None:
        # The folders are made on first write: reachable when the nearest existing one is a writable directory.
        folder = self.root
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        if not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK):
            raise OSError(f"{folder} is not a writable directory")

    def delete(self, name: str) -> None:
        self._blob(name).unlink(missing_ok=True)

    def sweep_staging(self, *, older_than_seconds: float) -> int:
        folder = self.root / "staging"
        if not folder.is_dir():
            return 0
        limit = time.time() - older_than_seconds
        return sum(1 for item in folder.iterdir() if SAFE_NAME.match(item.name) and _unlink_if_idle(item, limit))


@contextmanager
def _locked_for_append(path: Path) -> Iterator[BinaryIO]:
    """The upload file opened for appending, with its lock held: one writer at a time per upload, across processes
    sharing the directory. A sweep may unlink the file between our open and our lock; writing to that unlinked
    inode would report bytes as kept that are gone, so open again until the locked file is the one at ``path``."""
    while True:
        handle = open(path, "ab")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            if _is_current(handle, path):
                yield handle
                return
        finally:
            handle.close()


def _is_current(handle: BinaryIO, path: Path) -> bool:
    try:
        return os.fstat(handle.fileno()).st_ino == path.stat().st_ino
    except FileNotFoundError:
        return False


def _unlink_if_idle(item: Path, limit: float) -> bool:
    """Remove an upload untouched since ``limit``, deciding under its lock: an append in progress holds the lock
    (skip it), and one that finished after we listed the folder has moved its mtime past ``limit`` (keep it)."""
    try:
        handle = open(item, "rb")
    except FileNotFoundError:
        return False  # committed or discarded meanwhile
    try:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        if not _is_current(handle, item) or os.fstat(handle.fileno()).st_mtime >= limit:
            return False
        item.unlink()
        return True
    finally:
        handle.close()


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def default_blob_dir(database_url: str, configured: str | None) -> Path:
    """The configured folder, else one beside an SQLite database file, else ./rackside-blobs."""
    if configured:
        return Path(configured)
    prefix = "sqlite:///"
    if database_url.startswith(prefix) and ":memory:" not in database_url:
        db_file = Path(database_url.removeprefix(prefix).split("?", 1)[0])
        return db_file.with_name(db_file.name + ".blobs")
    return Path("rackside-blobs")
