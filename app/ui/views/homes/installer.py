"""The installer's home: the racks to build (the rack screens open from the Racks button) and the chassis delivered
and waiting for a rack."""

from __future__ import annotations

from functools import partial

import flet as ft

from app.ui.state import AppState
from app.ui.views.homes.parts import empty, entry_buttons, row, section


def installer_home(state: AppState) -> list[ft.Control]:
    t, page, field = state.t, state.home.page, state.field
    racks = page.racks if page else ()
    waiting = page.waiting if page else ()
    body: list[ft.Control] = [entry_buttons(state), section(t("Chassis waiting to be installed"), key="home-waiting")]
    if not waiting:
        body.append(
            empty(t("Every chassis on this device is in a rack. Scan a new one to register it."), key="empty-waiting")
        )
    for w in waiting:
        body.append(
            row(
                w.serial,
                " · ".join(p for p in (w.sku_code, w.site_name or t("no site yet")) if p),
                icon=ft.Icons.LOCAL_SHIPPING,
                on_click=partial(field.open_asset, w.asset_id),
                key=f"waiting-{w.asset_id}",
            )
        )
    body.append(section(t("Racks to build"), key="home-racks"))
    if not racks:
        body.append(
            empty(t("No racks on this device. Sync, or ask the desk to add the site's racks."), key="empty-racks")
        )
    for r in racks:
        body.append(
            row(
                f"{r.site_name} · {r.name}",
                t("{placed} chassis placed · {height} U", placed=r.placed, height=r.height_u),
                icon=ft.Icons.VIEW_COMFY,
                on_click=None,
                key=f"rack-{r.rack_id}",
            )
        )
    return body
