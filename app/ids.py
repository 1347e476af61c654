"""The one maker of record and command ids on the device: random UUIDs, so ids made offline never collide."""

from __future__ import annotations

import uuid


def new_id() -> str:
    return str(uuid.uuid4())
