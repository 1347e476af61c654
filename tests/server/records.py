"""Small builders for storage tests: records with just the columns the storage contract looks at."""

from __future__ import annotations

import json
from collections.abc import Iterable

from server.scope import Scope
from server.store import RecordWrite, Store, StoredRecord

EVERYTHING = Scope(keys=None, write_orgs=None)


def item(
    record_id: str,
    *,
    collection: str = "assets",
    scope: Iterable[str] = ("org:a",),
    natural_key: str | None = None,
    parent_key: str | None = None,
    revision: int = 1,
) -> RecordWrite:
    return RecordWrite(
        collection=collection,
        id=record_id,
        org_id="a",
        natural_key=natural_key,
        parent_key=parent_key,
        scope=frozenset(scope),
        data=json.dumps({"id": record_id, "revision": revision}),
    )


def revision_of(record: StoredRecord) -> int:
    assert record.data is not None
    return int(json.loads(record.data)["revision"])


def seen_by(store: Store, *keys: str, since: int = 0, limit: int = 1000) -> list[tuple[str, int]]:
    """(id, version) of what a scope holding ``keys`` gets from ``changes_since``."""
    rows = store.changes_since(since=since, scope=Scope(keys=frozenset(keys), write_orgs=None), limit=limit)
    return [(r.id, r.version) for r in rows]


def everything(store: Store, *, since: int = 0) -> list[StoredRecord]:
    return store.changes_since(since=since, scope=EVERYTHING, limit=1_000_000)
