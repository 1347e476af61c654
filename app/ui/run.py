"""Start the client UI: wire services for each session, render the app, keep syncing in the background."""

from __future__ import annotations

import asyncio
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

import flet as ft

from app.adapters.local_store import NotEnrolled
from app.bootstrap import Client, Services
from app.photos.service import PhotoService, blob_transport
from app.ui.app_view import RacksideApp
from app.ui.files import install_file_picker
from app.ui.fonts import use_bundled_font
from app.ui.page_theme import page_theme
from app.ui.state import AppState
from app.ui.sync_watch import wait_for_next_round
from sync.errors import SyncError
from sync.protocol import MAX_PULL_PAGE

ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEFAULT_SYNC_INTERVAL = 30.0


def build_main(
    data_dir: Path, *, default_server: str, interval: float, pull_page: int = MAX_PULL_PAGE
) -> Callable[[ft.Page], None]:
    def main(page: ft.Page) -> None:
        page.title = "Rackside"
        page.theme_mode = ft.ThemeMode.LIGHT
        page.theme = page_theme()  # 48 px touch targets on every screen (app/ui/page_theme.py)
        client = Client.open(data_dir)
        services = client.services(data_dir, pull_page=pull_page)
        state = AppState.build(services, default_server=default_server)
        # Page-level handlers, registered once per session. Keys reach the depot's wedge listener from the first
        # render on: a handler registered only when the scan screen renders can miss the first keystroke of the
        # first scan. AfterSalesState.key ignores keys on every other screen.
        page.on_keyboard_event = lambda e: state.after.key(e.key)
        page.on_view_pop = lambda _: state.shell.back()
        # The width decides between one phone column and list-beside-detail (app/ui/home_state.py).
        state.home.set_width(page.width)
        page.on_resize = lambda e: state.home.set_width(e.width)
        install_file_picker(page)
        use_bundled_font(page)  # last before rendering: on top of any theme set above
        page.render_views(RacksideApp, state)

        async def keep_syncing() -> None:
            while True:
                await sync_round(state, services, client)
                await wait_for_next_round(services.sync, state.sync, services.sync.next_delay(interval))

        page.run_task(keep_syncing)

    return main


async def sync_round(state: AppState, services: Services, client: Client) -> None:
    """One background round: records, then photo bytes. Never raises: sync_now is an intent (its own boundary)
    and the photo transfer's failures are logged and shown, so the loop and the app outlive any bug."""
    if client.store.identity() is None:
        return
    await state.sync.sync_now()
    try:
        await asyncio.to_thread(_move_photos, services.photos, client)
    except Exception as err:  # noqa: BLE001 - the background task's boundary
        state.shell.fail("Photo upload", err)


def _move_photos(photos: PhotoService, client: Client) -> None:
    """Photo bytes after each sync round: uploads, then thumbnails of pulled photos (see app/photos/service.py)."""
    try:
        with blob_transport(client.store, http=client.http) as transport:
            photos.transfer(transport)
    except (NotEnrolled, SyncError):
        pass  # offline or signed out: the queue waits for the next round


def desktop_available() -> bool:
    return importlib.util.find_spec("flet_desktop") is not None and bool(os.environ.get("DISPLAY"))


def run_client(
    *,
    data_dir: Path,
    server_url: str,
    web: bool,
    host: str,
    port: int,
    interval: float = DEFAULT_SYNC_INTERVAL,
    pull_page: int = MAX_PULL_PAGE,
) -> None:
    main = build_main(data_dir, default_server=server_url, interval=interval, pull_page=pull_page)
    if web or not desktop_available():
        # no_cdn: the renderer ships with flet-web; a CDN would leave the page on its splash screen offline.
        ft.run(main, view=None, host=host, port=port, no_cdn=True, assets_dir=str(ASSETS))
    else:
        ft.run(main, view=ft.AppView.FLET_APP, assets_dir=str(ASSETS))
