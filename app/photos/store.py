"""The device's photo store: files named by the SHA-256 of their bytes, under ``<folder>/<first two>/<digest>``.

A file is either there whole or not at all: it is written to a temporary name, flushed to the disk and renamed
(``os.replace`` is atomic on one filesystem), so a crash or a full disk never leaves half a photo under a real name.
Names come from the digest only; a caller cannot make the store write anywhere else.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

DIGEST = re.compile(r"^[0-9a-f]{64}$")


def check_digest(digest: str) -> str:
    if not DIGEST.match(digest):
        raise ValueError(f"not a lowercase hex SHA-256: {digest[:80]!r}")
    return digest


class PhotoStore:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, digest: str) -> Path:
        check_digest(digest)
        return self.folder / digest[:2] / digest

    def put(self, data: bytes) -> str:
        """Store ``data`` and return its digest; storing the same bytes twice is harmless."""
        digest = hashlib.sha256(data).hexdigest()
        self.put_verified(digest, data)
        return digest

    def put_verified(self, digest: str, data: bytes) -> None:
        """Store bytes that must hash to ``digest`` (a download): refuses bytes that do not."""
        if hashlib.sha256(data).hexdigest() != check_digest(digest):
            raise ValueError("the bytes do not match their SHA-256 name")
        target = self.path(digest)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        temp = target.parent / f".{digest}.{uuid.uuid4().hex}.tmp"
        try:
            with open(temp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        finally:
            temp.unlink(missing_ok=True)
        _fsync_dir(target.parent)

    def has(self, digest: str) -> bool:
        return self.path(digest).is_file()

    def read(self, digest: str) -> bytes | None:
        try:
            return self.path(digest).read_bytes()
        except FileNotFoundError:
            return None

    def size(self, digest: str) -> int:
        return self.path(digest).stat().st_size

    def delete(self, digest: str) -> None:
        self.path(digest).unlink(missing_ok=True)

    def digests(self) -> Iterator[str]:
        if not self.folder.is_dir():
            return
        for shard in self.folder.iterdir():
            if shard.is_dir() and len(shard.name) == 2:
                for item in shard.iterdir():
                    if DIGEST.match(item.name):
                        yield item.name

    def keep_only(self, wanted: Iterable[str]) -> list[str]:
        """Delete every photo not in ``wanted`` (photos of scopes the user left); returns what was deleted."""
        keep = set(wanted)
        gone = [digest for digest in self.digests() if digest not in keep]
        for digest in gone:
            self.delete(digest)
        return gone

    def wipe(self) -> None:
        for digest in list(self.digests()):
            self.delete(digest)


def _fsync_dir(folder: Path) -> None:
    # The rename itself lives in the directory: without this, a power cut may forget it on some filesystems.
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
