"""blob_usage: bytes each organization stores, the row its quota check locks

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blob_usage",
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("used_bytes", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("org_id"),
    )
    # Start from what each organization already stores, as BlobCatalog.usage summed it before.
    op.execute(
        "INSERT INTO blob_usage (org_id, used_bytes) "
        "SELECT blob_owners.org_id, SUM(blobs.size) FROM blob_owners "
        "JOIN blobs ON blobs.sha256 = blob_owners.sha256 GROUP BY blob_owners.org_id"
    )


def downgrade() -> None:
    op.drop_table("blob_usage")
