"""How much text a command may carry: one table, checked by ``decide`` on the device and on the server.

Without it an 8,000,000-character note was applied and every colleague's next pull carried it. The limits are generous
for people (a symptom of a few paragraphs, a note of a few pages) and small for machine values (ids, serials, codes).
docs/sync-protocol.md ("Text limits") lists the same numbers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from sync.domain.errors import InvalidInput
from sync.domain.words import words

# Ids, serials, codes, names, carriers and tracking numbers: every text field not named below.
SHORT_TEXT = 200
# Free text people write, by field name: what a field means is the same in every command that carries it.
LONG_TEXT: dict[str, int] = {
    "symptom": 4000,
    "repro_steps": 8000,
    "text": 8000,
    "notes": 8000,
    "note": 4000,
    "reason": 2000,
    "caption": 500,
    "root_cause": 4000,
    "corrective_action": 4000,
    "base_value": 8000,
    "new_value": 8000,
    "chosen_value": 8000,
    "file_name": 255,
    # Who to call about an incident: a name as the caller gave it, a phone number with its extension or notes.
    "contact_name": 200,
    "contact_phone": 64,
}
# A parcel's reference (sync/domain/logistics.py ``parcel_reference``): the carrier's name as people write it, and
# the tracking number as carriers print it, letters and digits only (DHL Express 10, FedEx 12, Royal Mail 13, UPS 18,
# USPS up to 34).
CARRIER_NAME_MAX = 60
TRACKING_NUMBER_MIN = 8
TRACKING_NUMBER_MAX = 35
# Entries in any list a command carries (error codes, serials moved together, kit items, field changes).
MAX_ITEMS = 100


def text_limit(field_name: str) -> int:
    return LONG_TEXT.get(field_name, SHORT_TEXT)


def check_limits(command: object) -> None:
    """Raise InvalidInput naming the first field that is too long (or a list with too many entries)."""
    for path, value in _texts(command, ""):
        name = path.rsplit(".", 1)[-1].split("[", 1)[0]
        if isinstance(value, tuple):
            if len(value) > MAX_ITEMS:
                raise InvalidInput(
                    words(
                        "{field} has {count} entries; at most {limit} are allowed",
                        field=path,
                        count=len(value),
                        limit=MAX_ITEMS,
                    ),
                    details={"field": path, "limit": MAX_ITEMS},
                )
            continue
        limit = text_limit(name)
        if len(value) > limit:
            raise InvalidInput(
                words(
                    "{field} is {length} characters long; at most {limit} are allowed",
                    field=path,
                    length=len(value),
                    limit=limit,
                ),
                details={"field": path, "limit": limit},
            )


def _texts(value: object, path: str) -> Iterator[tuple[str, Any]]:
    """Every string and tuple inside ``value`` with its dotted path (``changes[0].new_value``)."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, tuple):
        yield path, value
        for index, item in enumerate(value):
            yield from _texts(item, f"{path}[{index}]")
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for field in dataclasses.fields(value):
            inner = f"{path}.{field.name}" if path else field.name
            yield from _texts(getattr(value, field.name), inner)
