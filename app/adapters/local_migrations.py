"""Schema changes of the device database, applied in order at start-up, each in one transaction.

A device can be offline for weeks with commands in its outbox when an update arrives: a step may reshape server
copies and the overlay (both can be re-pulled or rebuilt) but must carry every outbox row across unchanged.
Add a step by appending a function; never edit a released one.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Connection, text

Step = Callable[[Connection], None]


def _v2_device_settings_survive_sign_out(conn: Connection) -> None:
    # v1 stored no settings; nothing to move. The step exists so the version number tells what a file can hold.
    conn.execute(text("SELECT 1"))


def _v3_chassis_indexed_by_rack(conn: Connection) -> None:
    # Assets gained a parent key (their rack) for the rack occupancy check; copies pulled or written before have none.
    for table in ("records", "overlay"):
        conn.execute(
            text(
                f"UPDATE {table} SET parent_key = NULLIF(json_extract(data, '$.rack_id'), '') "
                "WHERE collection = 'assets'"
            )
        )


STEPS: list[Step] = [_v2_device_settings_survive_sign_out, _v3_chassis_indexed_by_rack]
LATEST = len(STEPS) + 1


def migrate(conn: Connection, current: int) -> int:
    """Run the steps after ``current``; returns the new version. Refuses a file written by a newer app."""
    if current > LATEST:
        raise RuntimeError(f"this data was written by a newer Rackside (schema {current}); update the app")
    for version in range(current + 1, LATEST + 1):
        STEPS[version - 2](conn)
    return LATEST
