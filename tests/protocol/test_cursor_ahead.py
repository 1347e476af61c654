"""A cursor ahead of the server's newest change was never issued by this database (forged, or the server was
restored from an older backup): the pull answers ``invalid_cursor`` instead of an empty page that would let the device
skip every change up to that version, and the client starts over from the beginning."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from app.bootstrap import Client
from server.store import Store
from tests.protocol.test_bad_input import enroll, refused

PAGES = "/api/v1/sync/changes"


def test_a_cursor_beyond_the_head_is_invalid_and_the_head_itself_is_not(api: httpx.Client, seeded_store: Store) -> None:
    headers, _ = enroll(api, "engineer")
    first = api.get(PAGES, params={"limit": 1}, headers=headers)
    assert first.status_code == 200
    tail = first.json()["cursor"].partition(".")[2]
    head = seeded_store.head_version()
    for version in (999_999_999, head + 1):
        refused(api.get(PAGES, params={"since": f"{version}.{tail}"}, headers=headers), 400, "invalid_cursor")
    at_head = api.get(PAGES, params={"since": f"{head}.{tail}"}, headers=headers)
    assert at_head.status_code == 200, at_head.text
    assert at_head.json() == {"changes": [], "cursor": f"{head}.{tail}", "has_more": False, "reset": False}


def test_a_device_holding_a_cursor_from_the_future_pulls_everything_again(
    enrolled: Callable[[str], Client], seeded_store: Store
) -> None:
    device = enrolled("engineer")
    device.sync()
    assets = device.store.count("assets")
    assert assets > 0
    tail = device.store.cursor().partition(".")[2]
    # What a device holds after its server was restored from a backup older than its last pull.
    device.store.apply_page([], f"{seeded_store.head_version() + 500}.{tail}", complete=True)
    report = device.sync()
    assert report.resets == 1
    assert device.store.count("assets") == assets
    assert device.store.cursor().partition(".")[0] == str(seeded_store.head_version())
