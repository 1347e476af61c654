"""The sync chip in a real browser: with a 60 s sync interval, losing the server shows "offline since …" within
seconds, and its return shows "all sent at …" within seconds (the probe between rounds, app/ui/sync_watch.py)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from server.seed import DEMO_PASSWORD
from tests.e2e.browser import FletPage
from tests.e2e.processes import ServerProcess, stop, web_client


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


def test_a_first_sync_counts_the_records_received_with_a_bar_until_all_are_in(
    server: ServerProcess, browser: Browser, tmp_path: Path
) -> None:
    """Issue 11: the first sync took 12–25 s and said "synced" meanwhile. Pages of 10 changes (rackside client
    --pull-page) make the demo world's first sync long enough to watch the count climb."""
    client, url = web_client(
        tmp_path / "client-fresh",
        server.url,
        log=tmp_path / "client-fresh.log",
        options=("--sync-interval", "2", "--pull-page", "10"),
    )
    app: FletPage | None = None
    try:
        app = FletPage.open(browser, url, width=400, name="first-sync")
        app.fill_form_field("Username", "desk")
        app.fill_form_field("Password", DEMO_PASSWORD)
        app.press("Sign in")
        counting = app.page.get_by_role("button", name=re.compile(r"^first sync: [1-9][\d,]* records received$"))
        expect(counting.first).to_be_visible(timeout=30_000)
        bar = app.page.get_by_label("Sync progress")
        expect(bar.first).to_be_attached()
        app.shot("counting")
        app.see_nothing_pending(timeout=120_000)
        expect(counting).to_have_count(0)
        expect(bar).to_have_count(0)
        app.shot("done")
    finally:
        if app is not None:
            app.page.close()
        stop(client)
