"""The device's photo store: whole files under their digest, never a path a caller made up."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from app.photos.store import PhotoStore


def test_a_stored_file_is_whole_under_its_digest_with_no_temporary_left(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path / "photos")
    digest = store.put(b"\xff\xd8\xffphoto bytes")
    assert digest == hashlib.sha256(b"\xff\xd8\xffphoto bytes").hexdigest()
    assert store.path(digest) == tmp_path / "photos" / digest[:2] / digest
    assert store.read(digest) == b"\xff\xd8\xffphoto bytes" and store.put(b"\xff\xd8\xffphoto bytes") == digest
    assert [p.name for p in (tmp_path / "photos").rglob("*") if p.is_file()] == [digest]


@pytest.mark.parametrize("name", ["../../etc/passwd", "..", "A" * 64, "0" * 63, "/" + "0" * 63])
def test_names_that_are_not_a_digest_are_refused(tmp_path: Path, name: str) -> None:
    store = PhotoStore(tmp_path / "photos")
    with pytest.raises(ValueError, match="SHA-256"):
        store.path(name)
    with pytest.raises(ValueError, match="SHA-256"):
        store.put_verified(name, b"x")
    assert not (tmp_path / "photos").exists()


def test_downloaded_bytes_that_do_not_match_their_name_are_not_stored(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path / "photos")
    with pytest.raises(ValueError, match="do not match"):
        store.put_verified(hashlib.sha256(b"expected").hexdigest(), b"tampered")
    assert list(store.digests()) == []


def test_keep_only_deletes_everything_else(tmp_path: Path) -> None:
    store = PhotoStore(tmp_path / "photos")
    keep, drop = store.put(b"keep"), store.put(b"drop")
    assert store.keep_only({keep}) == [drop]
    assert list(store.digests()) == [keep]
