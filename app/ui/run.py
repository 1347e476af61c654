"""Start the client UI: wire services for each session, render the app, keep syncing in the background."""

from __future__ import annotations

import asyncio
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

import flet as ft

from app.adapters.local_store import NotEnrolled
from app.bootstrap import Client
from app.i18n import Translator
from app.photos.service import PhotoService, blob_transport
from app.services.field import FieldService
from app.services.label_reader import LabelReader
from app.services.sync_status import SyncRunner
from app.ui.aftersales_state import AfterSalesState
from app.ui.app_view import RacksideApp
from app.ui.files import install_file_picker
from app.ui.state import AppState, Services
from sync.errors import SyncError

ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEFAULT_SYNC_INTERVAL = 30.0


def build_main(data_dir: Path, *, default_server: str, interval: float) -> Callable[[ft.Page], None]:
    def main(page: ft.Page) -> None:
        page.title = "Rackside"
        page.theme_mode = ft.ThemeMode.LIGHT
        client = Client.open(data_dir)
        runner = SyncRunner(client.store, client.transport)
        photos = PhotoService.open(client.store, data_dir)
        field = FieldService(store=client.store)
        services = Services(
            field=field,
            sync=runner,
            account=client.account(),
            keep_blob=photos.keep_signature,
            labels=LabelReader(field.serial_patterns),
            photos=photos,
        )
        state = AppState(
            services=services,
            status=runner.status,
            t=Translator.for_language(client.store.setting("language") or "en"),
        )
        if client.store.identity() is None:
            state.route = "/settings"
        # Keys reach the depot's wedge listener from the first render on: a handler registered only when the scan
        # screen renders can miss the first keystroke of the first scan (the client learns of it a moment later).
        # AfterSalesState.key ignores keys on every other screen.
        page.on_keyboard_event = lambda e: AfterSalesState.of(state).key(e.key)
        install_file_picker(page)
        page.render_views(RacksideApp, state, default_server)

        async def keep_syncing() -> None:
            while True:
                if client.store.identity() is not None:
                    await state.sync_now()
                    await asyncio.to_thread(_move_photos, photos, client)
                await asyncio.sleep(runner.next_delay(interval))

        page.run_task(keep_syncing)

    return main


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
    *, data_dir: Path, server_url: str, web: bool, host: str, port: int, interval: float = DEFAULT_SYNC_INTERVAL
) -> None:
    main = build_main(data_dir, default_server=server_url, interval=interval)
    if web or not desktop_available():
        # no_cdn: the renderer ships with flet-web; a CDN would leave the page on its splash screen offline.
        ft.run(main, view=None, host=host, port=port, no_cdn=True, assets_dir=str(ASSETS))
    else:
        ft.run(main, view=ft.AppView.FLET_APP, assets_dir=str(ASSETS))
