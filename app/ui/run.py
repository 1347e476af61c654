"""Start the client UI: wire services for each session, render the app, keep syncing in the background."""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import os
from collections.abc import Callable
from pathlib import Path

import flet as ft

from app.bootstrap import Client
from app.i18n import Translator
from app.services.field import FieldService
from app.services.sync_status import SyncRunner
from app.ui.app_view import RacksideApp
from app.ui.state import AppState, Services

ASSETS = Path(__file__).resolve().parents[2] / "assets"
DEFAULT_SYNC_INTERVAL = 30.0


def _keeper(folder: Path) -> Callable[[bytes], str]:
    def keep(data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = folder / digest[:2] / digest
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            temp = target.with_suffix(".tmp")
            with open(temp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        return digest

    return keep


def build_main(data_dir: Path, *, default_server: str, interval: float) -> Callable[[ft.Page], None]:
    def main(page: ft.Page) -> None:
        page.title = "Rackside"
        page.theme_mode = ft.ThemeMode.LIGHT
        client = Client.open(data_dir)
        runner = SyncRunner(client.store, client.transport)
        services = Services(
            field=FieldService(store=client.store),
            sync=runner,
            account=client.account(),
            keep_blob=_keeper(data_dir / "blobs"),
        )
        state = AppState(
            services=services,
            status=runner.status,
            t=Translator.for_language(client.store.setting("language") or "en"),
        )
        if client.store.identity() is None:
            state.route = "/settings"
        page.render_views(RacksideApp, state, default_server)

        async def keep_syncing() -> None:
            while True:
                if client.store.identity() is not None:
                    await state.sync_now()
                await asyncio.sleep(runner.next_delay(interval))

        page.run_task(keep_syncing)

    return main


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
