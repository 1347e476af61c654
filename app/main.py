"""Entry point for `flet build` and `flet run`: the packaged app keeps its data next to the app's storage."""

from __future__ import annotations

import os
from pathlib import Path

import flet as ft

from app.ui.run import DEFAULT_SYNC_INTERVAL, build_main

DATA_DIR = Path(os.environ.get("FLET_APP_STORAGE_DATA") or Path.home() / ".rackside")

if __name__ == "__main__":
    ft.run(
        build_main(
            DATA_DIR, default_server=os.environ.get("RACKSIDE_SERVER", "https://"), interval=DEFAULT_SYNC_INTERVAL
        )
    )
