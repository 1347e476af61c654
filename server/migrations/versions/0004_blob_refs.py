"""blob_refs: which records name which blobs, replacing the search of record JSON for a hash

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import json

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# The blob fields of each collection as they were when this migration was written (Entity.blob_names); a migration
# never imports the domain, which moves on.
_BLOB_FIELDS = {"photos": ("sha256", "thumbnail_sha256"), "visits": ("signature_sha256",)}


def upgrade() -> None:
    refs = op.create_table(
        "blob_refs",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("collection", sa.String(length=64), nullable=False),
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("named_by", sa.String(length=64), nullable=False),
        sa.Column("vouched", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("sha256", "collection", "id"),
    )
    op.create_index("ix_blob_refs_record", "blob_refs", ["collection", "id"])
    # Who made an existing naming, and whether it could read the bytes then, was never recorded: each counts as made
    # by the record's organization and as vouched for, so the upgrade changes nobody's access to existing photos (the
    # search of record JSON it replaces granted exactly that). New namings are judged as they are written.
    conn = op.get_bind()
    records = sa.table(
        "records",
        sa.column("collection"),
        sa.column("id"),
        sa.column("org_id"),
        sa.column("data"),
        sa.column("deleted"),
    )
    rows = conn.execute(
        sa.select(records.c.collection, records.c.id, records.c.org_id, records.c.data).where(
            records.c.collection.in_(list(_BLOB_FIELDS)), records.c.deleted.is_(False)
        )
    )
    found = []
    for collection, record_id, org_id, data in rows:
        values = json.loads(data or "{}")
        names = {values.get(f) for f in _BLOB_FIELDS[collection]}
        found += [
            {"sha256": n, "collection": collection, "id": record_id, "named_by": org_id, "vouched": True}
            for n in sorted(n for n in names if isinstance(n, str) and n)
        ]
    if found:
        op.bulk_insert(refs, found)


def downgrade() -> None:
    op.drop_index("ix_blob_refs_record", table_name="blob_refs")
    op.drop_table("blob_refs")
