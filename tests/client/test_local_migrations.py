from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select, update

from app.adapters import local_migrations
from app.adapters.local_store import Identity, LocalStore
from app.adapters.tables import meta, outbox, overlay, records
from sync.domain.commands import AddNote
from sync.domain.org import Role


def _store_with_pending_command(path: Path) -> LocalStore:
    store = LocalStore(path)
    store.save_identity(
        Identity(
            server_url="http://x", device_id="d", token="t", user_id="u", org_id="o", name="U", role=Role.FIELD_ENGINEER
        )
    )
    with store.engine.begin() as conn:  # an outbox row as an older app left it
        conn.execute(
            outbox.insert().values(
                command_id="c-1",
                type=AddNote.type_name,
                payload='{"note_id":"n","subject_collection":"assets","subject_id":"a","text":"hello"}',
                device_time=datetime(2026, 11, 1, tzinfo=UTC),
            )
        )
    return store


def test_an_older_device_file_is_migrated_and_keeps_its_pending_commands(tmp_path: Path) -> None:
    path = tmp_path / "device.db"
    store = _store_with_pending_command(path)
    with store.engine.begin() as conn:
        conn.execute(update(meta).where(meta.c.key == "schema_version").values(value="1"))
    store.close()
    reopened = LocalStore(path)
    assert [e.command_id for e in reopened.pending(limit=10)] == ["c-1"]
    with reopened.engine.connect() as conn:
        version = conn.execute(meta.select().where(meta.c.key == "schema_version")).first()
    assert version is not None and int(version.value) == local_migrations.LATEST


def test_a_file_from_a_newer_app_is_refused_rather_than_damaged(tmp_path: Path) -> None:
    path = tmp_path / "device.db"
    store = _store_with_pending_command(path)
    with store.engine.begin() as conn:
        conn.execute(update(meta).where(meta.c.key == "schema_version").values(value="99"))
    store.close()
    with pytest.raises(RuntimeError, match="newer Rackside"):
        LocalStore(path)


def test_chassis_cached_before_version_3_are_found_by_their_rack_after_the_update(tmp_path: Path) -> None:
    path = tmp_path / "device.db"
    store = _store_with_pending_command(path)
    with store.engine.begin() as conn:
        conn.execute(update(meta).where(meta.c.key == "schema_version").values(value="2"))
        pulled = {"collection": "assets", "natural_key": None, "parent_key": None, "stale": False}
        conn.execute(
            records.insert(),
            [
                {**pulled, "id": "a-pulled", "version": 1, "data": '{"serial": "A", "rack_id": "rack-1"}'},
                {**pulled, "id": "a-loose", "version": 2, "data": '{"serial": "B", "rack_id": null}'},
            ],
        )
        conn.execute(
            overlay.insert().values(
                collection="assets", id="a-local", data='{"serial": "C", "rack_id": "rack-2"}', command_id="c-1"
            )
        )
    store.close()
    reopened = LocalStore(path)
    with reopened.engine.connect() as conn:
        found = {
            (table.name, r.id): r.parent_key
            for table in (records, overlay)
            for r in conn.execute(select(table.c.id, table.c.parent_key).where(table.c.collection == "assets"))
        }
    assert found == {("records", "a-pulled"): "rack-1", ("records", "a-loose"): None, ("overlay", "a-local"): "rack-2"}
    assert [e.command_id for e in reopened.pending(limit=10)] == ["c-1"]
