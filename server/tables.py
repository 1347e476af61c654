"""The server's tables. Alembic migrations (server/migrations) create them; this module is their single source."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

users = Table(
    "users",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("username", String(200), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("role", String(32), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
)

devices = Table(
    "devices",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("user_id", String(64), ForeignKey("users.id"), nullable=False),
    Column("name", String(200), nullable=False),
    # SHA-256 of the bearer token: tokens are 256 random bits, so a fast hash is enough and lookups stay O(1).
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=True),
)

assignments = Table(
    "assignments",
    metadata,
    Column("user_id", String(64), ForeignKey("users.id"), primary_key=True),
    Column("scope_key", String(200), primary_key=True),
)

records = Table(
    "records",
    metadata,
    Column("collection", String(64), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("natural_key", String(200), nullable=True),
    Column("parent_key", String(200), nullable=True),
    Column("scope_text", Text, nullable=False),
    Column("version", BigInteger, nullable=False),
    Column("deleted", Boolean, nullable=False, default=False),
    Column("data", Text, nullable=True),
    UniqueConstraint("collection", "natural_key", name="uq_records_natural_key"),
    Index("ix_records_version", "version", unique=True),
    Index("ix_records_parent", "collection", "parent_key"),
)

# Every scope key a record has ever had; active=False rows turn into tombstones for users who lost sight of it.
record_scopes = Table(
    "record_scopes",
    metadata,
    Column("collection", String(64), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("scope_key", String(200), primary_key=True),
    Column("active", Boolean, nullable=False),
    Index("ix_record_scopes_key", "scope_key", "collection", "id"),
)

# A command id is unique per user (the client makes it up): one user's outcome is never another's duplicate answer.
applied_commands = Table(
    "applied_commands",
    metadata,
    Column("user_id", String(64), primary_key=True),
    Column("command_id", String(64), primary_key=True),
    Column("device_id", String(64), nullable=False),
    Column("type", String(64), nullable=False),
    Column("status", String(16), nullable=False),
    Column("result", Text, nullable=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

counters = Table(
    "counters",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", BigInteger, nullable=False),
)

# Stored blobs (photos, signatures), named by the SHA-256 of their bytes; the bytes live in the blob store under
# ``storage_name``, which the server makes up (never a name a client sent).
blobs = Table(
    "blobs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("storage_name", String(64), nullable=False, unique=True),
    Column("size", BigInteger, nullable=False),
    Column("media_type", String(32), nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

# Each organization that uploaded a blob: it may read it back, and its size counts against that org's quota.
blob_owners = Table(
    "blob_owners",
    metadata,
    Column("sha256", String(64), ForeignKey("blobs.sha256"), primary_key=True),
    Column("org_id", String(64), primary_key=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index("ix_blob_owners_org", "org_id"),
)

# Which records name which blobs, from the entities' declared blob fields (Entity.blob_names), kept by the store as
# records are written. A record's naming grants reading the blob to those who see the record only when the naming
# org uploaded the bytes itself (``named_by`` among blob_owners) or could already read them when it named them
# (``vouched``): naming a hash learnt elsewhere grants nothing. Tombstoned records keep their rows but grant nothing.
blob_refs = Table(
    "blob_refs",
    metadata,
    Column("sha256", String(64), primary_key=True),
    Column("collection", String(64), primary_key=True),
    Column("id", String(200), primary_key=True),
    Column("named_by", String(64), nullable=False),
    Column("vouched", Boolean, nullable=False),
    Index("ix_blob_refs_record", "collection", "id"),
)

# Bytes each organization stores (the sum of its blob_owners' blob sizes), kept beside them in the same transaction.
# A quota check is one conditional UPDATE of this row, so concurrent uploads of one organization queue on its lock
# instead of each passing a check made before the other's bytes counted.
blob_usage = Table(
    "blob_usage",
    metadata,
    Column("org_id", String(64), primary_key=True),
    Column("used_bytes", BigInteger, nullable=False),
)

# Failed sign-ins (server/throttle.py): one row per failure and window key (a SHA-256 of username and/or address, never
# the text itself), at a wall-clock time in seconds, so every server process counts the same failures.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("key", String(64), nullable=False),
    Column("at", Float, nullable=False),
    Index("ix_sign_in_failures_key_at", "key", "at"),
    Index("ix_sign_in_failures_at", "at"),
)

# Unfinished uploads, one row per organization and blob name (``staging_key``, as the blob store names the upload):
# what the per-organization caps count (server/blobs/uploads.py). The bytes and the offset live in the blob store.
blob_uploads = Table(
    "blob_uploads",
    metadata,
    Column("staging_key", String(64), primary_key=True),
    Column("org_id", String(64), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("total", BigInteger, nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("touched_at", DateTime(timezone=True), nullable=False),
    Index("ix_blob_uploads_org", "org_id"),
)

# Per-device request buckets (server/rate_limit.py), on PostgreSQL only: the tokens left and when they were counted
# (wall-clock seconds), and whether the last request was let through (what the one-statement upsert answers).
device_rate_buckets = Table(
    "device_rate_buckets",
    metadata,
    Column("device_id", String(64), primary_key=True),
    Column("kind", String(16), primary_key=True),
    Column("tokens", Float, nullable=False),
    Column("at", Float, nullable=False),
    Column("granted", Boolean, nullable=False),
)

# Named leases shared by every server process: the holder (one process) may do the named job until expires_at
# (server/lease.py); the abandoned-upload sweep takes one so that one process sweeps at a time.
leases = Table(
    "leases",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("holder", String(64), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
)
