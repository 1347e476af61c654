"""The storage contract of server/store.py, one rule per test, on SQLite and on PostgreSQL (the ``store`` fixture)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from server.scope import Scope
from server.store import NaturalKeyTaken, RecordWrite, Store, StoredRecord, StoreTxn
from tests.server.records import EVERYTHING, everything, item, revision_of, seen_by

AT = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def write(store: Store, *items: RecordWrite) -> list[StoredRecord]:
    with store.transaction() as txn:
        return txn.write(items)


def delete(store: Store, collection: str, record_id: str) -> StoredRecord | None:
    with store.transaction() as txn:
        return txn.delete(collection, record_id)


# get / find / children


def test_get_returns_none_for_a_record_that_never_existed(store: Store) -> None:
    with store.transaction() as txn:
        assert txn.get("assets", "nope") is None


def test_get_returns_what_write_stored(store: Store) -> None:
    [written] = write(store, item("a1", scope=("org:a", "site:s1")))
    with store.transaction() as txn:
        got = txn.get("assets", "a1")
    assert got == written
    assert got is not None and got.scope == {"org:a", "site:s1"} and not got.deleted and got.org_id == "a"


def test_get_returns_the_tombstone_of_a_deleted_record(store: Store) -> None:
    write(store, item("a1"))
    tombstone = delete(store, "assets", "a1")
    with store.transaction() as txn:
        got = txn.get("assets", "a1")
    assert got is not None and tombstone is not None
    assert (got.deleted, got.data, got.version) == (True, None, tombstone.version)


def test_get_keeps_collections_apart(store: Store) -> None:
    write(store, item("same-id", collection="assets"))
    with store.transaction() as txn:
        assert txn.get("parts", "same-id") is None


def test_find_returns_the_live_record_with_that_natural_key(store: Store) -> None:
    write(store, item("a1", natural_key="NB1"), item("a2", natural_key="NB2"))
    with store.transaction() as txn:
        found = txn.find("assets", "NB2")
        assert txn.find("assets", "NB3") is None
        assert txn.find("parts", "NB2") is None
    assert found is not None and found.id == "a2"


def test_find_ignores_a_deleted_record_and_frees_its_natural_key(store: Store) -> None:
    write(store, item("a1", natural_key="NB1"))
    delete(store, "assets", "a1")
    with store.transaction() as txn:
        assert txn.find("assets", "NB1") is None
    [reused] = write(store, item("a2", natural_key="NB1"))
    with store.transaction() as txn:
        assert txn.find("assets", "NB1") == reused


def test_children_are_live_records_of_the_parent_oldest_version_first(store: Store) -> None:
    write(
        store,
        item("v-b", collection="visits", parent_key="asset-1"),
        item("v-a", collection="visits", parent_key="asset-1"),
        item("v-gone", collection="visits", parent_key="asset-1"),
        item("v-other", collection="visits", parent_key="asset-2"),
        item("n-1", collection="notes", parent_key="asset-1"),
    )
    write(store, item("v-b", collection="visits", parent_key="asset-1", revision=2))
    delete(store, "visits", "v-gone")
    with store.transaction() as txn:
        children = txn.children("visits", "asset-1")
    assert [c.id for c in children] == ["v-a", "v-b"]
    assert [c.version for c in children] == sorted(c.version for c in children)
    assert revision_of(children[1]) == 2


# write


def test_write_gives_strictly_increasing_versions_in_item_order(store: Store) -> None:
    first = write(store, item("a1"), item("a2"), item("a3"))
    second = write(store, item("a0"), item("a1", revision=2))
    versions = [r.version for r in first + second]
    assert versions == sorted(set(versions))
    assert [r.id for r in first] == ["a1", "a2", "a3"]
    assert versions[0] > 0


def test_write_of_nothing_takes_no_version(store: Store) -> None:
    write(store, item("a1"))
    head = store.head_version()
    assert write(store) == []
    assert store.head_version() == head


def test_rewriting_a_record_replaces_it_with_a_fresh_version(store: Store) -> None:
    [old] = write(store, item("a1", natural_key="NB1"))
    write(store, item("other"))
    [new] = write(store, item("a1", natural_key="NB1", revision=2))
    rows = everything(store)
    assert [(r.id, r.version) for r in rows] == [("other", old.version + 1), ("a1", new.version)]
    assert new.version > old.version and revision_of(rows[-1]) == 2


def test_writing_a_tombstone_brings_the_record_back(store: Store) -> None:
    write(store, item("a1"))
    delete(store, "assets", "a1")
    [revived] = write(store, item("a1", revision=3))
    with store.transaction() as txn:
        got = txn.get("assets", "a1")
    assert got == revived and not revived.deleted and revision_of(revived) == 3


def test_a_natural_key_held_by_another_record_raises_natural_key_taken(store: Store) -> None:
    write(store, item("a1", natural_key="NB1"))
    with pytest.raises(NaturalKeyTaken), store.transaction() as txn:
        txn.write([item("a2", natural_key="NB1")])
    with store.transaction() as txn:
        assert txn.get("assets", "a2") is None
        found = txn.find("assets", "NB1")
    assert found is not None and found.id == "a1"


@pytest.mark.parametrize(
    ("first", "second"),
    [
        pytest.param(item("a1", natural_key="NB1"), item("a1", natural_key="NB1", revision=2), id="same-record"),
        pytest.param(item("a1", natural_key="NB1"), item("p1", collection="parts", natural_key="NB1"), id="other-coll"),
        pytest.param(item("a1"), item("a2"), id="no-natural-key"),
    ],
)
def test_natural_keys_clash_only_between_two_records_of_one_collection(
    store: Store, first: RecordWrite, second: RecordWrite
) -> None:
    write(store, first)
    [stored] = write(store, second)
    assert not stored.deleted


def test_natural_key_taken_leaves_the_transaction_usable_for_other_writes(store: Store) -> None:
    write(store, item("a1", natural_key="NB1"))
    with store.transaction() as txn:
        with pytest.raises(NaturalKeyTaken), txn.savepoint():
            txn.write([item("a2", natural_key="NB1")])
        txn.write([item("a3", natural_key="NB3")])
    assert [r.id for r in everything(store)] == ["a1", "a3"]


# scope keys


def test_a_scope_sees_records_holding_one_of_its_keys(store: Store) -> None:
    write(
        store,
        item("fra", scope=("org:a", "site:fra")),
        item("tyo", scope=("org:b", "site:tyo")),
        item("cat", collection="skus", scope=("catalog",)),
    )
    assert [i for i, _ in seen_by(store, "site:fra")] == ["fra"]
    assert [i for i, _ in seen_by(store, "org:b", "catalog")] == ["tyo", "cat"]
    assert seen_by(store, "site:nowhere") == []
    assert seen_by(store) == []


def test_a_lost_scope_key_still_returns_the_record_to_a_scope_holding_only_that_key(store: Store) -> None:
    write(store, item("a1", scope=("org:a", "site:fra")))
    [moved] = write(store, item("a1", scope=("org:a", "site:tyo"), revision=2))

    [row] = store.changes_since(since=0, scope=Scope(keys=frozenset({"site:fra"}), write_orgs=None), limit=10)

    assert (row.id, row.version) == ("a1", moved.version)
    assert row.scope == {"org:a", "site:tyo"}
    # The caller tombstones it for this user because the record's current keys no longer meet the scope.
    assert not Scope(keys=frozenset({"site:fra"}), write_orgs=None).sees(row.scope)
    assert seen_by(store, "site:tyo") == [("a1", moved.version)]


def test_a_scope_key_given_back_makes_the_record_visible_again(store: Store) -> None:
    write(store, item("a1", scope=("org:a", "site:fra")))
    write(store, item("a1", scope=("org:a",), revision=2))
    [back] = write(store, item("a1", scope=("org:a", "site:fra"), revision=3))
    [row] = store.changes_since(since=0, scope=Scope(keys=frozenset({"site:fra"}), write_orgs=None), limit=10)
    assert row.version == back.version and "site:fra" in row.scope


def test_a_scope_that_never_held_a_key_of_the_record_gets_nothing_when_it_moves(store: Store) -> None:
    write(store, item("a1", scope=("site:fra",)))
    write(store, item("a1", scope=("site:tyo",), revision=2))
    assert seen_by(store, "site:syd") == []


# delete


def test_delete_turns_a_live_record_into_a_tombstone_with_a_fresh_version(store: Store) -> None:
    [live] = write(store, item("a1", scope=("site:fra",), natural_key="NB1"))
    tombstone = delete(store, "assets", "a1")
    assert tombstone is not None
    assert tombstone.deleted and tombstone.data is None and tombstone.version > live.version
    assert tombstone.scope == live.scope and tombstone.org_id == live.org_id
    assert store.head_version() == tombstone.version


def test_a_tombstone_reaches_every_scope_that_saw_the_record(store: Store) -> None:
    [live] = write(store, item("a1", scope=("site:fra", "org:a")))
    tombstone = delete(store, "assets", "a1")
    assert tombstone is not None
    for key in ("site:fra", "org:a"):
        [row] = store.changes_since(since=live.version, scope=Scope(keys=frozenset({key}), write_orgs=None), limit=9)
        assert (row.id, row.version, row.deleted, row.data) == ("a1", tombstone.version, True, None)
    assert seen_by(store, "site:tyo") == []


@pytest.mark.parametrize("already_deleted", [True, False], ids=["tombstone", "never-existed"])
def test_delete_of_no_live_record_returns_none_and_takes_no_version(store: Store, already_deleted: bool) -> None:
    write(store, item("a1"))
    if already_deleted:
        delete(store, "assets", "a1")
    head = store.head_version()
    assert delete(store, "assets", "a1" if already_deleted else "a2") is None
    assert store.head_version() == head


# commands


def test_command_result_is_none_until_saved_then_the_stored_outcome(store: Store) -> None:
    with store.transaction() as txn:
        assert txn.command_result("cmd-00001", user_id="user") is None
        txn.save_command_result(
            command_id="cmd-00001",
            device_id="dev",
            user_id="user",
            type_name="OpenTicket",
            status="rejected",
            result='{"error":{"code":"not_found"}}',
            at=AT,
        )
    with store.transaction() as txn:
        stored = txn.command_result("cmd-00001", user_id="user")
    with store.transaction() as txn:
        assert txn.command_result("cmd-00001", user_id="someone else") is None
    assert stored is not None
    assert (stored.command_id, stored.status, stored.result) == (
        "cmd-00001",
        "rejected",
        '{"error":{"code":"not_found"}}',
    )


def test_a_second_save_of_the_same_command_id_fails_and_keeps_the_first(store: Store) -> None:
    def save(txn: StoreTxn, status: str, user_id: str = "u") -> None:
        txn.save_command_result(
            command_id="cmd-00002", device_id="d", user_id=user_id, type_name="T", status=status, result="{}", at=AT
        )

    with store.transaction() as txn:
        save(txn, "applied")
        save(txn, "rejected", user_id="another user")  # command ids are per user
    with pytest.raises(IntegrityError), store.transaction() as txn:
        save(txn, "rejected")
    with store.transaction() as txn:
        stored = txn.command_result("cmd-00002", user_id="u")
    assert stored is not None and stored.status == "applied"


# transactions and savepoints


def test_a_savepoint_that_raises_undoes_only_its_own_writes(store: Store) -> None:
    with store.transaction() as txn:
        txn.write([item("before")])
        with pytest.raises(RuntimeError), txn.savepoint():
            txn.write([item("inside")])
            assert txn.get("assets", "inside") is not None
            raise RuntimeError("rule said no")
        assert txn.get("assets", "inside") is None
        txn.write([item("after")])
    rows = everything(store)
    assert [r.id for r in rows] == ["before", "after"]
    assert rows[1].version > rows[0].version


def test_a_transaction_that_raises_leaves_nothing_behind(store: Store) -> None:
    write(store, item("kept"))
    head = store.head_version()
    with pytest.raises(RuntimeError), store.transaction() as txn:
        txn.write([item("lost")])
        raise RuntimeError("boom")
    assert [r.id for r in everything(store)] == ["kept"]
    assert store.head_version() == head


def test_nothing_a_transaction_writes_is_visible_before_it_commits(store: Store) -> None:
    with store.transaction() as txn:
        [written] = txn.write([item("a1")])
        assert everything(store) == []
        assert store.head_version() == 0
    assert [r.id for r in everything(store)] == ["a1"]
    assert store.head_version() == written.version


def test_next_value_counts_each_named_counter_on_its_own(store: Store) -> None:
    with store.transaction() as txn:
        assert txn.next_value("rma_number") == 1
        assert txn.next_value("rma_number", step=5) == 6
        assert txn.next_value("other") == 1
    with store.transaction() as txn:
        assert txn.next_value("rma_number") == 7


# changes_since and head_version


def test_changes_since_is_exclusive_and_in_version_order(store: Store) -> None:
    written = write(store, item("a1"), item("a2"), item("a3"), item("a4"))
    write(store, item("a2", revision=2))
    ids = [r.id for r in everything(store, since=written[0].version)]
    assert ids == ["a3", "a4", "a2"]
    assert everything(store, since=store.head_version()) == []


def test_changes_since_returns_at_most_limit_rows_and_the_rest_from_the_last_version(store: Store) -> None:
    written = write(store, *(item(f"a{i}") for i in range(7)))
    first = store.changes_since(since=0, scope=EVERYTHING, limit=3)
    rest = store.changes_since(since=first[-1].version, scope=EVERYTHING, limit=100)
    assert [r.id for r in first] == ["a0", "a1", "a2"]
    assert [r.version for r in first + rest] == [r.version for r in written]


def test_an_unlimited_scope_sees_every_record_and_tombstone(store: Store) -> None:
    write(store, item("a1", scope=("org:a",)), item("b1", scope=("org:b",)), item("none", scope=()))
    delete(store, "assets", "a1")
    rows = everything(store)
    assert [(r.id, r.deleted) for r in rows] == [("b1", False), ("none", False), ("a1", True)]


def test_head_version_is_zero_on_an_empty_store_then_the_last_version_given(store: Store) -> None:
    assert store.head_version() == 0
    written = write(store, item("a1"), item("a2"))
    assert store.head_version() == written[-1].version
    tombstone = delete(store, "assets", "a1")
    assert tombstone is not None and store.head_version() == tombstone.version


def test_live_records_are_every_live_record_of_one_collection_oldest_version_first(store: Store) -> None:
    write(store, item("t2", collection="tickets"), item("a1"), item("t1", collection="tickets", scope=("org:b",)))
    write(store, item("t3", collection="tickets"))
    delete(store, "tickets", "t3")
    write(store, item("t2", collection="tickets", revision=2))
    assert [(r.id, revision_of(r)) for r in store.live_records("tickets")] == [("t1", 1), ("t2", 2)]
    assert store.live_records("visits") == []


def test_reading_sees_committed_records_and_keeps_nothing_written_in_it(store: Store) -> None:
    write(store, item("a1"))
    with store.reading() as txn:
        stored = txn.get("assets", "a1")
        assert stored is not None and revision_of(stored) == 1
        txn.write([item("a2")])
    assert store.live_records("assets") == [stored]
