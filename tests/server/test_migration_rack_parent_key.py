"""Migration 0009_racks on SQLite and PostgreSQL: every stored chassis gets its rack as parent key (the index the
rack occupancy check reads), from its data; chassis in no rack keep none; and the way back clears them again."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from sqlalchemy import text

from server.db import make_engine
from server.migrate import alembic_config
from tests.conftest import database_url


def test_chassis_written_before_get_their_rack_as_parent_key_and_lose_it_going_back(
    backend: str, tmp_path: Path
) -> None:
    url = database_url(backend, tmp_path)
    config = alembic_config(url)
    command.upgrade(config, "0008")
    engine = make_engine(url)
    rows = [
        ("assets", "a-racked", '{"serial": "NB1", "rack_id": "rack-7", "u_position": 3}', 1),
        ("assets", "a-loose", '{"serial": "NB2", "rack_id": null, "u_position": null}', 2),
        ("assets", "a-empty", '{"serial": "NB3", "rack_id": ""}', 3),
        ("visits", "v1", '{"asset_id": "a-racked", "rack_id": "rack-7"}', 4),
    ]
    with engine.begin() as conn:
        for collection, record_id, data, version in rows:
            conn.execute(
                text(
                    "INSERT INTO records (collection, id, org_id, parent_key, scope_text, version, deleted, data) "
                    "VALUES (:c, :i, 'org-a', :p, 'org:org-a', :v, false, :d)"
                ),
                {
                    "c": collection,
                    "i": record_id,
                    "p": "a-racked" if collection == "visits" else None,
                    "v": version,
                    "d": data,
                },
            )
    read = text("SELECT id, parent_key, version FROM records ORDER BY id")
    command.upgrade(config, "0009_racks")
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(read)] == [
            ("a-empty", None, 3),
            ("a-loose", None, 2),
            ("a-racked", "rack-7", 1),
            ("v1", "a-racked", 4),
        ]
    command.downgrade(config, "0008")
    with engine.connect() as conn:
        assert [tuple(r) for r in conn.execute(read)] == [
            ("a-empty", None, 3),
            ("a-loose", None, 2),
            ("a-racked", None, 1),
            ("v1", "a-racked", 4),
        ]
    engine.dispose()
