"""Which incidents on the device may have an escalation notice out: those with a recorded breach not acknowledged.

A prefilter, not the rule: it saves decoding every incident the desk holds (10,000 on a busy desk) to find the few
with a breach. Which notices are out is the domain's answer (sync/domain/escalations.py) over the records found here;
an id in both ``records`` and ``overlay`` is found if either copy qualifies, and the domain reads the overlay's.
"""

from __future__ import annotations

from app.adapters.local_store import LocalStore

_PENDING = (
    "(json_extract(data, '$.response_breached_at') IS NOT NULL "
    "AND json_extract(data, '$.response_breach_seen_at') IS NULL) "
    "OR (json_extract(data, '$.restore_breached_at') IS NOT NULL "
    "AND json_extract(data, '$.restore_breach_seen_at') IS NULL)"
)
_SELECT = (
    f"SELECT id FROM records WHERE collection = 'tickets' AND ({_PENDING}) "
    f"UNION SELECT id FROM overlay WHERE collection = 'tickets' AND ({_PENDING})"
)


def tickets_with_unseen_breaches(store: LocalStore) -> list[str]:
    """Ids of incidents on the device with a recorded breach whose notice nobody acknowledged, sorted."""
    with store.engine.connect() as conn:
        driver = conn.connection.driver_connection
        assert driver is not None
        return sorted(str(row[0]) for row in driver.execute(_SELECT).fetchall())
