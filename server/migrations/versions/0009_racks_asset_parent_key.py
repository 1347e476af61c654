"""assets are indexed by the rack they are in: records.parent_key of every asset becomes its rack_id

The rack occupancy check (sync/domain/rack.py) finds a rack's chassis through the parent-key index that
``ix_records_parent`` already provides; assets written before had no parent key, so fill it in from their data. The
parent key is an index column, not record data: versions do not change and nothing is sent to devices again.

Revision ID: 0009_racks
Revises: 0008
"""

from __future__ import annotations

from alembic import op

revision = "0009_racks"
down_revision = "0008"
branch_labels = None
depends_on = None

_RACK_ID = {
    "sqlite": "json_extract(data, '$.rack_id')",
    "postgresql": "(CAST(data AS json) ->> 'rack_id')",
}


def upgrade() -> None:
    rack_id = _RACK_ID[op.get_bind().dialect.name]
    op.execute(
        f"UPDATE records SET parent_key = NULLIF({rack_id}, '') WHERE collection = 'assets' AND data IS NOT NULL"
    )


def downgrade() -> None:
    op.execute("UPDATE records SET parent_key = NULL WHERE collection = 'assets'")
