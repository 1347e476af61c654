"""Migrations over a database holding data, on SQLite and PostgreSQL: 0004 indexes the blobs existing photos and
visits name (granting exactly the access the old read check gave), 0005 keeps every remembered command outcome under
its user, and both go back down."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic import command
from sqlalchemy import insert, select, text

from server.db import make_engine
from server.migrate import alembic_config
from server.tables import applied_commands, blob_refs
from tests.conftest import database_url

PHOTO_SHA = "a" * 64
THUMB_SHA = "b" * 64
SIGNATURE_SHA = "c" * 64


def test_existing_records_and_outcomes_come_through_the_upgrade_and_back(backend: str, tmp_path: Path) -> None:
    url = database_url(backend, tmp_path)
    config = alembic_config(url)
    command.upgrade(config, "0003")
    engine = make_engine(url)
    rows = [
        ("photos", "p1", f'{{"sha256": "{PHOTO_SHA}", "thumbnail_sha256": "{THUMB_SHA}", "caption": "{"d" * 64}"}}', 1),
        ("visits", "v1", f'{{"signature_sha256": "{SIGNATURE_SHA}"}}', 2),
        ("visits", "v2", '{"signature_sha256": null}', 3),
        ("notes", "n1", f'{{"text": "{PHOTO_SHA}"}}', 4),
    ]
    with engine.begin() as conn:
        for collection, record_id, data, version in rows:
            conn.execute(
                text(
                    "INSERT INTO records (collection, id, org_id, scope_text, version, deleted, data) "
                    "VALUES (:c, :i, 'org-a', 'org:org-a', :v, false, :d)"
                ),
                {"c": collection, "i": record_id, "v": version, "d": data},
            )
        conn.execute(
            insert(applied_commands),
            [
                {
                    "command_id": "cmd-00001",
                    "device_id": "d",
                    "user_id": "u",
                    "type": "AddNote",
                    "status": "applied",
                    "result": "{}",
                    "applied_at": datetime(2026, 1, 1, tzinfo=UTC),
                }
            ],
        )
    command.upgrade(config, "head")
    with engine.connect() as conn:
        refs = sorted(tuple(r) for r in conn.execute(select(blob_refs)))
        outcomes = conn.execute(select(applied_commands.c.user_id, applied_commands.c.command_id)).all()
    assert refs == [
        (PHOTO_SHA, "photos", "p1", "org-a", True),
        (THUMB_SHA, "photos", "p1", "org-a", True),
        (SIGNATURE_SHA, "visits", "v1", "org-a", True),
    ]
    assert [tuple(o) for o in outcomes] == [("u", "cmd-00001")]
    command.downgrade(config, "0003")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM applied_commands")).scalar_one() == 1
    engine.dispose()
