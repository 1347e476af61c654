"""The sync chip in a real browser: with a 60 s sync interval, losing the server shows "offline since …" within
seconds, and its return shows "all sent at …" within seconds (the probe between rounds, app/ui/sync_watch.py)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.e2e.browser import FletPage
from tests.e2e.processes import ServerProcess


@pytest.mark.parametrize("width", [400, 1280])
def test_the_chip_notices_the_server_leaving_and_coming_back_within_seconds(
    field_app: Callable[..., FletPage], server: ServerProcess, width: int
) -> None:
    app = field_app("engineer", width=width, name="sync-chip", interval=60.0)
    chip = app.page.get_by_role("button", name=re.compile(r"^all sent at \d\d:\d\d \w+"))
    expect(chip.first).to_be_visible(timeout=30_000)
    app.shot(f"all-sent-{width}")
    server.stop()
    left = time.monotonic()
    # Far under the 60 s interval: only the probe between rounds can notice this in time.
    offline = app.page.get_by_role("button", name=re.compile(r"^offline since \d\d:\d\d \w+"))
    expect(offline.first).to_be_visible(timeout=12_000)
    print(f"offline noticed after {time.monotonic() - left:.1f} s at {width} px")
    app.shot(f"offline-{width}")
    server.start()
    back = time.monotonic()
    expect(chip.first).to_be_visible(timeout=15_000)
    print(f"back online noticed after {time.monotonic() - back:.1f} s at {width} px")
