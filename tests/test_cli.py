from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from rackside.cli import app
from server.db import make_engine
from server.tables import assignments, users


def test_user_add_hashes_the_password_and_assign_adds_scope_keys_once(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    added = runner.invoke(
        app,
        ["user", "add", "alice", "--role", "installer", "--org", "org-1", "--db", db],
        env={"RACKSIDE_NEW_PASSWORD": "correct horse battery"},
    )
    assert added.exit_code == 0, added.output
    for _ in range(2):
        assigned = runner.invoke(app, ["user", "assign", "alice", "site:s1", "site:s2", "--db", db])
        assert assigned.exit_code == 0, assigned.output
    engine = make_engine(db)
    with engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash, users.c.role)).one()
        keys = sorted(conn.execute(select(assignments.c.scope_key)).scalars())
    engine.dispose()
    assert stored.role == "installer" and stored.password_hash.startswith("$argon2id$")
    assert "correct horse" not in stored.password_hash and "correct horse" not in added.output
    assert keys == ["site:s1", "site:s2"]


def test_user_add_refuses_an_unknown_role_and_a_short_password(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    wizard = runner.invoke(
        app,
        ["user", "add", "bob", "--role", "wizard", "--org", "o", "--db", db],
        env={"RACKSIDE_NEW_PASSWORD": "long enough pw"},
    )
    short = runner.invoke(
        app, ["user", "add", "bob", "--role", "depot", "--org", "o", "--db", db], env={"RACKSIDE_NEW_PASSWORD": "short"}
    )
    assert (wizard.exit_code, short.exit_code) == (2, 2)
