"""applied_commands keyed by (user_id, command_id): a command id is one user's, so another user's command with the same
id is neither answered with that outcome nor blocked by it

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_COLUMNS = "command_id, device_id, user_id, type, status, result, applied_at"


def _table(name: str, key: tuple[str, ...], key_name: str) -> None:
    op.create_table(
        name,
        sa.Column("command_id", sa.String(length=64), nullable=False),
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.String(length=64), nullable=False),
        sa.Column("type", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("result", sa.Text(), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint(*key, name=key_name),
    )


def _rekey(key: tuple[str, ...], key_name: str) -> None:
    # A new table and a copy: the same steps on SQLite (which cannot change a primary key in place) and PostgreSQL.
    # The key's name must differ from the current table's (PostgreSQL keeps it through the rename).
    _table("applied_commands_rekeyed", key, key_name)
    op.execute(f"INSERT INTO applied_commands_rekeyed ({_COLUMNS}) SELECT {_COLUMNS} FROM applied_commands")
    op.drop_table("applied_commands")
    op.rename_table("applied_commands_rekeyed", "applied_commands")


def upgrade() -> None:
    _rekey(("user_id", "command_id"), "applied_commands_by_user_pkey")


def downgrade() -> None:
    _rekey(("command_id",), "applied_commands_pkey")  # PostgreSQL's name for 0001's key
