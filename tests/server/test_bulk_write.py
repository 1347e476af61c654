"""StoreTxn.write with many records at once (seeding, large commands): the same outcome as one write per record,
on SQLite and on PostgreSQL, across the lookup chunk size."""

from __future__ import annotations

import pytest

from server.scope import Scope
from server.store import NaturalKeyTaken, Store
from tests.server.records import everything, item, revision_of, seen_by

MANY = 2_345  # more than two lookup chunks of 1,000 ids


def test_a_large_write_stores_every_record_with_consecutive_versions_in_item_order(store: Store) -> None:
    items = [item(f"a{n:05d}", natural_key=f"NB{n:05d}", parent_key=f"site-{n % 7}") for n in range(MANY)]
    with store.transaction() as txn:
        written = txn.write(items)
    versions = [r.version for r in written]
    assert versions == list(range(versions[0], versions[0] + MANY))
    assert [r.id for r in everything(store)] == [i.id for i in items]
    assert store.head_version() == versions[-1]
    with store.transaction() as txn:
        assert [c.id for c in txn.children("assets", "site-3")] == [f"a{n:05d}" for n in range(MANY) if n % 7 == 3]
        found = txn.find("assets", "NB01234")
    assert found is not None and found.id == "a01234"


def test_a_large_write_mixing_new_live_and_deleted_records_replaces_what_exists(store: Store) -> None:
    with store.transaction() as txn:
        txn.write([item(f"a{n:05d}", scope=("org:a", "site:fra")) for n in range(0, MANY, 2)])
        for n in range(0, MANY, 10):
            txn.delete("assets", f"a{n:05d}")
    # Every record: new (odd), live (even), tombstones (every 10th); the even ones move from fra to tyo.
    items = [item(f"a{n:05d}", scope=("org:a", "site:tyo"), revision=2) for n in range(MANY)]
    with store.transaction() as txn:
        written = txn.write(items)
    rows = everything(store)
    assert [(r.id, r.version, r.deleted) for r in rows] == [(w.id, w.version, False) for w in written]
    assert all(revision_of(r) == 2 for r in rows)
    # Who saw the even ones through site:fra gets them again (as tombstones, by the caller): the key was remembered.
    fra = Scope(keys=frozenset({"site:fra"}), write_orgs=None)
    lost = store.changes_since(since=written[0].version - 1, scope=fra, limit=10_000)
    assert [r.id for r in lost] == [f"a{n:05d}" for n in range(0, MANY, 2)]
    assert not any(fra.sees(r.scope) for r in lost)
    assert len(seen_by(store, "site:tyo", limit=10_000)) == MANY


def test_a_record_written_twice_in_one_call_ends_with_the_later_copy_and_version(store: Store) -> None:
    with store.transaction() as txn:
        written = txn.write(
            [item("a1", scope=("site:fra",)), item("a2"), item("a1", scope=("site:tyo",), revision=2), item("a3")]
        )
    assert [w.version for w in written] == list(range(written[0].version, written[0].version + 4))
    rows = everything(store)
    assert [(r.id, r.version) for r in rows] == [
        ("a2", written[1].version),
        ("a1", written[2].version),
        ("a3", written[3].version),
    ]
    assert revision_of(rows[1]) == 2 and rows[1].scope == {"site:tyo"}
    # The first copy's key was given up by the second: a site:fra user is told it is gone.
    assert seen_by(store, "site:fra") == [("a1", written[2].version)]


def test_a_natural_key_clash_anywhere_in_a_large_write_writes_none_of_it(store: Store) -> None:
    with store.transaction() as txn:
        txn.write([item("holder", natural_key="NB-TAKEN")])
    head = store.head_version()
    items = [item(f"a{n:05d}", natural_key=f"NB{n:05d}") for n in range(MANY)]
    items[1_500] = item("a01500", natural_key="NB-TAKEN")
    with store.transaction() as txn:
        with pytest.raises(NaturalKeyTaken, match="NB-TAKEN"), txn.savepoint():
            txn.write(items)
        txn.write([item("after", natural_key="NB-AFTER")])
    assert [r.id for r in everything(store) if r.version > head] == ["after"]


def test_two_new_records_with_one_natural_key_in_one_write_clash(store: Store) -> None:
    with pytest.raises(NaturalKeyTaken, match="NB1"), store.transaction() as txn:
        txn.write([item("a1", natural_key="NB1"), item("a2", natural_key="NB1")])
    assert everything(store) == []
