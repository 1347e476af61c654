"""blobs: stored photo and signature bytes, and the organizations that uploaded them

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("storage_name", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("media_type", sa.String(length=32), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256"),
        sa.UniqueConstraint("storage_name"),
    )
    op.create_table(
        "blob_owners",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("org_id", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["sha256"], ["blobs.sha256"]),
        sa.PrimaryKeyConstraint("sha256", "org_id"),
    )
    with op.batch_alter_table("blob_owners", schema=None) as batch_op:
        batch_op.create_index("ix_blob_owners_org", ["org_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("blob_owners", schema=None) as batch_op:
        batch_op.drop_index("ix_blob_owners_org")
    op.drop_table("blob_owners")
    op.drop_table("blobs")
