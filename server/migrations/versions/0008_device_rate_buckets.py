"""device_rate_buckets: per-device request buckets shared by every server process on PostgreSQL

UNLOGGED on PostgreSQL: the buckets are written on every push and pull, and losing them in a crash only lets each
device start with a full bucket again, so they are not worth a WAL record each. (SQLite gets the table too, to keep
one schema; the embedded server counts in memory and leaves it empty.)

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    unlogged = ["UNLOGGED"] if op.get_context().dialect.name == "postgresql" else []
    op.create_table(
        "device_rate_buckets",
        sa.Column("device_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("tokens", sa.Float(), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("granted", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("device_id", "kind"),
        prefixes=unlogged,
    )


def downgrade() -> None:
    op.drop_table("device_rate_buckets")
