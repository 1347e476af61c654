"""The device's local database.

``records`` holds server copies exactly as pulled. ``overlay`` holds what pending commands did to them on this device;
reads see the overlay first. The overlay is always rebuildable from ``records`` plus the ``outbox``, so a pulled
page can never turn into push work, and a rejected command's effects disappear with it.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, Index, Integer, LargeBinary, MetaData, String, Table, Text

metadata = MetaData()

records = Table(
    "records",
    metadata,
    Column("collection", String, primary_key=True),
    Column("id", String, primary_key=True),
    Column("version", Integer, nullable=False),
    Column("natural_key", String, nullable=True),
    Column("parent_key", String, nullable=True),
    Column("data", Text, nullable=False),
    # Set when a full re-pull begins; rows the re-pull does not bring back are then deleted.
    Column("stale", Boolean, nullable=False, default=False),
    Index("ix_local_records_natural", "collection", "natural_key"),
    Index("ix_local_records_parent", "collection", "parent_key"),
)

overlay = Table(
    "overlay",
    metadata,
    Column("collection", String, primary_key=True),
    Column("id", String, primary_key=True),
    Column("natural_key", String, nullable=True),
    Column("parent_key", String, nullable=True),
    Column("data", Text, nullable=False),
    Column("command_id", String, nullable=False),
    Index("ix_overlay_natural", "collection", "natural_key"),
    Index("ix_overlay_parent", "collection", "parent_key"),
)

outbox = Table(
    "outbox",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("command_id", String, nullable=False, unique=True),
    Column("type", String, nullable=False),
    Column("payload", Text, nullable=False),
    Column("device_time", DateTime(timezone=True), nullable=False),
)

rejections = Table(
    "rejections",
    metadata,
    Column("command_id", String, primary_key=True),
    Column("type", String, nullable=False),
    Column("payload", Text, nullable=False),
    Column("code", String, nullable=False),
    Column("message", Text, nullable=False),
    Column("details", Text, nullable=False),
    Column("server_copy", Text, nullable=False),
    Column("rejected_at", DateTime(timezone=True), nullable=False),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String, primary_key=True),
    Column("value", Text, nullable=False),
)

# Photos taken in a form not saved yet (an installation, a swap), kept with its draft (app/ui/drafts.py) so Back, a
# crash or a restart loses no picture; dropped with the draft when the form is saved or discarded.
draft_photos = Table(
    "draft_photos",
    metadata,
    Column("draft_key", String, primary_key=True),
    Column("position", Integer, primary_key=True),
    Column("kind", String, nullable=False),
    Column("data", LargeBinary, nullable=False),
)

# The desk board's index (app/services/incident_board.py): each incident's place in the risk order as the domain
# computed it, with the stamps it was computed from. Derived data only: any row may be dropped and is recomputed.
board_index = Table(
    "board_index",
    metadata,
    Column("ticket_id", String, primary_key=True),
    Column("stamp", String, nullable=False),
    Column("terms", String, nullable=False),
    Column("open", Boolean, nullable=False),
    Column("since_us", Integer, nullable=False),
    Column("until_us", Integer, nullable=False),
    # The place from since_us, and the next two it takes if nothing happens to the incident (from at1_us, at2_us).
    Column("rank", Integer, nullable=False),
    Column("due_us", Integer, nullable=False),
    Column("at1_us", Integer, nullable=False),
    Column("rank1", Integer, nullable=False),
    Column("due1_us", Integer, nullable=False),
    Column("at2_us", Integer, nullable=False),
    Column("rank2", Integer, nullable=False),
    Column("due2_us", Integer, nullable=False),
    Column("opened_us", Integer, nullable=False),
    Column("org_id", String, nullable=False),
    Column("site_id", String, nullable=False),
    Column("contract_id", String, nullable=False),
    Column("tier_name", String, nullable=False),
)
