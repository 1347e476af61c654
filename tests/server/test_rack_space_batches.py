"""Rack space inside one push batch, on SQLite and PostgreSQL: a command sees the Us earlier commands of the same
batch took or freed (staged, server/staged.py), and the staged batch answers and writes exactly as replaying it one
command at a time would.

The seeded rack Quarry TYO1 / T01 holds NBR12600008 (1U at U9), NBN42600028 (2U at U17–U18) and NBG82600018
(4U at U35–U38); the installer is assigned to that site.
"""

from __future__ import annotations

from server.accounts import authenticate, enroll
from server.apply import parse_batch, push, push_one_by_one
from server.seed import DEMO_PASSWORD, sid
from server.store import Store
from sync.domain.commands import Command, RecordInstallation
from tests.server.test_push_batches import NOW, SKEW, answers, envelopes, new_id, restore, stored
from tests.sync.world import snapshot

T01 = sid("rack", "tyo1", "T01")


def install(serial: str, u: int) -> tuple[str, Command]:
    return new_id(), RecordInstallation(
        installation_id=new_id(),
        asset_id=sid("asset", serial),
        rack_id=T01,
        u_position=u,
        measured_depth_mm=1070,
        rail_kit_id=None,
    )


def test_a_batch_sees_the_us_its_earlier_commands_took_and_freed(seeded_store: Store) -> None:
    _device, token, _user = enroll(
        seeded_store.engine, username="installer", password=DEMO_PASSWORD, device_name="t", now=NOW
    )
    installer = authenticate(seeded_store.engine, token)
    batch = envelopes(
        [
            install("NBR12600008", 30),  # the 1U leaves U9 for U30
            install("NBN42600028", 29),  # U29–U30: U30 was taken by the command before
            install("NBN42600028", 9),  # U9–U10: freed by the first command
            install("NBG82600018", 33),  # U33–U36: overlaps only where it stands itself
        ]
    )
    before = snapshot(seeded_store.engine)

    staged = push(seeded_store, installer, batch, now=NOW, max_skew=SKEW)
    staged_rows, _ = stored(seeded_store)
    restore(seeded_store, before)
    one_by_one = push_one_by_one(seeded_store, installer, batch, parse_batch(batch), now=NOW, max_skew=SKEW)

    assert answers(staged) == answers(one_by_one)
    assert staged_rows == stored(seeded_store)[0]
    assert [(r.status.value, r.error.message if r.error else None) for r in staged] == [
        ("applied", None),
        ("rejected", "U30 is taken by NBR12600008 (1U at U30)"),
        ("applied", None),
        ("applied", None),
    ]
