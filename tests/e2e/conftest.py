"""Fixtures for browser tests: a seeded server process, an enrolled device, the client UI, Chromium."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from app.bootstrap import Client
from server.db import make_engine
from server.migrate import upgrade
from server.seed import DEMO_PASSWORD, seed
from server.store import Store
from tests.e2e.browser import CHROMIUM_ARGS, FletPage, require_chromium
from tests.e2e.processes import ServerProcess, stop, web_client


# Per module, not per session: Playwright's sync API runs an event loop in the main thread while it is open, and
# tests that run after the browser tests (asyncio.run, anyio.run) must find no loop there.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = require_chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def arrange_server() -> Callable[[Store], None] | None:
    """What a test module adds to the seeded data before the server starts: override it in the module."""
    return None


@pytest.fixture
def server(tmp_path: Path, arrange_server: Callable[[Store], None] | None) -> Iterator[ServerProcess]:
    url = f"sqlite:///{tmp_path / 'server.db'}"
    upgrade(url)
    store = Store(make_engine(url))
    seed(store, assets=60)
    if arrange_server is not None:
        arrange_server(store)
    store.engine.dispose()
    process = ServerProcess(db_url=url, log=tmp_path / "server.log")
    process.start()
    yield process
    process.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    """Keep each phase's report on the test item, so a fixture's teardown can tell that the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def field_app(
    server: ServerProcess, browser: Browser, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[Callable[..., FletPage]]:
    """The client UI, enrolled as a demo user and synced, served on loopback; returns a page opener."""
    procs = []
    pages: list[FletPage] = []

    def open_app(
        username: str = "engineer",
        *,
        width: int = 400,
        name: str = "",
        in_browser: Browser | None = None,
        env: dict[str, str] | None = None,  # for the client process, e.g. the device's own zone (TZ)
        interval: float = 2.0,
    ) -> FletPage:
        data = tmp_path / f"client-{username}"
        client = Client.open(data)
        client.enroll(server_url=server.url, username=username, password=DEMO_PASSWORD, device_name="e2e")
        client.sync()
        client.store.close()
        proc, url = web_client(
            data,
            server.url,
            log=tmp_path / f"client-{username}.log",
            options=("--sync-interval", str(interval)),
            env=env,
        )
        procs.append(proc)
        chosen = in_browser or browser
        opened = FletPage.open(chosen, url, width=width, name=name or username)
        pages.append(opened)
        return opened

    try:
        yield open_app
    finally:
        call = getattr(request.node, "report_call", None)
        try:
            if call is not None and call.failed:
                # What each page showed when the test failed: a timeout alone rarely says why. A page whose renderer
                # is stuck cannot be photographed; that must not keep the pages and processes below alive.
                for opened in pages:
                    opened.shot_if_possible("FAILED")
            # Close the pages: a Flutter page left open keeps rendering and reconnecting, and on CI's two cores a
            # handful of them starve every later test.
            for opened in pages:
                opened.close()
        finally:
            for proc in procs:
                stop(proc)
