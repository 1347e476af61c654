"""Home: scan first, then the role's own home (app/ui/views/homes/). The scan field always has focus, so a wedge
scanner's burst + Enter opens the chassis."""

from __future__ import annotations

import flet as ft

from app.ui import routes, theme
from app.ui.state import AppState
from app.ui.views.capture import ScanInput
from app.ui.views.common import heading, screen
from app.ui.views.homes import role_home


@ft.component
def ScanField(state: AppState) -> ft.Control:
    # The typed text lives in the field alone (no owner state to fall behind a scanner); a scan clears it by
    # remounting the field under a new key.
    return ScanInput(
        state,
        label=state.t("Scan or type a chassis serial"),
        value="",
        on_change=state.field.search,
        on_scan=state.field.scan,
        autofocus=True,
        text_size=20,
        name="scan-field",
        # A new component key after each scan remounts the field, so focus comes back for the next scan.
        key=f"scan-field-{state.field.scan_generation}",
    )


@ft.component
def HomeView(state: AppState) -> ft.View:
    t, field = state.t, state.field
    results: list[ft.Control] = [
        ft.ListTile(title=ft.Text(serial), leading=ft.Icon(ft.Icons.DNS), on_click=lambda _, s=serial: field.scan(s))
        for serial in field.search_results
    ]
    recent: list[ft.Control] = [
        ft.ListTile(
            title=ft.Text(a.serial),
            subtitle=ft.Text(f"{a.sku_code} · {t.phrase(a.site_name)} {a.rack_name}"),
            leading=ft.Icon(ft.Icons.HISTORY),
            on_click=lambda _, i=a.id: field.open_asset(i),
        )
        for a in field.recent
    ]
    body: list[ft.Control] = [ScanField(state)]
    if results:
        body += [heading(t("Matching serials")), *results]
    # The role's own home (app/ui/views/homes/): its buttons, from the permission table, and its work.
    body += role_home(state)
    body += [heading(t("Recent chassis")), *(recent or [ft.Text(t("None yet: scan one."))])]
    body.append(
        ft.TextButton(
            t("Settings and account"),
            icon=ft.Icons.SETTINGS,
            on_click=lambda: state.shell.go(routes.SETTINGS),
            height=theme.TOUCH,
        )
    )
    view = screen(state, route=routes.HOME, title="Rackside", controls=body)
    # When the device gets a connection back, sync at once instead of waiting for the next interval.
    view.services = [ft.Connectivity(on_change=lambda: state.sync.sync_now())]
    return view
